"""Moving a year through its workflow, and revising a target."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from indicators import access, selectors, services, workflow
from indicators.forms import TargetRevisionForm, TransitionForm
from indicators.models import fiscal_year_label
from indicators.targets.preview import preview


@login_required
@require_POST
def year_transition(request: HttpRequest, plan_id: int, year: int) -> HttpResponse:
    plan = access.plan_for(request.user, plan_id)
    if year not in plan.years:
        raise Http404
    form = TransitionForm(request.POST)
    back = _back(request, plan.pk, year)
    gesture = workflow.gesture(request.POST.get("action", ""))
    if gesture is None or gesture.via:  # not a gesture made by posting here
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    if not gesture.may(request.user, plan.pole):
        raise PermissionDenied
    form.fields["comment"].label = gesture.box_label  # before validating: its errors name it
    if not form.is_valid():
        # The gesture's own page: its comment box with the error, under an error summary
        # that takes the focus (the page the gesture came from is shown again by « Annuler »).
        return _gesture_page(request, plan, year, gesture, form, back, status=400)
    if gesture.confirm and not form.cleaned_data["confirmed"]:
        # The confirmation step (the entry page's dialog posts it directly; without
        # JavaScript, this page asks).
        return _gesture_page(request, plan, year, gesture, form, back)
    try:
        services.year_transition(plan=plan, year=year, action=gesture.action, user=request.user,
                                 comment=form.cleaned_data["comment"],
                                 url=request.build_absolute_uri(reverse(
                                     "indicators:entry",
                                     kwargs={"plan_id": plan.pk, "year": year})))
    except services.TransitionRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, str(gesture.done))
    return redirect(back)


def _gesture_page(request, plan, year: int, gesture, form: TransitionForm, back: str, *,
                  status: int = 200) -> HttpResponse:
    """A gesture on a page of its own: its confirmation (what the year still lacks, what the
    gesture locks), or the gesture refused for its comment (the error summary, the box)."""
    year_label = fiscal_year_label(year)
    return render(request, "indicators/transition_confirm.html", {
        "plan": plan, "year": year, "year_label": year_label, "gesture": gesture,
        "form": form, "comment": form.cleaned_data.get("comment", "") if form.is_valid() else "",
        "confirm_text": gesture.confirm % {"year": year_label} if gesture.confirm else "",
        "back": back,
        "year_missing": selectors.year_missing(plan, year) if gesture.confirm else None,
    }, status=status)


def _back(request: HttpRequest, plan_id: int, year: int) -> str:
    """Where a gesture returns: the page it was made from (``next``, a path of this site
    only), else the year's entry page."""
    wanted = request.POST.get("next", "")
    if wanted and url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return wanted
    return reverse("indicators:entry", kwargs={"plan_id": plan_id, "year": year})


@login_required
@require_http_methods(["GET", "POST"])
def target_revise(request: HttpRequest, indicator_id: int, year: str) -> HttpResponse:
    indicator = access.indicator_for(request.user, indicator_id,
                                     check=access.can_revise_targets)
    plan = indicator.action.objective.orientation.plan
    target_year = None if year == "periode" else int(year)
    if target_year is not None and target_year not in plan.years:
        raise Http404
    target = selectors.target_of(indicator, target_year)
    year_label = fiscal_year_label(target_year) if target_year else _("toute la période")
    lock = selectors.target_lock(plan, target_year)
    if lock is not None:
        return _target_locked(request, indicator, plan, target, lock, year_label)
    reason_required = selectors.year_has_results(indicator, target_year)
    form = TargetRevisionForm(request.POST or None, indicator=indicator,
                              reason_required=reason_required,
                              initial={"text": target.text if target else ""})
    if request.method == "POST" and form.is_valid():
        try:
            services.target_revise(indicator=indicator, year=target_year,
                                   text=form.cleaned_data["text"],
                                   reason=form.cleaned_data["reason"], user=request.user)
        except services.TargetLocked as exc:
            # Submitted or approved between the page's read and this write.
            return _target_locked(request, indicator, plan, target, exc.report, year_label)
        messages.success(request, _("Cible révisée."))
        return redirect("reporting:indicator", indicator_id=indicator.pk)
    typed = form["text"].value() or ""
    return render(request, "indicators/target_revise.html", {
        "indicator": indicator, "plan": plan, "target": target, "form": form,
        "year_label": year_label, "reason_required": reason_required,
        # the reading of what is in the box, before saving (the page updates it as you type)
        "preview": preview(typed, unit=indicator.unit, direction=indicator.direction)
        if typed.strip() else None,
    })


def _target_locked(request, indicator, plan, target, report, year_label) -> HttpResponse:
    """The revision page of a frozen target: why, and the gesture that unlocks the year for
    whoever may make it (or who may). A refused POST answers 409 and saves nothing."""
    options = workflow.unlocking(report, request.user, plan.pole)
    return render(request, "indicators/target_revise.html", {
        "indicator": indicator, "plan": plan, "target": target, "year_label": year_label,
        "lock": report, "lock_state": workflow.state_label(report),
        "lock_year": fiscal_year_label(report.year),
        "unlock_options": options,
        "unlock_others": [g for g in workflow.unlockers(report) if g not in options],
        "transition_form": TransitionForm(),
        "refused": request.method == "POST",
        "unlock_back": reverse("indicators:entry", kwargs={"plan_id": plan.pk,
                                                          "year": report.year}),
    }, status=409 if request.method == "POST" else 200)
