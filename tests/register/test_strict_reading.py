"""One reading of numbers and text for the register: the import's counts go through the
entry page's strict reader, control characters are refused, an unreadable file answers a
French message, the override reads its value strictly, a refused save leaves no file."""

import datetime
import html
import io
import zipfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from indicators.models import Result, YearReport
from indicators.plan_import import load_dataset
from register.activity_import import activities_import
from register.models import Activity, IndicatorRule
from tests.conftest import find_indicator
from tests.register.conftest import make_activity, make_rule
from tests.register.test_views import form_data, list_url

HEADER = "Titre;Type;Début;Étudiants;Description\n"


def dataset(text: str):
    return load_dataset(text.encode("utf-8"), "registre.csv")


@pytest.mark.parametrize(("cell", "says"), [
    ("1e3", "la notation scientifique n'est pas acceptée"),
    ("1_000", "le trait de soulignement"),
    ("١٢", "seuls les chiffres 0 à 9"),
    ("12,5", "n'est pas un nombre entier positif"),
    ("-2", "n'est pas un nombre entier positif"),
    ("10 00", "groupes de trois"),
    ("douze", "n'est pas un nombre"),
    ("99999999999", "est trop grand"),
])
def test_a_count_the_strict_reader_refuses_names_line_column_and_value(seed, cast, cell, says):
    text = HEADER + f"Atelier;Publication;2024-09-10;{cell};\n"
    outcome = activities_import(pole=seed["monteregie"].pole, user=cast["alice"],
                                dataset=dataset(text))
    assert len(outcome.errors) == 1
    error = outcome.errors[0]
    assert error.startswith("Ligne 2, colonne Étudiants : ")
    assert f"« {cell} »" in error and says in error
    assert not Activity.objects.exists()


@pytest.mark.parametrize("cell", ["1 200", "1\u00a0200", "1200", " 7 "])
def test_counts_written_the_quebec_way_are_read(seed, cast, cell):
    text = HEADER + f"Atelier;Publication;2024-09-10;{cell};\n"
    outcome = activities_import(pole=seed["monteregie"].pole, user=cast["alice"],
                                dataset=dataset(text))
    assert outcome.ok, outcome.errors
    assert Activity.objects.get().participants_students == int(cell.replace(" ", "")
                                                               .replace("\u00a0", ""))


@pytest.mark.parametrize("bad", ["\x00", "\x07", "\x1b"])
def test_a_text_cell_with_a_control_character_is_refused_with_its_line(seed, cast, bad):
    text = HEADER + f"Atelier;Publication;2024-09-10;1;Compte{bad}rendu\n"
    outcome = activities_import(pole=seed["monteregie"].pole, user=cast["alice"],
                                dataset=dataset(text))
    assert outcome.errors == ["Ligne 2, colonne Description : le texte contient un caractère "
                              "de contrôle invisible qui ne peut pas être enregistré ; "
                              "retirez-le."]
    assert not Activity.objects.exists()


def test_line_breaks_and_tabs_in_text_are_kept(seed, cast):
    text = HEADER + 'Atelier;Publication;2024-09-10;1;"Deux\nlignes\tet un taquet"\n'
    outcome = activities_import(pole=seed["monteregie"].pole, user=cast["alice"],
                                dataset=dataset(text))
    assert outcome.ok, outcome.errors
    assert Activity.objects.get().description == "Deux\nlignes\tet un taquet"


def test_numeric_xlsx_cells_are_read_and_a_fraction_is_refused(seed, cast):
    book = Workbook()
    sheet = book.active
    sheet.append(["Titre", "Type", "Début", "Étudiants", "Visiteurs"])
    sheet.append(["Atelier", "Publication", "2024-09-10", 12, 2.5])
    content = io.BytesIO()
    book.save(content)
    outcome = activities_import(pole=seed["monteregie"].pole, user=cast["alice"],
                                dataset=load_dataset(content.getvalue(), "r.xlsx"))
    assert outcome.errors == ["Ligne 2, colonne Visiteurs : « 2,5 » n'est pas un nombre "
                              "entier positif."]


def _corrupt_zip() -> bytes:
    content = io.BytesIO()
    with zipfile.ZipFile(content, "w") as archive:
        archive.writestr("bonjour.txt", "pas un classeur")
    return content.getvalue()


UNREADABLE = "« registre.xlsx » n'est pas lisible : ce n'est pas un classeur Excel"


