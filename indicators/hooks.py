"""Extension points that apps above ``indicators`` fill in, so that ``indicators`` never
imports them (arrows run down: ``reporting`` → ``register`` → ``indicators``).

``computed_sources``: which indicators of a plan year are *calculé à partir du registre*,
and how many activities feed each. ``register`` installs its reader when the app is ready;
without it every indicator is typed.

``year_approved``: what happens when a director approves a year, in the approval's
transaction (``reporting`` files the pôle's workbook, CSV and PDF).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ComputedSource:
    """An indicator computed from records kept elsewhere (the activity register)."""

    activities: int  # how many activities the year's value comes from
    members: frozenset[int] = field(default_factory=frozenset)  # members computed too


ComputedReader = Callable[..., dict[int, ComputedSource]]
_computed_reader: ComputedReader | None = None


def computed_reader_install(reader: ComputedReader | None) -> None:
    """Install ``reader(plan, year) -> {indicator id: ComputedSource}`` (None removes it)."""
    global _computed_reader
    _computed_reader = reader


def computed_sources(plan, year: int) -> dict[int, ComputedSource]:
    """Indicator id → :class:`ComputedSource` for ``plan``'s computed indicators in
    ``year``; empty when no reader is installed. The reader's queries do not grow with the
    number of activities."""
    if _computed_reader is None:
        return {}
    return _computed_reader(plan, year)


YearApprovedListener = Callable[..., None]
_year_approved: list[YearApprovedListener] = []


def year_approved_install(listener: YearApprovedListener) -> None:
    """Call ``listener(plan=, year=, user=, at=, comment=)`` whenever a year is approved
    (installed once; installing it again does nothing)."""
    if listener not in _year_approved:
        _year_approved.append(listener)


def year_approved(**approval) -> None:
    """Tell every listener that a year was approved (inside the approval's transaction: a
    listener that fails undoes the approval)."""
    for listener in _year_approved:
        listener(**approval)
