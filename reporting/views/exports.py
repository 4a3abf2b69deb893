"""Downloads of the reddition de compte. The link carries the page's filters (the year)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse

from indicators import access
from indicators.selectors import plans_for
from indicators.spreadsheets import download
from reporting.exports import national_workbook, pole_workbook, results_csv
from reporting.filings import filed_versions
from reporting.views.params import year_param


@login_required
def pole_export(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = access.plan_for(request.user, plan_id)
    year = year_param(request, plan.years, plan.current_year(), download=True)
    if request.GET.get("format") == "csv":
        return download(results_csv(plan, year, settings.ACHIEVEMENT_THRESHOLDS))
    return download(pole_workbook(plan, year, settings.ACHIEVEMENT_THRESHOLDS))


@login_required
def national_export(request: HttpRequest) -> HttpResponse:
    """All pôles the user may read (every pôle for the ministry)."""
    plans = plans_for(access.readable_poles(request.user))
    years = sorted({y for plan in plans for y in plan.years}) or [0]
    year = year_param(request, years, max(plan.current_year() for plan in plans) if plans else 0,
                      download=True)
    return download(national_workbook(plans, year, settings.ACHIEVEMENT_THRESHOLDS,
                                      filed=filed_versions(plans, year)))
