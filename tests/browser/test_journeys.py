"""Whole journeys by clicking, as a new user would: no ``page.goto`` but the login page.

A coordinator enters, fixes a refused value and submits; a director switches to each year,
opens an indicator, comes back and approves; a ministry analyst switches year on the
national view and downloads both workbooks, whose year and figures match the page.
"""

import re
from io import BytesIO

import pytest
from openpyxl import load_workbook

from indicators import workflow
from indicators.models import Result, YearReport, fiscal_year_label
from indicators.services import year_transition
from tests.browser.conftest import click_and_wait, login, year_nav
from tests.conftest import PASSWORD, find_indicator, make_result

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MEETINGS = "Nb de rencontres"  # 1.1.4, target 30 in 2025-2026, 10 in 2024-2025


def state_of(plan, year):
    return workflow.state_of(YearReport.objects.filter(plan=plan, year=year).first())


def test_coordinator_enters_fixes_a_refused_value_and_submits(live_server, page, cast, seed,
                                                               screenshot):
    plan = seed["monteregie"]
    indicator = find_indicator(plan, "1.1.4", MEETINGS)
    login(page, live_server.url, "alice", PASSWORD)  # lands on the entry page of 2026-2027
    click_and_wait(year_nav(page).get_by_role("link", name="2025-2026", exact=True))
    assert "2025-2026" in page.get_by_role("heading", level=1).inner_text()

    line = page.get_by_role("group", name=indicator.label)
    line.get_by_label("Résultat", exact=True).fill("trente")
    line.get_by_label("Commentaire", exact=True).fill("Rencontres tenues en ligne")
    click_and_wait(page.get_by_role("button", name="Enregistrer", exact=True))
    line = page.get_by_role("group", name=indicator.label)
    assert "« trente » n'est pas un nombre" in line.inner_text()
    assert line.get_by_label("Commentaire", exact=True).input_value() == (
        "Rencontres tenues en ligne")
    assert not Result.objects.filter(indicator=indicator, year=2025).exists()

    line.get_by_label("Résultat", exact=True).fill("32")
    click_and_wait(page.get_by_role("button", name="Enregistrer", exact=True))
    assert "Atteinte" in page.get_by_role("group", name=indicator.label).inner_text()
    assert Result.objects.get(indicator=indicator, year=2025).value == 32

    # Submitting asks for a confirmation that says what it locks; nothing moves before it.
    page.get_by_role("button", name="Soumettre à la direction").click()
    dialog = page.locator("dialog#confirm-submit")
    dialog.wait_for(state="visible")
    assert state_of(plan, 2025) == workflow.State.DRAFT
    click_and_wait(page.get_by_test_id("confirm-submit"))
    assert state_of(plan, 2025) == workflow.State.SUBMITTED
    assert "soumise" in page.get_by_test_id("year-state").inner_text()
    screenshot(page, "parcours-coordination-soumise")
    assert page.js_errors == []


