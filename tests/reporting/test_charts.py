"""Chart labels are never cut mid-word: wrapped between words, or ended with an ellipsis after
a whole word, with the full text in the hover text and in the data table."""

import pytest
from django.urls import reverse

from indicators.targets import Status
from reporting.charts import ELLIPSIS, status_bars, wrap_label

LONG = ("1 Favoriser l'accès aux études supérieures et la réussite éducative des "
        "étudiantes et des étudiants de la Montérégie, dans toutes les régions")


@pytest.mark.parametrize("text, expected", [
    ("Pôle Québec", "Pôle Québec"),
    ("Capitale-Nationale (Pôle Québec) et Montérégie",
     "Capitale-Nationale (Pôle Québec) et<br>Montérégie"),
    ("  espaces   doublés  ", "espaces doublés"),
    ("Interdisciplinaritéetcollaborationsansespaces",) * 2,
])
def test_short_and_long_labels_are_wrapped_between_words(text, expected):
    assert wrap_label(text) == expected


def test_a_label_too_long_for_three_lines_ends_with_an_ellipsis_after_a_whole_word():
    label = wrap_label(LONG)
    lines = label.split("<br>")
    assert len(lines) == 3
    assert lines[-1].endswith(ELLIPSIS)
    words = set(LONG.split())
    for line in lines:
        for word in line.removesuffix(ELLIPSIS).split():
            assert word in words, f"{word!r} is a cut word"
        assert len(line) <= 38 + len(ELLIPSIS)


@pytest.mark.parametrize("width", [8, 12, 20, 38])
def test_every_word_of_a_wrapped_label_is_a_whole_word(width):
    label = wrap_label(LONG, width=width, lines=50)
    assert label.replace("<br>", " ").split() == LONG.split()


def test_status_bars_keep_the_full_label_for_the_hover_text():
    rows = [(LONG, {Status.MET: 2}), ("2 Court", {Status.MET: 1})]
    figure = status_bars(rows)
    bar = figure["data"][0]
    assert bar["y"] == [wrap_label(LONG), "2 Court"]
    assert bar["customdata"] == [LONG, "2 Court"]
    assert "%{customdata}" in bar["hovertemplate"]


def test_pole_dashboard_chart_shows_whole_words_and_the_table_the_full_title(client, cast, seed):
    plan = seed["monteregie"]
    client.force_login(cast["dora"])
    response = client.get(reverse("reporting:pole", args=[plan.pk]))
    assert response.status_code == 200
    bar = response.context["chart"]["data"][0]
    html = response.content.decode()
    for label, full in zip(bar["y"], bar["customdata"], strict=True):
        shown = label.replace("<br>", " ").removesuffix(ELLIPSIS).split()
        assert shown == full.split()[:len(shown)]
        code, title = full.split(" ", 1)
        assert f"{code} {title}</th>" in html.replace("&#x27;", "'")


def plotly_status_bars(rows, *, title=""):
    """The stacked bars as Plotly's ``go.Figure`` builds them: the reference the plain dict
    of :func:`status_bars` must equal."""
    import json

    import plotly.graph_objects as go

    from indicators.progress import STATUS_LABELS, STATUS_ORDER
    from reporting.charts import FONT, SEPARATORS, STATUS_COLOURS

    labels = [wrap_label(label) for label, _counts in rows]
    fig = go.Figure()
    for status in STATUS_ORDER:
        values = [counts.get(status, 0) for _label, counts in rows]
        fig.add_bar(name=str(STATUS_LABELS[status]), y=labels, x=values, orientation="h",
                    marker_color=STATUS_COLOURS[status], text=[v or "" for v in values],
                    textposition="inside", insidetextanchor="middle",
                    customdata=[label for label, _counts in rows],
                    hovertemplate="%{customdata} : %{x} " + str(STATUS_LABELS[status]).lower()
                    + "<extra></extra>")
    fig.update_yaxes(autorange="reversed", automargin=True)
    fig.update_xaxes(title_text="Nombre d'indicateurs", tickformat="d")
    lines = sum(label.count("<br>") + 1 for label in labels)
    fig.update_layout(separators=SEPARATORS["fr"], font=FONT,
                      height=max(220, 60 + 30 * len(rows) + 18 * lines), barmode="stack",
                      margin={"l": 10, "r": 10, "t": 50, "b": 10}, paper_bgcolor="#ffffff",
                      plot_bgcolor="#ffffff",
                      legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0,
                              "traceorder": "normal"}, title=title or None)
    return json.loads(fig.to_json())


@pytest.mark.parametrize("title", ["", "Statuts"])
def test_status_bars_are_the_figure_plotly_would_build(title):
    rows = [(LONG, {Status.MET: 3, Status.NOT_MET: 0, Status.NO_RESULT: 12}),
            ("2 Court", {}), ("3 Autre orientation", {Status.NOT_ASSESSABLE: 1})]
    assert status_bars(rows, title=title) == plotly_status_bars(rows, title=title)
    assert status_bars([], title=title) == plotly_status_bars([], title=title)


def test_every_trace_type_the_figures_use_is_in_the_vendored_plotly_bundle():
    """The page loads plotly.js's basic bundle (static/vendor/plotly), not the full one: a
    figure with a trace type the bundle lacks would draw nothing."""
    import re
    from pathlib import Path

    from django.conf import settings

    from indicators.targets import Unit
    from reporting.charts import targets_vs_results

    bundle = (Path(settings.BASE_DIR) / "static" / "vendor" / "plotly" / "plotly-basic.min.js")
    registered = set(re.findall(r'moduleType:"trace",name:"(\w+)"', bundle.read_text()))
    assert registered == {"bar", "scatter", "pie"}
    figures = [status_bars([("1 Orientation", {Status.MET: 2})]),
               targets_vs_results([], Unit.COUNT)]
    used = {trace["type"] for figure in figures for trace in figure["data"]}
    assert used == {"bar", "scatter"}
    assert used <= registered
