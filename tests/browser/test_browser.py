"""Real headless Chromium: a coordinator saves a result; directors and the ministry read
rendered dashboards whose numbers match the results. Screenshots land in test-artifacts/."""

import re

import pytest

from indicators.models import Result
from indicators.services import year_transition
from tests.browser.conftest import click_and_wait, login, watch_csp, year_nav
from tests.conftest import PASSWORD, find_indicator, make_result

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

YEAR = 2025


def test_coordinator_fills_a_value_saves_and_sees_the_status_change(
        live_server, page, cast, seed, screenshot):
    plan = seed["monteregie"]
    indicator = find_indicator(plan, "1.1.4", "Nb de rencontres")  # target 30 in 2025-2026
    login(page, live_server.url, "alice", PASSWORD)  # lands on the current year's entry page
    click_and_wait(year_nav(page).get_by_role("link", name="2025-2026", exact=True))
    status = page.get_by_test_id(f"status-{indicator.pk}")
    assert "Sans résultat" in status.inner_text()

    page.fill(f"#id_i{indicator.pk}-value", "32")
    page.fill(f"#id_i{indicator.pk}-comment", "Rencontres tenues en ligne")
    page.get_by_test_id("save").click()
    page.wait_for_load_state("networkidle")

    assert "1 résultat enregistré." in page.inner_text(".messages")
    status = page.get_by_test_id(f"status-{indicator.pk}")
    assert "Atteinte" in status.inner_text()
    assert "106,7" in status.inner_text()
    screenshot(page, "saisie-coordination")
    assert Result.objects.get(indicator=indicator, year=YEAR).value == 32

    # A letter in a number field: French message next to the field, the comment kept.
    page.fill(f"#id_i{indicator.pk}-value", "trente")
    page.get_by_test_id("save").click()
    page.wait_for_load_state("networkidle")
    assert "« trente » n'est pas un nombre" in page.inner_text(f"#id_i{indicator.pk}-value_error")
    assert page.input_value(f"#id_i{indicator.pk}-comment") == "Rencontres tenues en ligne"
    assert page.js_errors == []


def _results(seed, cast):
    plan = seed["monteregie"]
    make_result(find_indicator(plan, "1.1.1", "Nb de projets"), 2024, 2)
    make_result(find_indicator(plan, "1.1.4", "Nb de rencontres"), 2024, 10)
    make_result(find_indicator(plan, "1.3.1", "Nb de participants"), 2024, 7)
    year_transition(plan=plan, year=2024, action="submit", user=cast["alice"])


def _chart_rendered(page, selector):
    """A Plotly figure drawn by plotly.js (the indicator page)."""
    page.wait_for_selector(f"{selector}[data-rendered=true] svg.main-svg", timeout=20000)
    return page.locator(f"{selector} svg.main-svg").count()


LEGEND = ["Atteinte", "Non atteinte", "En cours", "Sans résultat", "Non évaluable"]


def _bars(page, chart_id):
    """The status bars as a person sees them (inline SVG drawn with the page, no script):
    {segment title: drawn width in pixels}, after checking the chart's name and legend and
    that the page loads no plotly.js."""
    chart = page.locator(f"svg#{chart_id}")
    assert chart.is_visible()
    assert chart.get_attribute("role") == "img"
    assert page.get_by_role("img", name=chart.locator("title").first.text_content()).count()
    assert chart.locator("g.legend text").all_text_contents() == LEGEND
    assert page.locator("script[src*=plotly]").count() == 0
    segments = {}
    for group in chart.locator("g:has(> title):has(> rect)").all():
        segments[group.locator("title").text_content()] = group.locator(
            "rect").bounding_box()["width"]
    return segments


