"""The campaigns' pages: the ministry's campaigns and follow-up board, corrections asked and
answered, a person's reminders and a pôle's calendar feed."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from campaigns import access as campaign_access
from campaigns import selectors, services
from campaigns.calendar import pole_calendar
from campaigns.exports import board_csv
from campaigns.forms import AnswerForm, CampaignForm, ExtensionForm, PointFormSet
from indicators import access, dates, workflow
from indicators.models import Plan, fiscal_year_label
from indicators.selectors import year_report
from indicators.services import TransitionRefused
from indicators.spreadsheets import download


@login_required
@require_http_methods(["GET", "POST"])
def campaign_list(request: HttpRequest) -> HttpResponse:
    """The campaigns, and the form that opens one."""
    campaign_access.manage_check(request.user)
    form = CampaignForm(request.POST or None, years=selectors.plan_years())
    if request.method == "POST" and form.is_valid():
        campaign = services.campaign_open(user=request.user, **form.cleaned_data)
        messages.success(request, _("Campagne %(year)s ouverte.") % {"year": campaign.year_label})
        return redirect("campaigns:board", campaign_id=campaign.pk)
    return render(request, "campaigns/list.html", {
        "campaigns": selectors.campaigns_list(), "form": form,
    }, status=400 if form.is_bound else 200)


@login_required
def board(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """The ministry's follow-up board: every pôle of the campaign's year, sortable."""
    campaign = campaign_access.campaign_for(request.user, campaign_id)
    sort = selectors.board_sort(request.GET.get("tri"))
    rows = selectors.board_rows(campaign, dates.today(), sort=sort)
    return render(request, "campaigns/board.html", {
        "campaign": campaign, "rows": rows, "sort": sort,
        "sorts": _sort_links(sort),
        "extensions": [row.extension for row in rows if row.extension],
        "late": sum(row.late for row in rows),
    })


def _sort_links(sort: str) -> dict[str, str]:
    """Each column's ``?tri=`` value: ascending, or descending when already ascending."""
    return {key: f"-{key}" if sort == key else key for key in selectors.BOARD_SORTS}


