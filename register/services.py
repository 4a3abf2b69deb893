"""Writes of the register: activities, local partners, and the computed results they feed.

Every activity change recomputes the pôle's computed indicators in the same transaction, so
the entry page, dashboards and exports (which read ``indicators.Result``) always show the
register's numbers. A year that is not a draft is never rewritten: its activities are
locked like its results.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.utils.translation import gettext as _

from indicators import boundary, dates, workflow
from indicators.evaluations import evaluations_refresh
from indicators.models import Action, Indicator, Plan, Pole, Result, YearReport
from indicators.services import year_report
from register.models import Activity, Organisation
from register.rules import activity_years, plan_year_compute


class YearLocked(Exception):
    """A year the change touches is submitted or approved: nothing is written.

    The register's own exception, so that it does not depend on how ``indicators.services``
    builds its own."""


def pole_plans(pole: Pole) -> list[Plan]:
    return list(Plan.objects.filter(pole=pole).order_by("first_year"))


def locked_years(plan: Plan) -> set[int]:
    """The years of ``plan`` that are not drafts (submitted or approved)."""
    return set(YearReport.objects.filter(plan=plan).exclude(state__in=workflow.OPEN_STATES)
               .values_list("year", flat=True))


def activity_feeds(activity: Activity, plans: Iterable[Plan]) -> set[tuple[int, int]]:
    """(plan id, year) pairs ``activity`` counts in; empty for an unsaved activity."""
    if activity.pk is None or activity.kind_id is None:
        return set()
    return {(plan.pk, year) for plan in plans for year in activity_years(activity, plan)}


def activity_is_locked(activity: Activity) -> bool:
    """True when a year the activity counts in is submitted or approved."""
    plans = pole_plans(activity.pole)
    try:
        check_unlocked(plans, activity_feeds(activity, plans))
    except YearLocked:
        return True
    return False


def locked_by_plan(plans: list[Plan]) -> dict[int, set[int]]:
    """Plan id → its submitted or approved years. One query."""
    locked: dict[int, set[int]] = {}
    for plan_id, year in (YearReport.objects.filter(plan__in=plans)
                          .exclude(state__in=workflow.OPEN_STATES)
                          .values_list("plan_id", "year")):
        locked.setdefault(plan_id, set()).add(year)
    return locked


def check_unlocked(plans: list[Plan], feeds: set[tuple[int, int]],
                   locked: dict[int, set[int]] | None = None) -> None:
    """Raise :class:`YearLocked` when one of ``feeds`` (plan id, year) is not a draft."""
    if not feeds:
        return
    locked = locked if locked is not None else locked_by_plan(plans)
    if any(year in locked.get(plan_id, ()) for plan_id, year in feeds):
        raise YearLocked


@boundary.service
def activity_save(*, activity: Activity, user, actions: Iterable[Action],
                  organisations: Iterable[Organisation],
                  previous: set[tuple[int, int]] | None = None,
                  today: datetime.date | None = None) -> Activity:
    """Save ``activity`` and its links, then recompute the pôle's computed results.

    ``previous`` is what the activity fed before the edit (:func:`activity_feeds`, read
    before the form changed the instance). Raises :class:`YearLocked` when a year it fed or
    will feed is not a draft; nothing is written then.
    """
    plans = pole_plans(activity.pole)
    previous = previous or set()
    check_unlocked(plans, previous)
    activity.updated_by = user
    activity.save()
    activity.actions.set(actions)
    activity.organisations.set(organisations)
    check_unlocked(plans, activity_feeds(activity, plans))
    register_results_update(pole=activity.pole, user=user, today=today, plans=plans)
    return activity


@boundary.service
def activity_delete(*, activity: Activity, user, today: datetime.date | None = None) -> None:
    plans = pole_plans(activity.pole)
    check_unlocked(plans, activity_feeds(activity, plans))
    pole = activity.pole
    activity.delete()
    register_results_update(pole=pole, user=user, today=today, plans=plans)


def organisation_create_local(*, pole: Pole, name: str, kind: str, region: str = "") -> (
        Organisation):
    organisation, _created = Organisation.objects.get_or_create(
        pole=pole, name=name.strip(), defaults={"kind": kind, "region": region})
    return organisation


@boundary.service
def register_results_update(*, pole: Pole, user, today: datetime.date | None = None,
                            plans: list[Plan] | None = None) -> None:
    """Recompute every draft year of ``pole``'s plans (a fixed number of queries per year)."""
    for plan in plans if plans is not None else pole_plans(pole):
        locked = locked_years(plan)
        for year in plan.years:
            if year not in locked:
                _recompute(plan=plan, year=year, user=user, today=today)


