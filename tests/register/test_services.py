"""Writing computed values into results: when rows appear, and which years are left alone."""

import datetime

from indicators.models import Result, YearReport
from register.models import Activity, IndicatorRule
from register.services import activity_save, register_results_update, results_recompute
from tests.conftest import make_indicator
from tests.register.conftest import kind, make_activity, make_rule

Kind = IndicatorRule.Kind


def test_a_year_not_yet_begun_gets_no_zero_results(plan):
    indicator = make_indicator(plan, "Nb de projets")
    make_rule(indicator, Kind.ACTIVITIES)
    today = datetime.date(2025, 1, 15)
    results_recompute(plan=plan, year=2024, today=today)
    results_recompute(plan=plan, year=2025, today=today)
    assert list(Result.objects.filter(indicator=indicator).values_list("year", "value")) == [
        (2024, 0)]


def test_submitted_and_approved_years_are_never_rewritten(plan):
    indicator = make_indicator(plan, "Nb de projets")
    make_rule(indicator, Kind.ACTIVITIES)
    make_activity(plan.pole, actions=[indicator.action])
    YearReport.objects.create(plan=plan, year=2024, state=YearReport.State.SUBMITTED)
    register_results_update(pole=plan.pole, user=None, today=datetime.date(2026, 1, 1))
    assert not Result.objects.filter(indicator=indicator, year=2024).exists()
    assert Result.objects.get(indicator=indicator, year=2025).value == 0


def test_saving_an_activity_updates_results_and_records_who(plan, cast):
    indicator = make_indicator(plan, "Nb de projets")
    make_rule(indicator, Kind.ACTIVITIES)
    activity = Activity(pole=plan.pole, kind=kind("autre"), title="Forum",
                        start_date=datetime.date(2024, 10, 1))
    activity_save(activity=activity, user=cast["alice"], actions=[indicator.action],
                  organisations=[], today=datetime.date(2025, 1, 1))
    result = Result.objects.get(indicator=indicator, year=2024)
    assert result.value == 1 and result.updated_by == cast["alice"]
    assert activity.history.exists()
    unchanged = result.version
    results_recompute(plan=plan, year=2024, today=datetime.date(2025, 1, 1))
    result.refresh_from_db()
    assert result.version == unchanged  # nothing changed, no new history row
