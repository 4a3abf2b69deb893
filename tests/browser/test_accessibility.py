"""axe-core (WCAG 2.1 A and AA rules) on every page each role reaches by clicking, and on the
page states a day's work shows: a message after a save, errors after a refused save or import.

Each role logs in and crawls by clicking the links of the top bar and of each page (within
the site, downloads and logout left aside), one page per kind of address (the digits and the
query of an address do not make a new kind), depth first, coming back with the
browser's Back button. Any violation fails the test with its rule, impact and targets.
"""

import re
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from indicators import workflow
from indicators.demo import demo_load, demo_password
from indicators.models import YearReport
from indicators.services import pole_publish
from register.models import Activity, Organisation
from tests.browser.conftest import click_and_wait, login, watch_csp, year_nav
from tests.conftest import PASSWORD, find_indicator, make_result
from tests.register.conftest import kind, make_org

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
              "resultTypes": ["violations"]}
# Files, not pages: workbooks, PDF, CSV/JSON/Markdown/iCalendar, stored evidence and filings.
DOWNLOAD = re.compile(r"(\.(xlsx|csv|json|pdf|ics|md)$|/reddition/|/preuves?/|/fichiers/)")
NOT_A_PAGE = re.compile(r"^/(admin/|compte/logout|langue/|static/|media/)")
MAX_PAGES = 30  # per role: a bound, well above the kinds of page each role has
MAX_DEPTH = 4

_axe = Axe()


def axe_violations(page, parts: list[str] | None = None) -> list[str]:
    """axe's WCAG 2.1 A/AA violations on the page as it stands (or on ``parts`` of it, CSS
    selectors), one line per rule: the rule, its impact, the targets."""
    context = {"include": [[part] for part in parts]} if parts else None
    response = _axe.run(page, context=context, options=WCAG_21_AA).response
    lines = []
    for violation in response["violations"]:
        targets = [" ".join(node["target"]) for node in violation["nodes"]]
        lines.append(f"{urlsplit(page.url).path}: {violation['id']} ({violation['impact']}) "
                     f"{len(targets)}× {targets[:5]} — {violation['help']}")
    return lines


def page_kind(url: str) -> str:
    """Addresses differing only by their ids or their query (a year, a filter, a list) show
    the same page."""
    return re.sub(r"\d+", "#", urlsplit(url).path)


class Crawl:
    """The pages reached by clicking from where the browser stands, each checked by axe (and,
    on a narrow screen, for a page that would scroll sideways)."""

    def __init__(self, page, base_url: str, skip: re.Pattern | None = None):
        self.page, self.origin, self.skip = page, urlsplit(base_url).netloc, skip
        self.kinds: set[str] = set()
        self.checked: list[str] = []
        self.violations: list[str] = []

    def check(self, label: str | None = None, parts: list[str] | None = None) -> None:
        """axe on the page (or ``parts`` of it: what a state adds to a page already checked)."""
        self.page.wait_for_load_state("load")
        where = label or urlsplit(self.page.url).path
        self.checked.append(where)
        self.violations += [f"[{label}] {line}" if label else line
                            for line in axe_violations(self.page, parts)]
        width = self.page.viewport_size["width"]
        if width < 400:
            scroll = self.page.evaluate("document.scrollingElement.scrollWidth")
            if scroll > width:
                self.violations.append(f"{where}: the page scrolls sideways at {width} px "
                                       f"({scroll} px wide)")

    def _links(self) -> list[tuple[str, str]]:
        hrefs = self.page.eval_on_selector_all(
            "a[href]:not([download])",
            "links => links.filter(a => a.offsetParent !== null)"
            ".map(a => [a.getAttribute('href'), a.href])")
        found = []
        for raw, absolute in hrefs:
            parts = urlsplit(absolute)
            if (parts.scheme not in ("http", "https") or parts.netloc != self.origin
                    or DOWNLOAD.search(parts.path) or NOT_A_PAGE.search(parts.path)
                    or (self.skip and self.skip.search(parts.path)) or raw.startswith("#")):
                continue
            found.append((raw, absolute))
        return found

    def visit(self, depth: int = 0) -> None:
        """Check this page, then click each link to a kind of page not seen yet and come back."""
        self.check()
        if depth >= MAX_DEPTH:
            return
        for raw, absolute in self._links():
            kind = page_kind(absolute)
            if kind in self.kinds or len(self.kinds) >= MAX_PAGES:
                continue
            self.kinds.add(kind)
            here = self.page.url
            self.page.locator(f'a[href="{raw}"]:visible').first.click()
            self.page.wait_for_load_state("load")
            landed = page_kind(self.page.url)  # a redirect may land on a page already seen
            if urlsplit(self.page.url).netloc == self.origin and (
                    landed == kind or landed not in self.kinds):
                self.kinds.add(landed)
                self.visit(depth + 1)
            self.page.go_back()
            self.page.wait_for_load_state("load")
            if self.page.url != here:  # a redirect left its own entry in the history
                self.page.goto(here)

    def start(self) -> None:
        self.kinds.add(page_kind(self.page.url))
        self.visit()


