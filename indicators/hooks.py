"""Extension points that apps above ``indicators`` fill in, so that ``indicators`` never
imports them (arrows run down: ``reporting`` → ``register`` → ``indicators``).

``computed_sources``: which indicators of a plan year are *calculé à partir du registre*,
and how many activities feed each. ``register`` installs its reader when the app is ready;
without it every indicator is typed.
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
