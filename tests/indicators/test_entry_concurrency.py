"""Two people on one year: a save writes only the lines the person changed, compared with
what their page showed, and a conflict is only a line both changed (issue 17, item 3)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from indicators.models import Result
from tests.conftest import entry_data, find_indicator, make_user

YEAR = 2025


def url(plan, year=YEAR):
    return reverse("indicators:entry", args=[plan.pk, year])


@pytest.fixture
def lines(seed):
    """Two count lines of Montérégie without breakdown: 1.1.1 « Nb de projets » and the next."""
    from indicators.models import Indicator

    plan = seed["monteregie"]
    first = find_indicator(plan, "1.1.1", "Nb de projets")
    second = (Indicator.objects.filter(action__objective__orientation__plan=plan,
                                       unit=Indicator.Unit.COUNT, members__isnull=True)
              .exclude(pk=first.pk).order_by("pk").first())
    return first, second


@pytest.fixture
def bob(cast, seed):
    from indicators.models import Membership
    return make_user("bob", Membership.Role.COORDINATOR, seed["monteregie"].pole)


def value_of(indicator):
    return Result.objects.get(indicator=indicator, year=YEAR).value


def test_two_people_saving_different_lines_both_keep_their_work(client, cast, seed, lines, bob):
    plan = seed["monteregie"]
    first, second = lines
    page_a = entry_data(plan, YEAR)
    page_b = entry_data(plan, YEAR)  # both opened the page before anyone saved
    client.force_login(cast["alice"])
    page_a[f"i{first.pk}-value"] = "3"
    assert client.post(url(plan), page_a).status_code == 302
    client.force_login(bob)
    page_b[f"i{second.pk}-value"] = "7"
    response = client.post(url(plan), page_b)
    assert response.status_code == 302
    assert (value_of(first), value_of(second)) == (Decimal(3), Decimal(7))
    # bob's page still showed the old (empty) value of alice's line: not written back.
    assert Result.objects.get(indicator=first, year=YEAR).updated_by == cast["alice"]


def test_a_stale_untouched_line_over_an_existing_result_is_not_a_conflict(
        client, cast, seed, lines, bob):
    plan = seed["monteregie"]
    first, second = lines
    client.force_login(cast["alice"])
    client.post(url(plan), entry_data(plan, YEAR, **{f"i{first.pk}-value": "1"}))
    page_b = entry_data(plan, YEAR)  # bob sees 1
    client.post(url(plan), entry_data(plan, YEAR, **{f"i{first.pk}-value": "5"}))
    client.force_login(bob)
    page_b[f"i{second.pk}-value"] = "8"
    assert client.post(url(plan), page_b).status_code == 302
    assert (value_of(first), value_of(second)) == (Decimal(5), Decimal(8))
    assert Result.objects.get(indicator=first, year=YEAR).version == 2


def test_same_line_conflict_shows_both_values_and_keeping_mine_saves_in_one_more_save(
        client, cast, seed, lines, bob):
    plan = seed["monteregie"]
    first, _second = lines
    page_b = entry_data(plan, YEAR)
    client.force_login(cast["alice"])
    client.post(url(plan), entry_data(plan, YEAR, **{f"i{first.pk}-value": "4"}))
    client.force_login(bob)
    page_b[f"i{first.pk}-value"] = "6"
    page_b[f"i{first.pk}-comment"] = "Compté deux fois\nà la main"
    response = client.post(url(plan), page_b)
    assert response.status_code == 409
    html = response.content.decode()
    assert f'data-testid="conflict-i{first.pk}"' in html
    assert "garder ma valeur" in html and "garder la valeur actuelle" in html
    form = response.context["page"].by_prefix[f"i{first.pk}"][1]
    assert form.conflict_current_text == "4"
    assert form.mine_text == "6 ; commentaire : « Compté deux fois\nà la main »"
    assert value_of(first) == Decimal(4)
    # Saving again what the page now holds (the refreshed version, « garder ma valeur »).
    again = {key: value for key, value in _posted(response).items()}
    assert again[f"i{first.pk}-keep"] == "mine"
    assert client.post(url(plan), again).status_code == 302
    result = Result.objects.get(indicator=first, year=YEAR)
    assert (result.value, result.comment, result.updated_by) == (
        Decimal(6), "Compté deux fois\nà la main", bob)


def test_keeping_the_current_value_writes_nothing(client, cast, seed, lines, bob):
    plan = seed["monteregie"]
    first, _second = lines
    page_b = entry_data(plan, YEAR)
    client.force_login(cast["alice"])
    client.post(url(plan), entry_data(plan, YEAR, **{f"i{first.pk}-value": "4"}))
    client.force_login(bob)
    page_b[f"i{first.pk}-value"] = "6"
    response = client.post(url(plan), page_b)
    again = _posted(response)
    again[f"i{first.pk}-keep"] = "current"
    response = client.post(url(plan), again, follow=True)
    assert response.status_code == 200
    result = Result.objects.get(indicator=first, year=YEAR)
    assert (result.value, result.version, result.updated_by) == (Decimal(4), 1, cast["alice"])


def _posted(response) -> dict:
    """What the re-rendered page would post back untouched (its bound values)."""
    page = response.context["page"]
    data = {}
    for line in page.lines:
        for form in line.forms:
            for name in form.fields:
                if name == "evidence_file":
                    continue
                value = form[name].value()
                if name == "not_applicable":
                    if value:
                        data[f"{form.prefix}-{name}"] = "on"
                    continue
                data[f"{form.prefix}-{name}"] = "" if value is None else str(value)
    return data
