"""Real headless Chromium: a coordinator adds an activity by clicking, picking an
establishment through the filter box, and the computed indicator changes."""

import re

import pytest

from indicators.models import Result
from register.models import IndicatorRule, Organisation
from tests.browser.conftest import login
from tests.conftest import PASSWORD, find_indicator
from tests.register.conftest import make_org, make_rule

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_adds_an_activity_and_sees_the_indicator_change(
        live_server, page, cast, seed, screenshot):
    plan = seed["monteregie"]
    projects = find_indicator(plan, "1.1.1", "Nb de projets")
    establishments = find_indicator(plan, "1.1.1", "Nb d'établissements")
    make_rule(projects, IndicatorRule.Kind.ACTIVITIES, ["projet-concertation"])
    make_rule(establishments, IndicatorRule.Kind.ESTABLISHMENTS)
    make_org("Cégep Édouard-Montpetit", abbreviation="")
    make_org("Cégep de Granby")
    make_org("CPE La Cigogne", Organisation.Kind.CPE)

    login(page, live_server.url, "alice", PASSWORD)
    page.get_by_test_id("nav-register").click()
    page.get_by_role("link", name="Ajouter une activité").click()
    page.select_option("#id_kind", label="Projet de concertation")
    page.fill("#id_title", "Chantier réussite interordres")
    page.fill("#id_start_date", "2024-09-10")
    page.select_option("#id_actions", value=str(projects.action_id))
    organisations = page.get_by_role("combobox", name="Établissements et partenaires")
    organisations.fill("edouard montpetit")  # no accents, no hyphen
    organisations.press("Enter")
    organisations.fill("granby")
    organisations.press("Enter")
    page.fill("#id_participants_students", "14")
    screenshot(page, "registre-ajout")
    page.get_by_role("button", name="Enregistrer l'activité").click()
    page.wait_for_load_state("networkidle")
    assert "Activité « Chantier réussite interordres » enregistrée." in page.inner_text(
        ".messages")
    assert "Chantier réussite interordres" in page.inner_text("table.activities")

    page.get_by_role("link", name="Mon pôle").click()
    page.locator("nav.years").get_by_role("link", name="2024-2025").click()
    line = page.get_by_role("group", name=establishments.label, exact=True)
    line.get_by_role("link", name=re.compile("^voir")).click()
    assert "Valeur calculée 2024-2025 : 2" in page.inner_text("main")
    assert "1 activité" in page.inner_text("main")
    total = Result.objects.get(indicator=establishments, year=2024, member=None)
    assert total.value == 2
    assert Result.objects.get(indicator=projects, year=2024, member=None).value == 1
    assert page.js_errors == []
