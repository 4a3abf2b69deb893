"""People who entered, submitted or approved are named by their full name where one is known."""

from io import BytesIO

from django.urls import reverse
from openpyxl import load_workbook

from indicators import boundary
from indicators.formatting import person_name
from indicators.history import changes
from indicators.models import Result
from indicators.services import year_transition
from tests.conftest import find_indicator, make_result

YEAR = 2024


def named(user, first, last):
    user.first_name, user.last_name = first, last
    user.save(update_fields=["first_name", "last_name"])
    return user


def test_person_name_is_the_full_name_else_the_username(cast):
    assert person_name(cast["alice"]) == "alice"
    assert person_name(named(cast["alice"], "Alice", "Roy")) == "Alice Roy"
    assert person_name(None) == ""


def test_dashboard_entry_page_and_workbook_name_who_submitted_and_approved(client, cast, seed):
    plan = seed["monteregie"]
    alice = named(cast["alice"], "Alice", "Roy")
    dora = named(cast["dora"], "Dora", "Tremblay")
    indicator = find_indicator(plan, "1.1.1", "Nb de projets")
    result = make_result(indicator, YEAR, 2, updated_by=alice)
    year_transition(plan=plan, year=YEAR, action="submit", user=alice)
    year_transition(plan=plan, year=YEAR, action="approve", user=dora)

    client.force_login(dora)
    response = client.get(reverse("reporting:pole", args=[plan.pk]) + f"?annee={YEAR}")
    assert response.status_code == 200
    assert "(Dora Tremblay, " in response.content.decode()

    client.force_login(alice)
    response = client.get(reverse("indicators:entry", args=[plan.pk, YEAR]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Dernier changement par Dora Tremblay" in html
    assert "Alice Roy : brouillon → soumise" in html

    response = client.get(reverse("reporting:pole_export", args=[plan.pk]) + f"?annee={YEAR}")
    assert response.status_code == 200
    book = load_workbook(BytesIO(response.content))
    cells = [cell for sheet in book for row in sheet.iter_rows(values_only=True)
             for cell in row if cell]
    assert "Dora Tremblay" in cells
    assert "dora" not in cells

    assert Result.objects.for_plans([plan]).get(pk=result.pk).updated_by_name == "Alice Roy"
    result.value += 1
    result._history_user = alice
    with boundary.writes():  # a service's write (the year is approved)
        result.save()
    assert "Alice Roy" in {c.who for c in changes(indicator_ids=[indicator.pk])}
