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

from django.apps import apps
from django.utils import timezone
from django.utils.translation import gettext as _

from indicators import boundary, dates, workflow
from indicators.evaluations import evaluations_refresh
from indicators.models import Action, Indicator, Plan, Pole, Result, YearReport
from indicators.services import year_report
from register.models import Activity, Organisation, OrganisationMerge
from register.rules import activity_years, plan_year_compute


class YearLocked(Exception):
    """A year the change touches is submitted or approved: nothing is written.

    The register's own exception, so that it does not depend on how ``indicators.services``
    builds its own."""


def pole_plans(pole: Pole) -> list[Plan]:
    return list(Plan.objects.filter(pole=pole).order_by("first_year"))


def locked_years(plan: Plan) -> set[int]:
    """The years of ``plan`` that are not drafts (submitted or approved). One query."""
    return boundary.locked_years([plan.pk]).get(plan.pk, set())


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
    return boundary.locked_years(plan.pk for plan in plans)


def check_unlocked(plans: list[Plan], feeds: set[tuple[int, int]],
                   locked: dict[int, set[int]] | None = None) -> None:
    """Raise :class:`YearLocked` when one of ``feeds`` (plan id, year) is not a draft."""
    if not feeds:
        return
    locked = locked if locked is not None else locked_by_plan(plans)
    if any(year in locked.get(plan_id, ()) for plan_id, year in feeds):
        raise YearLocked


class ActivityConflict(Exception):
    """The activity changed since the page showed it (its version moved): nothing is written.
    ``current`` is the stored activity, links prefetched, to show beside the person's values."""

    def __init__(self, current: Activity):
        super().__init__(current.pk)
        self.current = current


# Bookkeeping, not something a person changes: never a reason to bump the version.
_NOT_VALUES = frozenset({"id", "version", "updated_by", "updated_at"})


def activity_values(activity: Activity, actions: Iterable[Action] | None = None,
                    organisations: Iterable[Organisation] | None = None) -> dict:
    """What a person can change on ``activity``: each field's value, and the sets of linked
    action and organisation ids (the given ones, else the stored links)."""
    values = {f.attname: getattr(activity, f.attname) for f in Activity._meta.concrete_fields
              if f.attname not in _NOT_VALUES}
    values["evidence_file"] = activity.evidence_file.name or ""
    if actions is None:
        actions = activity.actions.all() if activity.pk else ()
    if organisations is None:
        organisations = activity.organisations.all() if activity.pk else ()
    values["actions"] = frozenset(a.pk for a in actions)
    values["organisations"] = frozenset(o.pk for o in organisations)
    return values


def activity_differences(current: Activity, mine: Activity, actions: Iterable[Action],
                         organisations: Iterable[Organisation]) -> list[tuple[str, str, str]]:
    """(label, stored value, the person's value) for each field where ``mine`` (with its
    ``actions`` and ``organisations``) differs from ``current``: the conflict's table."""
    actions, organisations = list(actions), list(organisations)
    theirs = activity_values(current)
    yours = activity_values(mine, actions, organisations)
    names = {"actions": {a.pk: a.code for a in [*current.actions.all(), *actions]},
             "organisations": {o.pk: o.display_name for o in [*current.organisations.all(),
                                                       *organisations]}}
    rows = []
    for name, value in theirs.items():
        if yours[name] == value or name in {"pole_id"}:
            continue
        if name in names:
            label = Activity._meta.get_field(name).verbose_name
            shown = [", ".join(sorted(names[name][pk] for pk in v)) for v in (value,
                                                                                yours[name])]
        else:
            field = Activity._meta.get_field(name.removesuffix("_id"))
            label = field.verbose_name
            shown = [_display(field, v) for v in (value, yours[name])]
        rows.append((str(label), *shown))
    return rows


