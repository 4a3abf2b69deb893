"""Progress dashboards: a pôle's, the national one, and an indicator's drill-down page."""

from __future__ import annotations

from csp.decorators import csp_update
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from indicators import access, hooks, selectors, workflow
from indicators.history import changes
from indicators.models import fiscal_year_label
from indicators.progress import STATUS_LABELS, group_progress, summarize, year_missing
from register import selectors as register_selectors
from reporting import charts
from reporting.dashboards import (
    COMPLETENESS,
    COMPLETENESS_LISTS,
    action_state_columns,
    action_state_rows,
    actions_by_orientation,
    filter_items,
    orientation_counts,
    pole_rows,
    theme_matrix,
)
from reporting.filings import filed_versions
from reporting.views.params import int_param, query_with_year, year_param


def has_demo(items) -> bool:
    return any(result.is_demo for item in items for result in item.results_for_year)


@login_required
def pole(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = access.plan_for(request.user, plan_id)
    year = year_param(request, plan.years, plan.current_year())
    items = selectors.plan_progress(plan, year, plain=True)
    orientation_id = int_param(request.GET.get("orientation"))
    status = request.GET.get("statut") if request.GET.get("statut") in STATUS_LABELS else None
    attention = request.GET.get("attention") == "1"
    listing = request.GET.get("liste") if request.GET.get("liste") in COMPLETENESS else None
    shown = filter_items(items, orientation_id=orientation_id, status=status,
                         attention=attention, listing=listing)
    by_orientation = orientation_counts(items)
    chart_rows = [(f"{o.code} {o.title}", counts) for o, counts in by_orientation]
    report = selectors.year_report(plan, year)
    gestures = workflow.dashboard_gestures(report, request.user, plan.pole)
    action_rows = selectors.action_progress_rows([plan], year)
    return render(request, "reporting/pole.html", {
        "plan": plan, "year": year, "year_label": fiscal_year_label(year),
        "years": [(y, fiscal_year_label(y)) for y in plan.years],
        "summary": summarize(items), "groups": group_progress(shown), "shown": len(shown),
        "by_orientation": by_orientation,
        "chart": charts.status_bars(chart_rows, chart_id="chart-orientations",
                                    title=_("Répartition des statuts des indicateurs")),
        "completeness": [(key, str(label), len(COMPLETENESS[key](items)))
                         for key, label in COMPLETENESS_LISTS.items()],
        "orientations": [o for o, _counts in by_orientation],
        "statuses": list(STATUS_LABELS.items()),
        "filters": {"orientation": orientation_id, "statut": status, "attention": attention,
                    "liste": listing},
        "listing_label": str(COMPLETENESS_LISTS.get(listing, "")),
        "report": report,
        "has_demo": has_demo(items),
        "can_import_document": access.can_revise_targets(request.user, plan.pole),
        "state_label": workflow.state_label(report),
        "can_enter": access.can_enter(request.user, plan.pole),
        "can_publish": access.can_publish(request.user, plan.pole),
        "query": query_with_year(request, year),
        "gestures": gestures,
        "missing": COMPLETENESS["sans_resultat"](items) if gestures else [],
        # What approving would leave missing, said in its confirmation.
        "year_missing": year_missing(items, action_rows) if gestures else None,
        "here": request.get_full_path(),
        "computed": hooks.computed_sources(plan, year),
        "notices": hooks.year_notices(plan, year),
        "action_columns": action_state_columns(),
        "action_groups": actions_by_orientation(action_rows),
    })


@login_required
def national(request: HttpRequest) -> HttpResponse:
    """Every pôle side by side for the ministry; a pôle's own people see only theirs."""
    plans = selectors.plans_for(access.readable_poles(request.user))
    years = sorted({y for plan in plans for y in plan.years})
    if not years:
        raise Http404(_("Aucun plan à afficher."))
    current = max((plan.current_year() for plan in plans), default=years[0])
    year = year_param(request, years, current)
    # Counted in the database from the stored evaluations: no indicator is read here.
    by_plan = selectors.evaluation_counts(plans, year, by=("plan",))
    reports = selectors.year_reports(plans, year)
    rows = pole_rows(plans, by_plan, reports)
    themes = selectors.themes()
    return render(request, "reporting/national.html", {
        "year": year, "year_label": fiscal_year_label(year),
        "years": [(y, fiscal_year_label(y)) for y in years],
        "rows": rows,
        "chart": charts.status_bars([(row.plan.pole.name, row.summary.counts) for row in rows],
                                    chart_id="chart-poles",
                                    title=_("Répartition des statuts par pôle")),
        "matrix": theme_matrix(
            selectors.evaluation_counts(plans, year, by=("plan", "theme")), plans, themes),
        "statuses": list(STATUS_LABELS.items()),
        "all_poles": access.can_read_all(request.user),
        "has_demo": any(row["demo"] for row in by_plan),
        "query": request.GET.urlencode(),
        "establishments_by_theme": register_selectors.establishments_by_theme_rows(
            themes, year, poles=access.readable_poles(request.user)),
        "filed": filed_versions(plans, year),
        "action_columns": action_state_columns(),
        "actions_by_pole": action_state_rows(
            selectors.action_state_counts(plans, year, by="plan"),
            {plan.pk: plan.pole.name for plan in plans}),
        "actions_by_theme": action_state_rows(
            selectors.action_state_counts(plans, year, by="theme"),
            {theme.number: f"{theme.code} {theme.short_label}" for theme in themes}),
    })


# plotly.js injects <style> rules when it draws a figure: allowed on the page that draws one.
PLOTLY_CSP = {"style-src": ["'unsafe-inline'"]}


@login_required
@csp_update(PLOTLY_CSP)
def indicator_detail(request: HttpRequest, indicator_id: int) -> HttpResponse:
    indicator = access.indicator_for(request.user, indicator_id)
    plan = indicator.action.objective.orientation.plan
    by_year = selectors.indicator_progress(plan, indicator.pk)
    revisions = selectors.target_revisions(indicator)
    current = next((p for p in by_year if p.year == plan.current_year()), by_year[0])
    return render(request, "reporting/indicator.html", {
        "plan": plan, "indicator": current.indicator, "by_year": by_year,
        "chart": charts.targets_vs_results(by_year, indicator.unit),
        "changes": changes(indicator_ids=[indicator.pk]),
        "revisions": revisions,
        "can_revise": access.can_revise_targets(request.user, plan.pole),
        "period_target": current.targets.get(None),
        "activity_counts": register_selectors.indicator_activity_counts(indicator, plan),
    })

