"""Public pages (no login) and open data: the approved years of published pôles only, read
through :mod:`indicators.selectors`; and the director's page that publishes them."""

from __future__ import annotations

import functools

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from indicators import access, selectors
from indicators.progress import STATUS_LABELS
from indicators.services import pole_publish
from indicators.spreadsheets import Export
from public import opendata
from public.forms import PublicationForm
from public.pages import public_plans
from reporting.filings import latest_public_filings, public_pdf
from reporting.views.filings import filed_response


def public_cache(view):
    """Anonymous visitors' responses may be kept by any cache for ``PUBLIC_CACHE_SECONDS``;
    a signed-in person's page (its top bar names them) is private. Responses vary with the
    language asked for and the cookies (the language chosen, the session)."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if request.user.is_authenticated:
            patch_cache_control(response, private=True, max_age=0)
        else:
            patch_cache_control(response, public=True, max_age=settings.PUBLIC_CACHE_SECONDS)
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response

    return require_GET(wrapper)


def _published(code: str):
    pole = selectors.published_pole(code)
    if pole is None:
        raise Http404(_("Ce pôle ne publie pas de page publique."))
    return pole


def _file(export: Export, *, inline: bool = False) -> HttpResponse:
    response = HttpResponse(export.content, content_type=export.content_type)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{export.filename}"'
    return response


@public_cache
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "public/index.html", {"poles": selectors.published_poles()})


@public_cache
def pole(request: HttpRequest, code: str) -> HttpResponse:
    pole = _published(code)
    plans = selectors.plans_for([pole])
    approved = selectors.approved_years(plans)
    years = sorted({year for by_year in approved.values() for year in by_year})
    progress = selectors.plans_progress_years(
        [plan for plan in plans if plan.pk in approved], years) if years else {}
    indicators = selectors.plain_indicators([plan.pk for plan in plans], target_years=[])
    states = selectors.action_states_years(
        [plan for plan in plans if plan.pk in approved], years)
    filings = latest_public_filings(plans, approved)
    return render(request, "public/pole.html", {
        "pole": pole, "plans": public_plans(plans, indicators, approved, progress,
                                            states=states, filings=filings),
        "statuses": list(STATUS_LABELS.items()),
    })


@public_cache
def pole_report(request: HttpRequest, code: str, plan_id: int, year: int) -> FileResponse:
    """The filed PDF of a published pôle's approved year, its latest version, byte for byte
    as filed (404 for a pôle that does not publish, a year that is not approved or has no
    filing). Never the workbook nor the CSV, which carry the year's internal data."""
    pole = _published(code)
    plan = next((plan for plan in selectors.plans_for([pole]) if plan.pk == plan_id), None)
    if plan is None or year not in selectors.approved_years([plan]).get(plan.pk, {}):
        raise Http404
    filed = public_pdf(plan, year)
    if filed is None:
        raise Http404
    return filed_response(filed)


def in_canonical_language(view):
    """Open data files hold the same values whatever the visitor's language (a portal
    harvests them by address, and a row compares with last year's): they are written in
    the project's language; the data dictionary follows the visitor's."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        with translation.override(settings.LANGUAGE_CODE):
            return view(request, *args, **kwargs)

    return wrapper


@public_cache
@in_canonical_language
def pole_data_csv(request: HttpRequest, code: str) -> HttpResponse:
    pole = _published(code)
    return _file(opendata.data_csv(selectors.plans_for([pole]), pole))


@public_cache
@in_canonical_language
def pole_data_json(request: HttpRequest, code: str) -> HttpResponse:
    pole = _published(code)
    return _file(opendata.data_json(selectors.plans_for([pole]), pole), inline=True)


@public_cache
@in_canonical_language
def all_data_csv(request: HttpRequest) -> HttpResponse:
    return _file(opendata.data_csv(selectors.plans_for(selectors.published_poles())))


@public_cache
@in_canonical_language
def all_data_json(request: HttpRequest) -> HttpResponse:
    return _file(opendata.data_json(selectors.plans_for(selectors.published_poles())),
                 inline=True)


@public_cache
def dictionary_csv(request: HttpRequest) -> HttpResponse:
    return _file(opendata.dictionary_csv())


@public_cache
def dictionary_markdown(request: HttpRequest) -> HttpResponse:
    return _file(opendata.dictionary_markdown(), inline=True)


@login_required
def publication(request: HttpRequest, code: str) -> HttpResponse:
    """The pôle's director chooses whether its public page and open data are published."""
    pole = access.pole_for(request.user, code, check=access.can_publish)
    form = PublicationForm(request.POST if request.method == "POST" else None,
                           initial={"public": pole.public})
    if request.method == "POST" and form.is_valid():
        public = form.cleaned_data["public"]
        pole_publish(pole=pole, public=public, user=request.user)
        messages.success(request, _("La page publique du pôle est publiée.") if public
                         else _("La page publique du pôle n'est pas publiée."))
        return redirect("public:publication", code=pole.code)
    return render(request, "public/publication.html", {"pole": pole, "form": form})
