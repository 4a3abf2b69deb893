"""The status bars are inline SVG drawn on the server (reporting/svg.py), one function for the
dashboards, the public page and the PDF: bars sized by their counts, the counts written in
them and after them, a legend, a title per segment in words, labels wrapped between words and
never cut; the indicator page keeps its Plotly figure."""

import re
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import translation

from indicators.numbers import NBSP
from indicators.targets import Status
from reporting import svg
from reporting.charts import STATUS_COLOURS, status_bars

LONG = ("1 Favoriser l'accès aux études supérieures et la réussite éducative des "
        "étudiantes et des étudiants de la Montérégie, dans toutes les régions")
NS = {"svg": "http://www.w3.org/2000/svg"}


@pytest.fixture(autouse=True)
def french():
    with translation.override("fr-ca"):
        yield


def parse(markup: str) -> ET.Element:
    return ET.fromstring(str(markup))


def segments(root: ET.Element) -> list[tuple[str, float, str]]:
    """(fill, width, title) of each bar segment, in drawing order."""
    found = []
    for group in root.findall("svg:g", NS):
        rect, title = group.find("svg:rect", NS), group.find("svg:title", NS)
        if rect is not None and title is not None:
            found.append((rect.get("fill"), float(rect.get("width")), title.text))
    return found


def texts(root: ET.Element) -> list[str]:
    return ["".join(node.itertext()) for node in root.iter(f"{{{NS['svg']}}}text")]


@pytest.mark.parametrize("text, expected", [
    ("Pôle Québec", ["Pôle Québec"]),
    ("Capitale-Nationale (Pôle Québec) et Montérégie",
     ["Capitale-Nationale (Pôle Québec) et", "Montérégie"]),
    ("  espaces   doublés  ", ["espaces doublés"]),
    ("Interdisciplinaritéetcollaborationsansespaces",
     ["Interdisciplinaritéetcollaborationsansespaces"]),
])
def test_labels_are_wrapped_between_words(text, expected):
    assert svg.wrap(text, 38) == expected


@pytest.mark.parametrize("width", [8, 12, 20, 38, 80])
def test_a_wrapped_label_keeps_every_word_whole_and_is_never_cut(width):
    assert " ".join(svg.wrap(LONG, width)).split() == LONG.split()


ROWS = [(LONG, {Status.MET: 3, Status.NOT_MET: 1, Status.NO_RESULT: 12}),
        ("2 Court", {Status.MET: 1234}), ("3 Vide", {})]


def test_status_bars_draw_one_segment_per_count_sized_by_it_in_the_badges_colours():
    root = parse(status_bars(ROWS, title="Répartition", chart_id="chart-x"))
    drawn = segments(root)
    assert [fill for fill, _w, _t in drawn] == [
        STATUS_COLOURS[Status.MET], STATUS_COLOURS[Status.NOT_MET],
        STATUS_COLOURS[Status.NO_RESULT], STATUS_COLOURS[Status.MET]]
    widths = [w for _f, w, _t in drawn]
    # The longest bar fills the room left by its total; the others to the same scale.
    room = svg.WIDTH - svg.TOTAL_ROOM
    assert widths == pytest.approx([room * n / 1234 for n in (3, 1, 12, 1234)], abs=0.06)


def test_each_segment_says_its_label_and_count_in_words_and_the_chart_its_rows():
    root = parse(status_bars(ROWS, title="Répartition", chart_id="chart-x"))
    titles = [title for _f, _w, title in segments(root)]
    assert titles == [f"{LONG}{NBSP}: 3 atteintes", f"{LONG}{NBSP}: 1 non atteinte",
                      f"{LONG}{NBSP}: 12 sans résultat", f"2 Court{NBSP}: 1{NBSP}234 atteintes"]
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "chart-x-title"
    assert root.find("svg:title", NS).get("id") == "chart-x-title"
    assert root.find("svg:title", NS).text == "Répartition"
    desc = root.find("svg:desc", NS)
    assert root.get("aria-describedby") == desc.get("id") == "chart-x-desc"
    assert desc.text == (f"{LONG}{NBSP}: 3 atteintes, 1 non atteinte, 12 sans résultat{NBSP}; "
                         f"2 Court{NBSP}: 1{NBSP}234 atteintes{NBSP}; 3 Vide{NBSP}: 0")


