"""Entry by spreadsheet: download the year's sheet, fill it, upload it back (all or nothing)."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from indicators.entry import SHEET_COLUMNS
from indicators.models import Result
from tests.conftest import find_indicator, hidden_columns, make_result

# Every write path leaves stored evaluations equal to a recomputation.
pytestmark = pytest.mark.usefixtures("evaluations_checked")

YEAR = 2025
LABELS = [str(label) for _key, label in SHEET_COLUMNS]


def download(client, plan, year=YEAR):
    response = client.get(reverse("indicators:entry_sheet", args=[plan.pk, year]))
    assert response.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(response.content))


def upload(client, plan, book, year=YEAR):
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "saisie.xlsx"
    return client.post(reverse("indicators:entry_sheet_upload", args=[plan.pk, year]),
                       {"file": buffer})


def row_for(sheet, label, member=""):
    column = {name: i for i, name in enumerate(LABELS)}
    for row in sheet.iter_rows(min_row=2):
        if row[column["Indicateur"]].value == label and (row[column["Membre"]].value or "") \
                == member:
            return {name: row[i] for name, i in column.items()}
    raise AssertionError(label)


def test_sheet_has_one_row_per_indicator_and_member_with_targets(client, cast, seed):
    client.force_login(cast["quentin"])
    sheet = download(client, seed["quebec"]).active
    assert [c.value for c in sheet[1]] == LABELS
    # 19 indicators + TI and Santé for the sector breakdown
    assert sheet.max_row - 1 == 21
    row = row_for(sheet, "Taux de satisfaction des personnes participantes")
    assert row["Cible"].value == "80 % et plus"
    assert row["Cible comprise"].value == "au moins 80\u00a0%"
    assert row_for(sheet, "Nombre d'organisations ayant consulté les ressources diffusées", "TI")
    # The bookkeeping key and version are hidden; action and indicator stay in view.
    assert hidden_columns(sheet) == {1, 2}
    assert sheet.freeze_panes == "E2"
    # "oui"/"non" are offered in a list on every row of the two yes/no columns.
    yes_no = {LABELS.index(label) + 1 for label in ("Livrable (oui/non)",
                                                    "Non applicable (oui/non)")}
    for column in yes_no:
        letter = openpyxl.utils.get_column_letter(column)
        [rule] = [v for v in sheet.data_validations.dataValidation
                  if f"{letter}2:{letter}{sheet.max_row}" in str(v.sqref)]
        assert rule.type == "list" and rule.formula1 == '"oui,non"' and rule.allow_blank


def test_filled_sheet_is_saved_with_the_page_rules(client, cast, seed):
    plan = seed["quebec"]
    client.force_login(cast["quentin"])
    book = download(client, plan)
    sheet = book.active
    row_for(sheet, "Taux de satisfaction des personnes participantes")["Résultat"].value = 84.5
    sector = "Nombre d'organisations ayant consulté les ressources diffusées"
    row_for(sheet, sector, "TI")["Résultat"].value = 45
    row_for(sheet, sector, "Santé")["Résultat"].value = "38,5"
    response = upload(client, plan, book)
    assert response.status_code == 302
    rate = find_indicator(plan, "O1.1.1", "Taux de satisfaction")
    assert Result.objects.get(indicator=rate, year=YEAR).value == Decimal("84.5")
    assert Result.objects.filter(indicator__label=sector, year=YEAR).count() == 2


def test_sheet_with_one_bad_row_saves_nothing_and_lists_rows(client, cast, seed):
    plan = seed["quebec"]
    client.force_login(cast["quentin"])
    book = download(client, plan)
    sheet = book.active
    good = row_for(sheet, "Nombre de recommandations")
    good["Résultat"].value = 2
    bad = row_for(sheet, "Taux de satisfaction des personnes participantes")
    bad["Résultat"].value = "beaucoup"
    line = bad["Résultat"].row
    response = upload(client, plan, book)
    assert response.status_code == 302  # post/redirect/get: the errors wait in the session
    page = client.get(response.url).content.decode()
    assert f"Ligne {line} (Taux de satisfaction des personnes participantes) : Résultat — " \
           "« beaucoup » n&#x27;est pas un nombre" in page
    assert not Result.objects.filter(year=YEAR).exists()


def test_sheet_upload_is_refused_to_read_only_roles_and_other_poles(client, cast, seed):
    plan = seed["quebec"]
    client.force_login(cast["quentin"])
    book = download(client, plan)
    row_for(book.active, "Nombre de recommandations")["Résultat"].value = 2
    for user, status in (("diane", 403), ("mina", 403), ("alice", 404)):
        client.force_login(cast[user])
        assert upload(client, plan, book).status_code == status
    assert not Result.objects.exists()


def test_a_file_that_is_not_an_entry_sheet_is_refused_clearly(client, cast, seed):
    client.force_login(cast["quentin"])
    book = openpyxl.Workbook()
    book.active.append(["Autre", "Chose"])
    response = upload(client, seed["quebec"], book)
    assert response.status_code == 302
    assert "Ce n&#x27;est pas une feuille de saisie Pôle Plan" in client.get(
        response.url).content.decode()


def test_formula_text_in_the_sheet_is_neutralised(client, cast, seed):
    plan = seed["quebec"]
    rate = find_indicator(plan, "O1.1.1", "Taux de satisfaction")
    make_result(rate, YEAR, 80, comment="=HYPERLINK(\"x\")")
    client.force_login(cast["quentin"])
    row = row_for(download(client, plan).active, rate.label)
    # The text comes back exactly as written, as a string cell Excel will not run.
    assert row["Commentaire"].value == "=HYPERLINK(\"x\")"
    assert row["Commentaire"].data_type == "s"
    assert row["Commentaire"].quotePrefix
