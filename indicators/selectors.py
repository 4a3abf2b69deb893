"""Named reads: what pages and exports read, each with its query count.

Views and exporters never use the ORM themselves; they call one of these (or a QuerySet
method of :mod:`indicators.querysets` through them). "The results of a year" are
:func:`plans_progress` / :func:`plan_progress`.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable, Iterator

from django.db.models import Count, F, IntegerField, OuterRef, Prefetch, Q, Subquery, Value

from indicators import dates, workflow
from indicators import targets as tl
from indicators.evaluations import evaluation_of
from indicators.models import (
    Action,
    ActionProgress,
    BreakdownMember,
    Indicator,
    Plan,
    Pole,
    Result,
    StoredEvaluation,
    Target,
    TargetRevision,
    Theme,
    YearReport,
    YearTransition,
)
from indicators.progress import (
    IndicatorProgress,
    Standing,
    YearMissing,
    evaluate_indicator,
    group_results,
    progress_of,
)
from indicators.progress import year_missing as missing_of
from indicators.querysets import JUDGEMENT_FIELDS, WITHIN_PLAN, plan_order
from indicators.rows import (
    ActionRow,
    IndicatorRow,
    MemberRow,
    ObjectiveRow,
    OrientationRow,
    ResultRow,
    TargetRow,
    ThemeRow,
)

logger = logging.getLogger(__name__)

# Rows fetched at a time when a read streams (server-side cursor on PostgreSQL).
CHUNK = 2000


def plans_progress(plans: Iterable[Plan], year: int, today: datetime.date | None = None, *,
                   live: bool = False, plain: bool = False,
                   orientation: int | None = None) -> dict[int, list[IndicatorProgress]]:
    """Progress of every indicator of ``plans`` for the fiscal year starting in ``year``.

    Six queries whatever the number of plans and indicators. Plans whose period does not
    contain ``year`` get an empty list. Each evaluation is read from the stored evaluations
    (:mod:`indicators.evaluations`, the date applied in the query), so only the results shown
    (the year and the one before) are fetched and no indicator is evaluated. ``live=True``
    evaluates every indicator from its results instead (five queries). ``orientation`` (an
    id) limits everything read to that orientation's indicators (the entry page's section,
    which binds forms to model instances, so not with ``plain``).

    ``plain=True`` (read-only pages and exports, with stored evaluations) reads the same rows
    with ``values()`` into :mod:`indicators.rows` (same queries, no model instance): the
    indicators, their hierarchy, targets, members and results carry the attributes and
    derived values pages and exports read, and nothing to save. It is
    :func:`plans_progress_years` for one year.
    """
    today = today or dates.today()
    plain = plain and not live
    if plain and orientation is not None:
        raise ValueError("plain rows are read for whole plans")
    if plain:
        return plans_progress_years(plans, [year], today)[year]
    plans = {plan.pk: plan for plan in plans}
    active = _active(plans, [year])
    if not active:
        return {pk: [] for pk in plans}
    indicators = Indicator.objects.for_plans(active, target_years=_target_years([year]))
    if live:
        # Evaluating a year needs no later year (relative targets look back, totals add up).
        results = Result.objects.for_plans(active, up_to=year)
        judgements = StoredEvaluation.objects.none()
    else:
        results = Result.objects.for_plans(active, years=_result_years([year]))
        judgements = StoredEvaluation.objects.judgements(active, [year], today)
    if orientation is not None:
        indicators = indicators.filter(action__objective__orientation=orientation)
        results = results.filter(indicator__action__objective__orientation=orientation)
        judgements = judgements.filter(indicator__action__objective__orientation=orientation)
    indicators = list(indicators)
    stored = {} if live else _stored_evaluations(judgements).get(year, {})
    # Streamed: rows become results as they arrive, no queryset cache.
    totals, per_member = group_results(results.iterator(chunk_size=CHUNK))
    return _year_progress(plans, year, indicators, totals, per_member, stored, today,
                          live=live)


def plans_progress_years(plans: Iterable[Plan], years: Iterable[int],
                         today: datetime.date | None = None,
                         ) -> dict[int, dict[int, list[IndicatorProgress]]]:
    """Progress of every indicator of ``plans`` for each of ``years``, by year then plan:
    for each year, what ``plans_progress(plans, year, today, plain=True)`` gives (plain rows,
    stored evaluations), read once for all the years.

    Six queries whatever the number of years, plans and indicators: the indicators, their
    hierarchy, members and themes once (one row object each, shared by the years); their
    targets of every year, of each following year and of the whole period; the results of
    every year and of each year before; every year's stored evaluations in one query.
    Each year's :class:`indicators.progress.IndicatorProgress` finds its target, next target,
    result and previous result by year in these rows, so the other years' rows it also holds
    change nothing it shows. Plans whose period contains none of ``years`` are not read; a
    plan gets an empty list for a year outside its period.
    """
    today = today or dates.today()
    plans = {plan.pk: plan for plan in plans}
    years = sorted(set(years))
    active = _active(plans, years)
    if not active:
        return {year: {pk: [] for pk in plans} for year in years}
    indicators = plain_indicators(active, target_years=_target_years(years))
    stored = _stored_evaluations(StoredEvaluation.objects.judgements(active, years, today))
    results = Result.objects.for_plans(active, years=_result_years(years))
    # Streamed: rows become results as they arrive, no queryset cache.
    totals, per_member = group_results(
        ResultRow(**row) for row in
        results.values(*ResultRow.FIELDS).iterator(chunk_size=CHUNK))
    return {year: _year_progress(plans, year, indicators, totals, per_member,
                                 stored.get(year, {}), today)
            for year in years}


def _active(plans: dict[int, Plan], years: list[int]) -> list[int]:
    """The ids of the plans whose period contains one of ``years``."""
    return [pk for pk, plan in plans.items() if any(year in plan.years for year in years)]


def _target_years(years: list[int]) -> list[int]:
    """The target years read to show ``years`` (with the whole-period targets): a year's
    evaluation reads its own target (or the whole-period one) and shows the next year's."""
    return sorted({*years, *(year + 1 for year in years)})


