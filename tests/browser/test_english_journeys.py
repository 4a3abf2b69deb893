"""The main journeys once in English, by clicking from the login page: a coordinator and a
director choose English with the top bar's switcher and walk their pages; no French string of
the interface is left (the plan's own texts stay as the pôle wrote them) and numbers are
written the English way."""

import re

import pytest
from django.db import models

from indicators import workflow
from indicators.models import (
    Action,
    BreakdownMember,
    Indicator,
    Objective,
    Orientation,
    Result,
    Target,
    YearReport,
)
from indicators.services import year_transition
from tests.browser.conftest import click_and_wait
from tests.conftest import PASSWORD, find_indicator, make_result

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MEETINGS = "Nb de rencontres"  # 1.1.4, target 30 in 2025-2026, 10 in 2024-2025

# Words of the French interface that no English page may show (outside the plan's texts).
FRENCH = re.compile(
    r"\b(Enregistrer|Cibles?|Résultats?|Tableau de bord|Déconnexion|Se déconnecter|Saisie|"
    r"Année|Indicateurs?|Atteinte|Non atteinte|Soumettre|Approuver|Commentaire|Motif|Aucune?|"
    r"Télécharger|Voir|brouillon|soumise|approuvée|réalisée?|Mon pôle|Mon compte|"
    r"Mot de passe|Registre|justificatives?|État|Échéances?|Objectifs?|Retourner|Rapport|"
    r"Pôles publiés|Navigation principale|Aller au contenu|Historique|Exercice|"
    r"lue comme|comprise comme|à surveiller|Progresse bien|Sans résultat|en cours)\b",
    re.IGNORECASE)

FILE_NAME = re.compile(r"[\w.-]+\.(?:pdf|xlsx|csv|json|md)\b")

# The page's text without what is not interface: scripts, plotly.js's drawing of a figure
# (the server-drawn status bars stay: their titles, description, counts and legend are
# interface), and the options of a select (they name the plan's orientations).
PAGE_TEXT = """() => {
  const body = document.body.cloneNode(true);
  body.querySelectorAll("script, style, [data-chart], template")
    .forEach((node) => node.remove());
  return body.textContent;
}"""


def plan_texts(plan) -> list[str]:
    """Every text the pôle wrote (or the demo data holds): they stay in French."""
    texts = {plan.title, plan.pole.name, plan.pole.code}
    for model, lookup in ((Orientation, "plan"), (Objective, "orientation__plan"),
                          (Action, "objective__orientation__plan"),
                          (Indicator, "action__objective__orientation__plan"),
                          (BreakdownMember, "indicator__action__objective__orientation__plan"),
                          (Target, "indicator__action__objective__orientation__plan"),
                          (Result, "indicator__action__objective__orientation__plan")):
        fields = [f.name for f in model._meta.get_fields()
                  if isinstance(f, models.CharField | models.TextField)]
        for row in model.objects.filter(**{lookup: plan}).values_list(*fields):
            texts.update(value for value in row if value and len(value) > 4)
    return sorted(texts, key=len, reverse=True)


def french_left(page, texts: list[str]) -> list[str]:
    """The French interface words of the page, with what surrounds them."""
    text = " ".join(page.evaluate(PAGE_TEXT).split())
    text = FILE_NAME.sub(" ", text)  # files keep stable names (rapport-monteregie-….pdf)
    for written in texts:
        text = text.replace(" ".join(written.split()), " ")
    return sorted({text[max(0, m.start() - 30):m.end() + 30] for m in FRENCH.finditer(text)})


def assert_english(page, texts):
    assert page.locator("html").get_attribute("lang") == "en-CA", page.url
    left = french_left(page, texts)
    assert left == [], f"French left on {page.url}: {left}"


def sign_in_in_english(page, base_url, username):
    page.goto(f"{base_url}/compte/login/")  # the one address typed; the rest is clicked
    assert page.locator("html").get_attribute("lang") == "fr-CA"
    click_and_wait(page.get_by_test_id("language-switcher").get_by_role("button",
                                                                          name="English"))
    assert page.get_by_role("heading", level=1).inner_text() == "Log in"
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    click_and_wait(page.locator("main button[type=submit]"))


def year_nav(page):
    return page.get_by_role("navigation", name="Year")


