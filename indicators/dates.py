"""Today, read in one place.

Every status depends on the date (a year is over after March 31), so every computation asks
:func:`today` rather than the clock. Tests, and a demo frozen on a given day, pin it with the
``POLE_PLAN_TODAY`` setting (a ``datetime.date``); unset, it is the local date.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone


def today() -> datetime.date:
    """The date every status is computed for."""
    pinned = getattr(settings, "POLE_PLAN_TODAY", None)
    return pinned if pinned is not None else timezone.localdate()
