"""The year's entry page and entry sheet: where coordinators live."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from indicators import access, hooks, workflow
from indicators.action_entry import ActionPage, action_sheet_bind, stale_action_message
from indicators.action_progress import entry_save
from indicators.entry import (
    EntryPage,
    SheetError,
    UnknownSection,
    conflicts_message,
    detail_links,
    entry_sheet,
    entry_sheet_bind,
    jump_list,
    shown_orientation,
    stale_line_message,
    status_changes,
    value_changes,
)
from indicators.files import file_download
from indicators.forms import EntrySheetUploadForm, TransitionForm
from indicators.models import Plan, fiscal_year_label
from indicators.progress import (
    Standing,
    group_progress,
    standing_actions,
    summary_from,
    year_missing,
)
from indicators.selectors import (
    action_progress_of,
    latest_plan,
    plan_progress,
    plan_standings,
    plans_for,
    stored_judgements,
    year_report,
    year_reports,
    year_transitions,
)
from indicators.services import YearLocked
from indicators.spreadsheets import download


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Send each person where they work: their pôle's entry page, or the national view."""
    membership = access.membership_of(request.user)
    if access.can_read_all(request.user):
        # The national view of the year being reported (the pôles' earliest year due), not
        # the running year that nobody reports on yet.
        due = _national_year_due(request.user)
        return redirect(reverse("reporting:national")
                        + (f"?annee={due}" if due is not None else ""))
    if membership is None or membership.pole_id is None:
        return render(request, "indicators/no_membership.html", status=403)
    plan = latest_plan(membership.pole_id)
    if plan is None:
        return render(request, "indicators/no_membership.html", {"no_plan": True})
    reports = {year: year_report(plan, year) for year in plan.years}
    # In December the coordination is still reporting on the year that ended in March.
    due = workflow.year_due(plan, reports.get)
    if membership.role == membership.Role.DIRECTOR:
        # The direction lands on the year that awaits its decision, else the year due.
        waiting = next((year for year, report in reports.items()
                        if workflow.state_of(report) == workflow.State.SUBMITTED), due)
        return redirect(reverse("reporting:pole", kwargs={"plan_id": plan.pk})
                        + f"?annee={waiting}")
    return redirect("indicators:entry", plan_id=plan.pk, year=due)


def _national_year_due(user) -> int | None:
    """The earliest year a pôle is reporting on now (:func:`workflow.year_due`), among the
    running plans ``user`` reads (those holding the national view's running year; an older
    plan is over) (two queries); None without a plan."""
    plans = plans_for(access.readable_poles(user))
    if not plans:
        return None
    running = max(plan.current_year() for plan in plans)  # the national view's default
    plans = [plan for plan in plans if plan.first_year <= running <= plan.last_year]
    reports = year_reports(plans, running - 1)
    return min(workflow.year_due(plan, lambda year, plan=plan: (
        reports.get(plan.pk) if year == running - 1 else None)) for plan in plans)


def _plan_year(request: HttpRequest, plan_id: int, year: int, check=access.can_read) -> Plan:
    plan = access.plan_for(request.user, plan_id, check=check)
    if year not in plan.years:
        raise Http404(_("Cette année n'est pas une année du plan."))
    return plan


def _changes_key(plan: Plan, year: int) -> str:
    return f"entry-status-changes-{plan.pk}-{year}"


def _remember_changes(request, plan: Plan, year: int, before, entries,
                      page: EntryPage) -> None:
    """Keep, for the page shown after the redirect, what this save changed: the values, old
    → new (``page``, the valid bound page or sheet), and the statuses (the saved indicators'
    evaluations, stored by the save, against what the page read before it)."""
    saved = {entry.indicator.pk for entry in entries}
    request.session[_changes_key(plan, year)] = status_changes(
        [item for item in before if item.indicator.pk in saved],
        stored_judgements(plan, year, saved))
    request.session[_values_key(plan, year)] = value_changes(page, year)


def _values_key(plan: Plan, year: int) -> str:
    return f"entry-value-changes-{plan.pk}-{year}"


def _entry_url(plan: Plan, year: int, section: int | None) -> str:
    url = reverse("indicators:entry", kwargs={"plan_id": plan.pk, "year": year})
    return url if section is None else f"{url}?orientation={section}"


def _section(request: HttpRequest, plan: Plan, year: int) -> tuple[list[Standing], int | None]:
    """The plan's stored standings and the orientation the page shows (None: the whole
    plan); 404 for an ``?orientation=`` that is not one of the plan's."""
    standings = plan_standings(plan, year)
    try:
        section = shown_orientation(standings, request.GET.get("orientation"),
                                    settings.ENTRY_SECTION_THRESHOLD)
    except UnknownSection:
        raise Http404(_("Cette orientation n'est pas une orientation du plan.")) from None
    return standings, section


def _actions(items) -> list:
    """The actions of the lines shown, in plan order (each once)."""
    return list({item.action.pk: item.action for item in items}.values())


def _action_page(plan: Plan, year: int, items, data=None) -> ActionPage:
    """The progress forms of the actions shown (one query)."""
    return ActionPage(_actions(items), action_progress_of(plan, year), data=data)


