import datetime

import pytest
from django.utils import timezone

from indicators.models import Action, ActionProgress, Result, YearReport
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
APPROVED_NARRATIVE = "Deux comités réunis qpw"
POSTPONE_REASON = "Motif du report interne zqx"
DRAFT_NARRATIVE = "Récit du brouillon zqx"
SECRETS += [POSTPONE_REASON, DRAFT_NARRATIVE]


@pytest.fixture
def published(seed, cast):
    """Montérégie published, with 2024-2025 approved and 2025-2026 a draft; each year's
    result carries a comment, an evidence link and its author, the approved one an override
    reason too; two actions have a state in 2024-2025 (one done with a narrative, one
    postponed with a reason) and one in 2025-2026. Pôle Québec is not published."""
    plan = seed["monteregie"]
    dora = cast["dora"]
    dora.first_name, dora.last_name = PERSON
    dora.save()
    indicator = find_indicator(plan, "1.1.1", "Nb de projets")
    make_result(indicator, 2024, 12.5, comment=APPROVED_COMMENT, evidence_url=APPROVED_EVIDENCE,
                updated_by=dora, computed_value=3, override_reason=OVERRIDE_REASON)
    make_result(indicator, 2025, DRAFT_VALUE, comment=DRAFT_COMMENT,
                evidence_url=DRAFT_EVIDENCE, updated_by=dora)
    actions = list(Action.objects.filter(objective__orientation__plan=plan)
                   .order_by("code")[:2])
    ActionProgress.objects.create(action=actions[0], year=2024, state="done",
                                  narrative=APPROVED_NARRATIVE, updated_by=dora)
    ActionProgress.objects.create(action=actions[1], year=2024, state="postponed",
                                  reason=POSTPONE_REASON, updated_by=dora)
    ActionProgress.objects.create(action=actions[0], year=2025, state="in_progress",
                                  narrative=DRAFT_NARRATIVE, updated_by=dora)
    YearReport.objects.create(plan=plan, year=2024, state=YearReport.State.APPROVED,
                              changed_by=dora, changed_at=APPROVED_ON)
    YearReport.objects.create(plan=plan, year=2025, state=YearReport.State.DRAFT,
                              changed_by=dora, changed_at=timezone.now())
    pole_publish(pole=plan.pole, public=True, user=dora)
    plan.pole.refresh_from_db()
    return {"actions": actions, "plan": plan, "pole": plan.pole, "indicator": indicator,
            "result": Result.objects.get(indicator=indicator, year=2024, member=None)}


def file_year(plan, year, version, content: bytes, by):
    """A filing of ``plan``'s ``year`` as an approval leaves it (PDF, workbook and CSV),
    without making the files again (WeasyPrint is slow)."""
    from django.core.files.base import ContentFile

    from reporting.models import FiledFile, Filing

    filing = Filing.objects.create(plan=plan, year=year, version=version, approved_by=by,
                                   approved_at=APPROVED_ON + datetime.timedelta(days=version),
                                   comment="")
    for kind, name in (("pdf", "rapport.pdf"), ("xlsx", "classeur.xlsx"), ("csv", "r.csv")):
        filed = FiledFile(filing=filing, kind=kind, filename=f"v{version}-{name}",
                          content_type="application/pdf" if kind == "pdf" else "text/plain",
                          size=len(content), sha256="0" * 64)
        filed.file.save(filed.filename, ContentFile(content + kind.encode()), save=False)
        filed.save()
    return filing
