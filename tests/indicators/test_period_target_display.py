"""A whole-period target says so before any result, and « En cours » with a degree says what
the degree measures (issue 24, item 2d)."""

from django.urls import reverse

from indicators.selectors import plan_progress
from tests.conftest import make_indicator, make_plan, make_result, make_user

YEAR = 2025


def test_a_period_target_is_labelled_as_such_before_any_result(db):
    plan = make_plan("per")
    indicator = make_indicator(plan, "Nb de projets", targets={None: "10"})
    [item] = plan_progress(plan, YEAR)
    assert item.result is None
    assert item.target_heading == "Cible pour la période 2024-2027"
    assert item.achievement_note == ""
    make_result(indicator, YEAR, 16)
    [item] = plan_progress(plan, YEAR)
    assert item.status == "en_cours"
    assert item.achievement_note == (
        "cible de période : 160\u00a0% de la cible atteint à ce jour ; elle sera jugée à la "
        "fin de 2026-2027")


def test_a_yearly_target_keeps_its_plain_heading_and_a_judged_one_needs_no_note(db):
    plan = make_plan("ann")
    indicator = make_indicator(plan, "Nb de projets", targets={YEAR: "10"})
    make_result(indicator, YEAR, 16)
    [item] = plan_progress(plan, YEAR)
    assert item.target_heading == "Cible"
    assert item.status == "atteinte" and item.achievement_note == ""


def test_the_entry_page_and_the_dashboard_say_it(client, db):
    from indicators.models import Membership

    plan = make_plan("pages")
    indicator = make_indicator(plan, "Nb de projets", targets={None: "10"})
    client.force_login(make_user("coco", Membership.Role.COORDINATOR, plan.pole))
    page = client.get(reverse("indicators:entry", args=[plan.pk, YEAR]))
    assert page.status_code == 200
    assert "Cible pour la période 2024-2027 : <q>10</q>" in page.content.decode()
    make_result(indicator, YEAR, 16)
    html = client.get(reverse("indicators:entry", args=[plan.pk, YEAR])).content.decode()
    assert "Cible de période : 160\u00a0% de la cible atteint à ce jour" in html
    client.force_login(make_user("dodo", Membership.Role.DIRECTOR, plan.pole))
    dashboard = client.get(reverse("reporting:pole", args=[plan.pk]) + f"?annee={YEAR}")
    assert dashboard.status_code == 200
    assert "(cible de période : 160\u00a0% de la cible atteint à ce jour" in (
        dashboard.content.decode())