def test_counts_totals_legend_and_whole_labels_are_written_on_the_chart():
    root = parse(status_bars(ROWS, title="Répartition", chart_id="chart-x"))
    written = texts(root)
    assert LONG in written  # wrapped on several lines, read whole
    assert "2 Court" in written and "3 Vide" in written
    assert f"1{NBSP}234" in written  # in its segment, and as the row's total
    assert written.count(f"1{NBSP}234") == 2
    assert "16" in written and "0" in written  # totals
    assert "3" not in written  # a segment too narrow for its count: in its title only
    legend = root.find("svg:g[@class='legend']", NS)
    assert ["".join(t.itertext()) for t in legend.findall("svg:text", NS)] == [
        "Atteinte", "Non atteinte", "En cours", "Sans résultat", "Non évaluable"]
    assert [r.get("fill") for r in legend.findall("svg:rect", NS)] == list(
        STATUS_COLOURS.values())


def test_white_counts_on_dark_bars_ink_on_light_ones():
    assert svg.text_colour(STATUS_COLOURS[Status.MET]) == svg.WHITE
    assert svg.text_colour("C8E6C9") == svg.INK


def test_the_chart_scales_to_its_container_with_presentation_attributes_only():
    markup = str(status_bars(ROWS, title="R", chart_id="chart-x"))
    root = parse(markup)
    assert root.get("width") == "100%" and root.get("height") is None
    assert re.fullmatch(r"0 0 480 \d+", root.get("viewBox"))
    assert "style" not in markup  # the CSP is meant to forbid inline styles
    standalone = parse(svg.stacked_bars([("1", [1])], [svg.Part("A", "C8E6C9")], title="R",
                                        standalone=True))
    assert standalone.get("width") == "480" and standalone.get("height").isdigit()


def test_texts_are_escaped():
    root = parse(status_bars([("<b>1 & 2</b>", {Status.MET: 1})], title="a < b",
                             chart_id="chart-x"))
    assert root.find("svg:title", NS).text == "a < b"
    assert "<b>1 & 2</b>" in texts(root)


def test_english_counts_and_words():
    with translation.override("en"):
        root = parse(status_bars([("2 Court", {Status.MET: 1234, Status.NOT_MET: 1})],
                                 title="R", chart_id="chart-x"))
    assert [title for _f, _w, title in segments(root)] == ["2 Court: 1,234 met",
                                                           "2 Court: 1 not met"]
    assert "1,235" in texts(root)
    assert "Not met" in texts(root)


def test_pole_dashboard_draws_its_bars_with_whole_labels_and_the_table_the_full_title(
        client, cast, seed):
    plan = seed["monteregie"]
    client.force_login(cast["dora"])
    response = client.get(reverse("reporting:pole", args=[plan.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    chart = re.search(r'<svg [^>]*id="chart-orientations".*?</svg>', html, re.S).group(0)
    root = parse(chart)
    written = texts(root)
    for orientation, counts in response.context["by_orientation"]:
        label = f"{orientation.code} {orientation.title}"
        assert " ".join(label.split()) in written
        assert f"<th scope=\"row\">{label}</th>" in html.replace("&#x27;", "'")
        assert str(sum(counts.values())) in written
    assert len(segments(root)) >= len(response.context["by_orientation"])


def test_every_trace_type_the_figures_use_is_in_the_vendored_plotly_bundle():
    """The indicator page loads plotly.js's basic bundle (static/vendor/plotly), not the full
    one: a figure with a trace type the bundle lacks would draw nothing."""
    from pathlib import Path

    from django.conf import settings

    from indicators.targets import Unit
    from reporting.charts import targets_vs_results

    bundle = (Path(settings.BASE_DIR) / "static" / "vendor" / "plotly" / "plotly-basic.min.js")
    registered = set(re.findall(r'moduleType:"trace",name:"(\w+)"', bundle.read_text()))
    assert registered == {"bar", "scatter", "pie"}
    used = {trace["type"] for trace in targets_vs_results([], Unit.COUNT)["data"]}
    assert used == {"bar", "scatter"}
    assert used <= registered