def _result_years(years: list[int]) -> list[int]:
    """The result years read to show ``years`` with stored evaluations: each year's own
    results and the previous year's (shown beside them)."""
    return sorted({*years, *(year - 1 for year in years)})


def _stored_evaluations(judgements) -> dict[int, dict[int, tl.Evaluation]]:
    """Stored judgement rows (:meth:`StoredEvaluationQuerySet.judgements`) as evaluations by
    year, then indicator id; streamed."""
    stored: dict[int, dict[int, tl.Evaluation]] = {}
    for row in judgements.iterator(chunk_size=CHUNK):
        stored.setdefault(row["year"], {})[row["indicator_id"]] = evaluation_of(row)
    return stored


def _year_progress(plans: dict[int, Plan], year: int, indicators, totals, per_member,
                   stored: dict[int, tl.Evaluation], today: datetime.date, *,
                   live: bool = False) -> dict[int, list[IndicatorProgress]]:
    """Each plan's progress for ``year`` from rows already read, the indicators in the order
    read (those of plans whose period contains ``year``); each evaluation is the stored one
    (``stored``, by indicator id) unless ``live``. No query, but one per missing stored
    evaluation."""
    by_plan: dict[int, list[IndicatorProgress]] = {pk: [] for pk in plans}
    covering = {pk for pk, plan in plans.items() if year in plan.years}
    for indicator in indicators:
        plan_id = indicator.action.objective.orientation.plan_id
        if plan_id not in covering:
            continue
        plan = plans[plan_id]
        evaluation = stored.get(indicator.pk)
        if evaluation is None and not live:
            # Never expected (every write stores its evaluations; evaluations_check says so):
            # a missing row is evaluated from the year's results rather than shown wrong.
            logger.warning("No stored evaluation for indicator %s in %s", indicator.pk, year)
            evaluation = _live_evaluation(indicator, plan, year, today)
        by_plan[plan_id].append(progress_of(indicator, plan, year, totals, per_member, today,
                                            evaluation=evaluation))
    return by_plan


