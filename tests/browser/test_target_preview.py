"""Seeing a target's reading before it counts (issue 23), by clicking: a coordinator opens
« Essayer une cible » from the entry page and watches the reading follow what she types; a
director revising a target sees the reading of the new text, and its refusal, before saving."""

import pytest
from playwright.sync_api import expect

from indicators.models import Target
from indicators.services import year_transition
from tests.browser.conftest import click_and_wait, login, year_nav
from tests.conftest import PASSWORD, find_indicator, make_result

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MEETINGS = "Nb de rencontres"  # 1.1.4: 20, 30 and 40 meetings


def test_coordinator_tries_targets_and_sees_each_reading_as_she_types(live_server, page, cast,
                                                                      seed, screenshot):
    login(page, live_server.url, "alice", PASSWORD)  # lands on the entry page
    click_and_wait(page.get_by_role("link", name="Essayer une cible"))
    assert page.get_by_role("heading", level=1).inner_text() == "Essayer une cible"

    box = page.get_by_label("Cible", exact=True)
    preview = page.get_by_test_id("target-preview")
    box.fill("Pas moins de 6 partenaires")
    expect(preview).to_contain_text("au moins 6 partenaires")
    box.fill("80 % d'ici 2026-2027")
    expect(preview).to_contain_text("d'ici 2026-2027")
    box.fill("5 m")
    expect(preview).to_contain_text("minutes ou mètres")

    box.fill("Passer de 40 à 60")
    page.get_by_label("Résultat à juger (exemple)").fill("50")
    sample = page.get_by_test_id("target-preview-sample")
    sample.wait_for()
    assert "Non atteinte" in sample.inner_text() and "50" in sample.inner_text()
    screenshot(page, "essayer-une-cible")
    assert page.js_errors == []


def test_director_sees_the_new_targets_reading_before_saving_it(live_server, page, cast, seed):
    plan = seed["monteregie"]
    indicator = find_indicator(plan, "1.1.4", MEETINGS)
    make_result(find_indicator(plan, "1.1.1", "Nb de projets"), 2024, 2)
    year_transition(plan=plan, year=2024, action="submit", user=cast["alice"])

    login(page, live_server.url, "dora", PASSWORD)  # lands on the pôle dashboard
    click_and_wait(year_nav(page).get_by_role("link", name="2024-2025", exact=True))
    click_and_wait(page.get_by_test_id("missing-results").get_by_role(
        "link", name=MEETINGS).first)
    row = page.get_by_test_id("years-table").get_by_role("row").filter(has_text="2025-2026")
    click_and_wait(row.get_by_role("link", name="Réviser"))

    reading = page.get_by_test_id("target-preview-reading")
    assert reading.inner_text() == "30"  # the current target, read before anything is typed
    box = page.get_by_label("Nouvelle cible")
    box.fill("Jusqu'à 25 rencontres")
    expect(page.get_by_test_id("target-preview")).to_contain_text("au plus 25 rencontres")
    box.fill("Diminution de 5 m")
    page.get_by_test_id("target-preview-error").wait_for()
    assert Target.objects.get(indicator=indicator, year=2025).text == "30"  # nothing saved

    box.fill("De 30 à 35")
    expect(page.get_by_test_id("target-preview")).to_contain_text("de 30 à 35")
    click_and_wait(page.get_by_role("button", name="Enregistrer la révision"))
    assert "Cible révisée" in page.locator(".messages").inner_text()
    assert Target.objects.get(indicator=indicator, year=2025).baseline == 30
    assert page.js_errors == []