def test_director_visits_every_year_opens_an_indicator_comes_back_and_approves(
        live_server, page, cast, seed, screenshot):
    plan = seed["monteregie"]
    indicator = find_indicator(plan, "1.1.4", MEETINGS)
    make_result(indicator, 2024, 10)
    make_result(find_indicator(plan, "1.1.1", "Nb de projets"), 2024, 2)
    year_transition(plan=plan, year=2024, action="submit", user=cast["alice"])

    login(page, live_server.url, "dora", PASSWORD)  # lands on the pôle dashboard
    for year in plan.years:
        label = fiscal_year_label(year)
        click_and_wait(year_nav(page).get_by_role("link", name=label, exact=True))
        assert label in page.get_by_role("heading", level=1).inner_text()
        current = year_nav(page).locator("[aria-current=page]")
        assert current.inner_text() == label

    click_and_wait(year_nav(page).get_by_role("link", name="2024-2025", exact=True))
    review = page.get_by_test_id("year-review")
    assert "soumise" in review.get_by_test_id("review-state").inner_text()
    missing = review.get_by_test_id("missing-results").get_by_role("link")
    assert missing.count() > 50

    click_and_wait(page.get_by_role("link", name=indicator.label).first)
    assert page.get_by_role("heading", level=1).inner_text() == indicator.label
    years_table = page.get_by_test_id("years-table")
    assert "2024-2025" in years_table.inner_text()

    click_and_wait(page.get_by_role("link", name=plan.pole.name))  # the crumb back
    click_and_wait(year_nav(page).get_by_role("link", name="2024-2025", exact=True))
    review = page.get_by_test_id("year-review")
    review.get_by_label("Commentaire (facultatif)").fill("Merci, bon travail")
    review.get_by_role("button", name="Approuver", exact=True).click()
    # The confirmation says what is missing and what approving locks; it opens on « Annuler ».
    dialog = page.locator("dialog#confirm-approve")
    dialog.wait_for(state="visible")
    assert "Une fois approuvée, l'année 2024-2025 est verrouillée" in dialog.inner_text()
    assert "attendent encore leur résultat" in dialog.inner_text()
    assert page.evaluate("document.activeElement.textContent") == "Annuler"
    assert state_of(plan, 2024) == workflow.State.SUBMITTED
    click_and_wait(page.get_by_test_id("confirm-approve"))

    assert "Année approuvée" in page.locator(".messages").inner_text()
    assert "2024-2025" in page.get_by_role("heading", level=1).inner_text()
    assert "approuvée" in page.inner_text("header.page-head")
    assert page.get_by_test_id("year-review").count() == 0
    assert state_of(plan, 2024) == workflow.State.APPROVED
    screenshot(page, "parcours-direction-approuvee")
    assert page.js_errors == []


def test_director_returns_a_year_with_a_reason_by_clicking(live_server, page, cast, seed):
    plan = seed["monteregie"]
    make_result(find_indicator(plan, "1.1.4", MEETINGS), 2024, 10)
    year_transition(plan=plan, year=2024, action="submit", user=cast["alice"])
    login(page, live_server.url, "dora", PASSWORD)
    click_and_wait(year_nav(page).get_by_role("link", name="2024-2025", exact=True))
    review = page.get_by_test_id("year-review")
    review.get_by_label("Motif du retour (obligatoire)").fill("Ajouter les pièces justificatives")
    click_and_wait(review.get_by_role("button", name="Retourner pour correction"))
    assert "retournée" in page.locator(".messages").inner_text()
    assert state_of(plan, 2024) == workflow.State.DRAFT
    assert page.js_errors == []


def test_a_return_without_its_reason_is_refused_with_a_focused_error_summary(
        live_server, page, cast, seed):
    """By keyboard: the refused return lands on the gesture's page with the focus on its error
    summary; Tab then Enter on the summary's link puts the focus in the reason's box; the
    reason typed and the button pressed, the year is returned and the dashboard says so."""
    plan = seed["monteregie"]
    year_transition(plan=plan, year=2024, action="submit", user=cast["alice"])
    login(page, live_server.url, "dora", PASSWORD)  # lands on the year awaiting its decision
    assert "2024-2025" in page.get_by_role("heading", level=1).inner_text()
    review = page.get_by_test_id("year-review")
    review.get_by_role("button", name="Retourner pour correction").focus()
    page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")
    summary = page.get_by_test_id("error-summary")
    assert "Expliquez ce qui doit être revu" in summary.inner_text()
    assert page.evaluate("document.activeElement.dataset.testid") == "error-summary"
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "id_comment"
    page.keyboard.type("Ajouter les pièces justificatives")
    click_and_wait(page.get_by_role("button", name="Retourner pour correction"))
    assert "retournée" in page.locator(".messages").inner_text()
    assert state_of(plan, 2024) == workflow.State.DRAFT
    assert page.js_errors == []


