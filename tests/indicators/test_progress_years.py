"""Several years read at once (``plans_progress_years``) give, year by year, what
``plans_progress`` gives for each year alone: same targets, results, evaluations, next target,
previous result and member results."""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings

from indicators import selectors
from indicators.evaluations import evaluations_refresh
from indicators.models import BreakdownMember, Indicator, Result, StoredEvaluation
from reporting.exports import multiyear_rows, results_rows
from tests.conftest import make_indicator, make_plan, make_result

YEARS = [2024, 2025, 2026]


@pytest.fixture
def several_years(seed, cast):
    """Both seed plans with results in every plan year (some lines left without one): totals,
    breakdown members, deliverables, a result declared not applicable, evidence, comments and
    authors; an indicator judged on a whole-period target, one with no target in the middle
    year."""
    plans = [seed["monteregie"], seed["quebec"]]
    make_indicator(plans[0], "Projets sur la période", targets={None: "Min 5"},
                   action_code="1.1.1")
    make_indicator(plans[1], "Ateliers", targets={2024: "Min 3", 2026: "Min 5"},
                   action_code="1.1.1")
    results = []
    for indicator in Indicator.objects.for_plans([plan.pk for plan in plans]):
        for year in YEARS:
            if (indicator.pk + year) % 5 == 0:
                continue
            author = cast["alice"] if year % 2 else cast["quentin"]
            if indicator.is_deliverable:
                results.append(Result(indicator=indicator, year=year, done=year % 2 == 0,
                                      updated_by=author))
            elif not indicator.per_member:
                results.append(Result(
                    indicator=indicator, year=year, updated_by=author,
                    value=Decimal((indicator.pk * 13 + year) % 90 + 1),
                    comment=f"Résultat {year}",
                    evidence_url="https://exemple.org/preuve" if year == 2025 else ""))
            for member in indicator.member_list:
                results.append(Result(indicator=indicator, member=member, year=year,
                                      value=Decimal(30 + (member.pk + year) % 20),
                                      updated_by=author))
    Result.objects.bulk_create(results)
    for year in YEARS:
        [declared] = [r for r in results if r.year == year and r.value and not r.member_id][:1]
        Result.objects.filter(pk=declared.pk).update(
            value=None, not_applicable=True, not_applicable_reason="Aucune activité")
    evaluations_refresh()
    return plans


def _result(result):
    if result is None:
        return None
    return (result.pk, result.year, result.member_id, result.value, result.done,
            result.not_applicable, result.comment, result.evidence_url,
            str(result.evidence_file), result.is_demo, result.computed_value,
            result.updated_at, result.updated_by_name)


def _target(target):
    if target is None:
        return None
    return (target.pk, target.year, target.text, target.reading_text, target.note,
            target.kind, target.value, target.deliverable)


def shown(item) -> tuple:
    """What the exports and the dashboard read of one indicator's progress for its year."""
    indicator = item.indicator
    return (
        item.year, item.plan.pk, indicator.pk, indicator.label, indicator.unit,
        indicator.per_member,
        (item.orientation.code, item.orientation.title, item.objective.code,
         item.objective.title, item.action.code, item.action.title),
        [theme.code for theme in item.action.theme_list],
        [(member.pk, member.label) for member in indicator.member_list],
        _target(item.target), item.is_period_target, _target(item.next_target),
        _target(item.targets.get(None)),
        _result(item.result), _result(item.previous_result),
        [_result(result) for result in item.results_for_year],
        {member.pk: (_result(item.member_results.get(member.pk, {}).get(item.year)),
                     _result(item.member_results.get(member.pk, {}).get(item.year - 1)))
         for member in indicator.member_list},
        item.evaluation, item.status, item.degree, str(item.status_label),
        str(item.degree_label), item.has_result, item.lacks_evidence, item.needs_attention,
    )


# Some years only: the years read around them (the previous year's results, the next year's
# targets) are not among them.
@pytest.mark.parametrize(("years", "today"), [
    (YEARS, datetime.date(2025, 3, 31)), (YEARS, datetime.date(2026, 6, 15)),
    (YEARS, datetime.date(2027, 4, 1)), ([2026, 2024], datetime.date(2026, 6, 15)),
    ([2025], datetime.date(2026, 6, 15))])
