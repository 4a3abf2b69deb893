"""The annual report PDF (issue 25, item 3): one set of numbers with the workbook, charts as
tagged figures with their data as tables, and an automatic accessibility check (the PDF/UA
tag-tree check of ``tests/reporting/pdf_ua.py``, read back with pikepdf)."""

import io
import re
from decimal import Decimal

import openpyxl
import pypdf
import pytest
from django.conf import settings
from django.urls import reverse

from indicators.action_progress import ActionEntry, action_progress_save
from indicators.formatting import format_value
from indicators.models import Action
from indicators.services import Entry, results_save, year_transition
from reporting.models import FiledFile
from reporting.report_pdf import annual_report_pdf
from tests.conftest import find_indicator
from tests.reporting.pdf_ua import pdf_ua_problems

YEAR = 2025
NARRATIVE = "Trois rencontres :\n- Longueuil\n- Granby"


def pdf_text(content: bytes) -> str:
    """The PDF's text, spaces of every kind as one space."""
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)
    return re.sub(r"[ \u00a0\u202f]+", " ", text)


def plain(text: str) -> str:
    return re.sub(r"[ \u00a0\u202f]+", " ", text)


@pytest.fixture
def reported(seed, cast):
    """Montérégie 2025-2026 with results of several units, two action states, approved."""
    plan = seed["monteregie"]
    values = {("1.1.1", "Nb de projets"): Decimal(3),
              ("1.1.4", "Nb de rencontres"): Decimal(1250)}
    results_save(plan=plan, year=YEAR, user=cast["alice"], entries=[
        Entry(indicator=find_indicator(plan, code, label), member=None,
              fields={"value": value}, seen_version=None)
        for (code, label), value in values.items()])
    actions = {a.code: a for a in Action.objects.filter(objective__orientation__plan=plan)}
    action_progress_save(plan=plan, year=YEAR, user=cast["alice"], entries=[
        ActionEntry(action=actions["1.1.1"], fields={"state": "done", "narrative": NARRATIVE,
                                                     "reason": ""}, seen_version=None),
        ActionEntry(action=actions["1.1.2"], fields={"state": "postponed", "narrative": "",
                                                     "reason": "Budget gelé"},
                    seen_version=None)])
    year_transition(plan=plan, year=YEAR, action="submit", user=cast["alice"], notify=False)
    year_transition(plan=plan, year=YEAR, action="approve", user=cast["dora"],
                    comment="Faits saillants : une année de consolidation.", notify=False)
    return plan


def test_the_filed_pdf_figures_equal_the_filed_workbooks(reported, cast, client):
    client.force_login(cast["mina"])
    files = {f.kind: b"".join(client.get(reverse("reporting:filed_file", args=[f.pk]))
                              .streaming_content) for f in FiledFile.objects.all()}
    text = pdf_text(files["pdf"])
    book = openpyxl.load_workbook(io.BytesIO(files["xlsx"]))

    # Every indicator's result: the workbook's cell, written as the report writes it.
    sheet = book["Résultats"]
    header = [c.value for c in sheet[1]]
    label, member, result = (header.index("Indicateur"), header.index("Membre"),
                             header.index("Résultat 2025-2026"))
    numbers = [(row[label], row[result]) for row in sheet.iter_rows(min_row=2, values_only=True)
               if not row[member] and isinstance(row[result], int | float)]
    assert len(numbers) >= 2
    for indicator, value in numbers:
        assert plain(format_value(Decimal(str(value)), "count")) in text, indicator
    assert "1 250" in text

    # The status counts of the summary.
    summary = list(book["Sommaire"].iter_rows(values_only=True))
    heading = next(row for row in summary if row and row[0] == "Orientation")
    total = next(row for row in summary[summary.index(heading):] if row and row[0] == "Total")
    for status, count in zip(heading[1:6], total[1:6], strict=True):
        assert f"{status} {count}" in text, status

    # Each action's state, and the narrative's lines.
    actions = book["Actions"]
    header = [c.value for c in actions[1]]
    for row in actions.iter_rows(min_row=2, values_only=True):
        line = dict(zip(header, row, strict=True))
        if line["État de l'action"] != "non renseigné":
            assert f"{line['Code']} " in text
            assert line["État de l'action"] in text
    assert "- Longueuil" in text and "Motif : Budget gelé" in text

    # The register's activities: as many as the workbook's Activités rows.
    activities = book["Activités"].max_row - 1
    assert f"Activités de l'année {activities}" in text


def test_the_cover_names_the_approval_and_the_summary_the_highlights(reported):
    """The cover names the approving role, never the person: the filed PDF is published on
    the pôle's public page as filed (the filing's record keeps who approved)."""
    content = FiledFile.objects.get(kind="pdf").file.read()
    text = pdf_text(content)
    assert "Reddition de compte 2025-2026" in text
    assert "Approuvée par la direction du pôle" in text
    assert "dora" not in text.lower()
    assert "Faits saillants : une année de consolidation." in text
    assert re.search(r"Page 1 de \d+", text)
    assert "État de la reddition approuvée" in text


def test_the_report_passes_the_pdf_ua_tag_tree_check(reported):
    content = FiledFile.objects.get(kind="pdf").file.read()
    assert pdf_ua_problems(content) == []


def test_the_check_finds_an_untagged_pdf(reported):
    from weasyprint import HTML

    untagged = HTML(string="<p>Sans balises</p>").write_pdf()
    problems = pdf_ua_problems(untagged)
    assert "no structure tree (/StructTreeRoot)" in problems or problems


def test_charts_are_figures_with_alternative_text_and_their_data_as_tables(seed):
    content = annual_report_pdf(seed["monteregie"], YEAR, settings.ACHIEVEMENT_THRESHOLDS).content
    text = pdf_text(content)
    assert "Indicateurs par statut et par orientation" in text
    assert "Actions par état" in text
    assert pdf_ua_problems(content) == []


# --- the view --------------------------------------------------------------------------------


def pdf_url(plan, year=YEAR):
    return reverse("reporting:report_pdf", args=[plan.pk]) + f"?annee={year}"


def test_report_pdf_view_for_owner_ministry_other_pole_and_bad_year(client, cast, seed,
                                                                    django_assert_num_queries):
    plan = seed["quebec"]
    client.force_login(cast["quentin"])
    # session, user, membership, plan; six reads of the year's lines; the year report and
    # its transitions; the actions with their progress; the register's activities (and the
    # plan's rules) and establishments reached.
    with django_assert_num_queries(15):
        response = client.get(pdf_url(plan))
        assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    client.force_login(cast["mina"])  # read-only role: reads it too
    assert client.get(pdf_url(plan)).status_code == 200
    client.force_login(cast["alice"])  # another pôle
    assert client.get(pdf_url(plan)).status_code == 404
    client.force_login(cast["quentin"])
    assert client.get(pdf_url(plan, 1999)).status_code == 404
