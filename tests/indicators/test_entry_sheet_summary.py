"""The entry sheet (issue 24, item 3): typed numbers, the values an upload changed (old →
new), a stale line named with its row and who changed it, post/redirect/get after every
upload."""

import pytest
from django.urls import reverse

from indicators.models import Result
from indicators.services import Entry, results_save
from tests.conftest import find_indicator, make_result
from tests.indicators.test_entry_sheet import download, row_for, upload

pytestmark = pytest.mark.usefixtures("evaluations_checked")

YEAR = 2025
RATE = "Taux de satisfaction des personnes participantes"
SECTOR = "Nombre d'organisations ayant consulté les ressources diffusées"


def test_numbers_are_number_cells_with_a_number_format(client, cast, seed):
    plan = seed["quebec"]
    rate = find_indicator(plan, "O1.1.1", "Taux de satisfaction")
    make_result(rate, YEAR - 1, "1234.5")
    make_result(rate, YEAR, 80)
    client.force_login(cast["quentin"])
    row = row_for(download(client, plan).active, RATE)
    previous, value = row["Résultat précédent"], row["Résultat"]
    assert previous.data_type == "n" and previous.value == 1234.5
    assert previous.number_format == "#,##0.0#########"
    assert value.data_type == "n" and value.value == 80
    assert value.number_format == "#,##0"


def test_after_an_upload_the_page_lists_each_changed_value_old_and_new(client, cast, seed):
    plan = seed["quebec"]
    rate = find_indicator(plan, "O1.1.1", "Taux de satisfaction")
    make_result(rate, YEAR, 80)
    client.force_login(cast["quentin"])
    book = download(client, plan)
    row_for(book.active, RATE)["Résultat"].value = 84.5
    row_for(book.active, SECTOR, "TI")["Résultat"].value = 45
    response = upload(client, plan, book)
    assert response.status_code == 302
    page = client.get(response.url)
    assert page.status_code == 200
    changes = page.context["value_changes"]
    assert [(c["indicator"], c["member"], c["year"], c["field"], c["old"], c["new"])
            for c in changes] == [
        (RATE, "", "2025-2026", "Résultat", "80", "84,5"),
        (SECTOR, "TI", "2025-2026", "Résultat", "vide", "45"),
    ]
    html = page.content.decode()
    assert 'data-testid="value-changes"' in html
    assert "Résultat 80 → <strong>84,5</strong>" in html
    # Shown once: a reload (a GET) does not show them again, nor post the sheet again.
    again = client.get(response.url)
    assert again.context["value_changes"] is None
    assert Result.objects.get(indicator=rate, year=YEAR, member=None).version == 2


def _stale_sheet(client, plan, user):
    client.force_login(user)
    book = download(client, plan)
    row = row_for(book.active, RATE)
    row["Résultat"].value = 90
    return book, row["Résultat"].row


def test_a_stale_line_names_its_row_and_says_you_when_it_was_you(client, cast, seed):
    plan = seed["quebec"]
    rate = find_indicator(plan, "O1.1.1", "Taux de satisfaction")
    book, line = _stale_sheet(client, plan, cast["quentin"])
    # The same person saves the line elsewhere after downloading the sheet.
    results_save(plan=plan, year=YEAR, user=cast["quentin"], entries=[
        Entry(indicator=rate, member=None, fields={"value": 70}, seen_version=None)])
    response = upload(client, plan, book)
    assert response.status_code == 302
    errors = client.get(response.url).context["upload_errors"]
    assert len(errors) == 1
    assert errors[0].startswith(f"Ligne {line} ({RATE}) : vous avez modifié ce résultat le ")
    assert "quelqu'un d'autre" not in errors[0]
    assert Result.objects.get(indicator=rate, year=YEAR, member=None).value == 70


def test_a_stale_line_names_who_changed_it_and_when(client, cast, seed, today):
    plan = seed["quebec"]
    rate = find_indicator(plan, "O1.1.1", "Taux de satisfaction")
    other = cast["diane"]
    other.first_name, other.last_name = "Diane", "Roy"
    other.save()
    book, line = _stale_sheet(client, plan, cast["quentin"])
    results_save(plan=plan, year=YEAR, user=other, entries=[
        Entry(indicator=rate, member=None, fields={"value": 70}, seen_version=None)])
    response = upload(client, plan, book)
    errors = client.get(response.url).context["upload_errors"]
    saved = Result.objects.get(indicator=rate, year=YEAR, member=None)
    from django.utils import timezone
    when = timezone.localtime(saved.updated_at).strftime("%Y-%m-%d %H:%M")
    assert errors == [f"Ligne {line} ({RATE}) : Diane Roy a modifié ce résultat le {when}, "
                      "après le téléchargement de cette feuille ; téléchargez-la de nouveau."]


def test_a_refused_upload_redirects_and_shows_its_errors_once(client, cast, seed):
    plan = seed["quebec"]
    client.force_login(cast["quentin"])
    url = reverse("indicators:entry_sheet_upload", args=[plan.pk, YEAR])
    response = client.post(url, {})  # no file
    assert response.status_code == 302
    assert response.url == reverse("indicators:entry", args=[plan.pk, YEAR])
    page = client.get(response.url)
    assert page.context["upload_errors"]
    assert "Feuille refusée" in page.content.decode()
    assert client.get(response.url).context["upload_errors"] is None


def test_a_read_only_role_cannot_upload(client, cast, seed):
    client.force_login(cast["diane"])
    response = client.post(reverse("indicators:entry_sheet_upload",
                                   args=[seed["quebec"].pk, YEAR]), {})
    assert response.status_code == 403
