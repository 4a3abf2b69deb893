"""The campaign by clicking: the ministry opens a campaign, sees a late pôle and asks for a
correction on one indicator of a filed year; the coordinator answers and resubmits; the
director approves; the board shows the year filed. Only the login page is typed."""

import pytest

from campaigns.models import CorrectionPoint
from indicators import workflow
from indicators.models import YearReport
from indicators.services import year_transition
from tests.browser.conftest import click_and_wait, login, year_nav
from tests.conftest import PASSWORD, find_indicator, make_result

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

YEAR = 2024


def state_of(plan):
    return workflow.state_of(YearReport.objects.filter(plan=plan, year=YEAR).first())


def log_in_as(page, base_url, username):
    page.context.clear_cookies()
    login(page, base_url, username, PASSWORD)


def test_ministry_asks_a_correction_the_pole_answers_resubmits_and_approves(
        live_server, page, cast, seed, screenshot):
    plan = seed["monteregie"]
    indicator = find_indicator(plan, "1.1.1", "Nb de projets")
    make_result(indicator, YEAR, 2)
    year_transition(plan=plan, year=YEAR, action="submit", user=cast["alice"])
    year_transition(plan=plan, year=YEAR, action="approve", user=cast["dora"])

    # The ministry opens the 2024-2025 campaign (today is pinned at 2026-06-15).
    log_in_as(page, live_server.url, "mina")
    click_and_wait(page.get_by_test_id("nav-campaigns"))
    page.get_by_label("Année de reddition").select_option(label="2024-2025")
    page.get_by_label("Échéance de soumission").fill("2025-06-30")
    page.get_by_label("Échéance d'approbation").fill("2025-09-30")
    click_and_wait(page.get_by_role("button", name="Ouvrir la campagne"))
    board = page.get_by_test_id("board")
    quebec = board.get_by_test_id("board-pole-quebec")
    assert "non commencée" in quebec.get_by_test_id("state").inner_text()
    assert "en retard de 350 jours" in quebec.get_by_test_id("due").inner_text()
    assert "déposée" in board.get_by_test_id("board-monteregie").inner_text()
    screenshot(page, "campagne-suivi-retard")

    # A correction on one indicator.
    click_and_wait(page.get_by_test_id("ask-monteregie"))
    point = page.get_by_test_id("point-0")
    point.get_by_label("Objet").select_option(value=f"i{indicator.pk}")
    point.get_by_label("Correction demandée").fill("Le nombre ne correspond pas au registre.")
    click_and_wait(page.get_by_role("button", name="Demander des corrections"))
    assert "brouillon" in page.get_by_test_id("year-state").inner_text()
    assert state_of(plan) == workflow.State.DRAFT

    # The coordinator sees it beside the line, answers it and resubmits.
    log_in_as(page, live_server.url, "alice")
    click_and_wait(year_nav(page).get_by_role("link", name="2024-2025", exact=True))
    line = page.locator(f"fieldset#i{indicator.pk}")
    assert "Le nombre ne correspond pas au registre." in line.inner_text()
    click_and_wait(line.get_by_role("link", name="Répondre"))
    page.get_by_label("Réponse", exact=True).fill("Corrigé : deux projets confirmés.")
    click_and_wait(page.get_by_role("button", name="Enregistrer la réponse"))
    assert "Corrigé : deux projets confirmés." in page.get_by_test_id("point").inner_text()
    click_and_wait(page.get_by_role("link", name="Page de saisie"))
    page.get_by_role("button", name="Soumettre à la direction").click()
    page.locator("dialog#confirm-submit").wait_for(state="visible")
    click_and_wait(page.get_by_test_id("confirm-submit"))
    assert state_of(plan) == workflow.State.SUBMITTED
    assert CorrectionPoint.objects.get().answer == "Corrigé : deux projets confirmés."

    # The director approves from the dashboard.
    log_in_as(page, live_server.url, "dora")
    click_and_wait(year_nav(page).get_by_role("link", name="2024-2025", exact=True))
    page.get_by_test_id("year-review").get_by_role("button", name="Approuver",
                                                   exact=True).click()
    click_and_wait(page.get_by_test_id("confirm-approve"))
    assert state_of(plan) == workflow.State.APPROVED

    # The board shows the year filed.
    log_in_as(page, live_server.url, "mina")
    click_and_wait(page.get_by_test_id("nav-campaigns"))
    click_and_wait(page.get_by_role("link", name="Reddition 2024-2025"))
    row = page.get_by_test_id("board").get_by_test_id("board-monteregie")
    assert row.get_by_test_id("state").inner_text() == "déposée"
    screenshot(page, "campagne-suivi-deposee")
    assert page.js_errors == []
