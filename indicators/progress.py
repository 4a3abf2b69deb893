"""Where each indicator of a plan stands for a year, from rows already fetched (no query).

:mod:`indicators.selectors` reads the rows; this module turns them into
:class:`IndicatorProgress` (evaluated with the pure rules of :mod:`indicators.targets`), nests
them by orientation and counts them.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import groupby

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from indicators import targets as tl
from indicators.formatting import format_value
from indicators.models import (
    Action,
    Indicator,
    Objective,
    Orientation,
    Plan,
    Result,
    Target,
    fiscal_year_label,
)

STATUS_LABELS = {
    tl.Status.MET: _("Atteinte"),
    tl.Status.NOT_MET: _("Non atteinte"),
    tl.Status.IN_PROGRESS: _("En cours"),
    tl.Status.NO_RESULT: _("Sans résultat"),
    tl.Status.NOT_ASSESSABLE: _("Non évaluable"),
}
STATUS_ORDER = list(STATUS_LABELS)

DEGREE_LABELS = {
    tl.Degree.MET: _("Cible atteinte"),
    tl.Degree.ON_TRACK: _("Progresse bien"),
    tl.Degree.WATCH: _("À surveiller"),
    tl.Degree.NOT_MET: _("Non atteinte"),
}


@dataclass
class IndicatorProgress:
    """One indicator, its target for the year, its results and their evaluation.

    ``targets`` (by year, None for the whole period), ``results`` (by year) and
    ``member_results`` (by member id, then year) hold at least the years shown (the year, the
    one before, the next year's target) and may hold others: one read serves several years
    (:func:`indicators.selectors.plans_progress_years`). Everything here looks a year up, never
    walks them.
    """

    indicator: Indicator
    year: int
    target: Target | None
    targets: dict[int | None, Target]
    results: dict[int, Result]
    member_results: dict[int, dict[int, Result]]
    evaluation: tl.Evaluation
    plan: Plan

    @property
    def action(self) -> Action:
        return self.indicator.action

    @property
    def objective(self) -> Objective:
        return self.indicator.action.objective

    @property
    def orientation(self) -> Orientation:
        return self.indicator.action.objective.orientation

    @property
    def result(self) -> Result | None:
        return self.results.get(self.year)

    @property
    def previous_result(self) -> Result | None:
        return self.results.get(self.year - 1)

    @property
    def status(self) -> tl.Status:
        return self.evaluation.status

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.evaluation.status]

    @property
    def degree(self) -> tl.Degree | None:
        return tl.degree(self.evaluation, **settings.ACHIEVEMENT_THRESHOLDS)

    @property
    def degree_label(self) -> str:
        degree = self.degree
        return DEGREE_LABELS[degree] if degree else ""

    @property
    def is_period_target(self) -> bool:
        """The year is judged against a whole-period target (judged at the plan's end)."""
        return self.target is not None and self.target.year is None

    @property
    def target_heading(self) -> str:
        """What the target shown is: the year's (« Cible »), or the whole period's, said so
        from the start (« Cible pour la période 2024-2027 »), result or not."""
        if self.is_period_target:
            return str(_("Cible pour la période %(period)s")) % {
                "period": f"{self.plan.first_year}-{self.plan.last_year + 1}"}
        return str(_("Cible"))

    @property
    def achievement_note(self) -> str:
        """Why an achievement stands beside « En cours »: how far the result has come
        towards a target judged later (the period's end, or the year's), '' otherwise."""
        achieved = self.evaluation.achievement
        if self.status != tl.Status.IN_PROGRESS or achieved is None:
            return ""
        share = format_value(achieved, tl.Unit.PERCENT)
        if self.is_period_target:
            return str(_("cible de période : %(share)s de la cible atteint à ce jour ; elle "
                         "sera jugée à la fin de %(last)s")) % {
                "share": share, "last": fiscal_year_label(self.plan.last_year)}
        return str(_("année en cours : %(share)s de la cible atteint à ce jour ; elle sera "
                     "jugée à la fin de %(year)s")) % {
            "share": share, "year": fiscal_year_label(self.year)}

    @property
    def next_target(self) -> Target | None:
        return self.targets.get(self.year + 1) or self.targets.get(None)

    @property
    def has_result(self) -> bool:
        return any(not result.measure.is_empty for result in self.results_for_year)

    @property
    def results_for_year(self) -> list[Result]:
        """The total and every member result entered for the year."""
        found = [self.result] if self.result else []
        found += [series[self.year] for series in self.member_results.values()
                  if self.year in series]
        return found

    @property
    def lacks_evidence(self) -> bool:
        entered = self.results_for_year
        return bool(entered) and not any(r.has_evidence for r in entered)

    @property
    def indicator_id(self) -> int:
        return self.indicator.pk

    @property
    def indicator_label(self) -> str:
        return self.indicator.label

    @property
    def action_code(self) -> str:
        return self.indicator.action.code

    @property
    def orientation_id(self) -> int:
        return self.orientation.pk

    @property
    def computed(self) -> bool:
        """The year's total was computed by the activity register, not replaced by a
        person."""
        result = self.result
        return (result is not None and result.computed_value is not None
                and not result.override_reason)

    @property
    def computed_zero(self) -> bool:
        return self.computed and self.result.value == 0

    @property
    def needs_attention(self) -> bool:
        return self.evaluation.status in (tl.Status.NOT_MET, tl.Status.NO_RESULT) or (
            self.degree in (tl.Degree.WATCH, tl.Degree.NOT_MET))


def target_for(targets: dict[int | None, Target], year: int) -> Target | None:
    """The target that applies to ``year``: the year's own, else the whole-period one."""
    return targets.get(year) or targets.get(None)


def _measures(series: dict[int, Result]) -> dict[int, tl.Measure]:
    return {year: result.measure for year, result in series.items()}


def evaluate_indicator(indicator: Indicator, plan: Plan, year: int,
                       targets: dict[int | None, Target], results: dict[int, Result],
                       member_results: dict[int, dict[int, Result]],
                       today: datetime.date) -> tl.Evaluation:
    """Evaluate one indicator from already-fetched rows (no query)."""
    target = target_for(targets, year)
    members = indicator.member_list
    facts = tl.Facts(
        unit=indicator.unit, direction=indicator.direction, cumulative=indicator.cumulative,
        per_member=indicator.per_member, members=tuple(m.label for m in members),
        baseline=indicator.baseline)
    period = tl.Period(
        year=year, years=plan.years, closed=plan.is_year_closed(year, today),
        labels={y: fiscal_year_label(y) for y in plan.years},
        whole_period=target is not None and target.year is None,
        last_year_closed=plan.is_year_closed(plan.last_year, today))
    by_label = {m.label: _measures(member_results.get(m.pk, {})) for m in members}
    return tl.evaluate(target.reading if target else None, facts, period, _measures(results),
                       by_label)


def group_results(results: Iterable[Result]):
    totals: dict[int, dict[int, Result]] = defaultdict(dict)
    per_member: dict[int, dict[int, dict[int, Result]]] = defaultdict(lambda: defaultdict(dict))
    for result in results:
        if result.member_id is None:
            totals[result.indicator_id][result.year] = result
        else:
            per_member[result.indicator_id][result.member_id][result.year] = result
    return totals, per_member


def progress_of(indicator: Indicator, plan: Plan, year: int, totals, per_member,
                today: datetime.date, *,
                evaluation: tl.Evaluation | None = None) -> IndicatorProgress:
    """One indicator's progress from fetched rows; evaluated here unless ``evaluation`` (a
    stored one) is given."""
    targets = {t.year: t for t in indicator.target_list}
    results = totals.get(indicator.pk, {})
    members = per_member.get(indicator.pk, {})
    if members:
        by_id = {member.pk: member for member in indicator.member_list}
        for series in members.values():
            for result in series.values():
                result.member = by_id[result.member_id]  # no query: the member is prefetched
    return IndicatorProgress(
        indicator=indicator, year=year, target=target_for(targets, year), targets=targets,
        results=results, member_results=members, plan=plan,
        evaluation=evaluation or evaluate_indicator(indicator, plan, year, targets, results,
                                                    members, today))


# --- grouping and counting (no queries) ------------------------------------------------------


@dataclass
class ActionGroup:
    action: Action
    items: list[IndicatorProgress]


@dataclass
class ObjectiveGroup:
    objective: Objective
    actions: list[ActionGroup]


@dataclass
class OrientationGroup:
    orientation: Orientation
    objectives: list[ObjectiveGroup]
    counts: dict[tl.Status, int] = field(default_factory=dict)

    @property
    def items(self) -> Iterator[IndicatorProgress]:
        for objective in self.objectives:
            for action in objective.actions:
                yield from action.items


def group_progress(items: list[IndicatorProgress]) -> list[OrientationGroup]:
    """Nest an ordered progress list as orientation → objective → action → indicators."""
    groups = []
    for orientation, in_orientation in groupby(items, key=lambda p: p.orientation):
        objectives = []
        for objective, in_objective in groupby(in_orientation, key=lambda p: p.objective):
            actions = [ActionGroup(action, list(in_action))
                       for action, in_action in groupby(in_objective, key=lambda p: p.action)]
            objectives.append(ObjectiveGroup(objective, actions))
        group = OrientationGroup(orientation, objectives)
        group.counts = status_counts(group.items)
        groups.append(group)
    return groups


def status_counts(items: Iterable[IndicatorProgress]) -> dict[tl.Status, int]:
    counts = dict.fromkeys(STATUS_ORDER, 0)
    for item in items:
        counts[item.status] += 1
    return counts


@dataclass(frozen=True)
class Summary:
    """Headline figures. ``measured`` and ``met`` count annual targets only; whole-period
    targets are counted apart (``period_*``): they are judged once the plan is over."""

    counts: dict[tl.Status, int]
    total: int
    entered: int
    measured: int
    met: int
    period_total: int = 0
    period_measured: int = 0
    period_met: int = 0
    period_end: datetime.date | None = None
    period_over: bool = False
    computed: int = 0  # of ``entered``: computed by the register
    computed_zero: int = 0  # of ``computed``: zero

    @property
    def typed(self) -> int:
        """Results people entered (or replaced), apart from the register's."""
        return self.entered - self.computed

    @property
    def entered_breakdown(self) -> str:
        """« 37 résultats saisis, 57 calculés par le registre (dont 57 à zéro) »: results
        people entered counted apart from the register's ('' when the register computed
        none)."""
        return entered_breakdown(self)

    @property
    def entered_share(self) -> Decimal | None:
        return share(self.entered, self.total)

    @property
    def met_share(self) -> Decimal | None:
        return share(self.met, self.measured)

    @property
    def headline(self) -> str:
        return headline(self)


def share(part: int, whole: int) -> Decimal | None:
    """``part / whole`` as a fraction, None when there is nothing to divide by."""
    if not whole:
        return None
    return Decimal(part) / Decimal(whole)


@dataclass(frozen=True)
class Standing:
    """Where one indicator stands for a year, as stored (:func:`indicators.selectors.
    plan_standings`): enough to count a plan's headline and jump list without building it."""

    indicator_id: int
    orientation_id: int
    orientation_code: str
    orientation_title: str
    status: tl.Status
    has_result: bool
    is_period_target: bool
    indicator_label: str = ""
    action_id: int | None = None
    action_code: str = ""
    action_title: str = ""
    computed: bool = False  # the year's total was computed by the register (not replaced)
    computed_zero: bool = False  # ... and is zero


def awaits_result(item: IndicatorProgress | Standing) -> bool:
    """The one rule of « Sans résultat »: the indicator has a target for the year (or the
    period) and no result for it yet. The dashboard's status count, its completeness list, the
    director's review and the confirmations of submitting and approving all count this; an
    indicator without a target (or « à déterminer ») is « Non évaluable », not missing."""
    return item.status == tl.Status.NO_RESULT


@dataclass(frozen=True)
class MissingResult:
    """An indicator that awaits a result for the year."""

    indicator_id: int
    action_code: str
    label: str
    orientation_id: int | None = None  # the entry page's section that shows its line


@dataclass(frozen=True)
class MissingAction:
    """An action whose state for the year has not been given."""

    action_id: int
    code: str
    title: str
    orientation_id: int | None = None  # the entry page's section that shows it


@dataclass(frozen=True)
class YearMissing:
    """What a year still lacks before it is submitted or approved."""

    results: list[MissingResult]
    actions: list[MissingAction]

    @property
    def complete(self) -> bool:
        return not self.results and not self.actions


def year_missing(lines: Iterable[IndicatorProgress | Standing],
                 action_rows: Iterable[dict]) -> YearMissing:
    """What the year lacks, in plan order (no query): the indicators that await a result
    (:func:`awaits_result`), from evaluated indicators or stored standings, and the actions
    with no state given, from :func:`indicators.selectors.action_progress_rows`' dicts
    (``id``, ``code``, ``title``, ``state``, ``orientation_id``); each with its orientation,
    the entry page's section that shows it."""
    return YearMissing(
        results=[MissingResult(line.indicator_id, line.action_code, line.indicator_label,
                               line.orientation_id)
                 for line in lines if awaits_result(line)],
        actions=[MissingAction(row["id"], row["code"], row["title"], row.get("orientation_id"))
                 for row in action_rows if not row.get("state")])


def standing_actions(standings: Iterable[Standing], states: dict[int, str]) -> list[dict]:
    """The actions of ``standings`` in plan order, each once, as the dicts
    :func:`year_missing` reads (``id``, ``code``, ``title``, ``orientation_id``, ``state``),
    their state from
    ``states`` (action id → state; absent: none given). No query."""
    rows: dict[int, dict] = {}
    for standing in standings:
        if standing.action_id is not None and standing.action_id not in rows:
            rows[standing.action_id] = {"id": standing.action_id, "code": standing.action_code,
                                        "title": standing.action_title,
                                        "orientation_id": standing.orientation_id,
                                        "state": states.get(standing.action_id)}
    return list(rows.values())


def summarize(items: list[IndicatorProgress]) -> Summary:
    """Headline figures of evaluated indicators; see :func:`summary_from`."""
    return summary_from(items[0].plan if items else None, items)


def summary_from(plan: Plan | None, items: list[IndicatorProgress] | list[Standing]) -> Summary:
    """Headline figures: counts by status, share of results entered, targets met of measured,
    from anything with ``status``, ``is_period_target`` and ``has_result`` (evaluated
    indicators, or standings read from the stored evaluations).

    "Measured" targets are those with a result that could be judged (met, not met, in
    progress), the denominator of the annual report's "22 des 38 cibles mesurées".
    """
    counts = status_counts(items)
    annual = status_counts(item for item in items if not item.is_period_target)
    period = status_counts(item for item in items if item.is_period_target)
    period_end = plan.year_bounds(plan.last_year)[1] if plan is not None else None
    return Summary(counts=counts, total=len(items),
                   entered=sum(1 for item in items if item.has_result),
                   measured=_measured(annual), met=annual[tl.Status.MET],
                   period_total=sum(period.values()), period_measured=_measured(period),
                   period_met=period[tl.Status.MET], period_end=period_end,
                   period_over=plan is not None and plan.is_year_closed(plan.last_year),
                   computed=sum(1 for item in items if item.has_result and item.computed),
                   computed_zero=sum(1 for item in items
                                     if item.has_result and item.computed_zero))


def _measured(counts: dict[tl.Status, int]) -> int:
    return counts[tl.Status.MET] + counts[tl.Status.NOT_MET] + counts[tl.Status.IN_PROGRESS]


def entered_breakdown(summary: Summary) -> str:
    """See :attr:`Summary.entered_breakdown`."""
    if not summary.computed:
        return ""
    typed = (ngettext("%(n)s résultat saisi", "%(n)s résultats saisis", summary.typed)
             % {"n": summary.typed}) if summary.typed else str(_("aucun résultat saisi"))
    computed = ngettext("%(n)s calculé par le registre", "%(n)s calculés par le registre",
                        summary.computed) % {"n": summary.computed}
    if summary.computed_zero:
        computed += " " + str(_("(dont %(n)s à zéro)") % {"n": summary.computed_zero})
    return f"{typed}, {computed}"


def headline(summary: Summary) -> str:
    """The sentence a Québec annual management report opens with; whole-period targets are
    counted apart from annual ones (they are judged at the plan's end)."""
    if not summary.measured:
        sentence = str(_("Aucune cible annuelle n'a encore été mesurée."))
    else:
        sentence = str(_(
            "%(met)s des %(measured)s cibles annuelles mesurées (%(share)s %%) ont été "
            "atteintes.")) % {"met": summary.met, "measured": summary.measured,
                              "share": round(Decimal(summary.met) / summary.measured * 100)}
    if not summary.period_total:
        return sentence
    if not summary.period_over:
        period = ngettext(
            "%(n)s cible de période, en cours jusqu'au %(end)s.",
            "%(n)s cibles de période, en cours jusqu'au %(end)s.", summary.period_total)
        period %= {"n": summary.period_total, "end": summary.period_end.isoformat()}
    else:
        period = str(_("%(met)s des %(n)s cibles de période ont été atteintes.")) % {
            "met": summary.period_met, "n": summary.period_total}
    return f"{sentence[:-1]} ; {period}"


def summary_of(counts: dict[tl.Status, int], *, total: int, entered: int, computed: int = 0,
               computed_zero: int = 0) -> Summary:
    """Headline figures from counts by status counted in SQL (the national view, which
    shows counts per status and the share entered, the register's computed results apart,
    not the annual headline)."""
    counts = {status: counts.get(status, 0) for status in STATUS_ORDER}
    measured = counts[tl.Status.MET] + counts[tl.Status.NOT_MET] + counts[tl.Status.IN_PROGRESS]
    return Summary(counts=counts, total=total, entered=entered, measured=measured,
                   met=counts[tl.Status.MET], computed=computed, computed_zero=computed_zero)
