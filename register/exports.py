"""The *Activités* sheet of the reddition workbook: the year's activities and the computed
indicators each one feeds. Rows only (header first); ``reporting`` writes them.

Columns are declared once (header and value getter side by side).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from indicators.models import Plan
from register.models import Activity, IndicatorRule
from register.rules import ORGANISATION_KINDS, SIGNED, activity_years

# How ``reporting`` formats a column's cells: text, a date cell, or a count.
TEXT, DATE, COUNT = "text", "date", "count"


@dataclass(frozen=True)
class Column:
    header: Any
    width: int
    value: Any  # (activity, fed indicators) -> cell
    kind: str = TEXT


COLUMNS = [
    Column(_("Début"), 11, lambda a, fed: a.start_date, DATE),
    Column(_("Fin"), 11, lambda a, fed: a.end_date, DATE),
    Column(_("Activité"), 40, lambda a, fed: a.title),
    Column(_("Type"), 24, lambda a, fed: a.kind.name),
    Column(_("Statut"), 11, lambda a, fed: a.get_status_display()),
    Column(_("Actions"), 12, lambda a, fed: ", ".join(x.code for x in a.actions.all())),
    Column(_("Établissements et partenaires"), 40,
           lambda a, fed: " ; ".join(o.display_name for o in a.organisations.all())),
    *(Column(format_lazy("{} : {}", _("Participants"), label), 13,
             lambda a, fed, name=name: getattr(a, name), COUNT)
      for name, label in Activity.PARTICIPANT_FIELDS),
    Column(_("Participants (total)"), 12, lambda a, fed: a.participants, COUNT),
    Column(_("Personnes touchées"), 12, lambda a, fed: a.people_reached, COUNT),
    Column(_("Visiteurs"), 11, lambda a, fed: a.visitors, COUNT),
    Column(_("Preuve"), 30, lambda a, fed: a.evidence_url or (a.evidence_file.name if
                                                              a.evidence_file else "")),
    Column(_("Indicateurs alimentés"), 50,
           lambda a, fed: " ; ".join(f"{i.action.code} {i.label}" for i in fed)),
]


def _feeds(rule: IndicatorRule, activity: Activity, kind_ids: set[int]) -> bool:
    if rule.indicator.action_id not in {x.pk for x in activity.actions.all()}:
        return False
    if kind_ids and activity.kind_id not in kind_ids:
        return False
    if rule.kind == IndicatorRule.Kind.AGREEMENTS:
        return activity.kind.is_agreement and activity.status in SIGNED
    if activity.status != Activity.Status.DONE:
        return False
    org_kinds = ORGANISATION_KINDS.get(rule.kind, ())
    if org_kinds:
        return any(o.kind in org_kinds for o in activity.organisations.all())
    return True


def activity_rows(plan: Plan, year: int) -> Iterator[list]:
    """Header, then one row per activity counting in ``year`` (agreements: in force), with
    the computed indicators it feeds; dates are dates, counts numbers (cells follow
    :data:`COLUMNS`' kinds). Five queries whatever the number of activities."""
    start, end = plan.year_bounds(year)
    activities = (Activity.objects.for_pole(plan.pole).in_force(start, end)
                  .order_by("start_date", "id"))
    rules = list(IndicatorRule.objects
                 .filter(indicator__action__objective__orientation__plan=plan)
                 .select_related("indicator__action").prefetch_related("activity_kinds")
                 .order_by("indicator__action__code", "indicator__position"))
    kinds = {rule.pk: {k.pk for k in rule.activity_kinds.all()} for rule in rules}
    yield [str(column.header) for column in COLUMNS]
    for activity in activities:
        if year not in activity_years(activity, plan):
            continue
        fed = [rule.indicator for rule in rules if _feeds(rule, activity, kinds[rule.pk])]
        yield [column.value(activity, fed) for column in COLUMNS]
