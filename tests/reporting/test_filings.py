"""Filed means kept (issue 25, item 4): an approval files the pôle's PDF, workbook and CSV
once, as version 1; downloads are those bytes, with their SHA-256 shown; reopening and
approving again files version 2 and lists what changed."""

import hashlib
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from indicators.action_progress import ActionEntry, action_progress_save
from indicators.models import Action, ActionProgress, Result
from indicators.services import Entry, results_save, year_transition
from reporting.models import FiledFile, Filing
from tests.conftest import find_indicator

YEAR = 2025


def approve(plan, cast, comment="Une année de consolidation."):
    year_transition(plan=plan, year=YEAR, action="submit", user=cast["alice"], notify=False)
    year_transition(plan=plan, year=YEAR, action="approve", user=cast["dora"],
                    comment=comment, notify=False)


@pytest.fixture
def approved(seed, cast):
    plan = seed["monteregie"]
    projects = find_indicator(plan, "1.1.1", "Nb de projets")
    results_save(plan=plan, year=YEAR, user=cast["alice"], entries=[
        Entry(indicator=projects, member=None, fields={"value": Decimal(3)},
              seen_version=None)])
    action = Action.objects.get(objective__orientation__plan=plan, code="1.1.1")
    action_progress_save(plan=plan, year=YEAR, user=cast["alice"], entries=[ActionEntry(
        action=action, fields={"state": "in_progress", "narrative": "Deux comités.",
                               "reason": ""}, seen_version=None)])
    approve(plan, cast)
    return plan


def test_approving_a_year_files_its_pdf_workbook_and_csv_as_version_1(approved, cast):
    filing = Filing.objects.get(plan=approved, year=YEAR)
    assert (filing.version, filing.approved_by, filing.comment) == (
        1, cast["dora"], "Une année de consolidation.")
    files = {f.kind: f for f in filing.files.all()}
    assert set(files) == {"pdf", "xlsx", "csv"}
    for filed in files.values():
        content = filed.file.read()
        assert hashlib.sha256(content).hexdigest() == filed.sha256
        assert len(content) == filed.size
    assert files["pdf"].file.name.startswith(f"filings/{approved.pk}/{YEAR}/v1/")


def test_a_refused_approval_files_nothing(seed, cast):
    plan = seed["monteregie"]
    with pytest.raises(Exception):  # noqa: B017 (not submitted: the gesture is refused)
        year_transition(plan=plan, year=YEAR, action="approve", user=cast["dora"],
                        notify=False)
    assert not Filing.objects.exists()


def test_the_ministry_downloads_the_same_bytes_twice_and_sees_the_hash(
        client, cast, approved):
    client.force_login(cast["mina"])
    page = client.get(reverse("reporting:filings", args=[approved.pk]) + f"?annee={YEAR}")
    assert page.status_code == 200
    html = page.content.decode()
    for filed in FiledFile.objects.all():
        assert filed.sha256 in html
        url = reverse("reporting:filed_file", args=[filed.pk])
        first = b"".join(client.get(url).streaming_content)
        second = b"".join(client.get(url).streaming_content)
        assert first == second
        assert hashlib.sha256(first).hexdigest() == filed.sha256
    assert "version actuelle" in html


def test_filed_files_do_not_change_when_the_database_does(client, cast, approved):
    """A reopened year changes its figures; version 1's files stay as they were filed."""
    pdf = FiledFile.objects.get(kind="pdf")
    before = pdf.sha256
    year_transition(plan=approved, year=YEAR, action="reopen", user=cast["sam"], notify=False)
    Result.objects.filter(year=YEAR).update(value=Decimal(9))
    client.force_login(cast["mina"])
    content = b"".join(client.get(reverse("reporting:filed_file", args=[pdf.pk]))
                       .streaming_content)
    assert hashlib.sha256(content).hexdigest() == before


