"""The pôle dashboard and both workbooks read statuses from the stored evaluations: the same
lines as a live evaluation, on any day, and no indicator evaluated on a read."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse

from indicators import progress, selectors
from reporting.exports import results_rows
from tests.conftest import make_indicator, make_plan, make_result
from tests.indicators.test_stored_evaluations import varied  # noqa: F401  (fixture)


@pytest.fixture
def per_member_period(seed):
    """A per-member whole-period target (judged at the plan's end, each member with its own
    reason and resolved target) and a relative one (resolved on the previous year)."""
    plan = make_plan("membres", first_year=2024, last_year=2026)
    sector = make_indicator(plan, "Organisations", targets={None: "40 % par secteur"},
                            unit="percent", members=["TI", "Santé"], breakdown_label="Secteur",
                            target_scope="each", action_code="1.1.1")
    relative = make_indicator(plan, "Inscriptions", targets={2025: "+10 %"},
                              action_code="1.1.2")
    ti, sante = sector.members.order_by("position")
    make_result(sector, 2024, 45, member=ti)
    make_result(sector, 2024, 30, member=sante)
    make_result(relative, 2024, 100)
    make_result(relative, 2025, 105)
    return plan


def rows(plan, year, today, *, live):
    items = selectors.plan_progress(plan, year, today, live=live)
    return list(results_rows(items, year, settings.ACHIEVEMENT_THRESHOLDS))


@pytest.mark.parametrize("today", [
    datetime.date(2025, 3, 31), datetime.date(2025, 4, 1), datetime.date(2026, 6, 15),
    datetime.date(2027, 3, 31), datetime.date(2027, 4, 1)])
def test_stored_and_live_evaluations_write_the_same_result_lines(varied, per_member_period,  # noqa: F811
                                                                 today):
    for plan in (varied, per_member_period):
        for year in plan.years:
            assert rows(plan, year, today, live=False) == rows(plan, year, today, live=True)


def test_stored_per_member_lines_keep_each_members_reason_and_target(per_member_period):
    lines = rows(per_member_period, 2024, datetime.date(2026, 6, 15), live=False)
    header = lines[0]
    by_member = {row[header.index("Membre")]: row for row in lines[1:]
                 if row[header.index("Indicateur")] == "Organisations"}
    assert by_member["TI"][header.index("Motif")] == (
        "Cible de période : jugée à la fin de 2026-2027.")
    assert by_member["Santé"][header.index("Cible retenue")].value == 40


@pytest.fixture
def no_evaluation(monkeypatch):
    """Fail the test if any indicator is evaluated."""
    def refuse(*args, **kwargs):
        raise AssertionError("an indicator was evaluated on a read")

    monkeypatch.setattr(progress, "evaluate_indicator", refuse)
    monkeypatch.setattr(selectors, "evaluate_indicator", refuse)


def test_dashboard_and_workbooks_evaluate_no_indicator_on_a_read(client, cast, seed,
                                                                 no_evaluation):
    client.force_login(cast["mina"])
    plan = seed["monteregie"]
    for url in (reverse("reporting:pole", args=[plan.pk]) + "?annee=2024",
                reverse("reporting:pole_export", args=[plan.pk]) + "?annee=2024",
                reverse("reporting:pole_export", args=[plan.pk]) + "?annee=2024&format=csv",
                reverse("reporting:national_export") + "?annee=2024"):
        assert client.get(url).status_code == 200, url


def test_the_entry_page_and_its_sheet_evaluate_no_indicator_on_a_read(
        client, cast, seed, no_evaluation):
    client.force_login(cast["alice"])
    plan = seed["monteregie"]
    for url in (reverse("indicators:entry", args=[plan.pk, 2024]),
                reverse("indicators:entry_sheet", args=[plan.pk, 2024])):
        assert client.get(url).status_code == 200, url