@pytest.fixture
def demo(seed):
    """The demo: an account per role and pôle, 2024-2025 results, Montérégie's year approved
    and published, Pôle Québec's submitted, the register's demo activities."""
    plans = [seed["monteregie"], seed["quebec"]]
    demo_load(plans)
    director = get_user_model().objects.get(username="direction-monteregie")
    pole_publish(pole=plans[0].pole, public=True, user=director)
    return plans


def new_page(chromium, width=1280):
    context = chromium.new_context(viewport={"width": width, "height": 900}, locale="fr-CA")
    page = context.new_page()
    page.csp_violations = watch_csp(context)
    page.js_errors = []
    page.on("pageerror", lambda error: page.js_errors.append(str(error)))
    return page


def coordinator_states(page, crawl):
    """A refused save and a save on the entry page (what they add to the page: the message,
    the error summary, the lines in error, the changes), a refused activity, a refused import
    and a refused password change."""
    click_and_wait(year_nav(page).get_by_role("link", name="2025-2026", exact=True))
    page.locator("form.entry").get_by_label("Résultat", exact=True).first.fill("trente")
    click_and_wait(page.get_by_role("button", name="Enregistrer", exact=True))
    crawl.check("saisie refusée", [".messages", "[data-error-summary]", "fieldset.has-error"])
    page.locator("form.entry").get_by_label("Résultat", exact=True).first.fill("32")
    click_and_wait(page.get_by_role("button", name="Enregistrer", exact=True))
    crawl.check("saisie enregistrée", [".messages", "[data-testid=status-changes]"])

    click_and_wait(page.get_by_test_id("nav-register"))
    click_and_wait(page.get_by_role("link", name="Ajouter une activité"))
    click_and_wait(page.get_by_role("button", name="Enregistrer l'activité"))
    crawl.check("activité refusée")

    click_and_wait(page.get_by_test_id("nav-register"))
    click_and_wait(page.get_by_role("link", name=re.compile("^Importer")))
    page.get_by_label("Fichier").set_input_files(files=[{
        "name": "registre.csv", "mimeType": "text/csv",
        "buffer": "Titre;Type;Début\nSans type;inconnu;hier\n".encode()}])
    click_and_wait(page.get_by_role("button", name="Importer", exact=True))
    crawl.check("import refusé")

    click_and_wait(page.get_by_role("link", name="Mot de passe", exact=True))
    page.get_by_label("Ancien mot de passe").fill("pas le bon")
    click_and_wait(page.locator("main").get_by_role("button"))
    crawl.check("mot de passe refusé")


def director_states(page, crawl):
    """The public page's setting saved (a message)."""
    click_and_wait(page.get_by_role("link", name="Mon pôle"))
    click_and_wait(page.get_by_test_id("publication-link"))
    click_and_wait(page.locator("main").get_by_role("button", name="Enregistrer"))
    crawl.check("page publique enregistrée")


def ministry_states(page, crawl):
    """A campaign refused (nothing filled)."""
    click_and_wait(page.get_by_role("link", name="Campagnes", exact=True))
    click_and_wait(page.get_by_role("button", name="Ouvrir la campagne"))
    crawl.check("campagne refusée")


