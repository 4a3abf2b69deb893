"""Display of numbers and targets in the active language.

French (Québec): ``80 000``, ``12,5``, ``80 %``, ``5 min``, ``2 400 $`` — no-break space
between thousands, decimal comma, a no-break space before the percent and dollar signs.
English: ``80,000``, ``12.5``, ``80%``, ``5 min``, ``$2,400``. Display only: what a person types
back is read by :mod:`indicators.numbers` (see :func:`input_number`).
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from indicators import targets as tl
from indicators.numbers import NBSP, plain_number
from indicators.numbers import format_number as french_number


def person_name(user) -> str:
    """Who did something: the full name where one is known, else the username ('' for None)."""
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def saved_by_user(record, user) -> bool:
    """Whether ``record`` (anything with ``updated_by_id``) was last saved by ``user``
    themself (in another tab, or through the entry sheet): a conflict then says « vous »."""
    return (record is not None and record.updated_by_id is not None
            and record.updated_by_id == getattr(user, "pk", None))


def in_english() -> bool:
    """Whether the language of the request (or of the block) is English."""
    return (get_language() or "").startswith("en")


def display_number(value: Decimal | int | float | None, places: int = 2) -> str:
    """A number for display: ``2 400,5`` in French, ``2,400.5`` in English. Display only:
    what a person types back is read by :mod:`indicators.numbers`."""
    text = french_number(value, places)
    if not in_english():
        return text
    return text.replace(",", ".").replace(NBSP, ",")


def input_number(value: Decimal | int | float | None) -> str:
    """A number as an input shows it for editing, in a form :func:`indicators.numbers.
    parse_number` reads back unchanged: ``2 400,5`` in French, ``2400.5`` in English (no
    thousands comma, which would read as a decimal one)."""
    return plain_number(value) if in_english() else french_number(value)


def format_value(value: Decimal | None, unit: str) -> str:
    """A result or target value with its unit: ``80 %``, ``5 min``, ``2 400`` (in English:
    ``80%``, ``5 min``, ``$2,400``, ``2,400``)."""
    if value is None:
        return ""
    if in_english():
        text = display_number(value)
        return {tl.Unit.PERCENT: f"{text}%", tl.Unit.DURATION: f"{text} min",
                tl.Unit.MONEY: f"${text}"}.get(unit, text)
    if unit == tl.Unit.PERCENT:
        return f"{french_number(value)}{NBSP}%"
    if unit == tl.Unit.DURATION:
        return f"{french_number(value)}{NBSP}min"
    if unit == tl.Unit.MONEY:
        return f"{french_number(value)}{NBSP}$"
    return french_number(value)


def format_percent(fraction: Decimal | None) -> str:
    """A share (0.58) as ``58 %``."""
    if fraction is None:
        return "—"
    if in_english():
        return f"{display_number(Decimal(fraction) * 100, places=0)}%"
    return f"{french_number(Decimal(fraction) * 100, places=0)}{NBSP}%"


def describe_reading(reading: tl.TargetReading, indicator_unit: str,
                     resolved: Decimal | None = None) -> str:
    """How Pôle Plan understood a target, in words: ``au moins 2``, ``+10 % sur 2024-2025``."""
    if reading.kind in (tl.Kind.TBD, tl.Kind.NOT_APPLICABLE, tl.Kind.DELIVERABLE):
        return tl.render_shown(reading)
    if reading.kind is tl.Kind.RELATIVE:
        text = tl.render_shown(reading)
        if resolved is not None:
            text += _(", soit %(value)s") % {"value": format_value(resolved, indicator_unit)}
        return text
    if indicator_unit == tl.Unit.DELIVERABLE:
        return _("Livrable réalisé")
    if reading.unit == tl.Unit.COUNT and not reading.unit_label:
        # A bare number is in the indicator's unit: "5" on a percentage reads "5 %".
        reading = replace(reading, unit=tl.Unit(indicator_unit))
    return tl.render_shown(reading)