@boundary.service
def results_recompute(*, plan: Plan, year: int, user=None,
                      today: datetime.date | None = None) -> int:
    """Write ``plan``'s computed values for ``year`` into its results; return how many rows
    changed. Raises :class:`YearLocked` when the year is submitted or approved: its values
    stay as they were filed.

    A result overridden by a coordinator keeps its value and gets the new computed value
    beside it. A result is created only when the value is not zero or the year has begun,
    so future years do not fill with zeros.
    """
    if year in locked_years(plan):
        raise YearLocked
    return _recompute(plan=plan, year=year, user=user, today=today)


def _recompute(*, plan: Plan, year: int, user, today: datetime.date | None) -> int:
    """:func:`results_recompute` for a year the caller found open."""
    computations = plan_year_compute(plan, year)
    if not computations:
        return 0
    today = today or dates.today()
    started = today >= plan.year_bounds(year)[0]
    current = {(r.indicator_id, r.member_id): r
               for r in Result.objects.filter(indicator_id__in=computations, year=year)}
    changed = 0
    for indicator_id, computation in computations.items():
        values = [(None, computation.total), *computation.members.items()]
        for member_id, value in values:
            result = current.get((indicator_id, member_id))
            if result is None and not value and not started:
                continue
            if _result_apply(result, indicator_id, member_id, year, value, user):
                changed += 1
    if changed:
        # A year's evaluation reads earlier years only: this year and later ones change.
        evaluations_refresh(indicators=list(computations),
                            years=[y for y in plan.years if y >= year])
    return changed


def _result_apply(result: Result | None, indicator_id: int, member_id: int | None, year: int,
                  value: Decimal, user) -> bool:
    if result is None:
        result = Result(indicator_id=indicator_id, member_id=member_id, year=year)
    elif result.computed_value == value and (result.override_reason or result.value == value):
        return False
    else:
        result.version += 1
    result.computed_value = value
    if not result.override_reason:
        result.value = value
        result.not_applicable = False
    result.updated_by = user
    if user is not None:
        result._history_user = user  # the person whose register change this follows
    result._change_reason = _("Calculé à partir du registre")
    result.save()
    return True


@boundary.service
def result_override(*, indicator: Indicator, year: int, value: Decimal | None, reason: str,
                    user) -> Result:
    """Replace a computed value with ``value`` (the reason is kept and shown in the history),
    or, with ``value`` None, go back to the computed value."""
    plan = indicator.action.objective.orientation.plan
    report = YearReport.objects.select_for_update().filter(plan=plan, year=year).first()
    if not workflow.accepts_results(report):
        raise YearLocked
    result, _created = Result.objects.get_or_create(indicator=indicator, year=year,
                                                    member=None)
    if value is None:
        result.value = result.computed_value
        result.override_reason = ""
        result._change_reason = _("Retour à la valeur calculée")
    else:
        result.value = value
        result.override_reason = reason
        result._change_reason = _("Valeur calculée remplacée : %(reason)s") % {"reason": reason}
    result.is_demo = False
    result.version += 1
    result.updated_by = user
    result.save()
    year_report(plan, year)
    evaluations_refresh(indicators=[indicator], years=[y for y in plan.years if y >= year])
    return result




@boundary.service
def activities_record(*, pole: Pole, rows: Iterable[tuple[Activity, list, list]], user,
                      today: datetime.date | None = None) -> int:
    """Create many activities with their links (the demo register), then recompute the pôle's
    open years once. Raises :class:`YearLocked` when one falls in a submitted or approved
    year; nothing is written then. Returns how many were created."""
    plans = pole_plans(pole)
    locked = locked_by_plan(plans)
    count = 0
    for activity, actions, organisations in rows:
        activity.pole, activity.updated_by = pole, user
        if user is not None:
            activity._history_user = user
        activity.save()
        activity.actions.set(actions)
        activity.organisations.set(organisations)
        check_unlocked(plans, activity_feeds(activity, plans), locked)
        count += 1
    register_results_update(pole=pole, user=user, today=today, plans=plans)
    return count
