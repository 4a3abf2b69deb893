"""The register's pages: the pôle's activity list, the activity form, and the activities
behind a computed indicator (with the coordinator's override)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from indicators import access as roles
from indicators import workflow
from indicators.files import file_download
from indicators.formatting import format_percent, format_value
from indicators.models import Indicator, fiscal_year_label
from register import access, selectors, services
from register.activity_import import (
    ImportOutcome,
    UnreadableFile,
    activities_import,
    activity_dataset_load,
)
from register.forms import ActivityFilter, ActivityForm, ActivityImportForm, OverrideForm
from register.models import Activity, ImportJob
from register.rules import plan_year_compute
from register.services import ActivityConflict, YearLocked
from register.tasks import import_job_start

PAGE_SIZE = 100
EXAMPLE_FILE = settings.BASE_DIR / "fixtures" / "register" / "exemple-registre.csv"
LOCKED = gettext_lazy("Cette activité compte dans une année soumise ou approuvée : elle ne "
                      "peut plus être modifiée tant que l'exercice n'est pas rouvert.")
CONFLICT = gettext_lazy("Quelqu'un a modifié cette activité pendant que vous la modifiiez. "
                        "Vos valeurs sont conservées ci-dessous ; comparez-les avec les "
                        "siennes, puis enregistrez de nouveau pour remplacer sa version.")


@login_required
def my_register(request: HttpRequest) -> HttpResponse:
    """The top navigation's « Registre d'activités »: the user's own pôle's register."""
    return redirect("register:list", pole_code=access.own_pole(request.user).code)


@login_required
def activity_list(request: HttpRequest, pole_code: str) -> HttpResponse:
    pole = access.pole_for(request.user, pole_code)
    plans = services.pole_plans(pole)
    activity_filter = ActivityFilter(request.GET or None, pole=pole, plans=plans,
                                     queryset=selectors.activities_for_list(pole))
    page = Paginator(activity_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "register/activity_list.html", {
        "pole": pole, "filter": activity_filter, "page": page, "query": query.urlencode(),
        "can_enter": roles.can_enter(request.user, pole),
    })


@login_required
@require_http_methods(["GET", "POST"])
def activity_edit(request: HttpRequest, pole_code: str,
                  activity_id: int | None = None) -> HttpResponse:
    pole = access.pole_for(request.user, pole_code, write=True)
    if activity_id is None:
        activity = Activity(pole=pole)
    else:
        activity = access.activity_for(request.user, activity_id, write=True)
        if activity.pole_id != pole.pk:
            raise Http404
    plans = services.pole_plans(pole)
    previous = services.activity_feeds(activity, plans)
    locked = activity.pk is not None and services.activity_is_locked(activity)
    form = ActivityForm(request.POST or None, request.FILES or None, instance=activity,
                        pole=pole)
    conflict = None
    if request.method == "POST" and not locked and form.is_valid():
        organisations = list(form.cleaned_data["organisations"])
        if form.known_partner is not None:
            organisations.append(form.known_partner)
            messages.info(request, _("« %(name)s » est déjà au répertoire : ajouté.") % {
                "name": form.known_partner.display_name})
        try:
            with transaction.atomic():
                if form.new_partner is not None:
                    name, kind = form.new_partner
                    organisations.append(services.organisation_create_local(
                        pole=pole, name=name, kind=kind))
                services.activity_save(activity=form.instance, user=request.user,
                                       actions=form.cleaned_data["actions"],
                                       organisations=organisations, previous=previous,
                                       seen_version=form.cleaned_data["seen_version"])
        except YearLocked:
            form.add_error(None, LOCKED)
        except ActivityConflict as exc:
            form.add_error(None, CONFLICT)
            conflict = services.activity_differences(
                exc.current, form.instance, form.cleaned_data["actions"], organisations)
            form.show_version(exc.current.version)
        else:
            messages.success(request, _("Activité « %(title)s » enregistrée.") % {
                "title": activity.title})
            return redirect("register:list", pole_code=pole.code)
    if locked and request.method == "POST":
        form.add_error(None, LOCKED)
    return render(request, "register/activity_form.html", {
        "pole": pole, "form": form, "activity": activity, "locked": locked,
        "conflict": conflict,
    })


@login_required
@require_http_methods(["GET", "POST"])
def activity_import(request: HttpRequest, pole_code: str) -> HttpResponse:
    """Import an activity log: all rows or none, every problem with its line. A file of more
    than ``REGISTER_IMPORT_BACKGROUND_ROWS`` rows is imported by the worker: the page
    redirects to the job's page, which shows its progress, then the same outcome."""
    pole = access.pole_for(request.user, pole_code, write=True)
    form = ActivityImportForm(request.POST or None, request.FILES or None)
    outcome = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        try:
            dataset = activity_dataset_load(content, upload.name)
        except UnreadableFile as exc:
            form.add_error("file", str(exc))
        else:
            options = {"dry_run": form.cleaned_data["dry_run"],
                       "keep_duplicates": form.cleaned_data["keep_duplicates"]}
            if len(dataset) > settings.REGISTER_IMPORT_BACKGROUND_ROWS:
                job = import_job_start(pole=pole, user=request.user, filename=upload.name,
                                       content=content, rows=len(dataset), **options)
                return redirect("register:import_job", pole_code=pole.code, job_id=job.pk)
            outcome = activities_import(pole=pole, dataset=dataset, user=request.user,
                                        **options)
            if _imported(request, outcome):
                return redirect("register:list", pole_code=pole.code)
    return render(request, "register/activity_import.html", {
        "pole": pole, "form": form, "outcome": outcome,
    })