def plans_progress_stream(plans: Iterable[Plan], year: int,
                          today: datetime.date | None = None, *, by_theme: bool = False
                          ) -> Iterator[tuple[int | None, Plan, list[IndicatorProgress]]]:
    """What :func:`plans_progress` (``plain=True``) reads, one plan at a time: memory holds
    one plan's rows, however many plans there are.

    Yields ``(theme, plan, items)`` for each plan with indicators, in the order
    :func:`plans_for` gives plans. With ``by_theme``, grouped by MES theme first (``theme`` is
    its number, ``None`` for actions attached to no theme, last): an action's indicators come
    once under each of its themes. Six queries whatever the number of plans and indicators,
    each streamed (a server-side cursor on PostgreSQL) and read in step with the others.
    """
    today = today or dates.today()
    plans = {plan.pk: plan for plan in plans if year in plan.years}
    if not plans:
        return
    active = list(plans)
    in_plans = {f"{_ROW_PLAN}__in": active}
    streams = _Runs.of(
        indicators=_ordered(Indicator.objects.filter(**{f"{_PLAN}__in": active}), _PLAN,
                            "action", by_theme, *WITHIN_PLAN)
        .values_list(*_KEY, *PLAIN_INDICATOR_FIELDS),
        targets=_ordered(_targets(_target_years([year])).filter(**in_plans), _ROW_PLAN,
                         "indicator__action", by_theme, "year")
        .values_list(*_KEY, *TargetRow.FIELDS),
        members=_ordered(BreakdownMember.objects.filter(**in_plans), _ROW_PLAN,
                         "indicator__action", by_theme, "position", "id")
        .values_list(*_KEY, *MEMBER_FIELDS),
        links=_ordered(Action.themes.through.objects.filter(**{f"{_PLAN}__in": active}),
                       _PLAN, "action", by_theme, "theme__number")
        .values_list(*_KEY, *LINK_FIELDS),
        results=_ordered(Result.objects.for_plans(active, years=_result_years([year])),
                         _ROW_PLAN, "indicator__action", by_theme)
        .values_list(*_KEY, *ResultRow.FIELDS),
        judgements=_ordered(StoredEvaluation.objects.judgements(active, [year], today), "plan",
                            "indicator__action", by_theme)
        .values_list(*_KEY, *JUDGEMENT_FIELDS),
    )
    while (key := streams["indicators"].next_key()) is not None:
        theme, plan_id = key
        rows = {name: stream.take(key) for name, stream in streams.items()}
        indicators = _plain_indicators_from(
            rows["indicators"], (dict(zip(TargetRow.FIELDS, row, strict=True))
                                 for row in rows["targets"]),
            rows["members"], rows["links"])
        totals, per_member = group_results(
            ResultRow(**dict(zip(ResultRow.FIELDS, row, strict=True)))
            for row in rows["results"])
        stored = {row[0]: evaluation_of(dict(zip(JUDGEMENT_FIELDS, row, strict=True)))
                  for row in rows["judgements"]}
        yield theme, plans[plan_id], _year_progress(
            {plan_id: plans[plan_id]}, year, indicators, totals, per_member, stored,
            today)[plan_id]
    leftover = [name for name, stream in streams.items() if stream.next_key() is not None]
    if leftover:  # every row belongs to an indicator read: never expected
        raise RuntimeError(f"Rows left unread in {leftover}: the streams are out of step")


# How an indicator (or an action's theme link) reaches its plan, and how a target, member
# or result does.
_PLAN = "action__objective__orientation__plan"
_ROW_PLAN = f"indicator__{_PLAN}"
_KEY = ("stream_theme", "stream_plan")  # what _ordered annotates; a stream's rows start with it



def _ordered(queryset, to_plan: str, to_action: str, by_theme: bool, *then):
    """``queryset`` annotated with its row's plan (``stream_plan``) and MES theme number
    (``stream_theme``: ``None`` unless ``by_theme``), ordered plan by plan as
    :func:`plans_for` orders plans (by theme first with ``by_theme``, no theme last), then by
    ``then``."""
    queryset = queryset.annotate(
        stream_plan=F(f"{to_plan}_id"),
        stream_theme=F(f"{to_action}__themes__number") if by_theme
        else Value(None, output_field=IntegerField()))
    ordering = [F("stream_theme").asc(nulls_last=True)] if by_theme else []
    ordering += [*plan_order(to_plan), *then]
    return queryset.order_by(*ordering)


