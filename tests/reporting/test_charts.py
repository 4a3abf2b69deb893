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
