"""Real headless Chromium: a coordinator goes from the entry page to the register through the
top navigation, adds an activity by clicking, comes back and sees the computed value change
(read-only, with its activities behind a link)."""

import datetime

import pytest

from register.models import IndicatorRule
from register.services import register_results_update
from tests.browser.conftest import login
from tests.conftest import PASSWORD, find_indicator
from tests.register.conftest import make_activity, make_org, make_rule

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_adds_an_activity_from_the_navigation_and_the_entry_page_follows(
        live_server, page, cast, seed, screenshot):
    plan = seed["monteregie"]
    projects = find_indicator(plan, "1.1.1", "Nb de projets")
    make_rule(projects, IndicatorRule.Kind.ACTIVITIES, ["projet-concertation"])
    make_org("Cégep de Granby")
    make_activity(plan.pole, title="Table régionale", actions=[projects.action],
                  start=datetime.date(2024, 9, 1))
    register_results_update(pole=plan.pole, user=None)
    value = f'[data-testid="computed-value-i{projects.pk}"]'

    login(page, live_server.url, "alice", PASSWORD)  # lands on the entry page
    page.locator("nav.years").get_by_role("link", name="2024-2025").click()
    assert page.inner_text(value) == "1"
    assert page.locator(f'input[name="i{projects.pk}-value"]').count() == 0

    page.get_by_test_id("nav-register").click()
    page.get_by_role("link", name="Ajouter une activité").click()
    page.select_option("#id_kind", label="Projet de concertation")
    page.fill("#id_title", "Chantier réussite interordres")
    page.fill("#id_start_date", "2024-10-15")
    page.select_option("#id_actions", value=str(projects.action_id))
    organisations = page.get_by_role("combobox", name="Établissements et partenaires")
    organisations.fill("granby")
    organisations.press("Enter")
    page.get_by_role("button", name="Enregistrer l'activité").click()
    page.wait_for_load_state("networkidle")
    assert "Activité « Chantier réussite interordres » enregistrée." in page.inner_text(
        ".messages")

    page.get_by_role("link", name="Mon pôle").click()
    page.locator("nav.years").get_by_role("link", name="2024-2025").click()
    assert page.inner_text(value) == "2"
    screenshot(page, "saisie-valeur-calculee")
    page.get_by_role("link", name="voir les 2 activités").click()
    assert "Chantier réussite interordres" in page.inner_text("main")
    assert page.js_errors == []
