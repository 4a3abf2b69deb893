"""Reading the dashboards' query parameters (shared by the pages and their downloads)."""

from __future__ import annotations

from django.http import HttpRequest


def int_param(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def year_param(request: HttpRequest, plan_years: list[int], default: int) -> int:
    """The ``annee`` parameter when it is one of ``plan_years``, else ``default``."""
    year = int_param(request.GET.get("annee"))
    return year if year in plan_years else default
