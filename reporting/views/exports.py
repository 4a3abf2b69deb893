"""Downloads of the reddition de compte. The link carries the page's filters (the year)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse

from indicators import access
from indicators.models import fiscal_year_label
from indicators.progress import plans_for
from reporting.exports import national_workbook, pole_workbook, results_csv
from reporting.views.params import year_param
from reporting.writers import XLSX_TYPE


def _download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def pole_export(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = access.plan_for(request.user, plan_id)
    year = year_param(request, plan.years, plan.current_year(), download=True)
    stem = f"reddition-{plan.pole.code}-{fiscal_year_label(year)}"
    if request.GET.get("format") == "csv":
        return _download(results_csv(plan, year, settings.ACHIEVEMENT_THRESHOLDS),
                         f"{stem}-resultats.csv", "text/csv; charset=utf-8")
    return _download(pole_workbook(plan, year, settings.ACHIEVEMENT_THRESHOLDS),
                     f"{stem}.xlsx", XLSX_TYPE)


@login_required
def national_export(request: HttpRequest) -> HttpResponse:
    """All pôles the user may read (every pôle for the ministry)."""
    plans = plans_for(access.readable_poles(request.user))
    years = sorted({y for plan in plans for y in plan.years}) or [0]
    year = year_param(request, years, max(plan.current_year() for plan in plans) if plans else 0,
                      download=True)
    return _download(national_workbook(plans, year, settings.ACHIEVEMENT_THRESHOLDS),
                     f"reddition-nationale-{fiscal_year_label(year)}.xlsx", XLSX_TYPE)