def test_a_coordinator_works_in_english_from_the_login_page(live_server, page, cast, seed,
                                                            screenshot):
    plan = seed["monteregie"]
    indicator = find_indicator(plan, "1.1.4", MEETINGS)
    texts = plan_texts(plan)
    sign_in_in_english(page, live_server.url, "alice")  # lands on the entry page
    assert_english(page, texts)

    click_and_wait(year_nav(page).get_by_role("link", name="2025-2026", exact=True))
    assert page.get_by_role("heading", level=1).inner_text().startswith("Results entry 2025-2026")
    line = page.get_by_role("group", name=indicator.label)
    line.get_by_label("Result", exact=True).fill("thirty")
    click_and_wait(page.get_by_role("button", name="Save", exact=True))
    line = page.get_by_role("group", name=indicator.label)
    assert "“thirty” is not a number" in line.inner_text()
    assert_english(page, texts)

    line.get_by_label("Result", exact=True).fill("1500")
    click_and_wait(page.get_by_role("button", name="Save", exact=True))
    assert "1 result saved" in page.locator(".messages").inner_text()
    assert "Met" in page.get_by_role("group", name=indicator.label).inner_text()
    assert Result.objects.get(indicator=indicator, year=2025).value == 1500
    assert_english(page, texts)

    click_and_wait(page.get_by_role("link", name="Dashboard", exact=True))
    assert page.get_by_role("heading", level=1).inner_text().startswith("Dashboard 2025-2026")
    assert_english(page, texts)

    click_and_wait(page.get_by_role("link", name=indicator.label).first)
    assert page.get_by_role("heading", level=1).inner_text() == indicator.label
    years_table = page.get_by_test_id("years-table").inner_text()
    assert "1,500" in years_table and "1\u00a0500" not in years_table  # the English way
    assert "read as" in years_table
    assert_english(page, texts)

    for link in ("Activity register", "My account"):
        click_and_wait(page.get_by_role("navigation", name="Main navigation")
                       .get_by_role("link", name=link))
        assert_english(page, texts)
    screenshot(page, "english-coordinator")
    click_and_wait(page.get_by_role("button", name="Log out (alice)"))
    # Back on the login page, still in English: the choice is remembered.
    assert page.get_by_role("heading", level=1).inner_text() == "Log in"
    assert_english(page, texts)
    assert page.js_errors == []


def test_a_director_reviews_and_approves_a_year_in_english(live_server, page, cast, seed,
                                                          screenshot):
    plan = seed["monteregie"]
    make_result(find_indicator(plan, "1.1.4", MEETINGS), 2024, 1234.5)
    make_result(find_indicator(plan, "1.1.1", "Nb de projets"), 2024, 2)
    year_transition(plan=plan, year=2024, action="submit", user=cast["alice"])
    texts = plan_texts(plan)

    sign_in_in_english(page, live_server.url, "dora")  # lands on the pôle dashboard
    assert_english(page, texts)
    click_and_wait(year_nav(page).get_by_role("link", name="2024-2025", exact=True))
    review = page.get_by_test_id("year-review")
    assert "submitted" in review.get_by_test_id("review-state").inner_text()
    chart = page.locator("svg#chart-orientations")  # the status bars, in English
    assert chart.locator("title").first.text_content() == "Indicators by status"
    assert any(title.endswith(": 2 met")
               for title in chart.locator("g > title").all_text_contents())
    assert chart.locator("g.legend text").all_text_contents() == [
        "Met", "Not met", "In progress", "No result", "Not assessable"]
    assert_english(page, texts)
    click_and_wait(page.get_by_role("link", name=MEETINGS).first)
    assert "1,234.5" in page.get_by_test_id("years-table").inner_text()  # the English way
    assert_english(page, texts)
    click_and_wait(page.get_by_role("link", name=plan.pole.name).first)  # the crumb back

    click_and_wait(page.get_by_role("link", name="MES themes of the actions"))
    assert_english(page, texts)
    click_and_wait(page.get_by_role("navigation", name="Main navigation")
                   .get_by_role("link", name="My pôle"))
    click_and_wait(year_nav(page).get_by_role("link", name="2024-2025", exact=True))

    review = page.get_by_test_id("year-review")
    review.get_by_label("Comment (optional)").fill("Merci, bon travail")
    review.get_by_role("button", name="Approve", exact=True).click()
    dialog = page.locator("dialog#confirm-approve")  # what is missing and what it locks
    dialog.wait_for(state="visible")
    assert "Once approved, the year 2024-2025 is locked" in dialog.inner_text()
    assert "still waiting for their result" in dialog.inner_text()
    assert_english(page, texts)
    click_and_wait(page.get_by_test_id("confirm-approve"))
    assert "Year approved: its results are locked." in page.locator(".messages").inner_text()
    assert workflow.state_of(YearReport.objects.get(plan=plan, year=2024)) == (
        workflow.State.APPROVED)
    texts.append("Merci, bon travail")
    assert_english(page, texts)

    click_and_wait(page.get_by_role("link", name="Filed reports"))
    assert_english(page, texts)
    click_and_wait(page.get_by_role("link", name=plan.pole.name).first)
    click_and_wait(page.get_by_test_id("publication-link"))  # the pôle's publication settings
    assert page.get_by_role("heading", level=1).inner_text().startswith("Public page")
    assert_english(page, texts)
    screenshot(page, "english-director")
    assert page.js_errors == []