def test_director_dashboard_renders_charts_and_matching_numbers(
        live_server, page, cast, seed, screenshot):
    _results(seed, cast)
    plan = seed["monteregie"]
    login(page, live_server.url, "dora", PASSWORD)  # lands on the pôle dashboard
    click_and_wait(year_nav(page).get_by_role("link", name="2024-2025", exact=True))
    first = plan.orientations.get(code="1")
    label = f"1 {' '.join(first.title.split())}\u00a0: "
    bars = _bars(page, "chart-orientations")
    # The three results of orientation 1: two met, one not met, as bars of 2 to 1 (give or
    # take their white outline).
    assert bars[label + "2 atteintes"] == pytest.approx(2 * bars[label + "1 non atteinte"],
                                                        rel=0.1)
    assert bars[label + "1 non atteinte"] > 3
    assert page.locator("#chart-orientations text", has_text=re.compile(r"^2$")).count() >= 1
    assert page.get_by_test_id("count-atteinte").inner_text() == "2"
    assert page.get_by_test_id("count-non_atteinte").inner_text() == "1"
    assert page.get_by_test_id("entered-share").inner_text() == "4\u00a0%"
    screenshot(page, "tableau-de-bord-direction")

    # A director has no link to the national view (typed address): it shows only their pôle.
    page.goto(f"{live_server.url}/national/?annee=2024")
    assert f"{plan.pole.name}\u00a0: 2 atteintes" in _bars(page, "chart-poles")
    assert page.locator("[data-testid=poles-table] tbody tr").count() == 1
    assert page.locator("tr[data-pole=monteregie] td[data-status=atteinte]").inner_text() == "2"
    screenshot(page, "vue-nationale-direction")

    indicator = find_indicator(plan, "1.1.4", "Nb de rencontres")
    click_and_wait(page.get_by_role("link", name=plan.pole.name))  # the pôle row's link
    click_and_wait(page.locator(f'a[href$="/indicateurs/{indicator.pk}/"]').first)
    assert _chart_rendered(page, "[data-chart=chart-indicator]") >= 1
    screenshot(page, "indicateur")
    assert page.js_errors == []


def test_ministry_national_dashboard_renders_every_pole(live_server, page, cast, seed,
                                                       screenshot):
    _results(seed, cast)
    login(page, live_server.url, "mina", PASSWORD)  # lands on the national view
    click_and_wait(year_nav(page).get_by_role("link", name="2024-2025", exact=True))
    bars = _bars(page, "chart-poles")
    monteregie_name = seed["monteregie"].pole.name
    assert f"{monteregie_name}\u00a0: 2 atteintes" in bars
    assert f"{monteregie_name}\u00a0: 1 non atteinte" in bars
    rows = page.locator("[data-testid=poles-table] tbody tr")
    assert rows.count() == 2
    monteregie = page.locator("tr[data-pole=monteregie]")
    assert monteregie.locator("td[data-status=atteinte]").inner_text() == "2"
    assert "soumise" in monteregie.inner_text()
    screenshot(page, "vue-nationale")

    click_and_wait(page.get_by_role("link", name=seed["quebec"].pole.name))
    assert any(title.endswith("sans résultat") for title in _bars(page, "chart-orientations"))
    screenshot(page, "tableau-de-bord-ministere")
    assert page.js_errors == []


def test_dashboard_works_at_tablet_width(live_server, chromium, cast, seed, screenshot):
    context = chromium.new_context(viewport={"width": 768, "height": 1024}, locale="fr-CA")
    violations = watch_csp(context)
    page = context.new_page()
    login(page, live_server.url, "dora", PASSWORD)  # lands on the pôle dashboard
    click_and_wait(year_nav(page).get_by_role("link", name="2024-2025", exact=True))
    assert _bars(page, "chart-orientations")
    box = page.locator("svg#chart-orientations").bounding_box()
    assert box["x"] + box["width"] <= 768 and box["height"] > 100  # scaled to fit, not cut
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 768, f"horizontal scroll at tablet width ({width}px)"
    screenshot(page, "tableau-de-bord-tablette")
    context.close()
    assert violations == []


def test_a_csp_violation_would_be_caught(live_server, page, cast):
    """The watcher the other browser tests rely on does see a violation (then forgets it)."""
    page.goto(f"{live_server.url}/compte/login/")  # the entry point: no link leads there
    page.evaluate("""() => { const img = document.createElement("img");
                             img.src = "https://example.org/pixel.png";
                             document.body.appendChild(img); }""")
    page.wait_for_timeout(500)
    assert any("img-src" in violation for violation in page.csp_violations)
    page.csp_violations.clear()


def test_entry_page_admin_and_revision_pages_raise_no_csp_violation(
        live_server, page, cast, seed):
    plan = seed["monteregie"]
    indicator = find_indicator(plan, "1.1.4", "Nb de rencontres")
    login(page, live_server.url, "sam", PASSWORD)
    # A walk over addresses, some without a link to them (the admin's import page): the
    # journeys by clicking are in test_journeys.py.
    for path in (f"/plans/{plan.pk}/saisie/2025/", f"/indicateurs/{indicator.pk}/cible/2025/",
                 f"/indicateurs/{indicator.pk}/", "/national/", "/admin/",
                 "/admin/indicators/result/", "/admin/indicators/indicator/import/",
                 f"/admin/indicators/indicator/{indicator.pk}/change/",
                 "/compte/password_change/"):
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        page.wait_for_load_state("networkidle")
    assert page.js_errors == []
    assert page.csp_violations == []
