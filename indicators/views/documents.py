"""Importing a plan from its document: upload or paste, review row by row, confirm."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from indicators import access
from indicators import document_review as review
from indicators.plan_documents import needs_decision


@login_required
@require_http_methods(["GET", "POST"])
def plan_document(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = access.plan_for(request.user, plan_id, check=access.can_revise_targets)
    form = review.DocumentUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        review.proposal_store(request.session, plan, rows=form.cleaned_data["rows"],
                              years=form.cleaned_data["years"],
                              source_name=form.cleaned_data["source_name"])
        return redirect("indicators:plan_document_review", plan_id=plan.pk)
    return render(request, "indicators/plan_document.html", {"plan": plan, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def plan_document_review(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = access.plan_for(request.user, plan_id, check=access.can_revise_targets)
    stored = review.proposal_load(request.session, plan)
    if stored is None:
        messages.info(request, _("Aucun document en attente de relecture pour ce plan."))
        return redirect("indicators:plan_document", plan_id=plan.pk)
    rows, years, source_name = stored
    formset = review.review_formset(rows, years, request.POST or None)
    confirm_error = ""
    if request.method == "POST" and formset.is_valid():
        rows = review.review_apply(rows, [form.cleaned_data for form in formset])
        review.proposal_store(request.session, plan, rows=rows, years=years,
                              source_name=source_name)
        if request.POST.get("action") != "confirm":
            return redirect("indicators:plan_document_review", plan_id=plan.pk)
        if needs_decision(rows):
            confirm_error = _("Des cibles restent à décider : saisissez-les (« — » pour "
                              "aucune cible) ou écartez leur ligne, puis confirmez.")
        else:
            outcome = review.document_import(plan=plan, rows=rows, years=years,
                                             user=request.user, dry_run=False)
            if outcome.ok:
                review.proposal_clear(request.session, plan)
                count = sum(not row.dropped for row in rows)
                messages.success(request, ngettext(
                    "Plan importé depuis le document : %(n)s indicateur.",
                    "Plan importé depuis le document : %(n)s indicateurs.", count)
                    % {"n": count})
                return redirect("reporting:pole", plan_id=plan.pk)
            confirm_error = _("L'importation a été refusée, rien n'a été enregistré.")
        formset = review.review_formset(rows, years)
    trial = review.document_import(plan=plan, rows=rows, years=years, dry_run=True)
    return render(request, "indicators/plan_document_review.html", {
        "plan": plan, "source_name": source_name, "years": years,
        "lines": list(zip(rows, formset.forms, strict=True)), "formset": formset,
        "undecided": sum(t.flagged for row in needs_decision(rows) for t in row.targets),
        "refusals": trial.errors, "changes": trial.changes,
        "differences": review.plan_differences(plan, rows), "confirm_error": confirm_error,
    })