def _imported(request: HttpRequest, outcome) -> bool:
    """Say so and return True when ``outcome`` is a finished import with nothing left to
    show (no duplicates skipped): the page then goes back to the register."""
    if outcome.ok and not outcome.dry_run and not outcome.duplicates:
        messages.success(request, _(
            "Activités importées — créées : %(created)s ; mises à jour : "
            "%(updated)s ; inchangées : %(unchanged)s.") % {
                "created": outcome.created, "updated": outcome.updated,
                "unchanged": outcome.unchanged})
        return True
    return False


@login_required
def activity_import_job(request: HttpRequest, pole_code: str, job_id: int) -> HttpResponse:
    """A background import: its progress bar while it runs (the page's script polls
    ``?etat``, a JSON of the job's progress), then its outcome as the import page shows it."""
    pole = access.pole_for(request.user, pole_code, write=True)
    job = get_object_or_404(ImportJob.objects.defer("content"), pk=job_id, pole=pole)
    if "etat" in request.GET:
        return JsonResponse({"state": job.state,
                             "state_label": str(job.get_state_display()).capitalize(),
                             "percent": job.percent,
                             "text": _progress_text(job), "finished": job.is_finished})
    outcome = ImportOutcome.from_dict(job.outcome) if job.outcome else None
    if outcome is not None and _imported(request, outcome):
        return redirect("register:list", pole_code=pole.code)
    return render(request, "register/activity_import.html", {
        "pole": pole, "form": ActivityImportForm(), "outcome": outcome, "job": job,
        "progress_text": _progress_text(job),
    })


def _progress_text(job: ImportJob) -> str:
    """« 42 % — lignes lues : 4 200 sur 10 000 »: the bar's words, for the page and its
    poll."""
    count = Indicator.Unit.COUNT
    return _("%(percent)s — lignes lues : %(done)s sur %(total)s") % {
        "percent": format_percent(Decimal(job.percent) / 100),
        "done": format_value(Decimal(job.done), count),
        "total": format_value(Decimal(job.total), count)}


@login_required
def import_example(request: HttpRequest) -> FileResponse:
    """The example register file the import page documents (its rows fall in 2025-2026
    and 2026-2027, so it imports on the demo, whose 2024-2025 is approved)."""
    return FileResponse(EXAMPLE_FILE.open("rb"), as_attachment=True,
                        filename=EXAMPLE_FILE.name, content_type="text/csv; charset=utf-8")


@login_required
def activity_detail(request: HttpRequest, pole_code: str, activity_id: int) -> HttpResponse:
    """An activity as every reader of its pôle sees it (ministry staff, directors): read
    only, with the indicators it feeds; those who may change it find the form from here."""
    pole = access.pole_for(request.user, pole_code)
    activity = access.activity_for(request.user, activity_id)
    if activity.pole_id != pole.pk:
        raise Http404
    return render(request, "register/activity_detail.html", {
        "pole": pole, "activity": activity,
        "actions": list(activity.actions.all()),
        "organisations": list(activity.organisations.all()),
        "can_enter": roles.can_enter(request.user, pole),
    })


@login_required
@require_POST
def activity_delete(request: HttpRequest, pole_code: str, activity_id: int) -> HttpResponse:
    pole = access.pole_for(request.user, pole_code, write=True)
    activity = access.activity_for(request.user, activity_id, write=True)
    if activity.pole_id != pole.pk:
        raise Http404
    try:
        services.activity_delete(activity=activity, user=request.user)
    except YearLocked:
        messages.error(request, LOCKED)
    else:
        messages.success(request, _("Activité supprimée."))
    return redirect("register:list", pole_code=pole.code)


@login_required
def activity_evidence(request: HttpRequest, activity_id: int) -> FileResponse:
    """An activity's evidence file, to those who may read its pôle."""
    return file_download(access.activity_for(request.user, activity_id).evidence_file)


@login_required
@require_http_methods(["GET", "POST"])
def indicator_activities(request: HttpRequest, indicator_id: int, year: int) -> HttpResponse:
    """« Voir les N activités »: the records behind a computed value, and its override."""
    indicator = access.computed_indicator_for(request.user, indicator_id,
                                              write=request.method == "POST")
    plan = indicator.action.objective.orientation.plan
    if year not in plan.years:
        raise Http404
    state = selectors.year_state(plan, year)
    editable = state in workflow.OPEN_STATES and roles.can_enter(request.user, plan.pole)
    form = OverrideForm(request.POST or None)
    if request.method == "POST":
        try:
            if "revert" in request.POST:
                services.result_override(indicator=indicator, year=year, value=None, reason="",
                                         user=request.user)
                messages.success(request, _("La valeur calculée est rétablie."))
                return redirect("register:indicator", indicator_id=indicator.pk, year=year)
            if form.is_valid():
                services.result_override(indicator=indicator, year=year,
                                         value=form.cleaned_data["value"],
                                         reason=form.cleaned_data["reason"],
                                         user=request.user)
                messages.success(request, _("La valeur calculée est remplacée."))
                return redirect("register:indicator", indicator_id=indicator.pk, year=year)
        except YearLocked:
            form.add_error(None, _("Cette année est soumise ou approuvée : la valeur ne peut "
                                   "plus changer."))
    computation = plan_year_compute(plan, year).get(indicator.pk)
    activities = list(selectors.activities_behind(indicator, plan, year))
    return render(request, "register/indicator_activities.html", {
        "indicator": indicator, "plan": plan, "year": year,
        "year_label": fiscal_year_label(year),
        "years": [(y, fiscal_year_label(y)) for y in plan.years],
        "rule": indicator.register_rule, "computation": computation,
        "result": selectors.total_result(indicator, year), "activities": activities,
        "form": form, "editable": editable,
    })