class _Runs:
    """An ordered stream of ``(theme, plan, *fields)`` rows, taken one key's run at a time."""

    def __init__(self, queryset) -> None:
        self.rows = queryset.iterator(chunk_size=CHUNK)
        self.head = next(self.rows, None)

    @classmethod
    def of(cls, **querysets) -> dict[str, _Runs]:
        return {name: cls(queryset) for name, queryset in querysets.items()}

    def next_key(self) -> tuple | None:
        return None if self.head is None else self.head[:2]

    def take(self, key: tuple) -> list[tuple]:
        """The rows of ``key`` (without it), which must come next or not at all."""
        run = []
        while self.head is not None and self.head[:2] == key:
            run.append(self.head[2:])
            self.head = next(self.rows, None)
        return run


def plain_indicators(plans: list[int], *, target_years: list[int]) -> list[IndicatorRow]:
    """The indicators of ``plans`` (ids) in plan order as :class:`indicators.rows.IndicatorRow`,
    with their action, objective and orientation, their targets of ``target_years`` and the
    whole period (``target_list``), members (``member_list``) and action themes
    (``action.theme_list``).

    Four queries, the same as :meth:`IndicatorQuerySet.for_plans`, of ``values()`` rows: no
    model instance. Each action, objective and orientation is one object shared by its
    indicators."""
    in_plans = {f"{_ROW_PLAN}__in": plans}
    return _plain_indicators_from(
        Indicator.objects.in_plan_order(plans).values_list(*PLAIN_INDICATOR_FIELDS),
        _targets(target_years).filter(**in_plans).values(*TargetRow.FIELDS),
        BreakdownMember.objects.filter(**in_plans).order_by("position", "id").values_list(
            *MEMBER_FIELDS),
        Action.themes.through.objects.filter(**{f"{_PLAN}__in": plans})
        .order_by("theme__number").values_list(*LINK_FIELDS))


def _targets(years: list[int]):
    """Targets of ``years`` and whole-period ones, by year."""
    return Target.objects.filter(Q(year__in=years) | Q(year__isnull=True)).order_by("year")


def _plain_indicators_from(indicator_rows, target_rows, member_rows, link_rows
                           ) -> list[IndicatorRow]:
    """:func:`plain_indicators` from its rows: indicators as ``PLAIN_INDICATOR_FIELDS``
    tuples in plan order, targets as dicts of ``TargetRow.FIELDS``, members as
    ``MEMBER_FIELDS`` tuples, action themes as ``LINK_FIELDS`` tuples."""
    orientations: dict[int, OrientationRow] = {}
    objectives: dict[int, ObjectiveRow] = {}
    actions: dict[int, ActionRow] = {}
    indicators: list[IndicatorRow] = []
    by_id: dict[int, IndicatorRow] = {}
    for row in indicator_rows:
        (pk, label, unit, direction, cumulative, baseline, target_scope, action_id,
         action_code, action_title, objective_id, objective_code, objective_title,
         orientation_id, orientation_code, orientation_title, plan_id, theme_id) = row
        action = actions.get(action_id)
        if action is None:
            objective = objectives.get(objective_id)
            if objective is None:
                orientation = orientations.get(orientation_id)
                if orientation is None:
                    orientation = orientations[orientation_id] = OrientationRow(
                        id=orientation_id, code=orientation_code, title=orientation_title,
                        plan_id=plan_id, theme_id=theme_id)
                objective = objectives[objective_id] = ObjectiveRow(
                    id=objective_id, code=objective_code, title=objective_title,
                    orientation=orientation)
            action = actions[action_id] = ActionRow(
                id=action_id, code=action_code, title=action_title, objective=objective,
                theme_list=[])
        indicator = IndicatorRow(
            id=pk, label=label, unit=unit, direction=direction, cumulative=cumulative,
            baseline=baseline, target_scope=target_scope, action=action, target_list=[],
            member_list=[])
        indicators.append(indicator)
        by_id[pk] = indicator
    for row in target_rows:
        by_id[row["indicator_id"]].target_list.append(TargetRow(**row))
    for indicator_id, pk, label, position in member_rows:
        by_id[indicator_id].member_list.append(MemberRow(id=pk, label=label, position=position))
    themes: dict[int, ThemeRow] = {}
    for action_id, theme_id, number, short_label in link_rows:
        theme = themes.get(theme_id)
        if theme is None:
            theme = themes[theme_id] = ThemeRow(id=theme_id, number=number,
                                                short_label=short_label)
        if action_id in actions:
            actions[action_id].theme_list.append(theme)
    return indicators


