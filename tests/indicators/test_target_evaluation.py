"""Evaluation follows the reading: one row per comparator and unit, in the direction the text
says (a ceiling is judged as a ceiling, a band as a band, points as points)."""

from decimal import Decimal as D

import pytest

from indicators.targets import (
    Degree,
    Facts,
    Measure,
    Period,
    Status,
    degree,
    evaluate,
    parse_target,
)

YEARS = (2024, 2025, 2026)


def period(year=2024, closed=True):
    return Period(year=year, years=YEARS, closed=closed)


def judge(text, value, *, unit="count", year=2024, previous=None, direction="increase"):
    results = {year: Measure(value=D(str(value)))}
    if previous is not None:
        results[year - 1] = Measure(value=D(str(previous)))
    return evaluate(parse_target(text), Facts(unit=unit, direction=direction), period(year),
                    results)


@pytest.mark.parametrize(
    ("text", "value", "status", "achievement"),
    [
        # floors
        ("au moins 10", 10, Status.MET, D("100.0")),
        ("au moins 10", 8, Status.NOT_MET, D("80.0")),
        ("plus de 10", 10, Status.NOT_MET, D("100.0")),
        ("plus de 10", 11, Status.MET, D("110.0")),
        # ceilings: lower is better, whatever the indicator's direction
        ("pas plus de 5", 5, Status.MET, D("100.0")),
        ("pas plus de 5", 4, Status.MET, D("125.0")),
        ("pas plus de 5", 10, Status.NOT_MET, D("50.0")),
        ("max. 5", 6, Status.NOT_MET, D("83.3")),
        ("5 et moins", 2, Status.MET, D("250.0")),
        ("moins de 5", 5, Status.NOT_MET, D("100.0")),
        ("moins de 5", 4, Status.MET, D("125.0")),
        # exact
        ("exactement 4", 4, Status.MET, D("100.0")),
        ("exactement 4", 5, Status.NOT_MET, D("125.0")),
        # bands
        ("entre 10 et 15", 12, Status.MET, D("100.0")),
        ("entre 10 et 15", 15, Status.MET, D("100.0")),
        ("entre 10 et 15", 8, Status.NOT_MET, D("80.0")),
        ("entre 10 et 15", 20, Status.NOT_MET, D("75.0")),
        # maintain: a floor on the value given
        ("maintenir à 80 %", 80, Status.MET, D("100.0")),
        ("maintenir à 80 %", 82, Status.MET, D("102.5")),
        ("maintenir à 80 %", 76, Status.NOT_MET, D("95.0")),
    ],
)
def test_each_comparator_is_judged_in_its_own_direction(text, value, status, achievement):
    evaluation = judge(text, value)
    assert evaluation.status is status
    assert evaluation.achievement == achievement


def test_a_ceiling_on_an_increase_indicator_is_still_a_ceiling():
    assert judge("au plus 5", 3, direction="increase").status is Status.MET
    assert judge("au plus 5", 7, direction="increase").status is Status.NOT_MET


def test_a_ceiling_badly_missed_is_not_met_in_the_annual_report_vocabulary():
    evaluation = judge("pas plus de 5", 10)
    assert degree(evaluation, progressing=90, watch=70) is Degree.NOT_MET


def test_money_is_compared_after_its_multiplier():
    assert judge("200 M$", 199_000_000, unit="money").status is Status.NOT_MET
    assert judge("200 M$", 200_000_000, unit="money").status is Status.MET
    assert judge("1,5 G$", 1_600_000_000, unit="money").status is Status.MET
    assert judge("250 k$", 249_999, unit="money").status is Status.NOT_MET


def test_duration_in_hours_is_compared_in_minutes():
    assert judge("au plus 1,5 h", 95, unit="duration").status is Status.NOT_MET
    assert judge("au plus 1,5 h", 90, unit="duration").status is Status.MET


def test_points_of_percentage_resolve_as_points_not_percent_of_the_previous_value():
    points = judge("+5 points de pourcentage", 65, unit="percent", year=2025, previous=60)
    assert points.resolved_target == D("65.00")
    assert points.status is Status.MET
    percent = judge("+5 %", 62, unit="percent", year=2025, previous=60)
    assert percent.resolved_target == D("63.00")
    assert percent.status is Status.NOT_MET


@pytest.mark.parametrize("text", ["baisse de 10 %", "diminution de 10 %", "réduction de 10 %",
                                  "- 10 %"])
def test_worded_and_signed_decreases_are_ceilings_on_the_resolved_value(text):
    assert judge(text, 90, year=2025, previous=100).status is Status.MET
    assert judge(text, 95, year=2025, previous=100).status is Status.NOT_MET


def test_maintaining_the_previous_result_is_a_floor_on_it():
    assert judge("maintien du taux", 70, year=2025, previous=70).status is Status.MET
    assert judge("maintien du taux", 69, year=2025, previous=70).status is Status.NOT_MET


def test_a_target_without_object_is_not_assessable():
    evaluation = judge("s. o.", 3)
    assert evaluation.status is Status.NOT_ASSESSABLE
    assert "sans objet" in evaluation.reason
