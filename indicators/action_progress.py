"""The write boundary of action progress (state, narrative, reason per action and year).

Action progress is part of the year: like results, it changes only while the year is a draft
(:class:`indicators.services.YearLocked` otherwise), each row carries a version that a save
must have seen (a save that read an older version is a conflict and writes nothing), and every
change leaves a history row. :func:`entry_save` writes a page's or a sheet's results and
action progress together, all or nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from indicators import boundary, workflow
from indicators.models import Action, ActionProgress, Plan, YearReport
from indicators.services import Conflict, Entry, SaveOutcome, YearLocked, results_save

PROGRESS_FIELDS = ("state", "narrative", "reason")


@dataclass
class ActionEntry:
    """One changed action of the entry page or sheet: what was typed, and the version seen."""

    action: Action
    fields: dict[str, Any]
    seen_version: int | None
    key: str = ""


@dataclass
class ActionConflict:
    entry: ActionEntry
    current: ActionProgress | None


@boundary.service
def action_progress_save(*, plan: Plan, year: int, user,
                         entries: Iterable[ActionEntry]) -> list[ActionConflict]:
    """Write the changed action progress of one pôle-year in one transaction.

    Refuses everything when the year is not a draft (:class:`YearLocked`), and writes nothing
    when one of the rows was saved by someone else since it was read (the conflicts are
    returned). A row whose fields did not change keeps its version.
    """
    entries = list(entries)
    report = YearReport.objects.select_for_update().filter(plan=plan, year=year).first()
    if report is not None and not workflow.accepts_results(report):
        raise YearLocked(report.state)
    for entry in entries:
        if entry.action.objective.orientation.plan_id != plan.pk:
            raise ValueError(f"Action {entry.action.pk} is not in plan {plan.pk}")
        problem = ActionProgress.reason_problem(entry.fields.get("state", ""),
                                                entry.fields.get("reason", ""))
        if problem:
            raise ValueError(problem)
    current = {row.action_id: row for row in ActionProgress.objects.select_for_update()
               .filter(action__in=[e.action for e in entries], year=year)}
    conflicts = [ActionConflict(entry, current.get(entry.action.pk)) for entry in entries
                 if (current[entry.action.pk].version if entry.action.pk in current else None)
                 != entry.seen_version]
    if conflicts:
        return conflicts
    for entry in entries:
        row = current.get(entry.action.pk)
        if row is None:
            row = ActionProgress(action=entry.action, year=year)
        elif all(getattr(row, name) == value for name, value in entry.fields.items()):
            continue
        else:
            row.version += 1
        for name, value in entry.fields.items():
            setattr(row, name, value)
        row.updated_by = user
        row._history_user = user
        row._change_reason = _("Saisie")
        row.save()
    if entries:
        YearReport.objects.get_or_create(plan=plan, year=year)
    return []


@dataclass
class EntryOutcome:
    """What the entry page's or sheet's save did: the conflicts that refused it (nothing
    written), or how many results and action progress rows it wrote."""

    conflicts: list[Conflict]
    action_conflicts: list[ActionConflict]
    written: int = 0
    actions_written: int = 0

    @property
    def refused(self) -> bool:
        return bool(self.conflicts or self.action_conflicts)


@boundary.service
def entry_save(*, plan: Plan, year: int, user, entries: list[Entry],
               action_entries: list[ActionEntry]) -> EntryOutcome:
    """The entry page's and sheet's one save: results and action progress of a pôle-year,
    all or nothing (a conflict on either side writes neither)."""
    saved = (results_save(plan=plan, year=year, user=user, entries=entries) if entries
             else SaveOutcome([]))
    action_conflicts = (action_progress_save(plan=plan, year=year, user=user,
                                             entries=action_entries) if action_entries else [])
    if saved.conflicts or action_conflicts:
        transaction.set_rollback(True)
        return EntryOutcome(saved.conflicts, action_conflicts)
    return EntryOutcome([], [], written=saved.written, actions_written=len(action_entries))
