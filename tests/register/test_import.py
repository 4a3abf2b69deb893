"""Importing an activity log: the example file, all-or-nothing, line-numbered errors."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from indicators.models import YearReport
from indicators.plan_import import load_dataset
from register.activity_import import activities_import
from register.models import Activity

EXAMPLE = Path(settings.BASE_DIR) / "fixtures" / "register" / "exemple-registre.csv"
HEADER = ("Titre;Type;Statut;Début;Fin;Actions;Établissements et partenaires;Étudiants;"
          "Visiteurs\n")


def dataset(text: str):
    return load_dataset(text.encode("utf-8"), "registre.csv")


@pytest.fixture
def mont(seed, directory):
    return seed["monteregie"]


def test_the_example_file_imports_and_matches_names_loosely(mont, cast):
    outcome = activities_import(pole=mont.pole, user=cast["alice"],
                                dataset=load_dataset(EXAMPLE.read_bytes(), EXAMPLE.name))
    assert outcome.ok, outcome.errors
    assert outcome.created == 4
    chantier = Activity.objects.get(title__startswith="Chantier")
    assert sorted(o.name for o in chantier.organisations.all()) == [
        "Centre de services scolaire Marie-Victorin", "Cégep Édouard-Montpetit"]
    assert [a.code for a in chantier.actions.all()] == ["1.1.3"]
    assert chantier.participants_students == 12


def test_one_bad_row_writes_nothing_and_every_problem_names_its_line(mont, cast):
    text = HEADER + (
        "Bon;Projet de concertation;réalisée;2024-09-10;;1.1.3;UQAM;3;0\n"
        "Mauvais;Projet inconnu;réalisée;10/09/2024;;9.9.9;Université du Québec à;-2;0\n"
        "Dates;Publication;réalisée;2024-09-10;2024-09-01;;;;\n")
    outcome = activities_import(pole=mont.pole, user=cast["alice"], dataset=dataset(text))
    assert not outcome.ok
    assert not Activity.objects.exists()
    joined = "\n".join(outcome.errors)
    assert "Ligne 3 : le type « Projet inconnu » est inconnu." in joined
    assert "Ligne 3 : la date Début « 10/09/2024 » n'est pas lisible" in joined
    assert "Ligne 3 : l'action « 9.9.9 » n'est pas une action du plan." in joined
    assert "Ligne 3, colonne Étudiants : « -2 » n'est pas un nombre entier positif." in joined
    assert "Ligne 4 : fin : La fin (2024-09-01) précède le début (2024-09-10)." in joined
    assert "Ligne 2" not in joined


def test_an_ambiguous_or_unknown_organisation_is_asked_not_guessed(mont, cast):
    text = HEADER + ("A;Publication;réalisée;2024-09-10;;;Cégep de Saint;;\n"
                     "B;Publication;réalisée;2024-09-10;;;Boulangerie du coin;;\n")
    outcome = activities_import(pole=mont.pole, user=cast["alice"], dataset=dataset(text))
    assert any(e.startswith("Ligne 2 : « Cégep de Saint » peut désigner") for e in
               outcome.errors)
    assert any(e.startswith("Ligne 3 : « Boulangerie du coin » n'est pas au répertoire") for e
               in outcome.errors)
    assert not Activity.objects.exists()


def test_a_row_in_an_approved_year_writes_nothing(mont, cast):
    YearReport.objects.create(plan=mont, year=2024, state=YearReport.State.APPROVED)
    text = HEADER + ("A;Publication;réalisée;2025-09-10;;;;;\n"
                     "B;Publication;réalisée;2024-09-10;;;;;\n")
    outcome = activities_import(pole=mont.pole, user=cast["alice"], dataset=dataset(text))
    assert outcome.errors == ["Ligne 3 : « B » tombe dans une année soumise ou approuvée ; elle "
                              "ne peut pas être ajoutée."]
    assert not Activity.objects.exists()


def test_dry_run_checks_without_writing(mont, cast):
    outcome = activities_import(pole=mont.pole, user=cast["alice"], dry_run=True,
                                dataset=load_dataset(EXAMPLE.read_bytes(), EXAMPLE.name))
    assert outcome.ok and outcome.created == 4
    assert not Activity.objects.exists()


def test_import_page_for_coordinator_and_403_for_director(client, mont, cast):
    url = f"/registre/{mont.pole.code}/importer/"
    client.force_login(cast["dora"])
    upload = SimpleUploadedFile(EXAMPLE.name, EXAMPLE.read_bytes())
    assert client.post(url, {"file": upload}).status_code == 403
    client.force_login(cast["alice"])
    bad = SimpleUploadedFile("r.csv", (HEADER + "X;Inconnu;;2024-09-10;;;;;\n").encode())
    response = client.post(url, {"file": bad})
    assert response.status_code == 200
    assert "Ligne 2 : le type « Inconnu » est inconnu." in response.content.decode()
    upload = SimpleUploadedFile(EXAMPLE.name, EXAMPLE.read_bytes())
    response = client.post(url, {"file": upload})
    assert response.status_code == 302
    assert Activity.objects.count() == 4
