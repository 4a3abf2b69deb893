"""The reddition de compte files: opened with openpyxl and checked against the database."""

import datetime
import io
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from indicators.models import Indicator, Result
from indicators.services import year_transition
from tests.conftest import (
    find_indicator,
    make_indicator,
    make_plan,
    make_result,
    shown_widths,
)

YEAR = 2024
GOLDEN = Path(__file__).parent / "golden"


@pytest.fixture
def entered(seed, cast):
    plan = seed["monteregie"]
    met = find_indicator(plan, "1.1.1", "Nb de projets")  # target 1
    missed = find_indicator(plan, "1.1.4", "Nb de rencontres")  # target 20
    rate = find_indicator(plan, "1.2.3", "Taux d'ouverture")  # target 65%
    make_result(met, YEAR, 2, evidence_url="https://exemple.org/preuve", comment="Deux projets",
                updated_by=cast["alice"])
    make_result(missed, YEAR, 12, comment="=HYPERLINK(\"http://mal.example\")")
    make_result(rate, YEAR, "58.5")
    year_transition(plan=plan, year=YEAR, action="submit", user=cast["alice"])
    year_transition(plan=plan, year=YEAR, action="approve", user=cast["dora"])
    return met, missed, rate


def download(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response


def pole_book(client, plan):
    url = reverse("reporting:pole_export", args=[plan.pk]) + f"?annee={YEAR}"
    return openpyxl.load_workbook(io.BytesIO(download(client, url).content))


def rows_by_indicator(sheet):
    header = [c.value for c in sheet[1]]
    rows = {}
    for row in sheet.iter_rows(min_row=2):
        cells = dict(zip(header, row, strict=False))
        if not cells["Membre"].value:
            rows[(cells["Action"].value.split()[0], cells["Indicateur"].value)] = cells
    return header, rows


def test_pole_workbook_has_the_four_sheets_and_the_report_sentence(client, cast, seed, entered):
    client.force_login(cast["dora"])
    book = pole_book(client, seed["monteregie"])
    assert book.sheetnames == ["Sommaire", "Résultats", "Actions", "Pluriannuel", "Journal",
                              "Activités"]
    summary = [[c.value for c in row] for row in book["Sommaire"].iter_rows()]
    flat = [v for row in summary for v in row if v is not None]
    assert "1 des 3 cibles annuelles mesurées (33\u00a0%) ont été atteintes." in flat
    assert "approuvée" in flat and "dora" in flat
    assert book.properties.title.startswith("Reddition de compte 2024-2025")


def test_results_sheet_values_types_and_formats_match_the_database(client, cast, seed, entered):
    met, missed, rate = entered
    client.force_login(cast["mina"])
    sheet = pole_book(client, seed["monteregie"])["Résultats"]
    header, rows = rows_by_indicator(sheet)
    assert header[:4] == ["Orientation", "Objectif", "Action", "Indicateur"]
    assert "Résultat 2023-2024" in header and "Degré d'atteinte" in header
    assert len(rows) == 79
    row = rows[("1.1.1", "Nb de projets")]
    assert row["Cible"].value == "1"
    assert row["Cible retenue"].value == Decimal(1) or row["Cible retenue"].value == 1
    assert row["Résultat 2024-2025"].value == 2
    assert row["Résultat 2024-2025"].number_format == "#,##0"  # whole: no trailing comma
    assert row["% d'atteinte"].value == 2 and row["% d'atteinte"].number_format == "0 %"
    assert row["Degré d'atteinte"].value == "Cible atteinte"
    assert row["Degré d'atteinte"].fill.fgColor.rgb.endswith("C8E6C9")
    assert row["Cible de l'année suivante"].value == "1"
    assert row["Pièces justificatives"].value == "https://exemple.org/preuve"
    assert isinstance(row["Dernière mise à jour"].value, datetime.datetime)
    assert row["Dernière mise à jour"].number_format == "yyyy-mm-dd hh:mm"
    assert row["Mise à jour par"].value == "alice"
    missed_row = rows[("1.1.4", "Nb de rencontres")]
    assert missed_row["Écart"].value == -8
    assert missed_row["Degré d'atteinte"].value == "À surveiller"  # 60 % of the target
    rate_row = rows[("1.2.3", "Taux d'ouverture et % d'augmentation du taux d'ouverture")]
    assert rate_row["Résultat 2024-2025"].value == pytest.approx(0.585)
    assert rate_row["Résultat 2024-2025"].number_format == "0.0# %"
    assert rate_row["Degré d'atteinte"].value == "Progresse bien"  # 90 % of 65 %
    assert sheet.freeze_panes == "E2"
    assert sheet.auto_filter.ref.startswith("A1:W")
    assert sheet.page_setup.orientation == "landscape"
    assert sheet["A1"].font.b


def test_formula_text_is_neutralised_in_every_export(client, cast, seed, entered):
    client.force_login(cast["mina"])
    _header, rows = rows_by_indicator(pole_book(client, seed["monteregie"])["Résultats"])
    comment = rows[("1.1.4", "Nb de rencontres")]["Commentaire"]
    assert comment.value == "=HYPERLINK(\"http://mal.example\")"  # the text as written
    assert comment.data_type == "s" and comment.quotePrefix  # a string Excel will not run
    csv = download(client, reverse("reporting:pole_export", args=[seed["monteregie"].pk])
                   + f"?annee={YEAR}&format=csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK" in csv and ";=HYPERLINK" not in csv
    national = openpyxl.load_workbook(io.BytesIO(download(
        client, reverse("reporting:national_export") + f"?annee={YEAR}").content))
    cells = [c for row in national["Consolidé"].iter_rows() for c in row
             if c.value == "=HYPERLINK(\"http://mal.example\")"]
    assert cells and all(c.data_type == "s" and c.quotePrefix for c in cells)


def test_multiyear_and_journal_sheets(client, cast, seed, entered):
    client.force_login(cast["dora"])
    book = pole_book(client, seed["monteregie"])
    multi = book["Pluriannuel"]
    assert [c.value for c in multi[1]][3:6] == ["Cible 2024-2025", "Résultat 2024-2025",
                                               "Statut 2024-2025"]
    assert multi.max_row == 80
    journal = [[c.value for c in row] for row in book["Journal"].iter_rows(min_row=2)]
    assert any(row[2] == "Nb de rencontres" and row[6] == "12" for row in journal)


def test_csv_matches_the_golden_file(client, cast, db):
    plan = make_plan("golden")
    count = make_indicator(plan, "Nb de projets", targets={YEAR: "Min 2", YEAR + 1: "3"})
    rate = make_indicator(plan, "Taux de satisfaction", targets={YEAR: "80 % et plus"},
                          unit="percent", action_code="1.1.2")
    sector = make_indicator(plan, "Organisations", targets={None: "40 % par secteur"},
                            unit="percent", members=["TI", "Santé"], breakdown_label="Secteur",
                            target_scope="each", action_code="1.1.3")
    make_result(count, YEAR, 3, comment="Trois; dont un \"pilote\"")
    make_result(rate, YEAR, "72.5", comment="-1 point")
    ti, sante = sector.members.all()
    make_result(sector, YEAR, None, comment="Par secteur")
    make_result(sector, YEAR, 45, member=ti)
    make_result(sector, YEAR, 30, member=sante)
    Result.objects.update(updated_at=timezone.make_aware(datetime.datetime(2025, 6, 30, 14, 5)))
    client.force_login(cast["sam"])
    content = download(client, reverse("reporting:pole_export", args=[plan.pk])
                       + f"?annee={YEAR}&format=csv").content
    assert content.startswith(b"\xef\xbb\xbf")
    golden = GOLDEN / "resultats.csv"  # reviewed by hand; regenerate only on purpose
    assert content.decode("utf-8") == golden.read_bytes().decode("utf-8")


def test_national_workbook_marks_poles_without_an_approved_year(client, cast, seed, entered):
    client.force_login(cast["mina"])
    book = openpyxl.load_workbook(io.BytesIO(download(
        client, reverse("reporting:national_export") + f"?annee={YEAR}").content))
    assert book.sheetnames[:2] == ["Sommaire", "Consolidé"]
    assert len(book.sheetnames) == 5  # and the two pôles, then Actions
    assert book.sheetnames[-1] == "Actions"
    summary = {row[0].value: row[1].value for row in book["Sommaire"].iter_rows(min_row=5)}
    assert summary["Pôle d'enseignement supérieur de la Montérégie"] == "approuvée"
    assert summary[seed["quebec"].pole.name] == "NON APPROUVÉE (brouillon)"
    # Each pôle's sheet is named after the pôle, as people read it (at most 31 characters).
    assert book.sheetnames[2:4] == ["Montérégie", "Capitale-Nationale"]
    assert "monteregie" not in book.sheetnames
    # The summary counts the five statuses the national page shows, per pôle.
    rows = list(book["Sommaire"].iter_rows(min_row=4, values_only=True))
    header, lines = rows[0], {row[0]: row for row in rows[1:] if row[0]}
    statuses = ["Atteinte", "Non atteinte", "En cours", "Sans résultat", "Non évaluable"]
    assert list(header[-5:]) == statuses
    for plan in (seed["monteregie"], seed["quebec"]):
        counts = lines[plan.pole.name][-5:]
        assert sum(counts) == Indicator.objects.for_plan(plan).count()
    consolidated = book["Consolidé"]
    header = [c.value for c in consolidated[1]]
    assert header[:3] == ["Thème MES (regroupement)", "État de la reddition", "Pôle"]
    member = header.index("Membre")
    rows = [[c.value for c in row] for row in consolidated.iter_rows(min_row=2)]
    themes = [row[0] for row in rows]
    assert themes == sorted(themes, key=lambda t: (t.startswith("Non"), t))  # grouped by theme
    totals = [row for row in rows if not row[member]]
    # every Montérégie action ships attached to a theme (some to several: one row per theme)
    assert [row[0] for row in totals].count("Non rattaché à un thème") == 0
    montérégie = {row[0] for row in totals if row[2] == seed["monteregie"].pole.name}
    assert montérégie == {"O1 Accessibilité", "O2 Fluidité des parcours",
                          "O3 Adéquation formation-emploi", "O4 Promotion et recrutement"}
    assert [row[0] for row in totals].count("O2 Fluidité des parcours") == 9 + 25


def test_exports_only_contain_what_the_user_may_read(client, cast, seed, entered):
    client.force_login(cast["diane"])
    assert client.get(reverse("reporting:pole_export", args=[seed["monteregie"].pk])
                      ).status_code == 404
    book = openpyxl.load_workbook(io.BytesIO(download(
        client, reverse("reporting:national_export") + f"?annee={YEAR}").content))
    poles = {row[2].value for row in book["Consolidé"].iter_rows(min_row=2)}
    assert poles == {seed["quebec"].pole.name}


def test_exports_run_a_bounded_number_of_queries(client, cast, seed, entered,
                                                 django_assert_num_queries):
    client.force_login(cast["mina"])
    # (The plan's rows once for every plan year: six queries however many years; +2: the
    # Activités sheet reads the year's activities and the plan's register rules; +1: the
    # Actions sheet reads the actions with their progress; +1: the Journal reads the actions'
    # progress history.)
    with django_assert_num_queries(19):
        response = client.get(reverse("reporting:pole_export", args=[seed["monteregie"].pk])
                              + f"?annee={YEAR}")
        assert response.status_code == 200
    # (+1: the year's stored evaluations, instead of evaluating every indicator; +6: the
    # consolidated sheet streams its own read, theme by theme, so that memory holds one pôle;
    # +1: the Actions sheet reads every pôle's actions with their progress; +1: the filed
    # version of each pôle's year, said in the summary.)
    with django_assert_num_queries(19):
        response = client.get(reverse("reporting:national_export") + f"?annee={YEAR}")
        assert response.status_code == 200


def test_libreoffice_opens_the_workbook_cleanly(client, cast, seed, entered, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is installed by scripts/test (Debian libreoffice-calc-nogui)"
    client.force_login(cast["mina"])
    source = tmp_path / "reddition.xlsx"
    source.write_bytes(download(client, reverse("reporting:pole_export", args=[
        seed["monteregie"].pk]) + f"?annee={YEAR}").content)
    completed = subprocess.run(
        [soffice, "--headless", "--norestore", f"-env:UserInstallation=file://{tmp_path}/lo",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        capture_output=True, text=True, timeout=180, check=False)
    assert completed.returncode == 0, completed.stderr
    pdf = tmp_path / "reddition.pdf"
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF")


def test_each_results_column_keeps_its_header_width_and_number_format(client, cast, seed,
                                                                      entered):
    from reporting.exports import RESULT_COLUMNS

    met, _missed, rate = entered
    client.force_login(cast["dora"])
    sheet = pole_book(client, seed["monteregie"])["Résultats"]
    titles = [c.value for c in sheet[1]]
    assert titles[:4] == ["Orientation", "Objectif", "Action", "Indicateur"]
    assert titles[4:11] == ["Membre", "Cible", "Cible lue comme", "Résultat 2023-2024",
                            "Résultat 2024-2025", "Atteinte de la cible", "Degré d'atteinte"]
    widths = shown_widths(sheet)
    assert [widths[i] for i in range(1, len(RESULT_COLUMNS) + 1)] == [
        column.width for column in RESULT_COLUMNS]
    rows = {(row[2].value.split()[0], row[3].value): row for row in sheet.iter_rows(min_row=2)
            if not row[4].value}  # totals, not breakdown members
    rate_row = rows[(rate.action.code, rate.label)]
    result = rate_row[titles.index("Résultat 2024-2025")]
    assert result.value == pytest.approx(0.585) and result.number_format == "0.0# %"
    assert rate_row[titles.index("% d'atteinte")].number_format == "0 %"
    met_row = rows[(met.action.code, met.label)]
    assert met_row[titles.index("Atteinte de la cible")].value == "Atteinte"


def test_exporters_name_their_files(client, cast, seed, entered):
    client.force_login(cast["mina"])
    plan = seed["monteregie"]
    xlsx = download(client, reverse("reporting:pole_export", args=[plan.pk]) + f"?annee={YEAR}")
    assert xlsx["Content-Disposition"] == (
        'attachment; filename="reddition-monteregie-2024-2025.xlsx"')
    csv = download(client, reverse("reporting:pole_export", args=[plan.pk])
                   + f"?annee={YEAR}&format=csv")
    assert csv["Content-Type"] == "text/csv; charset=utf-8"
    assert csv["Content-Disposition"].endswith('-2024-2025-resultats.csv"')
    national = download(client, reverse("reporting:national_export") + f"?annee={YEAR}")
    assert national["Content-Disposition"] == (
        'attachment; filename="reddition-nationale-2024-2025.xlsx"')


def test_mise_a_jour_par_names_the_register_or_the_demo_when_no_person_saved():
    from types import SimpleNamespace

    from reporting.exports import _updated_by

    def row(**fields):
        base = {"updated_at": timezone.now(), "updated_by_name": "", "computed_value": None,
                "override_reason": "", "is_demo": False}
        return SimpleNamespace(**{**base, **fields})

    assert _updated_by([row(updated_by_name="Alice Roy", is_demo=True)]) == "Alice Roy"
    assert _updated_by([row(computed_value=Decimal(3))]) == "calculé (registre)"
    assert _updated_by([row(is_demo=True)]) == "démonstration"
    assert _updated_by([row(computed_value=Decimal(3), override_reason="Hors registre")]) == ""
    assert _updated_by([]) == ""