# What :func:`plain_indicators` reads of an indicator and its hierarchy, in its order.
PLAIN_INDICATOR_FIELDS = (
    "id", "label", "unit", "direction", "cumulative", "baseline", "target_scope", "action_id",
    "action__code", "action__title", "action__objective_id", "action__objective__code",
    "action__objective__title", "action__objective__orientation_id",
    "action__objective__orientation__code", "action__objective__orientation__title",
    "action__objective__orientation__plan_id", "action__objective__orientation__theme_id")
MEMBER_FIELDS = ("indicator_id", "id", "label", "position")
LINK_FIELDS = ("action_id", "theme_id", "theme__number", "theme__short_label")


def _live_evaluation(indicator: Indicator, plan: Plan, year: int, today: datetime.date):
    """One indicator evaluated from all its results up to ``year`` (one query)."""
    totals, per_member = group_results(
        Result.objects.filter(indicator_id=indicator.pk, year__lte=year))
    targets = {t.year: t for t in indicator.target_list}
    return evaluate_indicator(indicator, plan, year, targets, totals.get(indicator.pk, {}),
                              per_member.get(indicator.pk, {}), today)


def plan_progress(plan: Plan, year: int, today: datetime.date | None = None, *,
                  live: bool = False, plain: bool = False,
                  orientation: int | None = None) -> list[IndicatorProgress]:
    """Progress of every indicator of one plan (of one of its orientations when
    ``orientation`` is given); see :func:`plans_progress`."""
    return plans_progress([plan], year, today, live=live, plain=plain,
                          orientation=orientation)[plan.pk]


def plan_standings(plan: Plan, year: int,
                   today: datetime.date | None = None) -> list[Standing]:
    """Where each indicator of ``plan`` stands for ``year``, as stored: its orientation,
    status, whether it has a result and whether a whole-period target judges it. What the
    entry page's headline and jump list count for the whole plan while it shows one section;
    one query, no indicator evaluated or built."""
    rows = StoredEvaluation.objects.standings(plan, year, today or dates.today())
    return [Standing(indicator_id=row["indicator_id"], orientation_id=row["orientation_id"],
                     orientation_code=row["orientation_code"],
                     orientation_title=row["orientation_title"],
                     status=tl.Status(row["status"]), has_result=row["has_result"],
                     is_period_target=row["period_target"],
                     indicator_label=row["indicator_label"], action_id=row["action_id"],
                     action_code=row["action_code"], action_title=row["action_title"],
                     computed=row["computed"], computed_zero=row["computed_zero"])
            for row in rows.iterator(chunk_size=CHUNK)]


def year_missing(plan: Plan, year: int, today: datetime.date | None = None) -> YearMissing:
    """What ``plan``'s ``year`` still lacks: the indicators awaiting a result and the actions
    with no state given (two queries); what submitting and approving confirm."""
    return missing_of(plan_standings(plan, year, today), action_progress_rows([plan], year))


def stored_judgements(plan: Plan, year: int, indicator_ids: Iterable[int],
                      today: datetime.date | None = None) -> dict[int, tl.Evaluation]:
    """The stored evaluations of some of ``plan``'s indicators for ``year``, as they stand on
    ``today``, by indicator id (one query): what a save changed, read after it."""
    rows = StoredEvaluation.objects.judgements([plan.pk], [year], today or dates.today()
                                               ).filter(indicator_id__in=list(indicator_ids))
    return {row["indicator_id"]: evaluation_of(row) for row in rows}


