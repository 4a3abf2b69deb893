"""The register remembers what it holds: references update, duplicates are skipped unless
confirmed, the same file twice leaves one copy, the dry run says what would happen row by
row, and a locked year refuses an update with its line."""

import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from indicators.models import Result, YearReport
from indicators.plan_import import load_dataset
from register.activity_import import CREATED, DUPLICATE, UNCHANGED, UPDATED, activities_import
from register.models import Activity, IndicatorRule
from tests.conftest import find_indicator
from tests.register.conftest import make_activity, make_rule

EXAMPLE = Path(settings.BASE_DIR) / "fixtures" / "register" / "exemple-registre.csv"
HEADER = "Référence;Titre;Type;Statut;Début;Fin;Actions;Établissements et partenaires;Étudiants\n"


def dataset(text: str):
    return load_dataset(text.encode("utf-8"), "registre.csv")


def example():
    return load_dataset(EXAMPLE.read_bytes(), EXAMPLE.name)


def without_references():
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines()
    return dataset("\n".join(line.split(";", 1)[1] for line in lines) + "\n")


@pytest.fixture
def mont(seed, directory):
    return seed["monteregie"]


def test_the_same_file_with_references_imported_twice_leaves_one_copy(mont, cast):
    first = activities_import(pole=mont.pole, user=cast["alice"], dataset=example())
    assert first.ok and first.created == 4
    second = activities_import(pole=mont.pole, user=cast["alice"], dataset=example())
    assert second.ok, second.errors
    assert (second.created, second.updated, second.unchanged) == (0, 0, 4)
    assert Activity.objects.count() == 4
    assert set(Activity.objects.values_list("version", flat=True)) == {1}


def test_the_same_file_without_references_twice_reports_and_skips_the_duplicates(mont, cast):
    activities_import(pole=mont.pole, user=cast["alice"], dataset=without_references())
    again = activities_import(pole=mont.pole, user=cast["alice"], dataset=without_references())
    assert again.ok
    assert [(row.line, row.decision) for row in again.rows] == [
        (2, DUPLICATE), (3, DUPLICATE), (4, DUPLICATE), (5, DUPLICATE)]
    assert "Chantier sur la transition" in again.rows[0].detail
    assert Activity.objects.count() == 4


def test_a_confirmed_duplicate_is_imported(mont, cast):
    activities_import(pole=mont.pole, user=cast["alice"], dataset=without_references())
    again = activities_import(pole=mont.pole, user=cast["alice"], dataset=without_references(),
                              keep_duplicates=True)
    assert again.ok and again.created == 4
    assert Activity.objects.count() == 8


def test_a_row_differing_in_one_count_is_not_a_duplicate(mont, cast):
    make_activity(mont.pole, title="Atelier", kind_code="publication",
                  start=datetime.date(2024, 9, 10), participants_students=3)
    text = HEADER + (";atelier;Publication;réalisée;2024-09-10;;;;3\n"
                     ";Atelier;Publication;réalisée;2024-09-10;;;;4\n")
    outcome = activities_import(pole=mont.pole, user=cast["alice"], dataset=dataset(text))
    assert [(row.line, row.decision) for row in outcome.rows] == [(2, DUPLICATE), (3, CREATED)]


def test_a_reference_updates_its_activity_with_history_and_one_version_bump(mont, cast):
    activities_import(pole=mont.pole, user=cast["alice"], dataset=example())
    chantier = Activity.objects.get(reference="MR-2025-001")
    text = HEADER + ("MR-2025-001;Chantier renommé;Projet de concertation;réalisée;2025-09-10;"
                     "2026-02-28;1.1.1;UQAM;30\n")
    outcome = activities_import(pole=mont.pole, user=cast["alice"], dataset=dataset(text))
    assert outcome.ok, outcome.errors
    assert [(row.line, row.decision) for row in outcome.rows] == [(2, UPDATED)]
    chantier.refresh_from_db()
    assert chantier.title == "Chantier renommé" and chantier.participants_students == 30
    assert chantier.version == 2
    assert [a.code for a in chantier.actions.all()] == ["1.1.1"]
    assert [o.name for o in chantier.organisations.all()] == ["Université du Québec à Montréal"]
    assert chantier.description == "Trois rencontres du chantier"  # no such column: kept
    assert chantier.history.filter(history_change_reason="Import du registre").exists()
    assert Activity.objects.count() == 4


def test_an_update_recomputes_the_indicators(mont, cast):
    make_rule(find_indicator(mont, "1.1.1", "Nb de projets"), IndicatorRule.Kind.ACTIVITIES,
              ["projet-concertation"])
    text = HEADER + "R1;Projet;Projet de concertation;réalisée;2024-09-10;;1.1.1;;0\n"
    activities_import(pole=mont.pole, user=cast["alice"], dataset=dataset(text))
    projects = find_indicator(mont, "1.1.1", "Nb de projets")
    assert Result.objects.get(indicator=projects, year=2024, member=None).value == 1
    moved = HEADER + "R1;Projet;Projet de concertation;réalisée;2024-09-10;;1.2.1;;0\n"
    activities_import(pole=mont.pole, user=cast["alice"], dataset=dataset(moved))
    assert Result.objects.get(indicator=projects, year=2024, member=None).value == 0