@login_required
def board_export(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """The board as CSV, in the page's order (the link carries ``?tri=``)."""
    campaign = campaign_access.campaign_for(request.user, campaign_id)
    rows = selectors.board_rows(campaign, dates.today(),
                                sort=selectors.board_sort(request.GET.get("tri")))
    return download(board_csv(campaign, rows))


@login_required
@require_http_methods(["GET", "POST"])
def extension_grant(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = campaign_access.campaign_for(request.user, campaign_id)
    form = ExtensionForm(request.POST or None, poles=selectors.campaign_poles(campaign),
        initial={"submission_due": campaign.submission_due,
                 "approval_due": campaign.approval_due})
    if request.method == "POST" and form.is_valid():
        extension = services.extension_grant(campaign=campaign, user=request.user,
                                             **form.cleaned_data)
        messages.success(request, _("Prolongation accordée à %(pole)s.")
                         % {"pole": extension.pole.name})
        return redirect("campaigns:board", campaign_id=campaign.pk)
    return render(request, "campaigns/extension.html", {"campaign": campaign, "form": form},
                  status=400 if form.is_bound else 200)


def _plan_year(request: HttpRequest, plan_id: int, year: int, check=access.can_read) -> Plan:
    plan = access.plan_for(request.user, plan_id, check=check)
    if year not in plan.years:
        raise Http404(_("Cette année n'est pas une année du plan."))
    return plan


@login_required
@require_http_methods(["GET", "POST"])
def corrections_ask(request: HttpRequest, plan_id: int, year: int) -> HttpResponse:
    """Ask a pôle for corrections on its filed year, point by point (the ``correct``
    gesture of the workflow)."""
    gesture = workflow.gesture("correct")
    plan = _plan_year(request, plan_id, year, check=gesture.may)
    report = year_report(plan, year)
    subjects = selectors.correction_subjects(plan)
    formset = PointFormSet(request.POST or None, plan=plan, subjects=subjects)
    context = {"plan": plan, "year": year, "year_label": fiscal_year_label(year),
               "formset": formset, "gesture": gesture,
               "state_label": workflow.state_label(report),
               "applies": gesture.applies(report)}
    if not context["applies"]:
        return render(request, "campaigns/corrections_ask.html", context,
                      status=409 if request.method == "POST" else 200)
    if request.method == "POST" and formset.is_valid():
        url = request.build_absolute_uri(reverse("campaigns:corrections", kwargs={
            "plan_id": plan.pk, "year": year}))
        try:
            services.corrections_ask(plan=plan, year=year, user=request.user,
                                     points=formset.points, url=url)
        except (TransitionRefused, services.CorrectionsRefused) as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, str(gesture.done))
            return redirect("campaigns:corrections", plan_id=plan.pk, year=year)
    return render(request, "campaigns/corrections_ask.html", context,
                  status=400 if request.method == "POST" else 200)


@login_required
def corrections(request: HttpRequest, plan_id: int, year: int) -> HttpResponse:
    """The corrections asked on a year and their answers, every round (the exchange); the
    coordination answers the open ones here while the year is a draft."""
    plan = _plan_year(request, plan_id, year)
    return _corrections_page(request, plan, year)


def _corrections_page(request, plan, year, *, bound=None, status=200) -> HttpResponse:
    report = year_report(plan, year)
    points = selectors.correction_points(plan, year)
    answering = (workflow.accepts_results(report)
                 and access.can_enter(request.user, plan.pole))
    rounds: dict = {}
    for point in points:
        rounds.setdefault(point.asked_in, []).append(
            (point, bound[1] if bound is not None and bound[0] == point.pk else None))
    return render(request, "campaigns/corrections.html", {
        "plan": plan, "year": year, "year_label": fiscal_year_label(year),
        "rounds": [(transition, items) for transition, items in rounds.items()],
        "answering": answering, "state_label": workflow.state_label(report),
        "blank": AnswerForm(),
        "refused": bound[1] if bound is not None else None,
    }, status=status)


@login_required
@require_POST
def correction_answer(request: HttpRequest, point_id: int) -> HttpResponse:
    point = campaign_access.point_for(request.user, point_id, check=access.can_enter)
    plan, year = point.report.plan, point.report.year
    # Its box's id names its point (« answer-12 »): the error summary links to it.
    form = AnswerForm(request.POST, auto_id=f"%s-{point.pk}")
    if not form.is_valid():
        return _corrections_page(request, plan, year, bound=(point.pk, form), status=400)
    try:
        services.correction_answer(point=point, answer=form.cleaned_data["answer"],
                                   user=request.user)
    except services.AnswerRefused as exc:
        messages.error(request, str(exc))
        return _corrections_page(request, plan, year, status=409)
    messages.success(request, _("Réponse enregistrée."))
    return redirect(reverse("campaigns:corrections", kwargs={"plan_id": plan.pk, "year": year})
                    + f"#point-{point.pk}")


@login_required
@require_GET
def account(request: HttpRequest) -> HttpResponse:
    """A person's reminders (read only: they are part of the process) and the calendar
    address of their pôle."""
    poles = selectors.user_poles(request.user)
    return render(request, "campaigns/account.html", {
        "reminders": selectors.user_reminders(request.user),
        "calendars": [(pole, request.build_absolute_uri(reverse(
            "campaigns:calendar",
            kwargs={"token": campaign_access.calendar_token(request.user, pole)})))
            for pole in poles],
    })


@require_GET
def calendar(request: HttpRequest, token: str) -> HttpResponse:
    """A pôle's due dates as iCalendar, for calendar applications (which do not log in:
    the signed address is the key)."""
    pole = campaign_access.calendar_pole(token)
    campaigns, extensions = selectors.pole_campaigns(pole)
    response = HttpResponse(pole_calendar(pole, campaigns, extensions,
                                          request.build_absolute_uri("/")),
                            content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="echeances-{pole.code}.ics"'
    return response


