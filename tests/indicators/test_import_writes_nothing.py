"""A refused or dry-run plan import leaves every table exactly as it was; a title change on
re-import is applied and said."""

import io
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.urls import reverse

from indicators.models import Plan, Pole
from tests.conftest import make_plan

HEADER = "Orientation,Objectif,Action,Indicateur,Unité,24-25,25-26,26-27\n"
GOOD = HEADER + "1 A,1.1 B,1.1.1 C,Nb de projets,,1,Min 2,2\n"
BAD = HEADER + ("1 A,1.1 B,1.1.1 C,Nb de projets,,1,Min 2,2\n"
                "1 A,1.1 B,1.1.2 D,Budget,nombre,200 M$,beaucoup,3\n")


def row_counts() -> dict[str, int]:
    """Rows in every table the project knows, history tables included."""
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "plan.csv"
    path.write_text(text, encoding="utf-8")
    return path


NEW_POLE = ["--pole", "laurentides", "--pole-name", "Pôle des Laurentides",
            "--years", "2024-2027", "--title", "Plan 2024-2027"]


def test_a_refused_import_creates_no_pole_no_plan_nothing(db, tmp_path):
    before = row_counts()
    err = io.StringIO()
    with pytest.raises(CommandError, match="rien n'a été enregistré"):
        call_command("import_plan", str(write(tmp_path, BAD)), *NEW_POLE, stderr=err)
    assert row_counts() == before
    assert not Pole.objects.filter(code="laurentides").exists()


def test_every_refused_cell_is_listed_with_its_line_and_what_could_not_be_read(db, tmp_path):
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_plan", str(write(tmp_path, BAD)), *NEW_POLE, stderr=err)
    assert err.getvalue().splitlines() == [
        "Ligne 3 : la cible 2025-2026 « beaucoup » n'est pas lisible : ni un nombre, ni un "
        "pourcentage, ni un livrable reconnu ; écrivez par exemple « 2 », « au moins 6 », "
        "« 80 % et plus », « +10 % », « de 40 à 60 », « Livrable : guide publié », "
        "« À déterminer » ou « Sans objet »",
        "Ligne 3 : la cible 2024-2025 « 200 M$ » : la cible est un montant en dollars mais "
        "l'indicateur ne se mesure pas en dollars",
    ]


def test_a_dry_run_writes_nothing_even_for_a_new_pole(db, tmp_path):
    before = row_counts()
    out = io.StringIO()
    call_command("import_plan", str(write(tmp_path, GOOD)), *NEW_POLE, "--dry-run", stdout=out)
    assert "Vérification réussie, rien n'a été enregistré" in out.getvalue()
    assert "1 indicateur nouveau" in out.getvalue()
    assert row_counts() == before


def test_a_dry_run_shows_each_target_text_and_its_reading(db, tmp_path):
    out = io.StringIO()
    call_command("import_plan", str(write(tmp_path, GOOD)), *NEW_POLE, "--dry-run", stdout=out)
    shown = out.getvalue().replace("\u00a0", " ")
    assert "Ligne 2, 2024-2025 : « 1 » → 1" in shown
    assert "Ligne 2, 2025-2026 : « Min 2 » → au moins 2" in shown


def test_a_refused_reimport_keeps_the_title_and_every_row(db, tmp_path):
    call_command("import_plan", str(write(tmp_path, GOOD)), *NEW_POLE, stdout=io.StringIO())
    before = row_counts()
    with pytest.raises(CommandError):
        call_command("import_plan", str(write(tmp_path, BAD)), "--pole", "laurentides",
                     "--years", "2024-2027", "--title", "Autre titre", stderr=io.StringIO())
    assert row_counts() == before
    assert Plan.objects.get(pole__code="laurentides").title == "Plan 2024-2027"


def test_a_title_change_on_reimport_is_applied_and_said(db, tmp_path):
    call_command("import_plan", str(write(tmp_path, GOOD)), *NEW_POLE, stdout=io.StringIO())
    out = io.StringIO()
    call_command("import_plan", str(write(tmp_path, GOOD)), "--pole", "laurentides",
                 "--years", "2024-2027", "--title", "Plan révisé", stdout=out)
    assert "Titre du plan changé : « Plan 2024-2027 » → « Plan révisé »." in out.getvalue()
    assert Plan.objects.get(pole__code="laurentides").title == "Plan révisé"


def test_a_dry_run_title_change_is_announced_but_not_applied(db, tmp_path):
    call_command("import_plan", str(write(tmp_path, GOOD)), *NEW_POLE, stdout=io.StringIO())
    out = io.StringIO()
    call_command("import_plan", str(write(tmp_path, GOOD)), "--pole", "laurentides",
                 "--years", "2024-2027", "--title", "Plan révisé", "--dry-run", stdout=out)
    assert "À l'essai, non enregistré : Titre du plan changé" in out.getvalue()
    assert Plan.objects.get(pole__code="laurentides").title == "Plan 2024-2027"


def test_a_refused_admin_import_writes_nothing(cast, client):
    plan = make_plan()
    client.force_login(cast["sam"])
    before = row_counts()
    upload = io.BytesIO(BAD.encode())
    upload.name = "plan.csv"
    response = client.post(reverse("admin:indicators_indicator_import"),
                           {"plan": plan.pk, "import_file": upload, "format": "0",
                            "resource": "0"})
    assert response.status_code == 200
    assert "beaucoup" in response.content.decode()
    assert row_counts() == before

