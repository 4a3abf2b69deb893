"""Named reads of the register pages."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q

from indicators import workflow
from indicators.models import Indicator, Plan, Result, YearReport
from register.models import Activity, IndicatorRule, Organisation


def activities_for_list(pole):
    """The pôle's activities for the list page: kind joined, actions and organisations
    prefetched (three queries for any number of rows)."""
    return Activity.objects.for_pole(pole)


def total_result(indicator: Indicator, year: int) -> Result | None:
    """The indicator's total result of ``year`` (computed value and override), if any."""
    return (Result.objects.filter(indicator=indicator, year=year, member__isnull=True)
            .select_related("updated_by").first())


def year_state(plan: Plan, year: int) -> str:
    report = YearReport.objects.filter(plan=plan, year=year).first()
    return workflow.state_of(report)


def activities_behind(indicator: Indicator, plan: Plan, year: int):
    """The activities a computed indicator's ``year`` value comes from, for the drill-down
    (kind joined, organisations prefetched)."""
    from register.rules import rule_activities

    return (rule_activities(indicator, plan, year).select_related("kind")
            .prefetch_related("organisations").order_by("-start_date", "-id"))


def establishments_by_theme(year: int, *, poles=None, start_month: int = 4) -> dict[int, int]:
    """MES theme number → distinct establishments involved in *réalisée* activities of
    ``year`` across pôles (``poles`` to restrict), through the themes of the activities'
    actions. An establishment reached by several pôles counts once per theme. One query.
    """
    start = datetime.date(year, start_month, 1)
    end = datetime.date(year + 1, start_month, 1) - datetime.timedelta(days=1)
    links = Activity.organisations.through.objects.filter(
        Q(activity__end_date__range=(start, end))
        | Q(activity__end_date__isnull=True, activity__start_date__range=(start, end)),
        activity__status=Activity.Status.DONE,
        organisation__kind__in=Organisation.ESTABLISHMENT_KINDS,
        activity__actions__themes__isnull=False)
    if poles is not None:
        links = links.filter(activity__pole__in=poles)
    rows = (links.values("activity__actions__themes__number")
            .annotate(n=Count("organisation_id", distinct=True)).order_by())
    return {row["activity__actions__themes__number"]: row["n"] for row in rows}


def indicator_activity_counts(indicator: Indicator, plan: Plan) -> dict[int, int]:
    """Plan year → how many activities a computed indicator's value comes from (the « N
    activités » of the indicator page); empty for a typed indicator. Two queries plus one per
    plan year, whatever the number of activities."""
    from register.rules import rule_activities

    rule = (IndicatorRule.objects.filter(indicator=indicator)
            .prefetch_related("activity_kinds").first())
    if rule is None:
        return {}
    indicator.register_rule = rule
    return {year: rule_activities(indicator, plan, year).count() for year in plan.years}


def establishments_by_theme_rows(themes, year: int, *, poles=None) -> list[tuple[object, int]]:
    """(MES theme, distinct establishments reached in ``year``) for the national view, in
    theme order. One query."""
    counts = establishments_by_theme(year, poles=poles)
    return [(theme, counts.get(theme.number, 0)) for theme in themes]


def establishments_reached(plan: Plan, year: int) -> int:
    """Distinct establishments (cégeps, universities, colleges, school service centres)
    involved in the pôle's *réalisée* activities of the plan year (one query): the annual
    report's « établissements rejoints »."""
    start, end = plan.year_bounds(year)
    return (Activity.organisations.through.objects
            .filter(Q(activity__end_date__range=(start, end))
                    | Q(activity__end_date__isnull=True, activity__start_date__range=(start, end)),
                    activity__pole=plan.pole, activity__status=Activity.Status.DONE,
                    organisation__kind__in=Organisation.ESTABLISHMENT_KINDS)
            .values("organisation_id").distinct().count())
