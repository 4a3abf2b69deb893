"""Stored evaluations: equal to what ``evaluate`` says on any day, counted in SQL, checked."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from indicators import selectors
from indicators.demo import demo_load
from indicators.evaluations import evaluations_differences, evaluations_refresh
from indicators.models import Action, Indicator, Plan, Pole, Result, StoredEvaluation, Theme
from indicators.progress import summarize
from indicators.targets import Degree, Status
from tests.conftest import find_indicator, make_indicator, make_plan, make_result


def stored_status(indicator, year, today) -> str:
    return StoredEvaluation.objects.with_status(today).get(
        indicator=indicator, year=year).status


@pytest.fixture
def varied(seed):
    """A plan whose indicators reach every status and degree, in 2024 and 2025."""
    plan = make_plan("varie")
    met = make_indicator(plan, "Atteint", targets={2024: "Min 2", 2025: "Min 2"})
    watch = make_indicator(plan, "À surveiller", targets={2024: "10", 2025: "10"},
                           action_code="1.1.2")
    total = make_indicator(plan, "Cumul", targets={None: "100"}, cumulative=True,
                           action_code="1.1.3")
    members = make_indicator(plan, "Par secteur", targets={2024: "Min 5"}, members=["TI", "Santé"],
                             target_scope=Indicator.Scope.EACH, action_code="1.1.3")
    deliverable = make_indicator(plan, "Guide", targets={2025: "Mise à jour"},
                                 unit=Indicator.Unit.DELIVERABLE, action_code="1.1.4")
    make_indicator(plan, "Sans cible", action_code="1.1.4")
    make_result(met, 2024, 3, is_demo=True)
    make_result(watch, 2024, 6)
    make_result(watch, 2025, 9)
    make_result(total, 2024, 30)
    make_result(total, 2025, 30)
    ti, sante = members.members.order_by("position")
    make_result(members, 2024, 6, member=ti)
    make_result(members, 2024, 2, member=sante)
    make_result(deliverable, 2025, done=False)
    Action.objects.get(objective__orientation__plan=plan, code="1.1.2").themes.set(
        Theme.objects.filter(number__in=[1, 3]))
    Action.objects.get(objective__orientation__plan=plan, code="1.1.3").themes.set(
        Theme.objects.filter(number=1))
    return plan


@pytest.mark.parametrize("today", [
    datetime.date(2025, 3, 31), datetime.date(2025, 4, 1), datetime.date(2026, 6, 15),
    datetime.date(2027, 3, 31), datetime.date(2027, 4, 1)])
def test_stored_rows_give_the_status_evaluate_gives_on_any_day(varied, today):
    assert evaluations_differences(today=today) == []


def test_a_whole_period_total_is_in_progress_until_the_plan_is_over(varied):
    total = Indicator.objects.get(label="Cumul")
    assert stored_status(total, 2025, datetime.date(2026, 6, 15)) == Status.IN_PROGRESS
    assert stored_status(total, 2025, datetime.date(2027, 3, 31)) == Status.IN_PROGRESS
    assert stored_status(total, 2025, datetime.date(2027, 4, 1)) == Status.NOT_MET


def test_a_year_target_is_judged_the_day_after_its_march_31(varied):
    watch = Indicator.objects.get(label="À surveiller")
    assert stored_status(watch, 2024, datetime.date(2025, 3, 31)) == Status.IN_PROGRESS
    assert stored_status(watch, 2024, datetime.date(2025, 4, 1)) == Status.NOT_MET


@pytest.mark.parametrize("year", [2024, 2025, 2026])
def test_national_dashboard_counts_match_the_evaluated_indicators(client, cast, varied, year):
    make_result(find_indicator(Plan.objects.get(pole__code="monteregie"), "1.1.1",
                               "Nb de projets"), 2024, 2)
    plans = selectors.plans_for(Pole.objects.all())
    progress = selectors.plans_progress(plans, year)
    client.force_login(cast["mina"])
    response = client.get(reverse("reporting:national") + f"?annee={year}")
    assert response.status_code == 200
    rows = {row.plan.pk: row.summary for row in response.context["rows"]}
    for plan in plans:
        expected = summarize(progress[plan.pk])
        # The national view shows counts per status and the share entered.
        assert (rows[plan.pk].counts, rows[plan.pk].total, rows[plan.pk].entered) == (
            expected.counts, expected.total, expected.entered)
    themes = list(Theme.objects.order_by("number"))
    for plan, cells, unattached in response.context["matrix"].rows:
        expected = {theme.pk: [set(), 0, 0] for theme in themes} | {None: [set(), 0, 0]}
        for item in progress[plan.pk]:
            for theme in item.action.theme_list or [None]:
                cell = expected[theme.pk if theme else None]
                cell[0].add(item.action.pk)
                cell[1] += 1
                cell[2] += item.status == Status.MET
        got = dict(zip([t.pk for t in themes], cells, strict=True)) | {None: unattached}
        for key, (actions, indicators, met) in expected.items():
            assert (got[key].actions, got[key].indicators, got[key].met) == (
                len(actions), indicators, met)
    assert response.context["has_demo"] == (year == 2024)


def test_counts_by_orientation_and_degree_match_the_evaluated_indicators(varied):
    items = selectors.plan_progress(varied, 2024)
    [row] = selectors.evaluation_counts([varied], 2024, by=("orientation",))
    assert row["statuses"] == summarize(items).counts
    assert row["degrees"] == {d: sum(1 for i in items if i.degree == d) for d in Degree}
    assert row["degrees"] == {Degree.MET: 1, Degree.ON_TRACK: 0, Degree.WATCH: 1, Degree.NOT_MET: 2}
    assert row["indicators"] == 6 and row["entered"] == 4 and row["demo"] == 1


def test_check_lists_every_difference_and_fails_until_rebuilt(varied):
    watch = Indicator.objects.get(label="À surveiller")
    StoredEvaluation.objects.filter(indicator=watch, year=2024).update(
        status_closed=Status.MET)
    Result.objects.create(indicator=Indicator.objects.get(label="Sans cible"), year=2024,
                          value=1)  # written behind the services' back: not stored
    err = io.StringIO()
    with pytest.raises(CommandError, match="Écarts"):
        call_command("evaluations_check", stderr=err)
    assert f"indicator {watch.pk} 2024: status_closed stored 'atteinte'" in err.getvalue()
    assert "has_result stored False, recomputed True" in err.getvalue()
    call_command("evaluations_rebuild", stdout=io.StringIO())
    out = io.StringIO()
    call_command("evaluations_check", stdout=out)
    assert "concordent" in out.getvalue()


def test_a_refresh_writes_a_bounded_number_of_queries(varied, django_assert_num_queries):
    indicators = list(Indicator.objects.filter(action__objective__orientation__plan=varied))
    # Plans, results, indicators with their targets, members and themes, delete, insert.
    with django_assert_num_queries(8):
        assert evaluations_refresh(indicators=indicators) == 18
    with django_assert_num_queries(8):
        assert evaluations_refresh(plan=varied) == 18


def test_demo_data_is_stored_as_it_is_evaluated(seed):
    demo_load([seed["monteregie"], seed["quebec"]])
    assert evaluations_differences() == []
    [row] = selectors.evaluation_counts([seed["monteregie"]], 2024, by=("plan",))
    assert row["demo"] == row["entered"] > 0


def test_the_admin_offers_no_change_of_a_result_but_a_link_to_the_entry_page(client, cast,
                                                                              seed):
    indicator = find_indicator(seed["monteregie"], "1.1.1", "Nb de projets")  # target 1
    result = make_result(indicator, 2024, 0)
    client.force_login(cast["sam"])
    url = reverse("admin:indicators_result_change", args=[result.pk])
    response = client.post(url, {
        "indicator": indicator.pk, "year": 2024, "value": "3", "version": 1,
        "not_applicable_reason": "", "comment": "", "evidence_url": ""})
    assert response.status_code == 403
    result.refresh_from_db()
    assert result.value == 0 and result.version == 1
    page = client.get(url)
    assert page.status_code == 200
    # The line in its orientation's section: a long plan's entry page shows one at a time.
    entry = reverse("indicators:entry", args=[seed["monteregie"].pk, 2024])
    orientation = indicator.action.objective.orientation_id
    assert (f'href="{entry}?orientation={orientation}#i{indicator.pk}"'
            in page.content.decode())
    assert evaluations_differences() == []


def test_a_from_to_target_and_a_named_reference_are_stored_as_evaluate_judges_them(seed):
    """Issue 23: the starting point and the reference of a change flow into stored rows."""
    plan = make_plan("depart")
    rate = make_indicator(plan, "Taux", unit=Indicator.Unit.PERCENT,
                          targets={2024: "Passer de 40 % à 60 %"})
    visits = make_indicator(plan, "Visites", action_code="1.1.2",
                            targets={2025: "hausse de 10 % par rapport à 2024-2025"})
    make_result(rate, 2024, 50)
    make_result(visits, 2024, 100)
    make_result(visits, 2025, 105)
    evaluations_refresh(plan=plan)
    halfway = StoredEvaluation.objects.get(indicator=rate, year=2024)
    assert (halfway.achievement, halfway.degree_closed) == (50, Degree.WATCH)
    short = StoredEvaluation.objects.get(indicator=visits, year=2025)
    assert (short.resolved_target, short.status_closed) == (110, Status.NOT_MET)
    assert evaluations_differences() == []
