"""Route converters that match only what the views accept, so a malformed URL is a 404.

``id``: a database key (at most 18 digits, so it always fits a 64-bit column: a longer
number would overflow the database driver instead of finding nothing). ``year``: a plan year,
four digits (``2024`` for 2024-2025). ``target_year``: a plan year or ``periode`` (the whole
period's target).
"""

from __future__ import annotations

from django.urls import register_converter


class IdConverter:
    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


class YearConverter:
    regex = "[0-9]{4}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


class TargetYearConverter:
    """A plan year (``2024``) or ``periode``; the view receives the text."""

    regex = "[0-9]{4}|periode"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: int | str | None) -> str:
        return "periode" if value in (None, "periode") else str(value)


register_converter(IdConverter, "id")
register_converter(YearConverter, "year")
register_converter(TargetYearConverter, "target_year")
