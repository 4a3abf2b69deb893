"""The demo campaign: reddition 2025-2026, due 2026-06-30 (submission) and 2026-09-30
(approval), opened by the demo ministry account."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model

from campaigns.models import Campaign
from campaigns.services import campaign_open

DEMO_CAMPAIGN_YEAR = 2025
DEMO_SUBMISSION_DUE = datetime.date(2026, 6, 30)
DEMO_APPROVAL_DUE = datetime.date(2026, 9, 30)


def campaign_demo_load() -> Campaign:
    """Open the demo campaign once (a second load leaves it as it is)."""
    existing = Campaign.objects.filter(year=DEMO_CAMPAIGN_YEAR).first()
    if existing is not None:
        return existing
    ministry = get_user_model().objects.get(username="ministere")
    return campaign_open(year=DEMO_CAMPAIGN_YEAR, submission_due=DEMO_SUBMISSION_DUE,
                         approval_due=DEMO_APPROVAL_DUE, user=ministry)