def test_updating_an_activity_of_an_approved_year_is_refused_with_its_line(mont, cast):
    activities_import(pole=mont.pole, user=cast["alice"], dataset=example())
    YearReport.objects.create(plan=mont, year=2025, state=YearReport.State.APPROVED)
    text = HEADER + ("MR-2026-001;Kiosque;Activité de promotion;prévue;2026-10-15;;1.2.1;;0\n"
                     "MR-2025-002;Atelier changé;Activité de transfert;réalisée;2025-11-20;;"
                     "1.1.1;UQAM;0\n")
    outcome = activities_import(pole=mont.pole, user=cast["alice"], dataset=dataset(text))
    assert outcome.errors == ["Ligne 3 : « Atelier changé » tombe dans une année soumise ou "
                              "approuvée ; elle ne peut pas être modifiée."]
    assert Activity.objects.get(reference="MR-2025-002").title == (
        "Atelier de transfert des résultats")
    assert Activity.objects.get(reference="MR-2026-001").title == "Kiosque au salon régional"


def test_an_unchanged_row_of_an_approved_year_is_not_an_error(mont, cast):
    activities_import(pole=mont.pole, user=cast["alice"], dataset=example())
    YearReport.objects.create(plan=mont, year=2025, state=YearReport.State.APPROVED)
    outcome = activities_import(pole=mont.pole, user=cast["alice"], dataset=example())
    assert outcome.ok and outcome.unchanged == 4


def test_dry_run_reports_each_row_created_updated_or_skipped_and_writes_nothing(mont, cast):
    activities_import(pole=mont.pole, user=cast["alice"], dataset=example())
    make_activity(mont.pole, title="Doublon", kind_code="publication",
                  start=datetime.date(2024, 9, 10))
    text = HEADER + ("MR-2025-001;Chantier renommé;Projet de concertation;réalisée;2025-09-10;"
                     "2026-02-28;1.1.3;;12\n"
                     "MR-2025-002;Atelier de transfert des résultats;Activité de transfert;"
                     "réalisée;2025-11-20;;1.1.1;UQAM;0\n"
                     ";Doublon;Publication;réalisée;2024-09-10;;;;0\n"
                     "NEW-1;Nouvelle;Publication;réalisée;2024-09-12;;;;0\n")
    outcome = activities_import(pole=mont.pole, user=cast["alice"], dataset=dataset(text),
                                dry_run=True)
    assert outcome.ok, outcome.errors
    assert [(row.line, row.decision) for row in outcome.rows] == [
        (2, UPDATED), (3, UNCHANGED), (4, DUPLICATE), (5, CREATED)]
    assert Activity.objects.count() == 5
    assert Activity.objects.get(reference="MR-2025-001").title.startswith("Chantier sur")


def test_a_reference_repeated_in_the_file_is_an_error_naming_both_lines(mont, cast):
    text = HEADER + ("R1;A;Publication;réalisée;2024-09-10;;;;0\n"
                     "R1;B;Publication;réalisée;2024-09-11;;;;0\n")
    outcome = activities_import(pole=mont.pole, user=cast["alice"], dataset=dataset(text))
    assert outcome.errors == ["Ligne 3 : la référence « R1 » est déjà celle de la ligne 2."]
    assert not Activity.objects.exists()


def test_a_reference_is_unique_per_pole_only(mont, seed, cast):
    from django.db import IntegrityError, transaction

    make_activity(mont.pole, reference="R1")
    make_activity(seed["quebec"].pole, reference="R1")
    make_activity(mont.pole, reference="")
    make_activity(mont.pole, reference="")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_activity(mont.pole, reference="R1")


def test_import_page_reports_duplicates_and_imports_them_when_confirmed(client, mont, cast):
    url = f"/registre/{mont.pole.code}/importer/"
    text = "\n".join(line.split(";", 1)[1] for line in
                     EXAMPLE.read_text(encoding="utf-8").splitlines()) + "\n"
    client.force_login(cast["alice"])
    assert client.post(url, {"file": SimpleUploadedFile("r.csv", text.encode())}).status_code \
        == 302
    response = client.post(url, {"file": SimpleUploadedFile("r.csv", text.encode())})
    assert response.status_code == 200
    page = response.content.decode()
    assert "doublons ignorés : 4" in page and "doublon ignoré" in page
    assert Activity.objects.count() == 4
    response = client.post(url, {"file": SimpleUploadedFile("r.csv", text.encode()),
                                 "keep_duplicates": "on"})
    assert response.status_code == 302
    assert Activity.objects.count() == 8


def test_import_page_dry_run_lists_rows(client, mont, cast):
    client.force_login(cast["alice"])
    response = client.post(f"/registre/{mont.pole.code}/importer/", {
        "file": SimpleUploadedFile(EXAMPLE.name, EXAMPLE.read_bytes()), "dry_run": "on"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Activités qui seraient créées : 4" in page
    assert page.count("<td>créée</td>") == 4
    assert not Activity.objects.exists()


def test_import_page_is_403_for_the_ministry_and_404_for_another_pole(client, mont, cast):
    url = f"/registre/{mont.pole.code}/importer/"
    client.force_login(cast["mina"])
    assert client.post(url, {"file": SimpleUploadedFile(EXAMPLE.name, EXAMPLE.read_bytes())}
                       ).status_code == 403
    client.force_login(cast["quentin"])
    assert client.post(url, {"file": SimpleUploadedFile(EXAMPLE.name, EXAMPLE.read_bytes())}
                       ).status_code == 404
    assert not Activity.objects.exists()
