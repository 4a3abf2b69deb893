"""Plain rows for read-only pages and exports: what ``values()`` reads, as light objects
carrying the attributes the pages and exporters read, and no model instance.

Each class stands for one model and borrows that model's derived values (its properties), so
a rule read from one row's fields still lives in one place, :mod:`indicators.models`:
``Result.measure``, ``Target.reading_text``, ``Indicator.per_member``… A row has no manager,
no related managers and no ``save()``: what a page or an export reads, nothing more.
Built by :mod:`indicators.selectors` (``plans_progress(..., plain=True)``).
"""

from __future__ import annotations

from indicators.models import Indicator, Result, Target, Theme


class Row:
    """Fields as attributes; ``pk`` is ``id``. Rows of one kind are built once per id, so two
    references to the same orientation (or action…) are the same object and compare equal."""

    __slots__ = ("id",)
    FIELDS: tuple[str, ...] = ()

    def __init__(self, **fields) -> None:
        for name, value in fields.items():
            setattr(self, name, value)

    @property
    def pk(self) -> int:
        return self.id

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.id}>"


class ThemeRow(Row):
    __slots__ = ("number", "short_label")
    code = Theme.code


class OrientationRow(Row):
    __slots__ = ("code", "title", "plan_id", "theme_id")


class ObjectiveRow(Row):
    __slots__ = ("code", "title", "orientation")


class ActionRow(Row):
    __slots__ = ("code", "title", "objective", "theme_list")


class MemberRow(Row):
    __slots__ = ("label", "position")


class TargetRow(Row):
    """A target and its stored reading (the fields :attr:`Target.reading` reads)."""

    FIELDS = ("id", "indicator_id", "year", "text", "note", "kind", "comparator", "value",
              "unit", "relative_change", "deliverable", "per_member", "upper", "unit_label",
              "window_start", "window_end", "cohort", "frequency", "baseline", "reference",
              "reference_year", "fiscal", "member_label")
    __slots__ = (*FIELDS[1:], "_reading_text")
    reading = Target.reading
    year_label = Target.year_label

    @property
    def reading_text(self) -> str:
        """:attr:`Target.reading_text`, rendered once per row (an export shows it on the
        indicator's line and each member's, in two sheets)."""
        try:
            return self._reading_text
        except AttributeError:
            self._reading_text = Target.reading_text.fget(self)
            return self._reading_text


class IndicatorRow(Row):
    __slots__ = ("label", "unit", "direction", "cumulative", "baseline", "target_scope",
                 "action", "target_list", "member_list")
    Unit = Indicator.Unit
    Scope = Indicator.Scope
    is_deliverable = Indicator.is_deliverable
    per_member = Indicator.per_member


class ResultRow(Row):
    """A result with its author's name (``updated_by_name``); ``evidence_file`` is the stored
    file name ("" when none), ``member`` the :class:`MemberRow` once grouped."""

    FIELDS = ("id", "indicator_id", "member_id", "year", "value", "done", "not_applicable",
              "not_applicable_reason", "comment", "evidence_url", "evidence_file", "is_demo",
              "computed_value", "override_reason", "updated_at", "updated_by_name")
    __slots__ = (*FIELDS[1:], "member")
    measure = Result.measure
    has_evidence = Result.has_evidence
    is_overridden = Result.is_overridden
