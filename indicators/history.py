"""The change log of results and targets (who, when, old → new, reason), from
django-simple-history's records. Two queries whatever the number of changes."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from itertools import pairwise

from django.contrib.auth.models import AbstractUser
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from indicators.formatting import format_number, person_name
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


def _shown(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("oui") if value else _("non")
    if hasattr(value, "quantize"):
        return format_number(value)
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


def _who(record: dict) -> str:
    if record["history_user__username"] is None:
        return _("système")
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

    found: list[Change] = []
    records = (Result.history.filter(result_filter)
               .order_by("id", "history_date", "history_id")
               .values(*_RECORD_FIELDS, "year", "member_id", "member__label", *RESULT_FIELDS))
    for series in _by_object(records):
        for before, after in pairwise([None, *series]):
            subject = _("Résultat %(year)s") % {"year": fiscal_year_label(after["year"])}
            if after["member_id"] and after["member__label"] is not None:
                subject += f" ({after['member__label']})"
            for name, label in RESULT_FIELDS.items():
                old = before[name] if before is not None else None
                new = after[name]
                if _shown(old) != _shown(new) and not (before is None and _shown(new) == "—"):
                    found.append(Change(after["history_date"], _who(after),
                                        after["indicator_id"], after["indicator__label"],
                                        subject, str(label), _shown(old), _shown(new),
                                        after["history_change_reason"] or ""))

    targets = (Target.history.filter(target_filter)
               .order_by("id", "history_date", "history_id")
               .values(*_RECORD_FIELDS, "year", "text", "history_type"))
    for series in _by_object(targets):
        for before, after in pairwise([None, *series]):
            old = before["text"] if before is not None else ""
            if old == after["text"] and after["history_type"] != "-":
                continue
            subject = _("Cible %(year)s") % {
                "year": fiscal_year_label(after["year"]) if after["year"]
                else _("de la période")}
            new = "—" if after["history_type"] == "-" else after["text"]
            found.append(Change(after["history_date"], _who(after), after["indicator_id"],
                                after["indicator__label"], subject, _("cible"), old or "—",
                                new, after["history_change_reason"] or ""))
    found.sort(key=lambda change: change.when, reverse=True)
    return found