def _display(field, value) -> str:
    if value in (None, ""):
        return "—"
    if field.name == "kind":
        from register.models import ActivityKind

        return str(ActivityKind.objects.filter(pk=value).first() or value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def activity_store(*, activity: Activity, user, actions: Iterable[Action],
                   organisations: Iterable[Organisation], plans: list[Plan],
                   previous: set[tuple[int, int]] | None = None,
                   seen_version: int | None = None, reason: str = "",
                   locked: dict[int, set[int]] | None = None) -> bool:
    """Write ``activity`` and its links when something changed; return whether it did.

    The one door for an activity's own row and links (the page, the import, a merge): the
    version moves and history is written only on a change. Raises :class:`ActivityConflict`
    when ``seen_version`` is given and the stored version moved, :class:`YearLocked` when a
    year the activity fed (``previous``) or now feeds is not a draft. Call inside a
    transaction; the caller recomputes the results. A refused save leaves no evidence file
    behind in storage.
    """
    actions, organisations = list(actions), list(organisations)
    new_file = (activity.evidence_file if activity.evidence_file
                and not activity.evidence_file._committed else None)
    try:
        stored = None
        if activity.pk is not None:
            stored = (Activity.objects.select_for_update().filter(pk=activity.pk)
                      .prefetch_related("actions", "organisations").first())
        if stored is not None and seen_version is not None and stored.version != seen_version:
            raise ActivityConflict(stored)
        if stored is not None and (activity_values(stored)
                                   == activity_values(activity, actions, organisations)):
            return False
        check_unlocked(plans, previous or set(), locked)
        if stored is not None:
            activity.version = stored.version + 1
        activity.updated_by = user
        if user is not None:
            activity._history_user = user  # named in the history outside a request too
        if reason:
            activity._change_reason = reason
        activity.save()
        activity.actions.set(actions)
        activity.organisations.set(organisations)
        check_unlocked(plans, activity_feeds(activity, plans), locked)
    except BaseException:
        if new_file is not None and new_file._committed and new_file.name:
            new_file.storage.delete(new_file.name)
        if stored is None and activity.pk is not None:
            # The rolled-back row is gone: the page shows a creation again, not « Modifier ».
            activity.pk, activity._state.adding = None, True
        raise
    return True


_BATCH = 500


def activities_create(*, pole: Pole, user, rows: Iterable[tuple[Activity, list, list]],
                      reason: str = "") -> list[Activity]:
    """Create many new activities with their links, each with one history record (« + »,
    links included), in a fixed number of queries per :data:`_BATCH` activities: the
    import's bulk path beside :func:`activity_store`. The caller has checked that every year
    they feed is a draft (:func:`check_unlocked`, the signals' guards do not see bulk
    writes) and recomputes the results; call inside a service."""
    rows = list(rows)
    if not rows:
        return []
    for activity, _actions, _organisations in rows:
        activity.pole, activity.updated_by, activity.version = pole, user, 1
    activities = Activity.objects.bulk_create([a for a, _x, _o in rows], batch_size=_BATCH)
    history = {h.id: h for h in Activity.history.bulk_history_create(
        activities, batch_size=_BATCH, default_user=user, default_change_reason=reason,
        default_date=timezone.now())}
    for position, field in ((1, "action"), (2, "organisation")):
        through = (Activity.actions if field == "action" else Activity.organisations).through
        links = through.objects.bulk_create(
            [through(activity_id=activity.pk, **{f"{field}_id": pk})
             for row in rows for activity in (row[0],)
             for pk in dict.fromkeys(linked.pk for linked in row[position])],
            batch_size=_BATCH * 4)
        # The history record's copy of the links, as simple_history writes it for a save.
        copies = apps.get_model("register", f"HistoricalActivity_{field}s")
        copies.objects.bulk_create(
            [copies(history=history[link.activity_id], id=link.pk,
                    activity_id=link.activity_id, **{f"{field}_id": getattr(link,
                                                                            f"{field}_id")})
             for link in links], batch_size=_BATCH * 4)
    return activities


@boundary.service
def activity_save(*, activity: Activity, user, actions: Iterable[Action],
                  organisations: Iterable[Organisation],
                  previous: set[tuple[int, int]] | None = None,
                  today: datetime.date | None = None,
                  seen_version: int | None = None) -> Activity:
    """Save ``activity`` and its links, then recompute the pôle's computed results.

    ``previous`` is what the activity fed before the edit (:func:`activity_feeds`, read
    before the form changed the instance); ``seen_version`` the version the page showed.
    Raises :class:`YearLocked` when a year it fed or will feed is not a draft, and
    :class:`ActivityConflict` when someone saved it since the page showed it; nothing is
    written then (nor any evidence file kept). Saving unchanged values writes nothing.
    """
    plans = pole_plans(activity.pole)
    if activity_store(activity=activity, user=user, actions=actions,
                      organisations=organisations, plans=plans, previous=previous,
                      seen_version=seen_version):
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


class MergeRefused(Exception):
    """A merge that cannot be done (same organisation, a pôle's partner into another pôle's
    register); the message says why, in French."""


@boundary.service
def organisations_merge(*, source: Organisation, into: Organisation, user,
                        today: datetime.date | None = None) -> OrganisationMerge:
    """Merge ``source`` into ``into``: every activity of an open (draft) year naming
    ``source`` names ``into`` instead, through :func:`activity_store` (version, history);
    activities feeding a submitted or approved year are left exactly as they are. ``source``
    is deleted when nothing names it any more, else made inactive. The merge is recorded and
    the open years of every pôle touched are recomputed; locked years never are."""
    if source.pk == into.pk:
        raise MergeRefused(_("Une organisation ne peut pas être fusionnée dans elle-même."))
    if into.pole_id is not None and into.pole_id != source.pole_id:
        raise MergeRefused(_("« %(into)s » est un partenaire local du pôle %(pole)s : seule "
                             "une organisation de ce pôle peut y être fusionnée.")
                           % {"into": into.name, "pole": into.pole})
    source = Organisation.objects.select_for_update().get(pk=source.pk)
    activities = list(Activity.objects.filter(organisations=source)
                      .select_related("pole", "kind")
                      .prefetch_related("actions", "organisations").order_by("pk"))
    poles: dict[int, Pole] = {}
    plans_of: dict[int, list[Plan]] = {}
    locked_of: dict[int, dict[int, set[int]]] = {}
    moved = kept = 0
    reason = _("Fusion de « %(source)s » dans « %(into)s »") % {"source": source.name,
                                                                "into": into.name}
    for activity in activities:
        if activity.pole_id not in plans_of:
            poles[activity.pole_id] = activity.pole
            plans_of[activity.pole_id] = pole_plans(activity.pole)
            locked_of[activity.pole_id] = locked_by_plan(plans_of[activity.pole_id])
        plans, locked = plans_of[activity.pole_id], locked_of[activity.pole_id]
        feeds = activity_feeds(activity, plans)
        try:
            check_unlocked(plans, feeds, locked)
        except YearLocked:
            kept += 1
            continue
        organisations = [o for o in activity.organisations.all() if o.pk != source.pk]
        if all(o.pk != into.pk for o in organisations):
            organisations.append(into)
        activity_store(activity=activity, user=user, actions=list(activity.actions.all()),
                       organisations=organisations, plans=plans, previous=feeds,
                       locked=locked, reason=reason)
        moved += 1
    merge = OrganisationMerge.objects.create(
        source_name=source.name, into=into, into_name=into.name, by=user,
        activities_moved=moved, activities_kept=kept, source=source if kept else None)
    if kept:
        if source.is_active:
            source.is_active = False
            source._change_reason = reason
            source.save(update_fields=["is_active"])
    else:
        source.delete()
    for pole_id, plans in plans_of.items():
        register_results_update(pole=poles[pole_id], user=user, today=today, plans=plans)
    return merge


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
        activity.pole = pole
        activity_store(activity=activity, user=user, actions=actions,
                       organisations=organisations, plans=plans, locked=locked)
        count += 1
    register_results_update(pole=pole, user=user, today=today, plans=plans)
    return count
