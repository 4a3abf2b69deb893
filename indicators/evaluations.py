"""Stored evaluations: what :func:`indicators.targets.evaluate` says of each indicator and year,
written with every change that affects it so that dashboards count in SQL.

:func:`indicators.targets.evaluate` stays the one place the rules live: :func:`stored_fields`
calls it (through :func:`indicators.progress.evaluate_indicator`) on the day the judged year
starts, the day after it ends and the day after the plan ends, and keeps the judgement while
the period runs, the one once it is over, and the day it closes. The date is applied at read
time by :meth:`indicators.querysets.StoredEvaluationQuerySet.with_status`.

What changes an evaluation, and so calls :func:`evaluations_refresh` in its transaction: a
result saved (page, sheet, demo data, admin), a target revised or imported, a plan imported,
an indicator or its members changed in the admin. A year's workflow state (draft, submitted,
approved) and MES themes do not enter an evaluation. After a change of the rules or of the
thresholds, ``manage.py evaluations_rebuild``; ``manage.py evaluations_check`` compares.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext, gettext_noop

from indicators import dates
from indicators import targets as tl
from indicators.models import Indicator, Plan, Result, StoredEvaluation
from indicators.progress import evaluate_indicator, group_results

# The fields a refresh writes and the check compares (everything but the keys).
FIELDS = ("plan_id", "status_open", "status_closed", "degree_open", "degree_closed",
          "reason_open", "reason_closed", "closes_on", "achievement", "resolved_target",
          "measured", "members", "has_result", "has_demo")


# Rows per INSERT: within SQLite's 999 parameters at 16 columns, and the same on PostgreSQL so
# that a write costs the same statements (and pinned query counts) on both.
INSERT_BATCH = 60


def _degree(evaluation: tl.Evaluation) -> str:
    return tl.degree(evaluation, **settings.ACHIEVEMENT_THRESHOLDS) or ""


def _number(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


# The reasons :func:`indicators.targets.evaluate` gives, as written there. A stored reason is
# always French (computed under the default language, whoever's save triggered it);
# :func:`shown_reason` gives it in the reader's language.
REASONS = (
    gettext_noop("Cible relative à la valeur de départ : la valeur de départ de l'indicateur "
                 "n'est pas saisie."),
    gettext_noop("Cible relative : le résultat de %(year)s, qui sert de référence, est "
                 "manquant."),
    gettext_noop("Cible de période : jugée à la fin de %(year)s."),
    gettext_noop("Aucune cible pour %(year)s."),
    gettext_noop("Cible à déterminer."),
    gettext_noop("Cible sans objet."),
    gettext_noop("La cible s'applique à chaque membre de la ventilation, mais aucun membre "
                 "n'est défini."),
    gettext_noop("Cible non atteinte pour : %(m)s."),
    gettext_noop("Résultat manquant pour : %(m)s."),
    gettext_noop("En cours pour : %(m)s."),
    gettext_noop("Cible atteinte pour chaque membre."),
    gettext_noop("Aucun résultat saisi pour %(year)s."),
    gettext_noop("Résultat déclaré non applicable."),
    gettext_noop("Livrable réalisé."),
    gettext_noop("Livrable non réalisé."),
    gettext_noop("Aucune valeur saisie pour %(year)s."),
    gettext_noop("Cible atteinte."),
    gettext_noop("Cible non atteinte."),
    gettext_noop("Cible pas encore atteinte."),
)
_REASON_PATTERNS = [
    (re.compile(re.sub(r"%\\\(([a-z]+)\\\)s", r"(?P<\1>.+?)", re.escape(msgid)) + "$"), msgid)
    for msgid in REASONS]


def shown_reason(reason: str) -> str:
    """A stored (French) reason in the reader's language: ``Aucun résultat saisi pour
    2025-2026.`` reads ``No result entered for 2025-2026.`` in English. The reasons of
    several members (``Cégep A : Cible atteinte.; Cégep B : …``) are translated one by one."""
    if not reason or not (translation.get_language() or "").startswith("en"):
        return reason
    for pattern, msgid in _REASON_PATTERNS:
        match = pattern.match(reason)
        if match:
            return gettext(msgid) % match.groupdict()
    if " : " in reason:
        return "; ".join(
            f"{member}: {shown_reason(said)}" if said else member
            for member, _colon, said in (part.partition(" : ") for part in reason.split("; ")))
    return reason


def stored_fields(indicator: Indicator, plan: Plan, year: int, targets, results,
                  member_results) -> dict:
    """The stored row of one indicator and year, from already-fetched rows (no query).

    ``targets`` maps a year (None: the whole period) to the indicator's target, ``results``
    and ``member_results`` are the indicator's series as :func:`group_results` builds them.
    """
    year_end = plan.year_bounds(year)[1]
    plan_end = plan.year_bounds(plan.last_year)[1]
    one_day = datetime.timedelta(days=1)

    def judged(today: datetime.date) -> tl.Evaluation:
        return evaluate_indicator(indicator, plan, year, targets, results, member_results,
                                  today)

    running = judged(plan.year_bounds(year)[0])
    year_over = judged(year_end + one_day)
    period_over = judged(plan_end + one_day)
    # The judgement flips once: when the year ends, or (whole-period rules) when the plan does.
    closes_on = year_end if year_over == period_over else plan_end
    entered = ([results[year]] if year in results else []) + [
        series[year] for series in member_results.values() if year in series]
    return {
        "plan_id": plan.pk,
        "status_open": str(running.status),
        "status_closed": str(period_over.status),
        "degree_open": _degree(running),
        "degree_closed": _degree(period_over),
        "reason_open": str(running.reason),
        "reason_closed": str(period_over.reason),
        "closes_on": closes_on,
        "achievement": period_over.achievement,
        "resolved_target": period_over.resolved_target,
        "measured": period_over.measured,
        "members": {
            label: {"open": str(running.members[label].status),
                    "closed": str(member.status),
                    "reason_open": str(running.members[label].reason),
                    "reason_closed": str(member.reason),
                    "achievement": _number(member.achievement),
                    "resolved_target": _number(member.resolved_target)}
            for label, member in period_over.members.items()},
        "has_result": any(not result.measure.is_empty for result in entered),
        "has_demo": any(result.is_demo for result in entered),
    }


def _decimal(value) -> Decimal | None:
    return None if value is None else Decimal(value)


def evaluation_of(row: dict) -> tl.Evaluation:
    """The :class:`indicators.targets.Evaluation` a stored row holds, as it stands on the day
    the row was read for (``row`` comes from
    :meth:`indicators.querysets.StoredEvaluationQuerySet.judgements`); no query, no rule.

    Per-member judgements come from the ``members`` JSON: the judgement once the period is
    over when ``row["over"]``, the one while it runs otherwise (the same day as the row's).
    """
    side = "closed" if row["over"] else "open"
    members = {
        label: tl.Evaluation(tl.Status(member[side]),
                             shown_reason(member.get(f"reason_{side}", "")),
                             achievement=_decimal(member.get("achievement")),
                             resolved_target=_decimal(member.get("resolved_target")))
        for label, member in row["members"].items()}
    return tl.Evaluation(tl.Status(row["status"]), shown_reason(row["reason"]),
                         achievement=row["achievement"],
                         resolved_target=row["resolved_target"], measured=row["measured"],
                         members=members)


def computed(*, indicators: Iterable[int] | None = None, plans: Iterable[int] | None = None,
             years: Iterable[int] | None = None) -> dict[tuple[int, int], dict]:
    """Recompute the stored rows of ``indicators`` (ids) or of every indicator of ``plans``
    (ids), or of every plan, keyed by (indicator id, year); six queries."""
    plan_query = Plan.objects.all()
    indicator_ids = None if indicators is None else {int(pk) for pk in indicators}
    if indicator_ids is not None:
        plan_query = plan_query.filter(
            orientations__objectives__actions__indicators__in=indicator_ids).distinct()
    if plans is not None:
        plan_query = plan_query.filter(pk__in=list(plans))
    by_pk = {plan.pk: plan for plan in plan_query}
    if not by_pk:
        return {}
    fetched = Indicator.objects.for_plans(list(by_pk))
    results = Result.objects.for_plans(list(by_pk))
    if indicator_ids is not None:
        fetched = fetched.filter(pk__in=indicator_ids)
        results = results.filter(indicator_id__in=indicator_ids)
    totals, per_member = group_results(results)
    wanted = None if years is None else set(years)
    rows = {}
    with translation.override(settings.LANGUAGE_CODE):  # stored reasons are French
        _compute_rows(rows, fetched, by_pk, totals, per_member, wanted)
    return rows


def _compute_rows(rows, fetched, by_pk, totals, per_member, wanted) -> None:
    for indicator in fetched:
        plan = by_pk[indicator.action.objective.orientation.plan_id]
        targets = {t.year: t for t in indicator.target_list}
        series = totals.get(indicator.pk, {})
        members = per_member.get(indicator.pk, {})
        for year in plan.years:
            if wanted is None or year in wanted:
                rows[indicator.pk, year] = stored_fields(indicator, plan, year, targets,
                                                         series, members)


@transaction.atomic(savepoint=False)  # a step of the caller's transaction, no savepoint
def evaluations_refresh(*, indicators: Iterable[Indicator | int] | None = None,
                        plan: Plan | None = None, years: Iterable[int] | None = None) -> int:
    """Recompute and store the evaluations of ``indicators``, or of ``plan``'s indicators, or
    of everything; returns the number of rows written.

    Bounded: the six reads of :func:`computed`, one delete and one insert per
    :data:`INSERT_BATCH` rows. ``years`` limits the years rewritten (every year of the plan
    otherwise: a result feeds later years' cumulative totals and relative targets).
    """
    ids = None if indicators is None else [getattr(i, "pk", i) for i in indicators]
    if ids is not None and not ids:
        return 0
    rows = computed(indicators=ids, plans=None if plan is None else [plan.pk], years=years)
    stale = StoredEvaluation.objects.all()
    if ids is not None:
        stale = stale.filter(indicator_id__in=ids)
    if plan is not None:
        stale = stale.filter(plan=plan)
    if years is not None:
        stale = stale.filter(year__in=list(years))
    stale.delete()
    StoredEvaluation.objects.bulk_create(
        [StoredEvaluation(indicator_id=pk, year=year, **fields)
         for (pk, year), fields in rows.items()], batch_size=INSERT_BATCH)
    return len(rows)


@dataclass(frozen=True)
class Difference:
    indicator_id: int
    year: int
    field: str
    stored: object
    recomputed: object

    def __str__(self) -> str:
        return (f"indicator {self.indicator_id} {self.year}: {self.field} stored "
                f"{self.stored!r}, recomputed {self.recomputed!r}")


def _same(field: str, stored, recomputed) -> bool:
    if field == "achievement" or field in ("resolved_target", "measured"):
        return (stored is None) == (recomputed is None) and (
            stored is None or Decimal(stored) == Decimal(recomputed))
    return stored == recomputed


def evaluations_differences(*, today: datetime.date | None = None) -> list[Difference]:
    """Every disagreement between the stored evaluations and a recomputation: a missing or
    extra row, a field that differs, or a status read at ``today`` that is not what
    :func:`indicators.targets.evaluate` says on that day."""
    today = today or dates.today()
    recomputed = computed()
    stored = {(row["indicator_id"], row["year"]): row for row in
              StoredEvaluation.objects.with_status(today).values(
                  "indicator_id", "year", "status", *FIELDS)}
    differences = []
    for key in sorted(stored.keys() - recomputed.keys()):
        differences.append(Difference(*key, "row", "present", "absent"))
    for key in sorted(recomputed.keys() - stored.keys()):
        differences.append(Difference(*key, "row", "absent", "present"))
    for key in sorted(stored.keys() & recomputed.keys()):
        row, fresh = stored[key], recomputed[key]
        for name in FIELDS:
            if not _same(name, row[name], fresh[name]):
                differences.append(Difference(*key, name, row[name], fresh[name]))
    differences += _status_differences(stored, today)
    return differences


def _status_differences(stored: dict, today: datetime.date) -> list[Difference]:
    """The status read from the stored row at ``today`` against ``evaluate`` at ``today``."""
    plans = {plan.pk: plan for plan in Plan.objects.all()}
    totals, per_member = group_results(Result.objects.all())
    differences = []
    for indicator in Indicator.objects.for_plans(list(plans)):
        plan = plans[indicator.action.objective.orientation.plan_id]
        targets = {t.year: t for t in indicator.target_list}
        for year in plan.years:
            row = stored.get((indicator.pk, year))
            if row is None:
                continue
            status = evaluate_indicator(indicator, plan, year, targets,
                                        totals.get(indicator.pk, {}),
                                        per_member.get(indicator.pk, {}), today).status
            if row["status"] != status:
                differences.append(Difference(indicator.pk, year, f"status on {today}",
                                              row["status"], str(status)))
    return differences
