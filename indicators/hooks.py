"""Extension points that apps above ``indicators`` fill in, so that ``indicators`` never
imports them (arrows run down: ``reporting`` → ``register`` → ``indicators``).

``year_notices``: due dates and corrections asked for a plan year (``campaigns``).

``computed_sources``: which indicators of a plan year are *calculé à partir du registre*,
and how many activities feed each. ``register`` installs its reader when the app is ready;
without it every indicator is typed.

``demo_loaders``: demo records kept by apps above (the register's activities), loaded by
``indicators.demo`` after the demo results and *before* the demo's workflow gestures, so that
nothing is written into a year once it is approved.

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


DemoLoader = Callable[[list], object]
_demo_loaders: list[DemoLoader] = []


def demo_loader_install(loader: DemoLoader) -> None:
    """Install ``loader(plans)``, run by the demo before it submits and approves years."""
    if loader not in _demo_loaders:
        _demo_loaders.append(loader)


def demo_loaders() -> tuple[DemoLoader, ...]:
    return tuple(_demo_loaders)


@dataclass(frozen=True)
class YearNotices:
    """What an app above says about one plan year on its entry page and dashboard: the
    campaign's due dates, and the corrections the ministry asked for (``campaigns``)."""

    due_dates: tuple = ()  # items with .label, .date, .days_text and .reason (an extension)
    points_year: tuple = ()  # corrections asked on the whole year
    by_indicator: dict = field(default_factory=dict)  # indicator id → corrections asked
    by_action: dict = field(default_factory=dict)  # action id → corrections asked
    corrections_url: str = ""  # the page where they are answered

    @property
    def points(self) -> int:
        return (len(self.points_year) + sum(map(len, self.by_indicator.values()))
                + sum(map(len, self.by_action.values())))


NoticesReader = Callable[..., YearNotices]
_notices_reader: NoticesReader | None = None


def notices_reader_install(reader: NoticesReader | None) -> None:
    """Install ``reader(plan, year) -> YearNotices`` (None removes it)."""
    global _notices_reader
    _notices_reader = reader


def year_notices(plan, year: int) -> YearNotices:
    """The notices of ``plan``'s ``year``; empty when no reader is installed. The reader
    costs a fixed number of queries (two in ``campaigns``)."""
    if _notices_reader is None:
        return YearNotices()
    return _notices_reader(plan, year)


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
