"""View models of the public pages, built from rows the selectors read (no query)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import groupby

from django.conf import settings
from django.utils.translation import gettext as _

from indicators import formatting
from indicators.models import ActionProgress, Plan, fiscal_year_label
from indicators.progress import (
    IndicatorProgress,
    OrientationGroup,
    Summary,
    group_progress,
    summarize,
)
from indicators.rows import IndicatorRow
from indicators.targets import Degree, degree
from reporting import charts
from reporting.dashboards import orientation_counts
from reporting.filings import PublicFiling


@dataclass(frozen=True)
class PublicLine:
    """What the public page shows of one indicator in an approved year: its target as
    written and as read, result, verdict and degree; never a comment, evidence, name or
    reason typed by someone."""

    item: IndicatorProgress

    @property
    def result_text(self) -> str:
        evaluation, result = self.item.evaluation, self.item.result
        unit = self.item.indicator.unit
        if evaluation.measured is not None:
            return formatting.format_value(evaluation.measured, unit)
        if result is None:
            return ""
        if result.not_applicable:
            return str(_na())
        if self.item.indicator.is_deliverable:
            return str(_done(result.done))
        return formatting.format_value(result.value, unit) if result.value is not None else ""

    @property
    def degree(self) -> Degree | None:
        return degree(self.item.evaluation, **settings.ACHIEVEMENT_THRESHOLDS)


def _na() -> str:
    return _("Non applicable")


def _done(done: bool | None) -> str:
    return {True: _("Réalisé"), False: _("Non réalisé")}.get(done, "")


@dataclass(frozen=True)
class PublicAction:
    """What the public page shows of one action in an approved year: its state and the
    narrative of what was done; never the reason, nor who wrote them."""

    code: str
    title: str
    state: str
    narrative: str

    @property
    def state_label(self) -> str:
        return str(ActionProgress.State(self.state).label) if self.state else ""


def public_actions(rows: list[dict]) -> list[PublicAction]:
    """From :func:`indicators.selectors.action_states_years` rows."""
    return [PublicAction(row["code"], row["title"], row["state"], row["narrative"])
            for row in rows]


@dataclass
class PublicYear:
    """One approved year of a plan: its figures, chart and data table, and its lines."""

    year: int
    approved_at: datetime.datetime | None
    summary: Summary
    by_orientation: list
    chart: str  # inline SVG (reporting.charts.status_bars)
    groups: list[OrientationGroup]
    lines: dict[int, PublicLine]
    has_demo: bool
    filing: PublicFiling | None = None  # the latest filed version, its PDF linked
    actions: list[PublicAction] = field(default_factory=list)

    @property
    def label(self) -> str:
        return fiscal_year_label(self.year)

    @property
    def chart_id(self) -> str:
        return f"chart-{self.year}"


@dataclass
class Structure:
    """The plan as written: orientation → objective → action → indicators."""

    orientation: object
    objectives: list[tuple[object, list[tuple[object, list[IndicatorRow]]]]]


@dataclass
class PublicPlan:
    plan: Plan
    structure: list[Structure]
    years: list[PublicYear]


def structure_of(indicators: list[IndicatorRow]) -> list[Structure]:
    """Nest indicators read in plan order (:func:`indicators.selectors.plain_indicators`)."""
    tree = []
    for orientation, in_orientation in groupby(indicators, key=lambda i: i.action.objective
                                                .orientation):
        objectives = []
        for objective, in_objective in groupby(in_orientation, key=lambda i: i.action.objective):
            actions = [(action, list(in_action))
                       for action, in_action in groupby(in_objective, key=lambda i: i.action)]
            objectives.append((objective, actions))
        tree.append(Structure(orientation, objectives))
    return tree


def public_year(year: int, approved_at, items: list[IndicatorProgress], *,
                filing: PublicFiling | None = None,
                actions: Iterable[dict] = ()) -> PublicYear:
    by_orientation = orientation_counts(items)
    return PublicYear(
        filing=filing, actions=public_actions(list(actions)),
        year=year, approved_at=approved_at, summary=summarize(items),
        by_orientation=by_orientation,
        chart=charts.status_bars([(f"{o.code} {o.title}", counts)
                                  for o, counts in by_orientation],
                                 title=_("Répartition des statuts des indicateurs"),
                                 chart_id=f"chart-{year}"),
        groups=group_progress(items),
        lines={item.indicator.id: PublicLine(item) for item in items},
        has_demo=any(result.is_demo for item in items for result in item.results_for_year))


def public_plans(plans: list[Plan], indicators: list[IndicatorRow], approved: dict,
                 progress: dict, *, states: dict | None = None,
                 filings: dict | None = None) -> list[PublicPlan]:
    """Each plan with its structure and approved years, from what the selectors read:
    ``indicators`` of every plan, ``approved`` years by plan, ``progress`` by year then plan,
    actions' ``states`` by plan then year (:func:`indicators.selectors.action_states_years`)
    and ``filings`` by (plan, year) (:func:`reporting.filings.latest_public_filings`)."""
    states, filings = states or {}, filings or {}
    by_plan: dict[int, list[IndicatorRow]] = {}
    for indicator in indicators:
        by_plan.setdefault(indicator.action.objective.orientation.plan_id, []).append(indicator)
    return [PublicPlan(plan=plan, structure=structure_of(by_plan.get(plan.pk, [])),
                       years=[public_year(year, approved_at, progress[year][plan.pk],
                                          filing=filings.get((plan.pk, year)),
                                          actions=states.get(plan.pk, {}).get(year, []))
                              for year, approved_at in approved.get(plan.pk, {}).items()])
            for plan in plans]
