"""The year's entry page and entry sheet: where coordinators live."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from indicators import access, hooks, workflow
from indicators.entry import (
    EntryPage,
    SheetError,
    entry_sheet,
    entry_sheet_bind,
    jump_list,
    status_changes,
)
from indicators.files import file_download
from indicators.forms import EntrySheetUploadForm, TransitionForm
from indicators.models import Plan, fiscal_year_label
from indicators.progress import group_progress, summarize
from indicators.selectors import latest_plan, plan_progress, year_report, year_transitions
from indicators.services import YearLocked, results_save
from indicators.spreadsheets import download


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Send each person where they work: their pôle's entry page, or the national view."""
    membership = access.membership_of(request.user)
    if access.can_read_all(request.user):
        return redirect("reporting:national")
    if membership is None or membership.pole_id is None:
        return render(request, "indicators/no_membership.html", status=403)
    plan = latest_plan(membership.pole_id)
    if plan is None:
        return render(request, "indicators/no_membership.html", {"no_plan": True})
    if membership.role == membership.Role.DIRECTOR:
        return redirect("reporting:pole", plan_id=plan.pk)
    return redirect("indicators:entry", plan_id=plan.pk, year=plan.current_year())


def _plan_year(request: HttpRequest, plan_id: int, year: int, check=access.can_read) -> Plan:
    plan = access.plan_for(request.user, plan_id, check=check)
    if year not in plan.years:
        raise Http404(_("Cette année n'est pas une année du plan."))
    return plan


def _changes_key(plan: Plan, year: int) -> str:
    return f"entry-status-changes-{plan.pk}-{year}"


def _remember_changes(request, plan: Plan, year: int, before) -> None:
    """Keep, for the page shown after the redirect, the statuses this save changed."""
    request.session[_changes_key(plan, year)] = status_changes(
        before, plan_progress(plan, year, live=True))


def _context(request, plan: Plan, year: int, page: EntryPage) -> dict:
    report = year_report(plan, year)
    user = request.user
    gestures = workflow.available(report, user, plan.pole)
    groups = group_progress(page.lines)
    return {
        "plan": plan, "year": year, "year_label": fiscal_year_label(year),
        "years": [(y, fiscal_year_label(y)) for y in plan.years],
        "page": page, "groups": groups, "jump_list": jump_list(groups),
        "summary": summarize([line.item for line in page.lines]),
        "report": report, "state": workflow.state_of(report),
        "state_label": workflow.state_label(report),
        "draft_label": workflow.state_label(workflow.State.DRAFT),
        "transitions": year_transitions(report),
        "editable": workflow.accepts_results(report) and access.can_enter(user, plan.pole),
        "can_enter": access.can_enter(user, plan.pole),
        "gestures": gestures,
        "comment_label": workflow.comment_label(gestures),
        "transition_form": TransitionForm(),
        "upload_form": EntrySheetUploadForm(),
    }


