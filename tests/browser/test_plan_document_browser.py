"""Real headless Chromium: the director of a new pôle pastes the table of the plan it
published, settles the cells the reader could not cut, and imports it by clicking."""

import pytest

from indicators.models import Indicator, Membership
from tests.browser.conftest import click_and_wait, login
from tests.conftest import PASSWORD, make_plan, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASTED = ("ORIENTATION 3\tContribuer à l'accessibilité\n"
          "OBJECTIFS\tACTIONS\tINDICATEURS\t24-25\t25-26\t26-27\n"
          "3.1 Optimiser\t3.1.1 Consolidation des partenariats\tNb de partenariats en vigueur."
          "\t2\t3\t4\n"
          "\t3.1.2 Exploration\tProduction d'un état de situation; Nouveaux partenariats.\t"
          "1 1\t2\t3\n"
          "3.2 Soutenir\t3.2.1 Participation\tNb d'activités; Nb d'établissements impliqués."
          "\t3 4\t4 5\t4 6\n")


def test_director_pastes_a_table_settles_the_doubts_and_imports_it_by_clicking(
        live_server, page, screenshot):
    plan = make_plan("neuf", first_year=2024, last_year=2026)
    make_user("nadia", Membership.Role.DIRECTOR, plan.pole)

    login(page, live_server.url, "nadia", PASSWORD)  # lands on the pôle's dashboard
    click_and_wait(page.get_by_test_id("document-link"))
    page.fill("#id_pasted", PASTED)
    click_and_wait(page.get_by_test_id("read-document"))

    flagged = page.get_by_test_id("flagged-target")
    assert flagged.count() == 4
    assert "« 2 »" in flagged.first.inner_text()
    assert not Indicator.objects.filter(action__objective__orientation__plan=plan).exists()
    screenshot(page, "plan-document-relecture")

    # 3.1.2 prints one value for two indicators: the state of play is produced once
    page.fill("#id_rows-1-target_2025", "—")
    page.fill("#id_rows-1-target_2026", "—")
    page.fill("#id_rows-2-target_2025", "2")
    page.fill("#id_rows-2-target_2026", "3")
    click_and_wait(page.get_by_test_id("confirm-import"))

    assert "Plan importé depuis le document : 5 indicateurs." in page.inner_text(".messages")
    indicators = Indicator.objects.filter(action__objective__orientation__plan=plan)
    assert indicators.count() == 5
    partners = indicators.get(label="Nouveaux partenariats")
    assert sorted(partners.targets.values_list("year", "text")) == [
        (2024, "1"), (2025, "2"), (2026, "3")]
