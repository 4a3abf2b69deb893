"""Each target is shown as it was read, beside the plan's own text."""

from django.urls import reverse

from tests.conftest import make_indicator, make_plan


def test_admin_shows_each_target_as_it_was_read(cast, client):
    indicator = make_indicator(make_plan(), targets={2024: "Pas plus de 5"})
    target = indicator.targets.get()
    client.force_login(cast["sam"])
    response = client.get(reverse("admin:indicators_target_change", args=[target.pk]))
    assert response.status_code == 200
    assert "au plus 5" in response.content.decode()
    response = client.get(reverse("admin:indicators_target_changelist") + "?q=Pas+plus")
    assert response.status_code == 200
    assert "au plus 5" in response.content.decode()


def test_the_model_gives_the_canonical_french_reading(db):
    indicator = make_indicator(make_plan(), "Budget", unit="money",
                               targets={2024: "200 M$", 2025: "max. 1,5 G$"})
    readings = {t.year: t.reading_text for t in indicator.targets.all()}
    assert readings == {2024: "200\u00a0000\u00a0000\u00a0$",
                        2025: "au plus 1\u00a0500\u00a0000\u00a0000\u00a0$"}


def test_entry_page_shows_each_target_beside_its_reading(client, cast, seed):
    plan = seed["monteregie"]
    make_indicator(plan, "Délai moyen de réponse", action_code="1.1.1",
                   targets={2025: "Pas plus de 5"})
    client.force_login(cast["alice"])
    response = client.get(reverse("indicators:entry", args=[plan.pk, 2025]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<q>Pas plus de 5</q> <span class=\"understood\">(lue comme : au plus 5)" in page


def test_money_is_shown_with_thousands_and_a_dollar_sign(db):
    from decimal import Decimal

    from indicators.formatting import format_value

    assert format_value(Decimal("200000000"), "money") == "200\u00a0000\u00a0000\u00a0$"
    assert format_value(Decimal("1500.50"), "money") == "1\u00a0500,5\u00a0$"