def indicator_progress(plan: Plan, indicator_id: int,
                       today: datetime.date | None = None) -> list[IndicatorProgress]:
    """One indicator's progress for every year of its plan (five queries)."""
    today = today or dates.today()
    indicator = Indicator.objects.for_plan(plan).get(pk=indicator_id)
    totals, per_member = group_results(
        Result.objects.for_plans([plan.pk]).filter(indicator_id=indicator_id))
    return [progress_of(indicator, plan, year, totals, per_member, today)
            for year in plan.years]


def evaluation_counts(plans: Iterable[Plan], year: int, *, by: tuple[str, ...],
                      today: datetime.date | None = None) -> list[dict]:
    """Status and degree counts of ``plans`` for ``year`` from the stored evaluations,
    grouped by ``by`` (``plan``, ``theme``, ``orientation``): one aggregate query, one row per
    group; see :meth:`indicators.querysets.StoredEvaluationQuerySet.counts`."""
    return StoredEvaluation.objects.counts(year, today or dates.today(), by=by,
                                           plans=[plan.pk for plan in plans])


def year_reports(plans: Iterable[Plan], year: int) -> dict[int, YearReport]:
    """Each plan's reporting state for ``year`` (one query); plans without one are drafts."""
    reports = YearReport.objects.filter(plan__in=list(plans), year=year).select_related(
        "changed_by")
    return {report.plan_id: report for report in reports}


def year_report(plan: Plan, year: int) -> YearReport | None:
    """The plan's reporting state for ``year`` with its last author, or None (one query)."""
    return year_reports([plan], year).get(plan.pk)


def year_transitions(report: YearReport | None) -> list[YearTransition]:
    """Every state change of the year, oldest first, with who made it (one query, none
    without a report)."""
    if report is None:
        return []
    return list(report.transitions.select_related("by"))


def plans_for(poles) -> list[Plan]:
    """The plans of ``poles`` with their pôle (one query), newest first within a pôle."""
    return list(Plan.objects.filter(pole__in=poles).select_related("pole")
                .order_by(*plan_order()))


def latest_plan(pole_id: int) -> Plan | None:
    """The pôle's most recent plan (one query)."""
    return Plan.objects.filter(pole_id=pole_id).order_by("-first_year").first()


def target_of(indicator: Indicator, year: int | None) -> Target | None:
    """The indicator's own target for ``year`` (None: the whole period), one query."""
    return Target.objects.filter(indicator=indicator, year=year).first()


def target_lock(plan: Plan, year: int | None) -> YearReport | None:
    """The year report that freezes the target of ``year`` (None: the whole period, governed
    by the plan's last year), or None when the target may be revised (one query)."""
    report = year_report(plan, workflow.target_governing_year(plan, year))
    return report if report is not None and workflow.freezes_targets(report) else None


def year_has_results(indicator: Indicator, year: int | None) -> bool:
    """Whether any result exists for the indicator in ``year`` (any year when None)."""
    query = Result.objects.filter(indicator=indicator)
    if year is not None:
        query = query.filter(year=year)
    return query.exists()


def target_revisions(indicator: Indicator) -> list[TargetRevision]:
    """The indicator's target revisions with their target and author (one query)."""
    return list(TargetRevision.objects.filter(target__indicator=indicator)
                .select_related("target", "revised_by"))


def themes() -> list[Theme]:
    """The MES themes in order (one query)."""
    return list(Theme.objects.order_by("number"))


def plan_actions(plan: Plan) -> list[Action]:
    """The plan's actions in plan order, with their objective and orientation, and their MES
    themes prefetched into ``theme_list`` (two queries)."""
    return list(
        Action.objects.filter(objective__orientation__plan=plan)
        .select_related("objective__orientation")
        .prefetch_related(Prefetch("themes", queryset=Theme.objects.order_by("number"),
                                   to_attr="theme_list"))
        .order_by("objective__orientation__position", "objective__orientation__code",
                  "objective__position", "objective__code", "position", "code"))


def action_progress_of(plan: Plan, year: int) -> dict[int, ActionProgress]:
    """The plan's action progress for ``year`` by action id, with its author (one query)."""
    rows = ActionProgress.objects.filter(action__objective__orientation__plan=plan,
                                         year=year).select_related("updated_by")
    return {row.action_id: row for row in rows}


