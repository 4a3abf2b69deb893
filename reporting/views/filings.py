"""The annual report PDF, and what each pôle filed: versions, hashes, differences, files."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from indicators import access
from indicators.models import fiscal_year_label
from indicators.spreadsheets import download
from reporting.filings import filed_file_for, filings_of
from reporting.report_pdf import annual_report_pdf
from reporting.views.params import year_param


@login_required
def report_pdf(request: HttpRequest, plan_id: int) -> HttpResponse:
    """The year's annual report made now from the current figures (the filed one, kept as
    approved, is on the filings page)."""
    plan = access.plan_for(request.user, plan_id)
    year = year_param(request, plan.years, plan.current_year(), download=True)
    return download(annual_report_pdf(plan, year, settings.ACHIEVEMENT_THRESHOLDS))


@login_required
def filings(request: HttpRequest, plan_id: int) -> HttpResponse:
    """Every filed version of a pôle-year, the current one first, with its files' hashes and
    what changed since the version before."""
    plan = access.plan_for(request.user, plan_id)
    year = year_param(request, plan.years, plan.current_year())
    return render(request, "reporting/filings.html", {
        "plan": plan, "year": year, "year_label": fiscal_year_label(year),
        "years": [(y, fiscal_year_label(y)) for y in plan.years],
        "filings": filings_of(plan, year),
    })


@login_required
def filed_file(request: HttpRequest, file_id: int) -> FileResponse:
    """A filed file, byte for byte as stored at the approval (never made again)."""
    return filed_response(filed_file_for(request.user, file_id))


def filed_response(filed) -> FileResponse:
    """A filed file's download: its stored bytes, its name and its SHA-256 (the ministry's
    pages and the public page serve filings through it)."""
    try:
        handle = filed.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=filed.filename,
                            content_type=filed.content_type)
    response["X-Content-SHA256"] = filed.sha256
    return response
