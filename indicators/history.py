"""The change log of results and targets (who, when, old → new, reason), from
django-simple-history's records. Two queries whatever the number of changes."""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass
from itertools import pairwise

from django.contrib.auth.models import AbstractUser
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from indicators.formatting import display_number, person_name
from indicators.models import Result, Target, fiscal_year_label

RESULT_FIELDS = {
    "value": gettext_lazy("résultat"), "numerator": gettext_lazy("numérateur"),
    "denominator": gettext_lazy("dénominateur"), "done": gettext_lazy("livrable"),
    "done_on": gettext_lazy("réalisé le"), "not_applicable": gettext_lazy("non applicable"),
    "not_applicable_reason": gettext_lazy("motif"), "comment": gettext_lazy("commentaire"),
    "evidence_url": gettext_lazy("lien justificatif"),
    "evidence_file": gettext_lazy("fichier justificatif"),
}


@dataclass(frozen=True)
class Change:
    when: datetime.datetime
    who: str
    indicator_id: int
    indicator_label: str
    subject: str  # "Résultat 2024-2025 (TI)" or "Cible 2025-2026"
    field: str
    old: str
    new: str
    reason: str = ""


def _shown(value, booleans: dict[bool, str]) -> str:
    """A field's value as the log shows it; ``booleans`` are « oui » and « non », translated."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return booleans[value]
    if hasattr(value, "quantize"):
        return display_number(value)
    return str(value)


def _by_object(records) -> list[list]:
    """Historical rows grouped per tracked object, each group in time order."""
    grouped: dict[int, list] = {}
    for record in records:
        grouped.setdefault(record["id"], []).append(record)
    return list(grouped.values())


@dataclass(frozen=True)
class _Author:
    """Who made a change, as read from a historical row: what ``person_name`` reads of a
    user, without building one."""

    first_name: str
    last_name: str
    username: str

    get_full_name = AbstractUser.get_full_name

    def get_username(self) -> str:
        return self.username


# What a historical row is read with: its object, when, why and by whom.
_RECORD_FIELDS = ("id", "history_date", "history_change_reason", "indicator_id",
                  "indicator__label", "history_user__first_name", "history_user__last_name",
                  "history_user__username")


def _who(record: dict, system: str) -> str:
    """Who made a historical row: ``system`` (translated) when nobody did."""
    if record["history_user__username"] is None:
        return system
    return person_name(_Author(record["history_user__first_name"],
                               record["history_user__last_name"],
                               record["history_user__username"]))


def changes(*, indicator_ids=None, plan=None, year: int | None = None) -> list[Change]:
    """Every change to the results and targets of some indicators (or of a plan), newest first.

    With ``year``, only that year's results and targets (and whole-period targets). The
    historical rows are read with ``values()`` (no model instance).
    """
    result_filter, target_filter = Q(), Q()
    if indicator_ids is not None:
        result_filter &= Q(indicator_id__in=indicator_ids)
        target_filter &= Q(indicator_id__in=indicator_ids)
    if plan is not None:
        path = "indicator__action__objective__orientation__plan"
        result_filter &= Q(**{path: plan})
        target_filter &= Q(**{path: plan})
    if year is not None:
        result_filter &= Q(year=year)
        target_filter &= Q(year=year) | Q(year__isnull=True)

    # Translated once per call, not once per change (a plan's year has thousands): the
    # field labels, the words and each year's subject.
    labels = {name: str(label) for name, label in RESULT_FIELDS.items()}
    booleans = {True: _("oui"), False: _("non")}
    system, target_field = _("système"), _("cible")
    result_subject = functools.cache(
        lambda year: _("Résultat %(year)s") % {"year": fiscal_year_label(year)})
    target_subject = functools.cache(lambda year: _("Cible %(year)s") % {
        "year": fiscal_year_label(year) if year else _("de la période")})

    found: list[Change] = []
    records = (Result.history.filter(result_filter)
               .order_by("id", "history_date", "history_id")
               .values(*_RECORD_FIELDS, "year", "member_id", "member__label", *RESULT_FIELDS))
    for series in _by_object(records):
        for before, after in pairwise([None, *series]):
            subject = who = None
            for name, label in labels.items():
                # A new row's fields are compared with "—": it lists those it sets.
                old = _shown(before[name], booleans) if before is not None else "—"
                new = _shown(after[name], booleans)
                if old == new:
                    continue
                if subject is None:  # once per historical row
                    subject = result_subject(after["year"])
                    if after["member_id"] and after["member__label"] is not None:
                        subject += f" ({after['member__label']})"
                    who = _who(after, system)
                found.append(Change(after["history_date"], who, after["indicator_id"],
                                    after["indicator__label"], subject, label, old, new,
                                    after["history_change_reason"] or ""))

    targets = (Target.history.filter(target_filter)
               .order_by("id", "history_date", "history_id")
               .values(*_RECORD_FIELDS, "year", "text", "history_type"))
    for series in _by_object(targets):
        for before, after in pairwise([None, *series]):
            old = before["text"] if before is not None else ""
            if old == after["text"] and after["history_type"] != "-":
                continue
            new = "—" if after["history_type"] == "-" else after["text"]
            found.append(Change(after["history_date"], _who(after, system),
                                after["indicator_id"], after["indicator__label"],
                                target_subject(after["year"]), target_field, old or "—", new,
                                after["history_change_reason"] or ""))
    found.sort(key=lambda change: change.when, reverse=True)
    return found


ACTION_FIELDS = {"state": gettext_lazy("état de l'action"),
                 "narrative": gettext_lazy("ce qui a été fait"),
                 "reason": gettext_lazy("motif")}


@dataclass(frozen=True)
class ActionChange:
    when: datetime.datetime
    who: str
    action: str  # « 1.1.1 Titre »
    subject: str  # « Avancement 2025-2026 »
    field: str
    old: str
    new: str
    reason: str = ""


def action_changes(*, plan, year: int) -> list[ActionChange]:
    """Every change to the plan's action progress of ``year``, newest first (one query)."""
    from indicators.models import ActionProgress

    labels = {name: str(label) for name, label in ACTION_FIELDS.items()}
    states = {value: str(label) for value, label in ActionProgress.State.choices}
    system = _("système")
    subject = _("Avancement %(year)s") % {"year": fiscal_year_label(year)}
    records = (ActionProgress.history
               .filter(action__objective__orientation__plan=plan, year=year)
               .order_by("id", "history_date", "history_id")
               .values("id", "history_date", "history_change_reason", "action__code",
                       "action__title", "history_user__first_name", "history_user__last_name",
                       "history_user__username", *ACTION_FIELDS))
    def shown(row, name: str) -> str:
        if row is None or not row[name]:
            return "—"
        return states.get(row[name], row[name]) if name == "state" else row[name]

    found = []
    for series in _by_object(records):
        for before, after in pairwise([None, *series]):
            for name, label in labels.items():
                old, new = shown(before, name), shown(after, name)
                if old != new:
                    found.append(ActionChange(
                        after["history_date"], _who(after, system),
                        f"{after['action__code']} {after['action__title']}", subject, label,
                        old, new, after["history_change_reason"] or ""))
    found.sort(key=lambda change: change.when, reverse=True)
    return found
