"""Named reads of the register pages."""

from __future__ import annotations

from indicators.models import Indicator, Plan, Result, YearReport
from register.models import Activity


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
    return report.state if report else YearReport.State.DRAFT


def activities_behind(indicator: Indicator, plan: Plan, year: int):
    """The activities a computed indicator's ``year`` value comes from, for the drill-down
    (kind joined, organisations prefetched)."""
    from register.rules import rule_activities

    return (rule_activities(indicator, plan, year).select_related("kind")
            .prefetch_related("organisations").order_by("-start_date", "-id"))
