"""The national workbook reads plan by plan (``plans_progress_stream``): the same lines as the
whole read, in the same order, with memory holding one plan at a time."""

from django.conf import settings

from indicators import selectors
from indicators.models import Action, Plan, Pole, Theme
from reporting.exports import results_rows
from tests.conftest import find_indicator, make_indicator, make_plan, make_result

YEAR = 2024


def _plans(seed):
    return selectors.plans_for(Pole.objects.all())


def test_the_stream_reads_each_plan_as_the_whole_read_does(seed, cast):
    plan = seed["monteregie"]
    make_result(find_indicator(plan, "1.1.1", "Nb de projets"), YEAR, 2, comment="Deux",
                updated_by=cast["alice"])
    make_result(find_indicator(plan, "1.1.4", "Nb de rencontres"), YEAR - 1, 9)
    sector = make_indicator(plan, "Organisations par secteur", targets={YEAR: "Min 2"},
                            members=["TI", "Santé"], action_code="1.1.1")
    ti, _sante = sector.members.order_by("position")
    make_result(sector, YEAR, 5, member=ti)
    plans = _plans(seed)
    whole = selectors.plans_progress(plans, YEAR, plain=True)
    thresholds = settings.ACHIEVEMENT_THRESHOLDS

    streamed = list(selectors.plans_progress_stream(plans, YEAR))

    assert [(theme, p) for theme, p, _items in streamed] == [
        (None, p) for p in plans if whole[p.pk]]
    for _theme, p, items in streamed:
        assert list(results_rows(items, YEAR, thresholds)) == list(
            results_rows(whole[p.pk], YEAR, thresholds))
    assert any(line[8] is not None and line[4] == "TI" for _t, p, items in streamed
               for line in results_rows(items, YEAR, thresholds))


def test_by_theme_an_action_comes_under_each_of_its_themes_and_unattached_ones_last(seed):
    plan = seed["monteregie"]
    first, second = Theme.objects.order_by("number")[:2]
    both = Action.objects.get(objective__orientation__plan=plan, code="1.1.1")
    both.themes.set([second, first])
    unattached = Action.objects.get(objective__orientation__plan=plan, code="1.1.2")
    unattached.themes.clear()
    plans = _plans(seed)
    whole = selectors.plans_progress(plans, YEAR, plain=True)

    groups = list(selectors.plans_progress_stream(plans, YEAR, by_theme=True))

    keys = [(theme, p.pk) for theme, p, _items in groups]
    order = {p.pk: index for index, p in enumerate(plans)}
    assert keys == sorted(keys, key=lambda k: (k[0] is None, k[0] or 0, order[k[1]]))
    for theme, p, items in groups:
        expected = [item.indicator.pk for item in whole[p.pk]
                    if (theme in [t.number for t in item.action.theme_list]
                        if theme is not None else not item.action.theme_list)]
        assert [item.indicator.pk for item in items] == expected
    under = {theme for theme, p, items in groups
             if any(item.action.pk == both.pk for item in items)}
    assert under == {first.number, second.number}
    assert keys[-1][0] is None and unattached.pk in {
        item.action.pk for theme, _p, items in groups if theme is None for item in items}
    assert [t.number for t in next(item.action.theme_list for _t, _p, items in groups
                                   for item in items if item.action.pk == both.pk)] == [
        first.number, second.number]


def test_a_plan_outside_the_year_or_without_indicators_is_not_streamed(seed):
    empty = make_plan("vide")
    old = make_plan("ancien", first_year=2020, last_year=2022)
    make_indicator(old, "Projets", targets={2021: "Min 1"}, action_code="1.1.1")
    plans = selectors.plans_for(Pole.objects.all())
    assert {p.pk for p in plans} >= {empty.pk, old.pk}

    streamed = [p.pk for _theme, p, _items in selectors.plans_progress_stream(plans, YEAR)]

    assert empty.pk not in streamed and old.pk not in streamed
    assert set(streamed) == {p.pk for p in Plan.objects.filter(pk__in=[
        seed["monteregie"].pk, seed["quebec"].pk])}