def action_progress_rows(plans: Iterable[Plan], year: int) -> list[dict]:
    """Each action of ``plans`` with its progress for ``year`` (state, narrative, reason,
    empty when none), its plan and orientation, in plan order (one query); plain dicts, for
    the dashboards, the workbooks and the report."""
    plans = list(plans)
    progress = ActionProgress.objects.filter(action=OuterRef("pk"), year=year)
    return list(
        Action.objects.filter(objective__orientation__plan__in=plans)
        .annotate(state=Subquery(progress.values("state")[:1]),
                  narrative=Subquery(progress.values("narrative")[:1]),
                  reason=Subquery(progress.values("reason")[:1]))
        .order_by("objective__orientation__plan__pole__name", "objective__orientation__plan",
                  "objective__orientation__position", "objective__orientation__code",
                  "objective__position", "objective__code", "position", "code")
        .values("id", "code", "title", "state", "narrative", "reason",
                plan_id=F("objective__orientation__plan_id"),
                orientation_id=F("objective__orientation_id"),
                orientation_code=F("objective__orientation__code"),
                orientation_title=F("objective__orientation__title")))


def action_states_years(plans: Iterable[Plan], years: Iterable[int]
                        ) -> dict[int, dict[int, list[dict]]]:
    """Plan id → year → each action's recorded state and narrative for that year, in plan
    order (one query). Plain dicts of ``action_id``, ``code``, ``title``, ``state`` and
    ``narrative`` only: never the reason, nor who wrote them (the public page and the open
    data read these)."""
    states: dict[int, dict[int, list[dict]]] = {}
    years = list(years)
    if not years:
        return states
    rows = (ActionProgress.objects
            .filter(action__objective__orientation__plan__in=list(plans), year__in=years)
            .order_by("action__objective__orientation__plan_id", "year",
                      "action__objective__orientation__position",
                      "action__objective__orientation__code", "action__objective__position",
                      "action__objective__code", "action__position", "action__code")
            .values("action_id", "year", "state", "narrative",
                    plan_id=F("action__objective__orientation__plan_id"),
                    code=F("action__code"), title=F("action__title")))
    for row in rows:
        states.setdefault(row.pop("plan_id"), {}).setdefault(row.pop("year"), []).append(row)
    return states


def action_state_counts(plans: Iterable[Plan], year: int, *, by: str) -> list[dict]:
    """How many actions are in each state for ``year`` (None: no state recorded), counted in
    the database per plan (``by="plan"``) or per MES theme an action is attached to
    (``by="theme"``: an action attached to two themes counts in both; one query)."""
    group = {"plan": "objective__orientation__plan_id", "theme": "themes__number"}[by]
    progress = ActionProgress.objects.filter(action=OuterRef("pk"), year=year)
    return list(
        Action.objects.filter(objective__orientation__plan__in=list(plans))
        .annotate(state=Subquery(progress.values("state")[:1]))
        .values(key=F(group), progress_state=F("state")).annotate(n=Count("id", distinct=True))
        .order_by("key", "progress_state"))


def published_poles() -> list[Pole]:
    """The pôles whose public page is published, by name (one query)."""
    return list(Pole.objects.filter(public=True).order_by("name"))


def published_pole(code: str) -> Pole | None:
    """The published pôle of ``code``, or None when there is none or it is not published
    (one query)."""
    return Pole.objects.filter(public=True, code=code).first()


def approved_years(plans: Iterable[Plan]) -> dict[int, dict[int, datetime.datetime]]:
    """For each of ``plans`` (by id), its approved (filed) years and when each was approved,
    oldest year first (one query). A plan without an approved year is absent. The public pages
    and the open data show these years and no other."""
    approved: dict[int, dict[int, datetime.datetime]] = {}
    rows = (YearReport.objects.filter(plan__in=list(plans), state=workflow.State.APPROVED)
            .order_by("plan_id", "year").values_list("plan_id", "year", "changed_at"))
    for plan_id, year, changed_at in rows:
        approved.setdefault(plan_id, {})[year] = changed_at
    return approved