# Who, at which width, with which states. The public pages are checked once, anonymously (a
# role's top bar is checked on its own pages); the coordinator's pages at 320 px, where no
# page may scroll sideways.
PUBLIC = re.compile(r"^/publique/(?!.*publication/)")
ROLES = [(None, 1280, None), ("coordo-monteregie", 320, coordinator_states),
         ("direction-monteregie", 1280, director_states), ("ministere", 1280, ministry_states)]


def test_every_page_of_every_role_has_no_axe_violation(live_server, chromium, demo):
    """The public pages, then each role's: every page reached by clicking, and the states
    with a message or errors; one report of every violation at the end."""
    report, violations, checked = [], [], 0
    for username, width, states in ROLES:
        page = new_page(chromium, width)
        if username:
            login(page, live_server.url, username, demo_password(username))
        else:
            page.goto(f"{live_server.url}/compte/login/")
        crawl = Crawl(page, live_server.url, skip=PUBLIC if username else None)
        crawl.start()
        if states:
            states(page, crawl)
        report.append(f"{username or 'public'} ({width} px): {', '.join(crawl.checked)}")
        violations += crawl.violations
        checked += len(crawl.checked)
        assert page.js_errors == [] and page.csp_violations == []
        page.context.close()
    print(f"{checked} page states checked\n" + "\n".join(report))
    assert violations == [], "\n".join(violations)


def test_axe_reports_a_violation_when_there_is_one(live_server, page):
    """The check can fail: an image without a text alternative is reported."""
    page.goto(f"{live_server.url}/compte/login/")
    page.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend', "
                  "'<img src=\"/static/x.png\">')")
    assert [line.split()[1] for line in axe_violations(page)] == ["image-alt"]


def test_axe_reports_a_chart_image_without_a_name(live_server, page):
    """The check sees an unnamed ``role="img"`` SVG, which the status bars must not be."""
    page.goto(f"{live_server.url}/compte/login/")
    page.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend', "
                  "'<svg role=\"img\" viewBox=\"0 0 10 10\" width=\"40\"><rect "
                  "width=\"10\" height=\"10\" fill=\"#1e6b34\"/></svg>')")
    assert [line.split()[1] for line in axe_violations(page)] == ["svg-img-alt"]


def test_status_bars_are_an_image_named_by_their_title_and_described_in_words(
        live_server, page, cast, seed):
    """A screen reader meets one image, « Répartition des statuts des indicateurs », whose
    description says each orientation's counts in words (the table follows it too)."""
    plan = seed["monteregie"]
    make_result(find_indicator(plan, "1.1.1", "Nb de projets"), 2024, 2)
    login(page, live_server.url, "dora", PASSWORD)  # lands on the pôle dashboard
    click_and_wait(year_nav(page).get_by_role("link", name="2024-2025", exact=True))
    chart = page.get_by_role("img", name="Répartition des statuts des indicateurs")
    assert chart.count() == 1
    first = " ".join(plan.orientations.get(code="1").title.split())
    expect(chart).to_have_accessible_description(
        re.compile(rf"^1 {re.escape(first)}\u00a0: 1 atteinte, \d+ sans résultat"))
    # Each segment's own title, shown on hover, in words too.
    assert f"1 {first}\u00a0: 1 atteinte" in chart.locator("g > title").all_text_contents()
    assert axe_violations(page, ["svg#chart-orientations"]) == []


# By hand, what axe cannot see: focus, the save bar, dialogs, help texts, narrow screens and
# the multi-select by keyboard.

MEETINGS = "Nb de rencontres"  # 1.1.4 of Montérégie


def _focused(page) -> dict:
    return page.evaluate("""() => {
      const e = document.activeElement, r = e.getBoundingClientRect();
      return {tag: e.tagName, id: e.id, text: (e.innerText || "").slice(0, 200),
              summary: e.hasAttribute("data-error-summary"), top: r.top, bottom: r.bottom};
    }""")


