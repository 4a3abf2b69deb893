"""When a reminder is due, with no database: the moments of a due date and the one a day
falls in. Tested table-driven."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

WEEK = 7


@dataclass(frozen=True)
class Moment:
    """A moment at which a due date is recalled: ``before-7``, ``due`` or ``late-2`` (the
    second week late), and the day it starts."""

    key: str
    day: datetime.date


def moment_of(due: datetime.date, today: datetime.date,
              days_before: Iterable[int]) -> Moment | None:
    """The latest reminder moment of ``due`` on or before ``today`` (None before the first).

    Each moment is sent once (the log holds its key): a run that missed a day still sends the
    latest moment, never the older ones it skipped. Late, a new moment starts every week.
    """
    moments = [Moment(f"before-{n}", due - datetime.timedelta(days=n)) for n in days_before]
    moments.append(Moment("due", due))
    if today > due:
        weeks = (today - due).days // WEEK
        if weeks:
            moments.append(Moment(f"late-{weeks}", due + datetime.timedelta(days=WEEK * weeks)))
    passed = [moment for moment in moments if moment.day <= today]
    return max(passed, key=lambda moment: moment.day) if passed else None


def days_text(due: datetime.date | None, today: datetime.date) -> str:
    """« dans 7 jours », « aujourd'hui », « en retard de 3 jours » (« — » without a date)."""
    if due is None:
        return "—"
    days = (due - today).days
    if days == 0:
        return _("aujourd'hui")
    if days > 0:
        return ngettext("dans %(n)s jour", "dans %(n)s jours", days) % {"n": days}
    return ngettext("en retard de %(n)s jour", "en retard de %(n)s jours", -days) % {"n": -days}
