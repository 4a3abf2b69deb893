"""The reddition workbook can be filed as is (issue 14, item 3): the files are opened with
openpyxl and checked cell by cell."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from indicators.models import Target
from reporting.exports import sheet_name
from tests.conftest import make_indicator, make_plan, make_result

YEAR = 2024


@pytest.fixture
def filed(cast):
    plan = make_plan("laurentides", title="Plan des Laurentides")
    plan.pole.name = "Pôle régional en enseignement supérieur des Laurentides & environs"
    plan.pole.save()
    count = make_indicator(plan, "Nb de participants", targets={YEAR: "2 000", YEAR + 1: "+10%"})
    make_result(count, YEAR, 2400)
    share = make_indicator(plan, "Nb moyen d'ateliers", targets={YEAR: "2"},
                           action_code="1.1.2")
    make_result(share, YEAR, "2.5")
    rate = make_indicator(plan, "Taux de satisfaction", targets={YEAR: "80 % et plus"},
                          unit="percent", action_code="1.1.3")
    make_result(rate, YEAR, "72.5")
    time = make_indicator(plan, "Temps d'engagement", targets={YEAR: "30 min"},
                          unit="duration", action_code="1.1.4")
    make_result(time, YEAR, 45)
    money = make_indicator(plan, "Financement obtenu", targets={YEAR: "200 M$"},
                           unit="money", action_code="1.1.5")
    make_result(money, YEAR, 200000000)
    tbd = make_indicator(plan, "Nb de partenaires", targets={YEAR: "À déterminer"},
                         action_code="1.1.6")
    Target.objects.filter(indicator=tbd).update(note="Cible fixée après le portrait 2024.")
    na = make_indicator(plan, "Nb de stages", targets={YEAR: "3"}, action_code="1.1.7")
    make_result(na, YEAR, not_applicable=True, comment="Aucun stage offert cette année")
    relative = make_indicator(plan, "Nb de visites", targets={YEAR: "+10%"}, action_code="1.1.8")
    make_result(relative, YEAR, 120)
    return plan


def book_of(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(response.content))


def results_by_indicator(sheet, header_row=1):
    header = [c.value for c in sheet[header_row]]
    return header, {row[header.index("Indicateur")].value: dict(zip(header, row, strict=False))
                    for row in sheet.iter_rows(min_row=header_row + 1)}


def pole_book(client, plan):
    return book_of(client, reverse("reporting:pole_export", args=[plan.pk]) + f"?annee={YEAR}")


def test_numbers_are_formatted_per_unit_with_decimals_only_where_the_value_has_them(
        client, cast, filed):
    client.force_login(cast["sam"])
    _header, rows = results_by_indicator(pole_book(client, filed)["Résultats"])
    result = "Résultat 2024-2025"
    assert rows["Nb de participants"][result].value == 2400
    assert rows["Nb de participants"][result].number_format == "#,##0"
    assert rows["Nb moyen d'ateliers"][result].number_format == "#,##0.0#"
    assert rows["Taux de satisfaction"][result].value == pytest.approx(0.725)
    assert rows["Taux de satisfaction"][result].number_format == "0.0# %"
    gap = rows["Taux de satisfaction"]["Écart"]  # a percent indicator's gap is in points
    assert gap.value == pytest.approx(-7.5) and gap.number_format == '#,##0.0# "pts"'
    assert rows["Temps d'engagement"][result].number_format == '#,##0 "min"'
    money = rows["Financement obtenu"][result]
    assert money.value == 200000000 and money.number_format == "#,##0 $"


def test_target_text_is_exactly_what_the_plan_wrote(client, cast, filed):
    client.force_login(cast["sam"])
    book = pole_book(client, filed)
    _header, rows = results_by_indicator(book["Résultats"])
    target = rows["Nb de visites"]["Cible"]
    assert target.value == "+10%" and target.data_type == "s" and target.quotePrefix
    following = rows["Nb de participants"]["Cible de l'année suivante"]
    assert following.value == "+10%" and following.quotePrefix
    # issue 23: no reference written, none shown (the previous year's result is the default)
    assert rows["Nb de visites"]["Cible lue comme"].value == "hausse de 10\u00a0%"
    multi = [c for row in book["Pluriannuel"].iter_rows() for c in row if c.value == "+10%"]
    assert multi and all(c.quotePrefix for c in multi)


def test_non_evaluable_and_not_applicable_rows_say_why_and_the_reading_note_is_exported(
        client, cast, filed):
    client.force_login(cast["sam"])
    _header, rows = results_by_indicator(pole_book(client, filed)["Résultats"])
    assert rows["Nb de partenaires"]["Atteinte de la cible"].value == "Non évaluable"
    assert rows["Nb de partenaires"]["Motif"].value == "Cible à déterminer."
    assert rows["Nb de partenaires"]["Note de lecture de la cible"].value == (
        "Cible fixée après le portrait 2024.")
    assert rows["Nb de stages"]["Motif"].value == "Résultat déclaré non applicable."
    assert rows["Nb de participants"]["Motif"].value is None  # judged: nothing to explain


def test_results_columns_follow_the_ministry_report_order(client, cast, filed):
    client.force_login(cast["sam"])
    header, _rows = results_by_indicator(pole_book(client, filed)["Résultats"])
    order = [header.index(title) for title in (
        "Indicateur", "Cible", "Résultat 2024-2025", "Atteinte de la cible",
        "Degré d'atteinte")]
    assert order == sorted(order)


def test_dates_are_date_cells_with_an_iso_format(client, cast, filed):
    client.force_login(cast["sam"])
    book = pole_book(client, filed)
    summary = {row[0].value: row[1] for row in book["Sommaire"].iter_rows() if row[0].value}
    assert summary["Début de l'exercice"].value == datetime.datetime(2024, 4, 1)
    assert summary["Début de l'exercice"].number_format == "yyyy-mm-dd"
    assert summary["Fin de l'exercice"].value == datetime.datetime(2025, 3, 31)
    assert isinstance(summary["Produit le"].value, datetime.datetime)
    assert summary["Produit le"].number_format == "yyyy-mm-dd hh:mm"
    journal = list(book["Journal"].iter_rows(min_row=2))
    assert journal and all(isinstance(row[0].value, datetime.datetime) for row in journal)
    _header, rows = results_by_indicator(book["Résultats"])
    updated = rows["Nb de participants"]["Dernière mise à jour"]
    assert isinstance(updated.value, datetime.datetime)


def test_every_sheet_prints_a_header_and_footer_naming_the_pole_year_and_date(
        client, cast, filed):
    client.force_login(cast["sam"])
    book = pole_book(client, filed)
    for sheet in book.worksheets:
        assert sheet.oddHeader.center.text == (
            "Reddition de compte 2024-2025 — Pôle régional en enseignement supérieur des "
            "Laurentides && environs")
        assert sheet.oddFooter.left.text.startswith("Produit le 20")
        assert sheet.oddFooter.right.text == "Page &P / &N"


def test_every_table_sheet_keeps_its_header_frozen_national_pole_sheets_included(
        client, cast, seed, filed):
    client.force_login(cast["mina"])
    book = pole_book(client, filed)
    assert book["Résultats"].freeze_panes == "E2"
    assert book["Pluriannuel"].freeze_panes == "D2"
    assert book["Journal"].freeze_panes == "A2"
    national = book_of(client, reverse("reporting:national_export") + f"?annee={YEAR}")
    assert national.sheetnames[:2] == ["Sommaire", "Consolidé"]
    # Pôle sheets are named as people call the pôle: its region, else its name.
    assert sorted(national.sheetnames[2:-1]) == ["Capitale-Nationale", "Montérégie",
                                                 "Pôle régional en enseignement"]  # cut at a word
    assert national["Consolidé"].freeze_panes == "H2"
    assert national.sheetnames[-1] == "Actions" and national["Actions"].freeze_panes == "D2"
    assert book["Actions"].freeze_panes == "C2"
    for name in national.sheetnames[2:-1]:
        sheet = national[name]
        assert sheet.freeze_panes == "E4", name  # two preamble lines, then the header
        assert sheet.cell(3, 4).value == "Indicateur"
        assert sheet.oddHeader.center.text == "Reddition de compte nationale 2024-2025"


@pytest.mark.parametrize("text, used, expected", [
    ("monteregie", set(), "monteregie"),
    ("monteregie", {"monteregie"}, "monteregie (2)"),
    ("Monteregie", {"monteregie", "monteregie (2)"}, "Monteregie (3)"),
    ("capitale-nationale-pole-quebec-et-chaudiere", set(), "capitale-nationale-pole-quebec"),
    ("Capitale-Nationale (Pôle Québec)", set(), "Capitale-Nationale (Pôle"),
    ("a/b:c", set(), "abc"),
])
def test_sheet_names_fit_are_never_cut_mid_word_and_are_numbered(text, used, expected):
    name = sheet_name(text, used)
    assert name == expected and len(name) <= 31