def test_a_refused_save_focuses_an_error_summary_that_links_to_the_field(
        live_server, page, cast, seed):
    plan = seed["monteregie"]
    indicator = find_indicator(plan, "1.1.4", MEETINGS)
    login(page, live_server.url, "alice", PASSWORD)
    click_and_wait(year_nav(page).get_by_role("link", name="2025-2026", exact=True))
    line = page.get_by_role("group", name=indicator.label)
    line.get_by_label("Résultat", exact=True).fill("trente")
    click_and_wait(page.get_by_role("button", name="Enregistrer", exact=True))

    focused = _focused(page)
    assert focused["summary"], focused
    assert "Une erreur empêche l'enregistrement" in focused["text"]
    link = page.get_by_test_id("error-summary").get_by_role(
        "link", name=re.compile(f"^{re.escape(indicator.label)} — Résultat : "))
    assert "« trente » n'est pas un nombre" in link.inner_text()
    value = page.get_by_role("group", name=indicator.label).get_by_label("Résultat", exact=True)
    assert value.get_attribute("aria-invalid") == "true"
    error_id = value.get_attribute("aria-describedby").split()[-1]
    assert "n'est pas un nombre" in page.locator(f"#{error_id}").inner_text()

    link.press("Enter")  # by keyboard: the link takes focus to the field, in view
    focused = _focused(page)
    assert focused["id"] == value.get_attribute("id")
    assert 0 <= focused["top"] and focused["bottom"] <= page.viewport_size["height"]
    assert page.js_errors == []


_RING = """() => {
  const e = document.activeElement, style = getComputedStyle(e), r = e.getBoundingClientRect();
  function rgb(c) {
    const m = c.match(/[\\d.]+/g).map(Number);
    return m.length > 3 && m[3] === 0 ? null : m.slice(0, 3);
  }
  let node = e.parentElement, bg = null;
  while (node && !bg) {
    bg = rgb(getComputedStyle(node).backgroundColor);
    node = node.parentElement;
  }
  const bar = document.querySelector(".savebar");
  const barTop = bar ? bar.getBoundingClientRect().top : innerHeight;
  return {what: e.tagName + "#" + e.id + "." + e.className, width: parseFloat(style.outlineWidth),
          outline: style.outlineStyle, color: rgb(style.outlineColor), bg: bg || [255, 255, 255],
          bottom: r.bottom, top: r.top, barTop: barTop, height: innerHeight};
}"""


def _luminance(rgb) -> float:
    def channel(c):
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_the_focus_ring_contrasts_3_to_1_and_the_save_bar_never_hides_it(
        live_server, page, cast, seed):
    """The first 200 tab stops of the entry page (the top bar, the panels, the lines)."""
    login(page, live_server.url, "alice", PASSWORD)
    click_and_wait(year_nav(page).get_by_role("link", name="2025-2026", exact=True))
    problems = []
    for _stop in range(200):
        page.keyboard.press("Tab")
        ring = page.evaluate(_RING)
        if ring["what"].startswith("BODY"):
            continue
        if ring["width"] < 3 or ring["outline"] == "none" or ring["color"] is None:
            problems.append(f"{ring['what']}: no 3px ring ({ring['width']} {ring['outline']})")
        elif contrast(ring["color"], ring["bg"]) < 3:
            problems.append(f"{ring['what']}: ring {ring['color']} on {ring['bg']} "
                            f"{contrast(ring['color'], ring['bg']):.1f}:1")
        if ring["bottom"] > ring["barTop"] or ring["top"] < 0:
            problems.append(f"{ring['what']}: hidden ({ring['top']:.0f}–{ring['bottom']:.0f}, "
                            f"save bar at {ring['barTop']:.0f})")
    assert problems == []


def test_the_submit_dialog_opens_with_focus_on_cancel(live_server, page, cast, seed):
    plan = seed["monteregie"]
    login(page, live_server.url, "alice", PASSWORD)
    click_and_wait(year_nav(page).get_by_role("link", name="2025-2026", exact=True))
    page.get_by_role("button", name="Soumettre à la direction").click()
    page.locator("dialog#confirm-submit").wait_for(state="visible")
    assert _focused(page)["text"] == "Annuler"
    page.keyboard.press("Enter")  # the safe choice: nothing is submitted
    page.locator("dialog#confirm-submit").wait_for(state="hidden")
    assert workflow.state_of(YearReport.objects.filter(plan=plan, year=2025).first()) == (
        workflow.State.DRAFT)


def _description(page, locator) -> str:
    ids = (locator.get_attribute("aria-describedby") or "").split()
    return " ".join(page.locator(f"#{i}").inner_text() for i in ids if page.locator(
        f"#{i}").is_visible())