def _context(request, plan: Plan, year: int, page: EntryPage, standings: list[Standing],
             section: int | None, action_page: ActionPage | None = None) -> dict:
    report = year_report(plan, year)
    user = request.user
    gestures = workflow.available(report, user, plan.pole)
    detail_links(page.lines, reverse)
    groups = group_progress(page.lines)
    if action_page is None:
        action_page = _action_page(plan, year, page.items)
    return {
        "plan": plan, "year": year, "year_label": fiscal_year_label(year),
        "years": [(y, fiscal_year_label(y)) for y in plan.years],
        "page": page, "groups": groups,
        "action_page": action_page,
        "jump_list": jump_list(standings, section=section,
                               page_url=_entry_url(plan, year, None)),
        "section": section, "form_url": _entry_url(plan, year, section),
        # The whole plan's headline, whatever section is shown (read from stored evaluations).
        "summary": summary_from(plan, standings),
        "report": report, "state": workflow.state_of(report),
        "state_label": workflow.state_label(report),
        "draft_label": workflow.state_label(workflow.State.DRAFT),
        "transitions": year_transitions(report),
        "editable": workflow.accepts_results(report) and access.can_enter(user, plan.pole),
        "can_enter": access.can_enter(user, plan.pole),
        "gestures": gestures,
        # What submitting would leave missing, said in its confirmation (read only when a
        # gesture asks for one).
        # (no query: the whole plan's standings and action progress are read already).
        "year_missing": (year_missing(standings, standing_actions(
            standings, {pk: row.state for pk, row in action_page.progress.items()}))
            if any(g.confirm for g in gestures) else None),
        # A page showing one section lists the missing indicators of that section only
        # (the jump list counts the others).
        "missing_listed": section is None,
        "comment_label": workflow.comment_label(gestures),
        "transition_form": TransitionForm(),
        "upload_form": EntrySheetUploadForm(),
        # Due dates and corrections asked, from the apps above (campaigns).
        "notices": hooks.year_notices(plan, year),
    }


def _shown_changes(request, plan: Plan, year: int, section: int | None, *,
                   key: str | None = None):
    """The statuses (or, with the values' ``key``, the values) the last save changed
    (once), each linking to its line: in its orientation's section when the page shows one
    section at a time."""
    changes = request.session.pop(key or _changes_key(plan, year), None)
    if changes is None:
        return None
    return [{**change, "href": (_entry_url(plan, year, change["orientation"])
                                if section is not None else "") + f"#{change['anchor']}"}
            for change in changes]


@login_required
@require_http_methods(["GET", "POST"])
def entry(request: HttpRequest, plan_id: int, year: int) -> HttpResponse:
    plan = _plan_year(request, plan_id, year)
    if request.method == "POST" and not access.can_enter(request.user, plan.pole):
        raise PermissionDenied
    # Statuses are read from the stored evaluations (refreshed in the transaction of every
    # save), and a large plan shows one orientation at a time: the page reads and builds only
    # the lines it shows, whatever the plan's size; the headline counts the whole plan.
    standings, section = _section(request, plan, year)
    items = plan_progress(plan, year, orientation=section)
    computed = hooks.computed_sources(plan, year)
    if request.method == "GET":
        context = _context(request, plan, year, EntryPage(items, computed=computed),
                           standings, section)
        context["status_changes"] = _shown_changes(request, plan, year, section)
        context["value_changes"] = _shown_changes(request, plan, year, section,
                                                  key=_values_key(plan, year))
        context["upload_errors"] = request.session.pop(_sheet_errors_key(plan, year), None)
        return render(request, "indicators/entry.html", context)

    page = EntryPage(items, data=request.POST, files=request.FILES, computed=computed)
    action_page = _action_page(plan, year, items, data=request.POST)
    valid = page.is_valid()
    valid = action_page.is_valid() and valid
    if not valid:
        count = page.error_count + action_page.error_count
        messages.error(request, ngettext(
            "Rien n'a été enregistré : corrigez la ligne signalée ; vos autres saisies sont "
            "conservées.",
            "Rien n'a été enregistré : corrigez les %(n)s lignes signalées ; vos autres "
            "saisies sont conservées.", count) % {"n": count})
        return render(request, "indicators/entry.html",
                      _context(request, plan, year, page, standings, section, action_page))
    entries = page.changed_entries()
    action_entries = action_page.changed_entries()
    if not entries and not action_entries:
        messages.info(request, _("Aucun changement à enregistrer."))
        return redirect(_entry_url(plan, year, section))
    try:
        outcome = entry_save(plan=plan, year=year, user=request.user, entries=entries,
                             action_entries=action_entries)
    except YearLocked as locked:
        messages.error(request, _("L'année %(year)s n'est plus en %(draft)s (%(state)s) : rien "
                                  "n'a été enregistré. Vos saisies sont affichées ci-dessous.")
                       % {"year": fiscal_year_label(year),
                          "draft": workflow.state_label(workflow.State.DRAFT),
                          "state": workflow.state_label(locked.state)})
        return render(request, "indicators/entry.html",
                      _context(request, plan, year, page, standings, section, action_page),
                      status=409)
    if outcome.refused:
        conflicts, action_conflicts = outcome.conflicts, outcome.action_conflicts
        page = page.with_conflicts(conflicts, request.POST, request.FILES, user=request.user)
        action_page = action_page.with_conflicts(action_conflicts, request.POST,
                                                 user=request.user)
        messages.error(request, conflicts_message(conflicts, action_conflicts, request.user))
        return render(request, "indicators/entry.html",
                      _context(request, plan, year, page, standings, section, action_page),
                      status=409)
    if not (outcome.written or outcome.actions_written):
        messages.info(request, _("Aucun changement à enregistrer."))
        return redirect(_entry_url(plan, year, section))
    messages.success(request, _saved_text(outcome))
    _remember_changes(request, plan, year, items, entries, page)
    return redirect(_entry_url(plan, year, section))