def test_each_year_read_at_once_is_the_year_read_alone(several_years, years, today):
    by_year = selectors.plans_progress_years(several_years, years, today)
    assert list(by_year) == sorted(years)
    for year in years:
        alone = selectors.plans_progress(several_years, year, today, plain=True)
        models = selectors.plans_progress(several_years, year, today)
        assert by_year[year].keys() == alone.keys() == {plan.pk for plan in several_years}
        for plan in several_years:
            together = [shown(item) for item in by_year[year][plan.pk]]
            assert together == [shown(item) for item in alone[plan.pk]]
            assert together == [shown(item) for item in models[plan.pk]]
            assert len(together) > 15
    # The fixture reaches what the comparison is about.
    items = [item for year in years for plan in several_years for item in by_year[year][plan.pk]]
    assert any(item.previous_result for item in items)
    assert any(item.next_target and item.next_target.year == item.year + 1 for item in items)
    assert any(item.is_period_target for item in items)
    assert any(item.member_results and item.results_for_year for item in items)
    assert any(item.result and item.result.not_applicable for item in items)
    assert any(not item.has_result for item in items)
    assert len({item.status for item in items}) >= 3


def test_the_workbook_tables_are_the_same_from_one_read(several_years):
    thresholds = settings.ACHIEVEMENT_THRESHOLDS
    for plan in several_years:
        alone = {year: selectors.plan_progress(plan, year, plain=True) for year in plan.years}
        together = {year: progress[plan.pk] for year, progress in
                    selectors.plans_progress_years([plan], plan.years).items()}
        for year in plan.years:
            assert (list(results_rows(together[year], year, thresholds))
                    == list(results_rows(alone[year], year, thresholds)))
        assert list(multiyear_rows(plan, together)) == list(multiyear_rows(plan, alone))


def test_several_years_cost_the_queries_of_one(several_years, django_assert_num_queries):
    with django_assert_num_queries(6):
        by_year = selectors.plans_progress_years(several_years, YEARS)
    with django_assert_num_queries(6):
        selectors.plans_progress(several_years, 2025, plain=True)
    assert all(by_year[year][plan.pk] for year in YEARS for plan in several_years)


def test_a_year_outside_a_plans_period_gives_it_an_empty_list(several_years,
                                                              django_assert_num_queries):
    by_year = selectors.plans_progress_years(several_years, [2026, 2027])
    assert all(by_year[2026][plan.pk] for plan in several_years)
    assert by_year[2027] == {plan.pk: [] for plan in several_years}
    with django_assert_num_queries(0):
        assert selectors.plans_progress_years(several_years, [2030]) == {
            2030: {plan.pk: [] for plan in several_years}}


def test_a_missing_stored_evaluation_of_one_year_is_evaluated_in_that_year_only(several_years):
    plan = several_years[0]
    item = selectors.plan_progress(plan, 2025, plain=True)[0]
    StoredEvaluation.objects.filter(indicator_id=item.indicator.pk, year=2025).delete()
    by_year = selectors.plans_progress_years([plan], YEARS)
    for year in YEARS:
        live = {p.indicator.pk: p for p in selectors.plan_progress(plan, year, live=True)}
        [read] = [p for p in by_year[year][plan.pk] if p.indicator.pk == item.indicator.pk]
        assert read.evaluation == live[item.indicator.pk].evaluation


def test_member_results_come_in_member_order_whatever_their_ids(db):
    plan = make_plan("ordre")
    sector = make_indicator(plan, "Par secteur", targets={2025: "Min 2"}, members=["TI", "Santé"])
    ti, sante = sector.members.order_by("id")
    BreakdownMember.objects.filter(pk=ti.pk).update(position=2)
    BreakdownMember.objects.filter(pk=sante.pk).update(position=1)
    make_result(sector, 2025, 3, member=ti, comment="TI")
    make_result(sector, 2025, 4, member=sante, comment="Santé")
    [together] = selectors.plans_progress_years([plan], [2025])[2025][plan.pk]
    [models] = selectors.plan_progress(plan, 2025)
    for item in (together, models):
        assert [r.comment for r in item.results_for_year] == ["Santé", "TI"]
