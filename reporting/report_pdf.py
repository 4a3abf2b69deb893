"""The annual report of a pôle-year as a PDF (WeasyPrint, tagged PDF/UA-1).

Read from the same selectors and lines as the pôle workbook (one set of numbers): the year's
progress (:func:`indicators.selectors.plans_progress`), the ``Résultats`` lines
(:func:`reporting.exports.result_lines`) and the ``Actions`` lines
(:func:`reporting.exports.action_lines`), the register's figures. The charts are static SVG
built in Python (:mod:`reporting.svg`), each followed by the same data as a table.
"""

from __future__ import annotations

from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from indicators import workflow
from indicators.formatting import format_value
from indicators.models import ActionProgress, Plan, fiscal_year_label
from indicators.progress import (
    DEGREE_LABELS,
    STATUS_LABELS,
    STATUS_ORDER,
    group_progress,
    summarize,
)
from indicators.selectors import plans_progress, year_report, year_transitions
from indicators.spreadsheets import Export
from register import exports as register_exports
from register import selectors as register_selectors
from reporting import charts, svg
from reporting.exports import action_counts, action_lines, result_lines
from reporting.writers import BADGE_FILLS, Num

PDF_TYPE = "application/pdf"
ACTION_STATE_FILLS = {
    ActionProgress.State.NOT_STARTED: "E0E0E0", ActionProgress.State.IN_PROGRESS: "FFE0B2",
    ActionProgress.State.DONE: "C8E6C9", ActionProgress.State.POSTPONED: "BBDEFB",
    ActionProgress.State.ABANDONED: "FFCDD2", ActionProgress.State.ONGOING: "DCEDC8",
    None: "FFFFFF",
}


def shown(value, unit: str) -> str:
    """A result cell as the report prints it (the workbook's value, in French)."""
    if isinstance(value, Num):
        return format_value(value.value, value.unit) or "—"
    if isinstance(value, Decimal | int):
        return format_value(Decimal(value), unit)
    return str(value) if value not in (None, "") else "—"


# The PDF's charts are images: a size of their own and the PDF's font.
PDF_CHART = {"standalone": True, "font_family": "DejaVu Sans"}


def action_state_counts(lines) -> list[tuple[str, int, str]]:
    """(label, count, colour) of each action state, the unrecorded last."""
    counts = {state: 0 for state in [*ActionProgress.State, None]}
    for line in lines:
        counts[ActionProgress.State(line.row["state"]) if line.row["state"] else None] += 1
    return [(str(state.label) if state else _("non renseigné"), n, ACTION_STATE_FILLS[state])
            for state, n in counts.items()]


def report_context(plan: Plan, year: int, thresholds: dict) -> dict:
    """Everything the report prints, read once."""
    items = plans_progress([plan], year, plain=True)[plan.pk]
    report = year_report(plan, year)
    transitions = year_transitions(report)
    approval = next((t for t in reversed(transitions)
                     if t.to_state == workflow.State.APPROVED), None)
    if workflow.state_of(report) != workflow.State.APPROVED:
        approval = None
    summary = summarize(items)
    actions = action_lines([plan], year, action_counts(items))
    by_orientation: dict[int, list] = {}
    for line in actions:
        by_orientation.setdefault(line.row["orientation_id"], []).append(line)
    sections, chart_rows = [], []
    for group in group_progress(items):
        rows = []
        for item in group.items:
            line = next(result_lines([item], thresholds))
            rows.append({
                "action": item.action.code, "indicator": item.indicator.label,
                "target": line.target_text or "—", "result": shown(line.result, line.unit),
                "status": str(STATUS_LABELS[line.status]) if line.status else "—",
                "degree": str(DEGREE_LABELS[line.degree]) if line.degree else "—"})
        orientation = group.orientation
        label = f"{orientation.code} {orientation.title}"
        chart_rows.append((orientation.code, [group.counts[s] for s in STATUS_ORDER], label))
        sections.append({"orientation": orientation, "indicators": rows,
                         "actions": by_orientation.get(orientation.pk, [])})
    # The workbook's light fills (ink text), the words of the dashboards' bars.
    status_parts = charts.status_parts(BADGE_FILLS)
    status_title = _("Indicateurs par statut et par orientation")
    state_counts = action_state_counts(actions)
    state_title = _("Actions par état")
    activities = sum(1 for _row in register_exports.activity_rows(plan, year)) - 1
    return {
        "plan": plan, "year": year, "year_label": fiscal_year_label(year),
        "state_label": workflow.state_label(report),
        # the role, not the person: the filed PDF is the one the public page offers (issue 28);
        # who approved stays on the filing's record, which the ministry reads
        "approval": approval, "approver": _("la direction du pôle") if approval else "",
        "highlights": approval.comment if approval else "",
        "summary": summary, "headline": summary.headline,
        "status_counts": [(str(STATUS_LABELS[s]), summary.counts[s]) for s in STATUS_ORDER],
        "status_labels": [part.label for part in status_parts],
        "status_chart": svg.data_uri(svg.stacked_bars(
            [(code, counts) for code, counts, _label in chart_rows], status_parts,
            title=status_title, chart_id="status-chart", **PDF_CHART)),
        "status_title": status_title,
        "status_table": [(label, counts) for _code, counts, label in chart_rows],
        "state_counts": state_counts,
        "state_chart": svg.data_uri(svg.stacked_bars(
            [(label, [n if j == i else 0 for j in range(len(state_counts))])
             for i, (label, n, _colour) in enumerate(state_counts)],
            [svg.Part(label, colour) for label, _n, colour in state_counts], title=state_title,
            chart_id="state-chart", **PDF_CHART)),
        "state_title": state_title,
        "sections": sections,
        "activities": activities,
        "establishments": register_selectors.establishments_reached(plan, year),
        "produced": timezone.localtime(),
        "has_demo": any(r.is_demo for item in items for r in item.results_for_year),
    }


def annual_report_pdf(plan: Plan, year: int, thresholds: dict) -> Export:
    """The pôle-year's annual report as a tagged PDF (PDF/UA-1)."""
    from weasyprint import HTML  # heavy: loaded when a report is made

    html = render_to_string("reporting/report_pdf.html", report_context(plan, year, thresholds))
    content = HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")
    return Export(f"rapport-{plan.pole.code}-{fiscal_year_label(year)}.pdf", PDF_TYPE, content)



