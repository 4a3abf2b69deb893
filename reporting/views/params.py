"""Reading the dashboards' query parameters (shared by the pages and their downloads)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from indicators.models import fiscal_year_label


def int_param(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def year_param(request: HttpRequest, plan_years: list[int], default: int, *,
               download: bool = False) -> int:
    """The ``annee`` parameter when it is one of ``plan_years``, else ``default``.

    An ``annee`` that is not one of ``plan_years`` is said, never silently replaced: a page
    shows a message above the default year; a download (``download=True``) is a 404, since
    a file cannot carry the message.
    """
    raw = request.GET.get("annee")
    year = int_param(raw)
    if raw is None or raw == "" or year in plan_years:
        return year if year in plan_years else default
    if download:
        raise Http404(_("L'année « %(value)s » n'est pas une année de ce plan.")
                      % {"value": raw[:20]})
    messages.warning(request, _("L'année « %(value)s » n'est pas une année de ce plan : "
                                "voici %(year)s.") % {"value": raw[:20],
                                                      "year": fiscal_year_label(default)})
    return default


def query_with_year(request: HttpRequest, year: int) -> str:
    """The page's query string with the year actually shown (for its download links)."""
    query = request.GET.copy()
    query["annee"] = str(year)
    return query.urlencode()
