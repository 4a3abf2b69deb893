"""Numbers and dates follow the chosen language: « 80 000 », « 12,5 », « 80 % » and
« 2 400 $ » in French; "80,000", "12.5", "80%" and "$2,400" in English; ISO dates in both.
What a person types back reads the same in both."""

import datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from indicators import formatting
from indicators.forms import FrenchDecimalField
from indicators.numbers import NumberError, parse_number
from indicators.targets import Status, Unit
from reporting import charts, writers

NBSP = "\u00a0"


@pytest.fixture(params=["fr-ca", "en"])
def language(request):
    with translation.override(request.param):
        yield request.param


EXPECTED = {
    # (what, French, English)
    "thousands": (lambda: formatting.display_number(Decimal("80000")), f"80{NBSP}000", "80,000"),
    "decimal": (lambda: formatting.display_number(Decimal("12.5")), "12,5", "12.5"),
    "both": (lambda: formatting.display_number(Decimal("2400.5")), f"2{NBSP}400,5", "2,400.5"),
    "negative": (lambda: formatting.display_number(Decimal("-1234567.25")),
                 f"-1{NBSP}234{NBSP}567,25", "-1,234,567.25"),
    "percent": (lambda: formatting.format_value(Decimal("80"), Unit.PERCENT), f"80{NBSP}%",
                "80%"),
    "percent decimal": (lambda: formatting.format_value(Decimal("64.5"), Unit.PERCENT),
                        f"64,5{NBSP}%", "64.5%"),
    "money": (lambda: formatting.format_value(Decimal("2400"), Unit.MONEY), f"2{NBSP}400{NBSP}$",
              "$2,400"),
    "duration": (lambda: formatting.format_value(Decimal("90"), Unit.DURATION), f"90{NBSP}min",
                 "90 min"),
    "share": (lambda: formatting.format_percent(Decimal("0.58")), f"58{NBSP}%", "58%"),
    "input": (lambda: formatting.input_number(Decimal("2400.50")), f"2{NBSP}400,5", "2400.5"),
    "csv count": (lambda: writers.csv_text(writers.Num(Decimal("2400.5"))), "2400,5", "2400.5"),
    "csv percent": (lambda: writers.csv_text(writers.Num(Decimal("56"), Unit.PERCENT)), "56 %",
                    "56%"),
    "csv money": (lambda: writers.csv_text(writers.Num(Decimal("1500"), Unit.MONEY)), "1500 $",
                  "$1500"),
    "csv ratio": (lambda: writers.csv_text(writers.Ratio(Decimal("0.585"))), "59 %", "59%"),
    "template number": (lambda: Template("{{ v }}").render(Context({"v": Decimal("80000.5")})),
                        f"80{NBSP}000,5", "80,000.5"),
    "template date": (lambda: Template("{{ d }}").render(
        Context({"d": datetime.date(2025, 6, 30)})), "2025-06-30", "2025-06-30"),
    "xlsx percent": (lambda: writers.style_properties()["pp-percent-int"]["num_format"], "0 %",
                     "0%"),
    "xlsx ratio": (lambda: writers.style_properties()["pp-ratio"]["num_format"], "0 %", "0%"),
    "xlsx money": (lambda: writers.style_properties()["pp-money-int"]["num_format"], "#,##0 $",
                   "$#,##0"),
}


@pytest.mark.parametrize("what", EXPECTED)
def test_numbers_are_written_in_the_chosen_language(what, language):
    shown, french, english = EXPECTED[what]
    assert shown() == (english if language == "en" else french)


@pytest.mark.parametrize("value", ["0", "12.5", "2400.5", "80000", "-3.25", "1234567.89"])
def test_a_number_shown_in_an_input_reads_back_unchanged(value, language):
    field = FrenchDecimalField(required=False)
    shown = field.prepare_value(Decimal(value))
    assert parse_number(shown) == Decimal(value)
    assert not field.has_changed(Decimal(value), shown)


def test_the_exponent_hint_shows_a_number_that_reads_back(language):
    with pytest.raises(NumberError) as error:
        parse_number("1e4")
    hint = "(here: 10000)" if language == "en" else f"(ici : 10{NBSP}000)"
    assert hint in error.value.message


def test_charts_separate_numbers_in_the_chosen_language(language):
    chart = charts.status_bars([("1.1 Stages", {Status.MET: 1200})], title="T", chart_id="c")
    english = language == "en"
    assert ("<title>1.1 Stages: 1,200 met</title>" if english
            else f"<title>1.1 Stages{NBSP}: 1{NBSP}200 atteintes</title>") in chart
    figure = charts.targets_vs_results([], "count")  # the indicator page's Plotly figure
    assert figure["layout"]["separators"] == (".," if english else f",{NBSP}")


def test_an_english_form_error_names_the_number_in_english(db):
    with translation.override("en"):
        assert formatting.display_number(Decimal("-1500")) == "-1,500"
        from indicators.history import _shown
        assert _shown(Decimal("2400.5"), {True: "yes", False: "no"}) == "2,400.5"
    with translation.override("fr-ca"):
        assert _shown(Decimal("2400.5"), {True: "oui", False: "non"}) == f"2{NBSP}400,5"
