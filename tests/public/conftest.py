import datetime

import pytest
from django.utils import timezone

from indicators.models import Result, YearReport
from indicators.services import pole_publish
from tests.conftest import find_indicator, make_result

APPROVED_COMMENT = "Commentaire interne approuvé zqx"
APPROVED_EVIDENCE = "https://preuves.example.org/approuvee-zqx"
OVERRIDE_REASON = "Motif de remplacement zqx"
DRAFT_COMMENT = "Brouillon confidentiel zqx"
DRAFT_EVIDENCE = "https://preuves.example.org/brouillon-zqx"
DRAFT_VALUE = 987654
PERSON = ("Zéphirine", "Quimperlé")
SECRETS = [APPROVED_COMMENT, APPROVED_EVIDENCE, OVERRIDE_REASON, DRAFT_COMMENT,
           DRAFT_EVIDENCE, str(DRAFT_VALUE), "987 654", "987\u00a0654", *PERSON,
           "2025-2026"]
APPROVED_ON = datetime.datetime(2025, 9, 12, 14, 0, tzinfo=datetime.UTC)


@pytest.fixture
def published(seed, cast):
    """Montérégie published, with 2024-2025 approved and 2025-2026 a draft; each year's
    result carries a comment, an evidence link and its author, the approved one an override
    reason too. Pôle Québec is not published."""
    plan = seed["monteregie"]
    dora = cast["dora"]
    dora.first_name, dora.last_name = PERSON
    dora.save()
    indicator = find_indicator(plan, "1.1.1", "Nb de projets")
    make_result(indicator, 2024, 12.5, comment=APPROVED_COMMENT, evidence_url=APPROVED_EVIDENCE,
                updated_by=dora, computed_value=3, override_reason=OVERRIDE_REASON)
    make_result(indicator, 2025, DRAFT_VALUE, comment=DRAFT_COMMENT,
                evidence_url=DRAFT_EVIDENCE, updated_by=dora)
    YearReport.objects.create(plan=plan, year=2024, state=YearReport.State.APPROVED,
                              changed_by=dora, changed_at=APPROVED_ON)
    YearReport.objects.create(plan=plan, year=2025, state=YearReport.State.DRAFT,
                              changed_by=dora, changed_at=timezone.now())
    pole_publish(pole=plan.pole, public=True, user=dora)
    plan.pole.refresh_from_db()
    return {"plan": plan, "pole": plan.pole, "indicator": indicator,
            "result": Result.objects.get(indicator=indicator, year=2024, member=None)}