@pytest.mark.parametrize(("name", "content", "says"), [
    ("registre.xlsx", b"ceci n'est pas un zip", UNREADABLE),
    ("registre.xlsx", _corrupt_zip(), UNREADABLE),
    ("registre.xlsx", b"PK\x03\x04tronque", UNREADABLE),
    ("registre.csv", b"Titre;Type\n\x81\x8d\x8f;\x90\n", "« registre.csv » n'est pas lisible"),
    ("registre.csv", b" \n\n", "Le fichier est vide."),
])
def test_an_unreadable_file_answers_a_french_message_not_a_500(client, seed, cast, name,
                                                               content, says):
    client.force_login(cast["alice"])
    response = client.post(f"/registre/{seed['monteregie'].pole.code}/importer/",
                           {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 200
    assert says in html.unescape(response.content.decode())
    assert not Activity.objects.exists()


# --- the override form -----------------------------------------------------------------------


@pytest.fixture
def computed(seed):
    plan = seed["monteregie"]
    projects = find_indicator(plan, "1.1.1", "Nb de projets")
    make_rule(projects, IndicatorRule.Kind.ACTIVITIES, ["projet-concertation"])
    return projects


@pytest.mark.parametrize(("typed", "says"), [
    ("1e3", "la notation scientifique"), ("1_000", "trait de soulignement"),
    ("١٢", "seuls les chiffres 0 à 9"), ("-3", "ne peut pas être négative"),
    ("3,125", "deux décimales au plus"), ("beaucoup", "« beaucoup » n'est pas un nombre."),
])
def test_the_override_value_goes_through_the_strict_reader(client, cast, computed, typed, says):
    client.force_login(cast["alice"])
    response = client.post(f"/registre/indicateurs/{computed.pk}/2024/",
                           {"value": typed, "reason": "Projets hors registre"})
    assert response.status_code == 200
    assert says in html.unescape(response.content.decode())
    assert not Result.objects.filter(indicator=computed, override_reason__gt="").exists()


def test_the_override_reads_a_quebec_number(client, cast, computed):
    client.force_login(cast["alice"])
    response = client.post(f"/registre/indicateurs/{computed.pk}/2024/",
                           {"value": "1 200,5", "reason": "Projets hors registre"})
    assert response.status_code == 302
    assert Result.objects.get(indicator=computed, year=2024, member=None).value == \
        Decimal("1200.5")


def test_the_override_reason_refuses_control_characters(client, cast, computed):
    client.force_login(cast["alice"])
    response = client.post(f"/registre/indicateurs/{computed.pk}/2024/",
                           {"value": "3", "reason": "Motif\x00caché"})
    assert response.status_code == 200
    assert "caractère de contrôle" in response.content.decode()


# --- a refused save leaves no file ----------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def stored_files(root) -> list:
    return [path for path in root.rglob("*") if path.is_file()]


def evidence():
    return SimpleUploadedFile("compte-rendu.pdf", b"%PDF-1.4 preuve",
                              content_type="application/pdf")


def test_a_save_refused_by_a_locked_year_leaves_no_evidence_file(client, cast, mont, media):
    activity = make_activity(mont["pole"], actions=[mont["action"]],
                             start=datetime.date(2025, 5, 1))
    YearReport.objects.create(plan=mont["plan"], year=2024, state=YearReport.State.APPROVED)
    client.force_login(cast["alice"])
    response = client.post(f"{list_url(mont['pole'])}{activity.pk}/",
                           form_data(mont, start_date="2024-05-01", seen_version="1",
                                     evidence_file=evidence()))
    assert response.status_code == 200
    assert "ne peut plus être modifiée" in response.content.decode()
    assert stored_files(media) == []


def test_a_new_activity_in_a_locked_year_leaves_no_evidence_file(client, cast, mont, media):
    YearReport.objects.create(plan=mont["plan"], year=2024, state=YearReport.State.APPROVED)
    client.force_login(cast["alice"])
    response = client.post(list_url(mont["pole"]) + "ajouter/",
                           form_data(mont, evidence_file=evidence()))
    assert response.status_code == 200
    assert not Activity.objects.exists()
    assert stored_files(media) == []


def test_a_conflicting_save_leaves_no_evidence_file(client, cast, mont, media):
    activity = make_activity(mont["pole"], actions=[mont["action"]], version=2)
    client.force_login(cast["alice"])
    response = client.post(f"{list_url(mont['pole'])}{activity.pk}/",
                           form_data(mont, seen_version="1", evidence_file=evidence()))
    assert response.status_code == 200
    assert stored_files(media) == []


def test_an_invalid_save_leaves_no_evidence_file(client, cast, mont, media):
    client.force_login(cast["alice"])
    response = client.post(list_url(mont["pole"]) + "ajouter/",
                           form_data(mont, end_date="2024-01-01", evidence_file=evidence()))
    assert response.status_code == 200
    assert stored_files(media) == []


def test_an_accepted_save_keeps_its_evidence_file(client, cast, mont, media):
    client.force_login(cast["alice"])
    response = client.post(list_url(mont["pole"]) + "ajouter/",
                           form_data(mont, evidence_file=evidence()))
    assert response.status_code == 302
    assert len(stored_files(media)) == 1
