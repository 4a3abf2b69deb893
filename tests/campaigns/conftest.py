import datetime

import pytest

from campaigns.models import Campaign

YEAR = 2025
SUBMISSION_DUE = datetime.date(2026, 6, 30)
APPROVAL_DUE = datetime.date(2026, 7, 31)


def make_campaign(user, year=YEAR, submission_due=SUBMISSION_DUE, approval_due=APPROVAL_DUE):
    return Campaign.objects.create(year=year, submission_due=submission_due,
                                   approval_due=approval_due, opened_by=user)


@pytest.fixture
def campaign(cast):
    return make_campaign(cast["mina"])