def test_a_director_approving_from_the_entry_page_keeps_the_comment(live_server, page, cast,
                                                                   seed):
    """The entry page's gestures share one comment box; its confirmation dialog posts the
    comment typed there (the highlights of the annual report), not an empty one."""
    from indicators.models import YearTransition

    plan = seed["monteregie"]
    year_transition(plan=plan, year=2024, action="submit", user=cast["alice"])
    login(page, live_server.url, "dora", PASSWORD)  # lands on the year awaiting its decision
    click_and_wait(page.get_by_test_id("missing-results").get_by_role(
        "link", name="ligne de saisie").first)
    assert "2024-2025" in page.get_by_role("heading", level=1).inner_text()
    page.locator("form.transition textarea[name=comment]").fill("Une année de consolidation.")
    page.locator("form.transition").get_by_role("button", name="Approuver", exact=True).click()
    click_and_wait(page.get_by_test_id("confirm-approve"))
    assert "Année approuvée" in page.locator(".messages").inner_text()
    assert state_of(plan, 2024) == workflow.State.APPROVED
    assert YearTransition.objects.filter(report__plan=plan, action="approve").get().comment == (
        "Une année de consolidation.")
    assert page.js_errors == []


def _sheet_cells(book, sheet_name):
    return [[cell for cell in row] for row in book[sheet_name].iter_rows(values_only=True)]


def _download(page, link):
    with page.expect_download() as info:
        link.click()
    download = info.value
    return download.suggested_filename, load_workbook(BytesIO(open(download.path(), "rb").read()))


def test_ministry_switches_year_and_downloads_both_workbooks_matching_the_page(
        live_server, page, cast, seed, screenshot):
    plan = seed["monteregie"]
    make_result(find_indicator(plan, "1.1.1", "Nb de projets"), 2024, 2)  # target met
    make_result(find_indicator(plan, "1.1.4", MEETINGS), 2024, 10)  # target met
    make_result(find_indicator(plan, "1.3.1", "Nb de participants"), 2024, 7)  # not met
    login(page, live_server.url, "mina", PASSWORD)  # lands on the national view

    click_and_wait(year_nav(page).get_by_role("link", name="2024-2025", exact=True))
    assert "2024-2025" in page.get_by_role("heading", level=1).inner_text()
    row = page.locator("tr[data-pole=monteregie]")
    met = int(row.locator("td[data-status=atteinte]").inner_text())
    not_met = int(row.locator("td[data-status=non_atteinte]").inner_text())
    no_result = int(row.locator("td[data-status=sans_resultat]").inner_text())
    assert (met, not_met) == (2, 1)

    name, book = _download(page, page.get_by_role("link", name=re.compile("Reddition consolidée")))
    assert "2024-2025" in name
    summary = _sheet_cells(book, book.sheetnames[0])
    assert "2024-2025" in str(summary[0][0])
    pole_line = next(r for r in summary if r[0] == plan.pole.name)
    assert f"{met} / {met + not_met}" in pole_line
    consolidated = _sheet_cells(book, "Consolidé")
    head = consolidated[0]
    pole_col, status_col = head.index("Pôle"), head.index("Atteinte de la cible")
    # An action attached to several MES themes is listed under each: count each line once.
    keys = [head.index(h) for h in ("Action", "Indicateur", "Membre")]
    lines = {tuple(r[k] for k in keys): r[status_col] for r in consolidated[1:]
             if r[pole_col] == plan.pole.name}
    statuses = list(lines.values())
    assert statuses.count("Atteinte") == met
    assert statuses.count("Non atteinte") == not_met
    assert statuses.count("Sans résultat") == no_result

    click_and_wait(row.get_by_role("link", name=plan.pole.name))
    assert "2024-2025" in page.get_by_role("heading", level=1).inner_text()
    assert page.get_by_test_id("count-atteinte").inner_text() == str(met)
    name, book = _download(page, page.get_by_role("link", name="Reddition de compte (xlsx)"))
    assert "2024-2025" in name
    summary = _sheet_cells(book, book.sheetnames[0])
    assert "2024-2025" in str(summary[0][0])
    total_head = next(r for r in summary if r and r[0] in ("Orientation", "Thème MES"))
    total = next(r for r in summary if r and r[0] == "Total")
    figures = dict(zip(total_head, total, strict=False))
    assert figures["Atteinte"] == met
    assert figures["Non atteinte"] == not_met
    assert figures["Sans résultat"] == no_result
    screenshot(page, "parcours-ministere")
    assert page.js_errors == []