def test_reopening_and_approving_again_files_version_2_with_its_changes(
        client, cast, approved):
    year_transition(plan=approved, year=YEAR, action="reopen", user=cast["sam"], notify=False)
    projects = find_indicator(approved, "1.1.1", "Nb de projets")
    result = Result.objects.get(indicator=projects, year=YEAR, member=None)
    results_save(plan=approved, year=YEAR, user=cast["alice"], entries=[
        Entry(indicator=projects, member=None, fields={"value": Decimal(5)},
              seen_version=result.version)])
    progress = ActionProgress.objects.get(year=YEAR)
    action_progress_save(plan=approved, year=YEAR, user=cast["alice"], entries=[ActionEntry(
        action=progress.action, fields={"state": "done", "narrative": "Trois comités.",
                                        "reason": ""}, seen_version=progress.version)])
    approve(approved, cast, comment="")
    assert list(Filing.objects.filter(plan=approved, year=YEAR)
                .values_list("version", flat=True)) == [2, 1]
    client.force_login(cast["mina"])
    response = client.get(reverse("reporting:filings", args=[approved.pk]) + f"?annee={YEAR}")
    assert response.status_code == 200
    views = response.context["filings"]
    assert [(v.filing.version, v.current) for v in views] == [(2, True), (1, False)]
    changes = {(c.what, c.before, c.after) for c in views[0].changes}
    assert ("Résultat", "3", "5") in changes
    assert ("État de l'action", "en cours", "réalisée") in changes
    assert ("Ce qui a été fait", "Deux comités.", "Trois comités.") in changes
    html = response.content.decode()
    assert "Changements depuis la version 1" in html


def test_the_national_workbook_says_which_filed_version_each_pole_is_at(
        client, cast, approved):
    client.force_login(cast["mina"])
    response = client.get(reverse("reporting:national_export") + f"?annee={YEAR}")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    rows = list(book["Sommaire"].iter_rows(values_only=True))
    header = next(row for row in rows if row and row[0] == "Pôle")
    column = header.index("Version déposée")
    by_pole = {row[0]: row[column] for row in rows[rows.index(header) + 1:] if row}
    assert by_pole[approved.pole.name].startswith("version 1 du ")
    quebec = next(name for name in by_pole if name != approved.pole.name)
    assert by_pole[quebec] == "aucune"


# --- who may see what ---------------------------------------------------------------------


def test_filings_page_as_owner_read_only_role_and_other_pole(client, cast, approved):
    url = reverse("reporting:filings", args=[approved.pk]) + f"?annee={YEAR}"
    filed = FiledFile.objects.get(kind="xlsx")
    download = reverse("reporting:filed_file", args=[filed.pk])
    for name in ("alice", "dora", "mina"):  # the pôle's people and the ministry read them
        client.force_login(cast[name])
        assert client.get(url).status_code == 200
        assert client.get(download).status_code == 200
    client.force_login(cast["quentin"])  # another pôle
    assert client.get(url).status_code == 404
    assert client.get(download).status_code == 404


def test_an_unknown_year_or_file_is_a_404_or_said(client, cast, approved):
    client.force_login(cast["mina"])
    assert client.get(reverse("reporting:filed_file", args=[999999])).status_code == 404
    response = client.get(reverse("reporting:filings", args=[approved.pk]) + "?annee=1999")
    assert response.status_code == 200
    assert "n&#x27;est pas une année de ce plan" in response.content.decode()


def test_filings_page_costs_a_fixed_number_of_queries(client, cast, approved,
                                                     django_assert_num_queries):
    year_transition(plan=approved, year=YEAR, action="reopen", user=cast["sam"], notify=False)
    approve(approved, cast)
    client.force_login(cast["mina"])
    # session, user, membership, plan with pôle, filings, their files.
    with django_assert_num_queries(6):
        response = client.get(reverse("reporting:filings", args=[approved.pk])
                              + f"?annee={YEAR}")
        assert response.status_code == 200


def test_a_filed_download_costs_a_fixed_number_of_queries(client, cast, approved,
                                                          django_assert_num_queries):
    filed = FiledFile.objects.get(kind="pdf")
    client.force_login(cast["mina"])
    # session, user, the file with its filing, its plan with the pôle, membership.
    with django_assert_num_queries(5):
        response = client.get(reverse("reporting:filed_file", args=[filed.pk]))
        assert response.status_code == 200
    assert response["X-Content-SHA256"] == filed.sha256
    b"".join(response.streaming_content)


def test_a_director_approving_in_english_files_the_year_in_french(seed, cast):
    """The filed files are the ministry's record: their words do not depend on the language
    the approving director reads the site in."""
    from django.utils import translation
    plan = seed["monteregie"]
    with translation.override("en"):
        approve(plan, cast)
    filed = Filing.objects.get(plan=plan, year=YEAR).files.get(kind="csv")
    text = filed.file.read().decode("utf-8-sig")
    header = text.splitlines()[0]
    assert "Indicateur" in header and "Indicator" not in header
