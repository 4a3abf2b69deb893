"""The write boundary: every write of a plan's records goes through a service, and a write that
goes around the services cannot change a locked year.

Services (``indicators.services``, ``register.services``, the plan import, the demo loaders)
run inside :func:`writes`: they check the year's lock themselves, bump versions, keep the
history and refresh what derives from the records in the same transaction. Any other save or
delete of a result, a target, an action's progress, or (through ``register``'s guards) an
activity and its links —
a stray ``save()`` in a shell, a cascade from the admin, a queryset ``update()`` — is checked
here against the year's state and refused with :class:`LockedYearWrite` when that year is
submitted or approved. A year changes only after a recorded gesture reopens it.
"""

from __future__ import annotations

import contextvars
import functools
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from typing import TypeVar

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

_depth: contextvars.ContextVar[int] = contextvars.ContextVar("write_boundary", default=0)

F = TypeVar("F", bound=Callable)


class LockedYearWrite(PermissionDenied):
    """A write outside the services touched a submitted or approved year: refused.

    A PermissionDenied, so that a door that forgot the services answers 403, never 500."""

    def __init__(self, what: str, years: Iterable[int]):
        from indicators.models import fiscal_year_label

        self.years = sorted(set(years))
        super().__init__(_("%(what)s : l'année %(years)s est soumise ou approuvée ; elle ne "
                           "change qu'après avoir été rouverte, par les pages de Pôle Plan.")
                         % {"what": what,
                            "years": ", ".join(fiscal_year_label(y) for y in self.years)})


@contextmanager
def writes():
    """Mark the block as a service write (nested blocks allowed), in one transaction."""
    token = _depth.set(_depth.get() + 1)
    try:
        with transaction.atomic():
            yield
    finally:
        _depth.reset(token)


def service(function: F) -> F:
    """Decorate a service function: it runs inside :func:`writes` (and a transaction)."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        with writes():
            return function(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def inside() -> bool:
    """True within a service write."""
    return _depth.get() > 0


def locked_years(plan_ids: Iterable[int]) -> dict[int, set[int]]:
    """Plan id → its submitted or approved years (one query)."""
    from indicators import workflow
    from indicators.models import YearReport

    locked: dict[int, set[int]] = {}
    for plan_id, year in (YearReport.objects.filter(plan_id__in=set(plan_ids))
                          .exclude(state__in=workflow.OPEN_STATES)
                          .values_list("plan_id", "year")):
        locked.setdefault(plan_id, set()).add(year)
    return locked


def refuse_locked(what: str, plan_years: Iterable[tuple[int, int]]) -> None:
    """Raise :class:`LockedYearWrite` when one of ``plan_years`` (plan id, year) is locked,
    unless a service is writing (it checked the lock itself)."""
    if inside():
        return
    pairs = set(plan_years)
    if not pairs:
        return
    locked = locked_years(plan_id for plan_id, _year in pairs)
    hit = [year for plan_id, year in pairs if year in locked.get(plan_id, ())]
    if hit:
        raise LockedYearWrite(what, hit)


# --- results and targets ------------------------------------------------------------------------


def result_years(rows: Iterable) -> set[tuple[int, int]]:
    """(plan id, year) of result rows (instances or dicts with ``indicator_id`` and ``year``)."""
    from indicators.models import Indicator

    rows = list(rows)
    indicator_ids = {_get(row, "indicator_id") for row in rows}
    plan_of = dict(Indicator.objects.filter(pk__in=indicator_ids).values_list(
        "pk", "action__objective__orientation__plan_id"))
    return {(plan_of[_get(row, "indicator_id")], _get(row, "year")) for row in rows
            if _get(row, "indicator_id") in plan_of}


def target_years(rows: Iterable) -> set[tuple[int, int]]:
    """(plan id, governing year) of target rows: a whole-period target is governed by the
    plan's last year (see ``workflow.target_governing_year``)."""
    from indicators.models import Indicator

    rows = list(rows)
    indicator_ids = {_get(row, "indicator_id") for row in rows}
    plans = {pk: (plan_id, last) for pk, plan_id, last in Indicator.objects.filter(
        pk__in=indicator_ids).values_list("pk", "action__objective__orientation__plan_id",
                                          "action__objective__orientation__plan__last_year")}
    pairs = set()
    for row in rows:
        plan = plans.get(_get(row, "indicator_id"))
        if plan is not None:
            year = _get(row, "year")
            pairs.add((plan[0], plan[1] if year is None else year))
    return pairs


def _get(row, name: str):
    return row[name] if isinstance(row, dict) else getattr(row, name)


class GuardedQuerySet:
    """Queryset writes (``update``, ``delete``, bulk writes) refused on a locked year outside
    the services. Mixed into the result and target QuerySets; ``years_of`` names the rule."""

    years_of: Callable[[Iterable], set[tuple[int, int]]]
    what: str = ""

    def _guard(self, rows) -> None:
        if not inside():
            refuse_locked(self.what or self.model._meta.verbose_name, type(self).years_of(rows))

    def update(self, **kwargs):
        self._guard(self.values("indicator_id", "year"))
        return super().update(**kwargs)

    def delete(self):
        self._guard(self.values("indicator_id", "year"))
        return super().delete()

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        self._guard(objs)
        return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs, *args, **kwargs):
        objs = list(objs)
        self._guard(objs)
        return super().bulk_update(objs, *args, **kwargs)


def _stored_years(sender, instance, years_of, key: str) -> set[tuple[int, int]]:
    """The years of the row as stored, before the write changes it."""
    if instance.pk is None:
        return set()
    return years_of(sender._default_manager.filter(pk=instance.pk).values(key, "year"))


def action_progress_years(rows: Iterable) -> set[tuple[int, int]]:
    """(plan id, year) of action progress rows (instances or dicts with ``action_id``)."""
    from indicators.models import Action

    rows = list(rows)
    plan_of = dict(Action.objects.filter(pk__in={_get(row, "action_id") for row in rows})
                   .values_list("pk", "objective__orientation__plan_id"))
    return {(plan_of[_get(row, "action_id")], _get(row, "year")) for row in rows
            if _get(row, "action_id") in plan_of}


def guard(what, years_of: Callable[[Iterable], set[tuple[int, int]]], key: str):
    """A pre_save / pre_delete receiver refusing, outside the services, a write to the year
    of the row (``years_of``, which reads ``key`` and ``year``) and to the year it had."""

    def receiver(sender, instance, **kwargs) -> None:
        if inside():
            return
        refuse_locked(what, years_of([instance])
                      | _stored_years(sender, instance, years_of, key))

    return receiver


def connect() -> None:
    """Install the guards on the models ``indicators`` owns (called from ``ready()``)."""
    from django.db.models.signals import pre_delete, pre_save

    from indicators.models import ActionProgress, Result, Target

    for model, receiver in (
            (Result, guard(gettext_lazy("Résultat"), result_years, "indicator_id")),
            (Target, guard(gettext_lazy("Cible"), target_years, "indicator_id")),
            (ActionProgress, guard(gettext_lazy("Avancement d'une action"),
                                   action_progress_years, "action_id"))):
        pre_save.connect(receiver, sender=model, weak=False,
                         dispatch_uid=f"boundary-{model.__name__}-save")
        pre_delete.connect(receiver, sender=model, weak=False,
                           dispatch_uid=f"boundary-{model.__name__}-delete")