def test_help_texts_and_date_formats_are_shown_and_linked(live_server, page, cast, seed):
    login(page, live_server.url, "alice", PASSWORD)
    click_and_wait(page.get_by_test_id("nav-register"))
    click_and_wait(page.get_by_role("link", name="Ajouter une activité"))
    end = page.get_by_label("Fin", exact=True)
    assert "L'activité compte dans l'exercice" in _description(page, end)
    assert "AAAA-MM-JJ" in _description(page, end)
    assert "AAAA-MM-JJ" in _description(page, page.get_by_label("Début", exact=True))

    click_and_wait(page.get_by_role("link", name="Mot de passe", exact=True))
    rules = _description(page, page.get_by_label("Nouveau mot de passe", exact=True))
    assert "8 caractères" in rules


def test_wide_tables_scroll_inside_a_focusable_region_at_320_px(live_server, page, cast, seed):
    page.set_viewport_size({"width": 320, "height": 700})
    login(page, live_server.url, "alice", PASSWORD)
    click_and_wait(page.get_by_test_id("nav-register"))
    region = page.locator(".table-scroll").filter(has=page.locator("table.activities"))
    assert region.get_attribute("role") == "region" and region.get_attribute("aria-label")
    assert region.get_attribute("tabindex") == "0"
    assert region.evaluate("r => r.scrollWidth > r.clientWidth")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 320


def test_status_bars_keep_a_readable_size_and_scroll_in_their_region_at_320_px(
        live_server, page, cast, seed):
    page.set_viewport_size({"width": 320, "height": 700})
    login(page, live_server.url, "dora", PASSWORD)  # lands on the pôle dashboard
    chart = page.locator("svg#chart-orientations")
    assert chart.bounding_box()["width"] >= 24 * 16  # 24rem: its text about 12 px high
    region = page.locator(".chart-scroll").filter(has=chart)
    assert region.get_attribute("role") == "region"
    assert region.get_attribute("aria-label") == "Répartition des statuts des indicateurs"
    assert region.get_attribute("tabindex") == "0"
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 320
    page.set_viewport_size({"width": 1280, "height": 900})  # room enough: no tab stop
    page.wait_for_function("!document.querySelector('.chart-scroll').hasAttribute('tabindex')")


def test_two_organisations_chosen_by_keyboard_only_are_announced_and_saved(
        live_server, page, cast, seed):
    make_org("Cégep de Granby")
    make_org("Cégep Édouard-Montpetit", abbreviation="")
    make_org("CPE La Cigogne", Organisation.Kind.CPE)
    kind("projet-concertation")
    login(page, live_server.url, "alice", PASSWORD)
    click_and_wait(page.get_by_test_id("nav-register"))
    click_and_wait(page.get_by_role("link", name="Ajouter une activité"))
    page.select_option("#id_kind", label="Projet de concertation")
    page.fill("#id_title", "Tables interordres")
    page.fill("#id_start_date", "2025-09-10")

    page.focus("#id_actions")
    page.keyboard.press("Tab")  # the next stop is the organisations' search box
    combobox = page.get_by_role("combobox", name="Établissements et partenaires")
    assert _focused(page)["id"] == combobox.get_attribute("id")
    page.keyboard.type("granby")
    page.keyboard.press("Enter")
    page.keyboard.type("edouard")
    page.keyboard.press("Enter")
    for key in ["ArrowDown", "ArrowDown", "ArrowUp", "ArrowLeft", "ArrowRight", "Escape"]:
        page.keyboard.press(key)  # moving around never drops a choice
    chosen = page.eval_on_selector("#id_organisations",
                                   "s => Array.from(s.selectedOptions).map(o => o.text)")
    assert len(chosen) == 2, chosen
    live = page.get_by_test_id("id_organisations-live")
    assert live.get_attribute("aria-live") == "polite"
    assert "ajouté" in live.inner_text() and "2 choisis" in live.inner_text()

    click_and_wait(page.get_by_role("button", name="Enregistrer l'activité"))
    activity = Activity.objects.get(title="Tables interordres")
    assert sorted(o.name for o in activity.organisations.all()) == [
        "Cégep de Granby", "Cégep Édouard-Montpetit"]
    assert page.js_errors == []
