"""Importing a pôle's plan: round trip of the shipped files, re-import, all-or-nothing."""

import csv
import io
from pathlib import Path

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from indicators.models import Action, Indicator, Target
from indicators.plan_import import (
    load_dataset,
    plan_import,
    plan_rows,
    rows_to_csv,
    split_code,
    year_from_header,
)
from indicators.seeding import SEED_DIR
from tests.conftest import make_plan

# Every write path leaves stored evaluations equal to a recomputation.
pytestmark = pytest.mark.usefixtures("evaluations_checked")

HEADER = "Orientation,Objectif,Action,Indicateur,Thème MES,Ventilation,24-25,25-26,26-27\n"


def csv_dataset(text: str):
    return load_dataset(text.encode("utf-8"), "plan.csv")


@pytest.mark.parametrize(("text", "expected"), [
    ("1.1.1 Soutien à des projets", ("1.1.1", "Soutien à des projets")),
    ("O1 Favoriser l'accessibilité", ("O1", "Favoriser l'accessibilité")),
    ("T Action transversale", ("T", "Action transversale")),
    ("Création d'un comité", ("", "Création d'un comité")),
    ("2.1. Identifier", ("2.1", "Identifier")),
])
def test_leading_codes_are_split_from_the_text(text, expected):
    assert split_code(text) == expected


@pytest.mark.parametrize(("header", "year"), [
    ("2024-2025", 2024), ("24-25", 2024), ("26-27", 2026), ("2024-2026", None), ("Cible", None)])
def test_year_headers(header, year):
    assert year_from_header(header) == year


@pytest.mark.parametrize("name", ["monteregie-2024-2027.csv", "pole-quebec-2024-2027.csv"])
def test_shipped_plan_files_round_trip(seed, name):
    plan = seed["monteregie" if name.startswith("monteregie") else "quebec"]
    shipped = list(csv.reader(io.StringIO((SEED_DIR / name).read_text(encoding="utf-8"))))
    assert plan_rows(plan) == shipped


def test_reimporting_the_same_file_updates_and_never_duplicates(seed):
    plan = seed["monteregie"]
    before = (Indicator.objects.count(), Target.objects.count(), Action.objects.count())
    path = SEED_DIR / "monteregie-2024-2027.csv"
    outcome = plan_import(plan=plan, dataset=load_dataset(path.read_bytes(), path.name))
    assert outcome.ok
    assert outcome.totals["new"] == 0 and outcome.totals["update"] == 79
    assert (Indicator.objects.count(), Target.objects.count(), Action.objects.count()) == before


def test_exported_plan_reimports_into_a_new_pole(seed):
    plan = make_plan("copie")
    data = rows_to_csv(plan_rows(seed["quebec"]))
    outcome = plan_import(plan=plan, dataset=load_dataset(data, "copie.csv"))
    assert outcome.ok, outcome.errors
    assert plan_rows(plan) == plan_rows(seed["quebec"])


def test_xlsx_with_short_year_headers_and_semicolon_csv_are_accepted(db):
    plan = make_plan()
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Orientation", "Objectif", "Action", "Indicateur", "Thème MES", "24-25",
                  "25-26", "26-27"])
    sheet.append(["1 Accès", "1.1 Ouvrir", "1.1.1 Portes ouvertes", "Nb de visiteurs", 1, 100,
                  "Min 120", "+10%"])
    buffer = io.BytesIO()
    book.save(buffer)
    outcome = plan_import(plan=plan, dataset=load_dataset(buffer.getvalue(), "plan.xlsx"))
    assert outcome.ok, outcome.errors
    indicator = Indicator.objects.get(action__objective__orientation__plan=plan)
    assert [t.text for t in indicator.targets.all()] == ["100", "Min 120", "+10%"]
    assert [t.number for t in indicator.action.themes.all()] == [1]

    other = make_plan("autre")
    semicolon = ("Orientation;Objectif;Action;Indicateur;Cible\n"
                 "1 Accès;1.1 Ouvrir;Portes ouvertes;Taux de satisfaction;80 % et plus\n")
    outcome = plan_import(plan=other, dataset=load_dataset(semicolon.encode(), "p.csv"))
    assert outcome.ok, outcome.errors
    created = Indicator.objects.get(action__objective__orientation__plan=other)
    assert created.unit == "percent"
    assert created.action.code == "1.1.1"  # generated: the file gave no code
    assert created.targets.get().year is None


def test_a_bad_row_aborts_the_whole_import_with_line_numbers(db):
    plan = make_plan()
    text = HEADER + (
        "1 Accès,1.1 Ouvrir,1.1.1 Portes ouvertes,Nb de visiteurs,1,,100,120,140\n"
        "1 Accès,1.1 Ouvrir,1.1.2 Salon,Nb de kiosques,7,,2,beaucoup,3\n"
        "1 Accès,1.1 Ouvrir,,Nb de partenaires,,,1,1,1\n"
    )
    outcome = plan_import(plan=plan, dataset=csv_dataset(text))
    assert not outcome.ok
    assert outcome.errors == [
        "Ligne 3 : thème MES « 7 » inconnu (valeurs permises : 1 à 4)",
        "Ligne 3 : la cible 2025-2026 « beaucoup » n'est pas lisible : ni un nombre, ni un "
        "pourcentage, ni un livrable reconnu ; écrivez par exemple « 2 », « au moins 6 », "
        "« 80 % et plus », « +10 % », « de 40 à 60 », « Livrable : guide publié », "
        "« À déterminer » ou « Sans objet »",
        "Ligne 4 : la colonne « Action » est vide",
    ]
    assert not Indicator.objects.filter(action__objective__orientation__plan=plan).exists()
    assert not plan.orientations.exists()