@login_required
@require_http_methods(["GET", "POST"])
def entry(request: HttpRequest, plan_id: int, year: int) -> HttpResponse:
    plan = _plan_year(request, plan_id, year)
    if request.method == "POST" and not access.can_enter(request.user, plan.pole):
        raise PermissionDenied
    # The entry page evaluates its plan's indicators live (``live=True``) rather than reading
    # the stored evaluations: it is the one page showing one plan's statuses next to what was
    # just typed, and its evaluation is bounded by one plan (dashboards and exports read
    # stored evaluations).
    items = plan_progress(plan, year, live=True)
    computed = hooks.computed_sources(plan, year)
    if request.method == "GET":
        context = _context(request, plan, year, EntryPage(items, computed=computed))
        context["status_changes"] = request.session.pop(_changes_key(plan, year), None)
        return render(request, "indicators/entry.html", context)

    page = EntryPage(items, data=request.POST, files=request.FILES, computed=computed)
    if not page.is_valid():
        messages.error(request, _("Rien n'a été enregistré : corrigez les %(n)s ligne(s) "
                                  "signalée(s) ; vos autres saisies sont conservées.")
                       % {"n": page.error_count})
        return render(request, "indicators/entry.html", _context(request, plan, year, page))
    entries = page.changed_entries()
    if not entries:
        messages.info(request, _("Aucun changement à enregistrer."))
        return redirect("indicators:entry", plan_id=plan.pk, year=year)
    try:
        conflicts = results_save(plan=plan, year=year, user=request.user, entries=entries)
    except YearLocked as locked:
        messages.error(request, _("L'année %(year)s n'est plus en %(draft)s (%(state)s) : rien "
                                  "n'a été enregistré. Vos saisies sont affichées ci-dessous.")
                       % {"year": fiscal_year_label(year),
                          "draft": workflow.state_label(workflow.State.DRAFT),
                          "state": workflow.state_label(locked.state)})
        return render(request, "indicators/entry.html", _context(request, plan, year, page),
                      status=409)
    if conflicts:
        page = page.with_conflicts(conflicts, request.POST, request.FILES)
        messages.error(request, _("Rien n'a été enregistré : %(n)s résultat(s) que vous avez "
                                  "modifiés l'ont aussi été par quelqu'un d'autre pendant votre "
                                  "saisie. Choisissez la valeur à garder pour chacun, puis "
                                  "enregistrez de nouveau.") % {"n": len(conflicts)})
        return render(request, "indicators/entry.html", _context(request, plan, year, page),
                      status=409)
    messages.success(request, _("%(n)s résultat(s) enregistré(s).") % {"n": len(entries)})
    _remember_changes(request, plan, year, items)
    return redirect("indicators:entry", plan_id=plan.pk, year=year)


@login_required
def evidence(request: HttpRequest, result_id: int) -> FileResponse:
    """An evidence file, to those who may read its pôle (never served straight from disk)."""
    return file_download(access.result_for(request.user, result_id).evidence_file)


@login_required
def entry_sheet_download(request: HttpRequest, plan_id: int, year: int) -> HttpResponse:
    plan = _plan_year(request, plan_id, year)
    page = EntryPage(plan_progress(plan, year, live=True),
                     computed=hooks.computed_sources(plan, year))
    return download(entry_sheet(page, plan=plan, year=year))


@login_required
@require_POST
def entry_sheet_upload(request: HttpRequest, plan_id: int, year: int) -> HttpResponse:
    plan = _plan_year(request, plan_id, year, check=access.can_enter)
    form = EntrySheetUploadForm(request.POST, request.FILES)
    items = plan_progress(plan, year, live=True)
    computed = hooks.computed_sources(plan, year)
    back = reverse("indicators:entry", kwargs={"plan_id": plan.pk, "year": year})
    if not form.is_valid():
        context = _context(request, plan, year, EntryPage(items, computed=computed))
        context["upload_form"] = form
        return render(request, "indicators/entry.html", context, status=400)
    try:
        page, errors = entry_sheet_bind(items, form.cleaned_data["file"].read(), computed)
    except SheetError as exc:
        form.add_error("file", str(exc))
        context = _context(request, plan, year, EntryPage(items, computed=computed))
        context["upload_form"] = form
        return render(request, "indicators/entry.html", context, status=400)
    if not errors:
        entries = page.changed_entries()
        if not entries:
            # An untouched sheet: nothing written, no version bumped, no year report created.
            messages.info(request, _("Feuille importée : aucun changement."))
            return redirect(back)
        try:
            conflicts = results_save(plan=plan, year=year, user=request.user, entries=entries)
        except YearLocked:
            errors = [_("L'année n'est plus en %(draft)s : rien n'a été enregistré.")
                      % {"draft": workflow.state_label(workflow.State.DRAFT)}]
        else:
            errors = [f"{c.entry.indicator.label} : " + _(
                "modifié par quelqu'un d'autre depuis le téléchargement de la feuille ; "
                "téléchargez-la de nouveau.") for c in conflicts]
        if not errors:
            messages.success(request, _("Feuille importée : %(n)s résultat(s) enregistré(s).")
                             % {"n": len(entries)})
            _remember_changes(request, plan, year, items)
            return redirect(back)
    context = _context(request, plan, year, EntryPage(items, computed=computed))
    context["upload_errors"] = errors
    messages.error(request, _("Feuille refusée, rien n'a été enregistré : %(n)s erreur(s).")
                   % {"n": len(errors)})
    return render(request, "indicators/entry.html", context, status=400)