def _saved_text(outcome) -> str:
    """What a save wrote: « 1 résultat enregistré. », with the actions' progress if any."""
    parts = []
    if outcome.written or not outcome.actions_written:
        parts.append(ngettext("%(n)s résultat enregistré", "%(n)s résultats enregistrés",
                              outcome.written) % {"n": outcome.written})
    if outcome.actions_written:
        parts.append(ngettext("%(n)s avancement d'action enregistré",
                              "%(n)s avancements d'actions enregistrés",
                              outcome.actions_written) % {"n": outcome.actions_written})
    return " ; ".join(parts) + "."


@login_required
def evidence(request: HttpRequest, result_id: int) -> FileResponse:
    """An evidence file, to those who may read its pôle (never served straight from disk)."""
    return file_download(access.result_for(request.user, result_id).evidence_file)


@login_required
def entry_sheet_download(request: HttpRequest, plan_id: int, year: int) -> HttpResponse:
    plan = _plan_year(request, plan_id, year)
    # The sheet is always the whole plan, whatever section the page shows.
    items = plan_progress(plan, year)
    page = EntryPage(items, computed=hooks.computed_sources(plan, year))
    return download(entry_sheet(page, plan=plan, year=year,
                                actions=_action_page(plan, year, items)))


@login_required
@require_POST
def entry_sheet_upload(request: HttpRequest, plan_id: int, year: int) -> HttpResponse:
    """Read an uploaded entry sheet and save it, all or nothing. Whatever the outcome, the
    answer is a redirect to the entry page (post/redirect/get: a reload never sends the sheet
    again); what the upload changed, or why it was refused, waits in the session for that
    page."""
    plan = _plan_year(request, plan_id, year, check=access.can_enter)
    form = EntrySheetUploadForm(request.POST, request.FILES)
    # The sheet holds the whole plan; the answer shows the section it was sent from.
    _standings, section = _section(request, plan, year)
    back = _entry_url(plan, year, section)

    def refused(errors: list[str]) -> HttpResponse:
        messages.error(request, ngettext(
            "Feuille refusée, rien n'a été enregistré : %(n)s erreur.",
            "Feuille refusée, rien n'a été enregistré : %(n)s erreurs.", len(errors))
            % {"n": len(errors)})
        request.session[_sheet_errors_key(plan, year)] = [str(error) for error in errors]
        return redirect(back)

    if not form.is_valid():
        return refused([error for errors in form.errors.values() for error in errors])
    items = plan_progress(plan, year)
    computed = hooks.computed_sources(plan, year)
    content = form.cleaned_data["file"].read()
    try:
        page, errors = entry_sheet_bind(items, content, computed)
    except SheetError as exc:
        return refused([str(exc)])
    action_page, action_errors = action_sheet_bind(_action_page(plan, year, items), content)
    errors += action_errors
    if errors:
        return refused(errors)
    entries = page.changed_entries()
    action_entries = action_page.changed_entries()
    if not entries and not action_entries:
        # An untouched sheet: nothing written, no version bumped, no year report created.
        messages.info(request, _("Feuille importée : aucun changement."))
        return redirect(back)
    try:
        outcome = entry_save(plan=plan, year=year, user=request.user, entries=entries,
                             action_entries=action_entries)
    except YearLocked:
        return refused([_("L'année n'est plus en %(draft)s : rien n'a été enregistré.")
                        % {"draft": workflow.state_label(workflow.State.DRAFT)}])
    if outcome.refused:
        return refused(
            [stale_line_message(c, page.sheet_lines.get(c.entry.key), request.user)
             for c in outcome.conflicts]
            + [stale_action_message(c, action_page.sheet_lines.get(c.entry.key), request.user)
               for c in outcome.action_conflicts])
    if not (outcome.written or outcome.actions_written):
        messages.info(request, _("Feuille importée : aucun changement."))
        return redirect(back)
    messages.success(request, _("Feuille importée : %(saved)s")
                     % {"saved": _saved_text(outcome)})
    _remember_changes(request, plan, year, items, entries, page)
    return redirect(back)


def _sheet_errors_key(plan: Plan, year: int) -> str:
    return f"entry-sheet-errors-{plan.pk}-{year}"