def test_missing_columns_are_reported_before_any_row(db):
    outcome = plan_import(plan=make_plan(), dataset=csv_dataset("Action,Indicateur,Cible\n"
                                                                "1.1.1 X,Nb,2\n"))
    assert "colonne obligatoire « Orientation » absente" in outcome.errors
    assert "colonne obligatoire « Objectif » absente" in outcome.errors


def test_duplicate_indicator_rows_are_refused(db):
    text = HEADER + ("1 A,1.1 B,1.1.1 C,Nb,,,1,1,1\n" "1 A,1.1 B,1.1.1 C,Nb,,,2,2,2\n")
    outcome = plan_import(plan=make_plan(), dataset=csv_dataset(text))
    assert outcome.errors == ["Ligne 3 : indicateur « Nb » en double (déjà à la ligne 2)"]


def test_percent_target_on_a_count_indicator_is_refused(db):
    text = ("Orientation,Objectif,Action,Indicateur,Unité,Cible\n"
            "1 A,1.1 B,1.1.1 C,Nb de visites,nombre,60 %\n")
    outcome = plan_import(plan=make_plan(), dataset=csv_dataset(text))
    assert outcome.errors == [
        "Ligne 2 : la cible de la période « 60 % » : la cible est un pourcentage mais "
        "l'indicateur ne se mesure pas en %"]


def test_dry_run_writes_nothing(db):
    plan = make_plan()
    outcome = plan_import(plan=plan, dataset=csv_dataset(HEADER + "1 A,1.1 B,1.1.1 C,Nb,,,1,1,1\n"),
                          dry_run=True)
    assert outcome.ok and outcome.totals["new"] == 1
    assert not Indicator.objects.filter(action__objective__orientation__plan=plan).exists()


def test_import_plan_command_creates_the_plan_and_reports_errors(db, tmp_path: Path):
    good = tmp_path / "plan.csv"
    good.write_text(HEADER + "1 A,1.1 B,1.1.1 C,Nb de projets,,,1,Min 2,2\n", encoding="utf-8")
    out = io.StringIO()
    call_command("import_plan", str(good), "--pole", "laurentides", "--pole-name",
                 "Pôle des Laurentides", "--years", "2024-2027", "--title", "Plan 2024-2027",
                 stdout=out)
    assert "1 indicateur nouveau" in out.getvalue()
    assert Indicator.objects.filter(
        action__objective__orientation__plan__pole__code="laurentides").count() == 1

    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "1 A,1.1 B,1.1.1 C,Nb de projets,,,1,beaucoup,2\n", encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError, match="rien n'a été enregistré"):
        call_command("import_plan", str(bad), "--pole", "laurentides", "--years", "2024-2027",
                     stderr=err)
    assert "Ligne 2 : la cible 2025-2026 « beaucoup » n'est pas lisible" in err.getvalue()
    assert Target.objects.filter(text="Min 2").filter(
        indicator__action__objective__orientation__plan__pole__code="laurentides").exists()


def test_admin_import_previews_then_confirms(cast, client):
    plan = make_plan()
    client.force_login(cast["sam"])
    url = reverse("admin:indicators_indicator_import")
    upload = io.BytesIO((HEADER + "1 A,1.1 B,1.1.1 C,Nb de projets,,,1,2,3\n").encode())
    upload.name = "plan.csv"
    response = client.post(url, {"plan": plan.pk, "import_file": upload, "format": "0",
                                 "resource": "0"})
    assert response.status_code == 200
    confirm = response.context["confirm_form"]
    assert confirm is not None
    # the dry run shows each target as it will be read (issue 23)
    assert "Ligne 2, 2025-2026 : « 2 » → 2" in response.content.decode().replace("&#x27;", "'")
    assert not Indicator.objects.filter(action__objective__orientation__plan=plan).exists()
    response = client.post(reverse("admin:indicators_indicator_process_import"),
                           confirm.initial)
    assert response.status_code == 302
    assert Indicator.objects.filter(action__objective__orientation__plan=plan).count() == 1


def test_admin_import_lists_row_errors_and_offers_no_confirmation(cast, client):
    plan = make_plan()
    client.force_login(cast["sam"])
    upload = io.BytesIO((HEADER + "1 A,1.1 B,1.1.1 C,Nb de projets,,,1,beaucoup,3\n").encode())
    upload.name = "plan.csv"
    response = client.post(reverse("admin:indicators_indicator_import"),
                           {"plan": plan.pk, "import_file": upload, "format": "0",
                            "resource": "0"})
    assert response.status_code == 200
    assert "confirm_form" not in response.context or response.context["confirm_form"] is None
    assert "beaucoup" in response.content.decode()
