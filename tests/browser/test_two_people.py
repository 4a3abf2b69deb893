"""Two people on the same year's page, in two browsers (issue 17, item 3), and the
coordinator's confirmation step before submitting (issue 14, item 8)."""

from decimal import Decimal

import pytest

from indicators.models import Indicator, Membership, Result, YearReport
from tests.browser.conftest import login, watch_csp
from tests.conftest import PASSWORD, find_indicator, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

YEAR = 2025


@pytest.fixture
def two_pages(chromium):
    """Two people, each in their own browser context (own cookies), CSP watched on both."""
    contexts, pages, violations = [], [], []
    for _person in range(2):
        context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="fr-CA")
        violations.append(watch_csp(context))
        contexts.append(context)
        pages.append(context.new_page())
    yield pages
    for context in contexts:
        context.close()
    assert violations == [[], []], "Content-Security-Policy violations on the pages visited"


def open_entry(page, base_url, plan, username):
    login(page, base_url, username, PASSWORD)  # a coordinator lands on the entry page
    page.locator("nav.years").get_by_role("link", name=f"{YEAR}-{YEAR + 1}").click()
    page.wait_for_load_state("networkidle")


def save(page):
    page.get_by_test_id("save").click()
    page.wait_for_load_state("networkidle")


def value(indicator):
    return Result.objects.get(indicator=indicator, year=YEAR).value


def test_two_people_on_one_year_lose_nothing(live_server, two_pages, cast, seed, screenshot):
    plan = seed["monteregie"]
    make_user("bob", Membership.Role.COORDINATOR, plan.pole)
    first = find_indicator(plan, "1.1.1", "Nb de projets")
    second = (Indicator.objects.filter(action__objective__orientation__plan=plan,
                                       unit=Indicator.Unit.COUNT, members__isnull=True)
              .exclude(pk=first.pk).order_by("pk").first())
    alice, bob = two_pages
    open_entry(alice, live_server.url, plan, "alice")
    open_entry(bob, live_server.url, plan, "bob")

    # Different lines: both saved, though bob's page was opened before alice saved.
    alice.fill(f"#id_i{first.pk}-value", "3")
    save(alice)
    assert "1 résultat enregistré." in alice.inner_text(".messages")
    bob.fill(f"#id_i{second.pk}-value", "7")
    save(bob)
    assert "1 résultat enregistré." in bob.inner_text(".messages")
    assert (value(first), value(second)) == (Decimal(3), Decimal(7))

    # The same line: one conflict, both values side by side, resolved in one more save.
    alice.reload()
    bob.reload()
    alice.fill(f"#id_i{first.pk}-value", "4")
    save(alice)
    bob.fill(f"#id_i{first.pk}-value", "6")
    bob.fill(f"#id_i{first.pk}-comment", "Recompté\n- 2 nouveaux projets")
    save(bob)
    conflict = bob.get_by_test_id(f"conflict-i{first.pk}")
    assert conflict.get_by_test_id("conflict-current").inner_text() == "4"
    assert conflict.get_by_test_id("conflict-mine").inner_text().startswith("6")
    assert bob.input_value(f"#id_i{first.pk}-value") == "6"
    assert bob.input_value(f"#id_i{first.pk}-comment") == "Recompté\n- 2 nouveaux projets"
    assert value(first) == Decimal(4)
    screenshot(bob, "saisie-conflit")
    conflict.get_by_label("garder ma valeur").check()
    save(bob)
    assert "1 résultat enregistré." in bob.inner_text(".messages")
    result = Result.objects.get(indicator=first, year=YEAR)
    assert (result.value, result.comment) == (Decimal(6), "Recompté\n- 2 nouveaux projets")
    assert value(second) == Decimal(7)
    # alice's 4 is not lost: it is in the line's history.
    assert Decimal(4) in {row.value for row in result.history.all()}


def test_submitting_asks_for_confirmation_in_a_dialog(live_server, page, cast, seed):
    plan = seed["monteregie"]
    open_entry(page, live_server.url, plan, "alice")
    page.get_by_role("button", name="Soumettre à la direction").click()
    dialog = page.locator("dialog#confirm-submit")
    assert dialog.is_visible()
    assert "la verrouille" in dialog.inner_text()
    # It says what is still missing, and opens on the safe choice.
    assert "attendent encore leur résultat pour 2025-2026" in dialog.inner_text()
    assert "actions n'est pas indiqué" in dialog.inner_text()
    assert page.evaluate("document.activeElement.textContent") == "Annuler"
    page.keyboard.press("Enter")  # Enter on the focused « Annuler » submits nothing
    assert not dialog.is_visible()
    assert not YearReport.objects.filter(plan=plan, year=YEAR, state="submitted").exists()
    page.get_by_role("button", name="Soumettre à la direction").click()
    dialog.get_by_role("button", name="Annuler").click()
    assert not dialog.is_visible()
    assert not YearReport.objects.filter(plan=plan, year=YEAR, state="submitted").exists()
    page.get_by_role("button", name="Soumettre à la direction").click()
    page.get_by_test_id("confirm-submit").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("year-state").inner_text() == "soumise"
    assert YearReport.objects.get(plan=plan, year=YEAR).state == "submitted"
    assert page.js_errors == []
