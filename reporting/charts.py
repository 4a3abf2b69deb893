"""Plotly figures, built in Python; templates get the figure as JSON and plotly.js (served
by the app) draws it. French labels and number formats (decimal comma, space thousands)."""

from __future__ import annotations

import functools
import json
import textwrap

import plotly.graph_objects as go
from django.utils.translation import gettext as _

from indicators.formatting import in_english
from indicators.models import fiscal_year_label
from indicators.progress import STATUS_LABELS, STATUS_ORDER
from indicators.targets import Kind, Status, Unit

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


LABEL_WIDTH = 38  # characters per line of a bar's label
LABEL_LINES = 3
ELLIPSIS = "…"


def wrap_label(text: str, *, width: int = LABEL_WIDTH, lines: int = LABEL_LINES) -> str:
    """A bar label on at most ``lines`` lines of about ``width`` characters, broken between
    words with ``<br>``; a longer text ends with an ellipsis after a whole word (the full
    text goes in the hover text and the data table). A single word longer than ``width``
    stays whole rather than being cut."""
    wrapped = textwrap.wrap(" ".join(text.split()), width=width, break_long_words=False,
                            break_on_hyphens=False)
    if len(wrapped) > lines:
        kept = wrapped[:lines]
        last = kept[-1]
        while len(last) + len(ELLIPSIS) > width and " " in last:
            last = last.rsplit(" ", 1)[0]
        kept[-1] = last.rstrip(" ,;:.–—-") + ELLIPSIS
        wrapped = kept
    return "<br>".join(wrapped)


def _separators() -> str:
    return SEPARATORS["en" if in_english() else "fr"]


def _colon() -> str:
    """A label's colon in hover text: ``Montérégie : 3`` in French, ``Montérégie: 3`` in
    English."""
    return ": " if in_english() else " : "


def _layout(fig: go.Figure, *, height: int, barmode: str = "stack", **extra) -> dict:
    fig.update_layout(separators=_separators(), font=FONT, height=height, barmode=barmode,
                      margin=MARGIN, paper_bgcolor="#ffffff", plot_bgcolor="#ffffff",
                      legend=LEGEND, **extra)
    return json.loads(fig.to_json())


def status_bars(rows: list[tuple[str, dict[Status, int]]], *, title: str = "") -> dict:
    """Horizontal stacked bars: one bar per row label, one segment per status.

    Labels are wrapped between words (:func:`wrap_label`); the hover text gives the full
    label. Built as the plain dict Plotly's ``Figure.to_json`` gives for the same figure
    (a test holds them equal): validating a ``go.Figure`` costs more than the page's rows."""
    labels = [wrap_label(label) for label, _counts in rows]
    full = [label for label, _counts in rows]
    data, colon = [], _colon()
    for status in STATUS_ORDER:
        values = [counts.get(status, 0) for _label, counts in rows]
        name = str(STATUS_LABELS[status])
        data.append({
            "customdata": full, "hovertemplate": f"%{{customdata}}{colon}%{{x}} {name.lower()}"
            "<extra></extra>", "insidetextanchor": "middle",
            "marker": {"color": STATUS_COLOURS[status]}, "name": name, "orientation": "h",
            "text": [str(v) if v else "" for v in values], "textposition": "inside",
            "x": values, "y": labels, "type": "bar"})
    lines = sum(label.count("<br>") + 1 for label in labels)
    height = max(220, 60 + 30 * len(rows) + 18 * lines)
    # Keys in the order Plotly writes them, so that the page is the same byte for byte.
    return {"data": data, "layout": {
        "template": _template(), "yaxis": {"autorange": "reversed", "automargin": True},
        "xaxis": {"title": {"text": _("Nombre d'indicateurs")}, "tickformat": "d"},
        "font": FONT, "margin": MARGIN, "legend": LEGEND,
        "separators": _separators(), "height": height, "barmode": "stack",
        "paper_bgcolor": "#ffffff", "plot_bgcolor": "#ffffff",
        "title": {"text": title} if title else {}}}


@functools.cache
def _template() -> dict:
    """Plotly's default template as ``Figure.to_json`` writes it into every figure's layout
    (read once per process; shared, never modified)."""
    return json.loads(go.Figure().to_json())["layout"]["template"]


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

