"""A target reading written in English, for a person who chose English.

The canonical form stays French (:func:`indicators.targets.reading.render`): it is what a plan
says and what reads back. This is its English twin, for display only: ``at least 6``,
``80%``, ``$200,000,000``, ``from 40 to 60``, ``increase of 10% compared with the previous
year's result``, ``80%, by 2026-2027``, ``To be determined``. The plan's own words (a
deliverable, a unit label such as « vues », a breakdown member's name) stay as written.
No database.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import get_language

from indicators.numbers import NBSP, format_number
from indicators.targets.reading import (
    Comparator,
    Frequency,
    Kind,
    Reference,
    TargetReading,
    Unit,
    render,
)


def _number(value: Decimal) -> str:
    """``80,000``, ``1.5``: the French digits with English separators."""
    return format_number(abs(Decimal(value))).replace(",", ".").replace(NBSP, ",")


def render_quantity(value: Decimal, unit: Unit | None, label: str = "") -> str:
    """``80%``, ``5 min``, ``$200,000,000``, ``80,000 vues``, ``1.5 percentage points``."""
    text = _number(value)
    if unit == Unit.PERCENT:
        return f"{text}%"
    if unit == Unit.MONEY:
        return f"${text}"
    if unit == Unit.DURATION:
        return f"{text} min"
    if unit == Unit.POINTS:
        return f"{text} percentage point{'' if abs(Decimal(value)) == 1 else 's'}"
    return f"{text} {label}" if label else text


_WORDS = {
    Comparator.REACH: "",
    Comparator.AT_LEAST: "at least ",
    Comparator.MORE_THAN: "more than ",
    Comparator.AT_MOST: "at most ",
    Comparator.LESS_THAN: "less than ",
    Comparator.EXACTLY: "exactly ",
    Comparator.MAINTAIN: "maintain at ",
}


def _year_text(year: int, fiscal: bool) -> str:
    return f"{year}-{year + 1}" if fiscal else str(year)


def _relative(reading: TargetReading) -> str:
    if reading.comparator is Comparator.MAINTAIN:
        return "maintain the previous year's result"
    change = reading.relative_change or Decimal(0)
    words = "increase" if change >= 0 else "decrease"
    if reading.frequency is not None:
        words = f"annual {words}"
    of = "of at least" if reading.comparator is Comparator.AT_LEAST else "of"
    text = f"{words} {of} {render_quantity(abs(change), reading.unit)}"
    if reading.reference is Reference.PREVIOUS:
        text += " compared with the previous year's result"
    elif reading.reference is Reference.START:
        text += " compared with the starting value"
    elif reading.reference is Reference.YEAR:
        text += f" compared with {_year_text(reading.reference_year, True)}"
    return text


def render_english(reading: TargetReading) -> str:
    """The reading in English, clause for clause as :func:`render` writes it in French."""
    if reading.kind is Kind.TBD:
        return "To be determined"
    if reading.kind is Kind.NOT_APPLICABLE:
        return "Not applicable"
    if reading.kind is Kind.DELIVERABLE:
        return f"Deliverable: {reading.deliverable}"
    if reading.kind is Kind.RELATIVE:
        text = _relative(reading)
    elif reading.comparator is Comparator.BETWEEN:
        low = render_quantity(reading.value, reading.unit)
        if reading.unit is Unit.COUNT:
            low = _number(reading.value)
        high = render_quantity(reading.upper, reading.unit, reading.unit_label)
        text = f"between {low} and {high}"
    elif reading.baseline is not None:
        low = render_quantity(reading.baseline, reading.unit)
        if reading.unit is Unit.COUNT:
            low = _number(reading.baseline)
        high = render_quantity(reading.value, reading.unit, reading.unit_label)
        text = f"from {low} to {high}"
    else:
        quantity = render_quantity(reading.value, reading.unit, reading.unit_label)
        text = f"{_WORDS[reading.comparator or Comparator.REACH]}{quantity}"
    parts = [text]
    if reading.per_member:
        parts[0] += (f" for each {reading.member_label}" if reading.member_label
                     else " for each member")
    if reading.cohort is not None:
        parts.append(f"cohort {reading.cohort}")
    if reading.window_end is not None:
        end = _year_text(reading.window_end, reading.fiscal)
        if reading.window_start is None:
            parts.append(f"by {end}")
        elif reading.window_start == reading.window_end:
            parts.append(f"in {end}")
        else:
            parts.append(f"from {reading.window_start} to {reading.window_end}")
    if reading.frequency is Frequency.ANNUAL and not (
            reading.kind is Kind.RELATIVE and reading.comparator is not Comparator.MAINTAIN):
        parts.append("each year")
    return ", ".join(parts)


def render_shown(reading: TargetReading) -> str:
    """The reading as a person reads it: in English when the active language is English,
    else in canonical French."""
    if (get_language() or "").startswith("en"):
        return render_english(reading)
    return render(reading)
