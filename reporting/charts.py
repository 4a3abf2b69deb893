"""The dashboards' charts. Status bars are inline SVG drawn here (:mod:`reporting.svg`, no
script); the indicator page's targets against results is a Plotly figure built in Python,
which the template gets as JSON and plotly.js (served by the app) draws. French labels and
number formats (decimal comma, space thousands)."""

from __future__ import annotations

import functools
import json

import plotly.graph_objects as go
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from indicators.formatting import in_english
from indicators.models import fiscal_year_label
from indicators.progress import STATUS_LABELS, STATUS_ORDER
from indicators.targets import Kind, Status, Unit
from reporting import svg

# Same colours as the badges in static/css/app.css (all ≥ 4.5:1 against white text).
STATUS_COLOURS = {
    Status.MET: "#1e6b34", Status.NOT_MET: "#a4161a", Status.IN_PROGRESS: "#8a4600",
    Status.NO_RESULT: "#4a5568", Status.NOT_ASSESSABLE: "#5b2a86",
}
# Plotly's decimal then thousands separators: decimal comma and no-break space in French,
# decimal point and comma in English.
SEPARATORS = {"fr": ",\u00a0", "en": ".,"}
MARGIN = {"l": 10, "r": 10, "t": 50, "b": 10}
LEGEND = {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0, "traceorder": "normal"}
FONT = {"family": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif", "size": 14,
        "color": "#1d2430"}


def _separators() -> str:
    return SEPARATORS["en" if in_english() else "fr"]


def _layout(fig: go.Figure, *, height: int, barmode: str = "stack", **extra) -> dict:
    fig.update_layout(separators=_separators(), font=FONT, height=height, barmode=barmode,
                      margin=MARGIN, paper_bgcolor="#ffffff", plot_bgcolor="#ffffff",
                      legend=LEGEND, **extra)
    return json.loads(fig.to_json())


def status_counted(status: Status, count: int) -> str:
    """A count of indicators of one status in words: « 3 atteintes », « 1 en cours »."""
    n = svg.number(count)
    if status == Status.MET:
        text = ngettext("%(n)s atteinte", "%(n)s atteintes", count)
    elif status == Status.NOT_MET:
        text = ngettext("%(n)s non atteinte", "%(n)s non atteintes", count)
    elif status == Status.IN_PROGRESS:
        text = ngettext("%(n)s en cours", "%(n)s en cours", count)
    elif status == Status.NO_RESULT:
        text = ngettext("%(n)s sans résultat", "%(n)s sans résultat", count)
    else:
        text = ngettext("%(n)s non évaluable", "%(n)s non évaluables", count)
    return text % {"n": n}


def status_parts(colours: dict[Status, str] = STATUS_COLOURS) -> list[svg.Part]:
    """The five statuses as chart segments, in the badges' order, in the badges' colours
    (or ``colours``: the PDF's are the workbook's light fills)."""
    return [svg.Part(str(STATUS_LABELS[status]), colours[status],
                     functools.partial(status_counted, status)) for status in STATUS_ORDER]


def status_bars(rows: list[tuple[str, dict[Status, int]]], *, title: str,
                chart_id: str) -> SafeString:
    """Horizontal stacked bars, one per row label, one segment per status, as inline SVG
    (:func:`reporting.svg.stacked_bars`): drawn by the browser with the page, no script."""
    # Safe: svg.py escapes every text it writes.
    return mark_safe(svg.stacked_bars(
        [(label, [counts.get(status, 0) for status in STATUS_ORDER]) for label, counts in rows],
        status_parts(), title=title, chart_id=chart_id))


def targets_vs_results(item_by_year: list, unit: str) -> dict:
    """Bars for results, markers on a line for targets (relative ones as resolved)."""
    years = [fiscal_year_label(p.year) for p in item_by_year]
    results, targets, target_texts = [], [], []
    for progress in item_by_year:
        result = progress.result
        results.append(float(progress.evaluation.measured) if progress.evaluation.measured
                       is not None else (float(result.value) if result and result.value
                                         is not None else None))
        target = progress.target
        value = None
        if target is not None and target.kind == Kind.VALUE:
            value = float(target.value)
        elif progress.evaluation.resolved_target is not None:
            value = float(progress.evaluation.resolved_target)
        targets.append(value)
        target_texts.append(target.text if target else _("aucune cible"))
    english = in_english()
    suffix = {Unit.PERCENT: "%" if english else "\u00a0%",
              Unit.DURATION: "\u00a0min"}.get(unit, "")
    colon, quoted = ((": ", "“%{customdata}”") if english
                     else (" : ", "«\u00a0%{customdata}\u00a0»"))
    fig = go.Figure()
    fig.add_bar(name=_("Résultat"), x=years, y=results, marker_color="#0b4f8a",
                hovertemplate="%{x}" + colon + "%{y}" + suffix + "<extra>" + _("Résultat")
                + "</extra>")
    fig.add_scatter(name=_("Cible"), x=years, y=targets, mode="lines+markers",
                    line={"shape": "hv", "color": "#a4161a", "dash": "dash"},
                    marker={"size": 12, "symbol": "diamond"}, customdata=target_texts,
                    hovertemplate="%{x}" + colon + "%{y}" + suffix + " (" + quoted + ")<extra>"
                    + _("Cible") + "</extra>")
    fig.update_yaxes(rangemode="tozero", ticksuffix=suffix)
    return _layout(fig, height=340, barmode="group")

