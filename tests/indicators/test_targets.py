"""The target language, table-driven: one row per form found in the seed plans, plus the
variants coordinators type."""

from decimal import Decimal as D

import pytest

from indicators.targets import (
    Comparator,
    Degree,
    Facts,
    Kind,
    Measure,
    Period,
    Status,
    TargetReading,
    TargetSyntaxError,
    Unit,
    degree,
    evaluate,
    parse_target,
    resolve_relative,
)

V, R, L, T = Kind.VALUE, Kind.RELATIVE, Kind.DELIVERABLE, Kind.TBD
REACH, MIN, MORE = Comparator.REACH, Comparator.AT_LEAST, Comparator.MORE_THAN


@pytest.mark.parametrize(
    ("text", "kind", "comparator", "value", "unit"),
    [
        # Forms found in the Montérégie plan
        ("2", V, REACH, D(2), Unit.COUNT),
        ("Min 2", V, MIN, D(2), Unit.COUNT),
        ("2400", V, REACH, D(2400), Unit.COUNT),
        ("56%", V, REACH, D(56), Unit.PERCENT),
        ("65%", V, REACH, D(65), Unit.PERCENT),
        ("5 min", V, REACH, D(5), Unit.DURATION),
        ("30 p.", V, REACH, D(30), Unit.COUNT),
        # Forms found in the Pôle Québec plan
        ("80 % et plus", V, MIN, D(80), Unit.PERCENT),
        ("Plus de 80 000 vues", V, MORE, D(80000), Unit.COUNT),
        ("50 000", V, REACH, D(50000), Unit.COUNT),
        ("Recenser et documenter au moins 60 % des pratiques existantes", V, MIN, D(60),
         Unit.PERCENT),
        ("Recenser 60 % des outils et des initiatives liés à l'IA", V, REACH, D(60),
         Unit.PERCENT),
        ("Mutualiser au moins 30 % de ces initiatives", V, MIN, D(30), Unit.PERCENT),
        ("Analyse couvrant au moins 60 % des programmes en TI et en santé", V, MIN, D(60),
         Unit.PERCENT),
        ("40 % des organisations par secteur", V, REACH, D(40), Unit.PERCENT),
        # Variants a coordinator types
        ("Minimum 2", V, MIN, D(2), Unit.COUNT),
        ("minimum 2", V, MIN, D(2), Unit.COUNT),
        ("au moins 60 %", V, MIN, D(60), Unit.PERCENT),
        ("Au moins 60%", V, MIN, D(60), Unit.PERCENT),
        ("60 % et plus", V, MIN, D(60), Unit.PERCENT),
        ("60\u00a0% et plus", V, MIN, D(60), Unit.PERCENT),
        ("80\u00a0000", V, REACH, D(80000), Unit.COUNT),
        ("80\u202f000", V, REACH, D(80000), Unit.COUNT),
        ("80 000", V, REACH, D(80000), Unit.COUNT),
        ("plus de 80 000 vues", V, MORE, D(80000), Unit.COUNT),
        ("12,5 %", V, REACH, D("12.5"), Unit.PERCENT),
        ("5 min", V, REACH, D(5), Unit.DURATION),
        ("1,5 h", V, REACH, D(90), Unit.DURATION),
        ("Moins de 10", V, Comparator.LESS_THAN, D(10), Unit.COUNT),
        ("Max 3", V, Comparator.AT_MOST, D(3), Unit.COUNT),
    ],
)
def test_value_targets_are_read(text, kind, comparator, value, unit):
    reading = parse_target(text)
    assert (reading.kind, reading.comparator, reading.value, reading.unit) == (
        kind, comparator, value, unit)


@pytest.mark.parametrize(
    ("text", "change"),
    [("+10%", D(10)), ("+ 10%", D(10)), ("+ 10 %", D(10)), ("+ 5%", D(5)), ("+5 %", D(5)),
     ("-5%", D(-5)), ("Hausse de 10 %", D(10))],
)
def test_relative_targets_are_read_as_change_on_previous_year(text, change):
    reading = parse_target(text)
    assert reading.kind is R
    assert reading.relative_change == change


@pytest.mark.parametrize(
    "text",
    ["Mise à jour", "Mise a jour", "mise à jour", "Cartographie réalisée.",
     "Production et adoption par les établissements membres d'un rapport commun identifiant "
     "les programmes en sous et sureffectifs dans les TI et la santé"],
)
def test_deliverables_keep_their_wording(text):
    reading = parse_target(text)
    assert reading.kind is L
    assert reading.deliverable == text


@pytest.mark.parametrize("text", ["À déterminer", "A déterminer", "à déterminer", "A DETERMINER",
                                  "À définir"])
def test_to_be_determined(text):
    assert parse_target(text).kind is T


def test_per_member_wording_is_recognised():
    assert parse_target("40 % des organisations par secteur").per_member
    assert parse_target("100 pour chaque établissement").per_member
    assert not parse_target("100").per_member


@pytest.mark.parametrize(
    ("text", "fragment"),
    [("beaucoup", "« beaucoup »"), ("", "aucune valeur"),
     ("Min 5 Min 6", "plusieurs valeurs"), ("2400 s 56%", "plusieurs valeurs"),
     ("-3", "négative")],
)
def test_unreadable_targets_raise_a_french_error_naming_the_text(text, fragment):
    with pytest.raises(TargetSyntaxError) as caught:
        parse_target(text)
    assert fragment in str(caught.value)
    assert "n'est pas lisible" in str(caught.value)


# --- evaluation --------------------------------------------------------------------------------

YEARS = (2024, 2025, 2026)


def period(year=2024, closed=True, **kwargs):
    return Period(year=year, years=YEARS, closed=closed, **kwargs)


def series(**values):
    """series(y2024=3) → {2024: Measure(3)}"""
    return {int(k[1:]): Measure(value=D(str(v))) for k, v in values.items()}


@pytest.mark.parametrize(
    ("text", "value", "closed", "status", "achievement"),
    [
        ("2", 2, True, Status.MET, D("100.0")),
        ("2", 3, True, Status.MET, D("150.0")),
        ("2", 1, True, Status.NOT_MET, D("50.0")),
        ("2", 1, False, Status.IN_PROGRESS, D("50.0")),
        ("Min 2", 2, True, Status.MET, D("100.0")),
        ("Plus de 80 000 vues", 80000, True, Status.NOT_MET, D("100.0")),
        ("Plus de 80 000 vues", 80001, True, Status.MET, D("100.0")),
        ("80 % et plus", "79.5", True, Status.NOT_MET, D("99.4")),
        ("0", 0, True, Status.MET, D("100.0")),
    ],
)
def test_value_targets_are_judged(text, value, closed, status, achievement):
    result = evaluate(parse_target(text), Facts(), period(closed=closed),
                      series(y2024=value))
    assert result.status is status
    assert result.achievement == achievement


def test_reach_target_on_a_decrease_indicator_is_met_below():
    facts = Facts(direction="decrease")
    assert evaluate(parse_target("10"), facts, period(), series(y2024=8)).status is Status.MET
    assert evaluate(parse_target("10"), facts, period(), series(y2024=12)).status is (
        Status.NOT_MET)


def test_missing_result_is_without_result_and_names_the_year():
    result = evaluate(parse_target("2"), Facts(), period(), {})
    assert result.status is Status.NO_RESULT
    assert "2024-2025" in result.reason


def test_no_target_and_tbd_are_not_assessable_with_reason():
    assert evaluate(None, Facts(), period(), series(y2024=1)).status is Status.NOT_ASSESSABLE
    tbd = evaluate(parse_target("À déterminer"), Facts(), period(), series(y2024=1))
    assert tbd.status is Status.NOT_ASSESSABLE
    assert "déterminer" in tbd.reason


def test_not_applicable_result_is_not_assessable():
    result = evaluate(parse_target("2"), Facts(), period(),
                      {2024: Measure(not_applicable=True)})
    assert result.status is Status.NOT_ASSESSABLE


def test_relative_target_resolves_on_previous_year_result():
    reading = parse_target("+10%")
    results = series(y2024=2400, y2025=2700)
    result = evaluate(reading, Facts(), period(2025), results)
    assert result.resolved_target == D("2640.00")
    assert result.status is Status.MET
    below = evaluate(reading, Facts(), period(2025), series(y2024=2400, y2025=2600))
    assert below.status is Status.NOT_MET
    assert below.achievement == D("98.5")


def test_relative_target_without_previous_result_is_not_assessable():
    result = evaluate(parse_target("+ 5%"), Facts(), period(2025), series(y2025=130))
    assert result.status is Status.NOT_ASSESSABLE
    assert "2024-2025" in result.reason


def test_relative_target_in_first_year_uses_the_baseline():
    result = evaluate(parse_target("+10%"), Facts(baseline=D(100)), period(2024),
                      series(y2024=111))
    assert result.resolved_target == D("110.00")
    assert result.status is Status.MET


def test_resolve_relative_rounds_to_cents():
    assert resolve_relative(D(5), D(65)) == D("68.25")


def test_deliverable_is_met_when_done():
    facts = Facts(unit=Unit.DELIVERABLE)
    done = evaluate(parse_target("Mise à jour"), facts, period(), {2024: Measure(done=True)})
    assert (done.status, done.achievement) == (Status.MET, D(100))
    not_done = evaluate(parse_target("1"), facts, period(), {2024: Measure(done=False)})
    assert not_done.status is Status.NOT_MET
    open_year = evaluate(parse_target("1"), facts, period(closed=False),
                         {2024: Measure(done=False)})
    assert open_year.status is Status.IN_PROGRESS


def test_per_member_target_is_met_only_when_every_member_meets_it():
    facts = Facts(unit=Unit.PERCENT, per_member=True, members=("TI", "Santé"))
    reading = parse_target("40 % des organisations par secteur")
    both = {"TI": series(y2024=45), "Santé": series(y2024=40)}
    assert evaluate(reading, facts, period(), {}, both).status is Status.MET
    one_short = {"TI": series(y2024=45), "Santé": series(y2024=30)}
    result = evaluate(reading, facts, period(), {}, one_short)
    assert result.status is Status.NOT_MET
    assert "Santé" in result.reason
    assert result.achievement == D("75.0")
    missing = evaluate(reading, facts, period(), {}, {"TI": series(y2024=45)})
    assert missing.status is Status.NO_RESULT
    assert "Santé" in missing.reason


def test_per_member_target_without_members_is_not_assessable():
    facts = Facts(per_member=True)
    result = evaluate(parse_target("100"), facts, period(), series(y2024=300))
    assert result.status is Status.NOT_ASSESSABLE


def test_cumulative_period_target_adds_years_and_stays_in_progress_until_the_end():
    facts = Facts(cumulative=True)
    reading = parse_target("25")
    results = series(y2024=10, y2025=8)
    mid = evaluate(reading, facts, period(2025, closed=True, whole_period=True,
                                          last_year_closed=False), results)
    assert (mid.status, mid.measured) == (Status.IN_PROGRESS, D(18))
    end = evaluate(reading, facts, period(2026, closed=True, whole_period=True,
                                          last_year_closed=True),
                   {**results, 2026: Measure(value=D(7))})
    assert (end.status, end.measured) == (Status.MET, D(25))


def test_degree_follows_thresholds():
    def deg(status, achievement):
        from indicators.targets import Evaluation

        return degree(Evaluation(status, achievement=achievement), progressing=80, watch=50)

    assert deg(Status.MET, D(100)) is Degree.MET
    assert deg(Status.NOT_MET, D(85)) is Degree.ON_TRACK
    assert deg(Status.IN_PROGRESS, D(60)) is Degree.WATCH
    assert deg(Status.NOT_MET, D(10)) is Degree.NOT_MET
    assert deg(Status.NO_RESULT, None) is None


def test_reading_is_a_value_object():
    assert parse_target("Min 2") == TargetReading(kind=V, comparator=MIN, value=D(2),
                                                  unit=Unit.COUNT)


@pytest.mark.parametrize("cumulative", [False, True])
@pytest.mark.parametrize("value, at_end", [(55, Status.NOT_MET), (65, Status.MET)])
def test_whole_period_target_is_in_progress_until_the_last_year_is_over(cumulative, value,
                                                                          at_end):
    facts = Facts(unit=Unit.PERCENT, cumulative=cumulative)
    reading = parse_target("60 % et plus")
    results = series(y2024=value)
    early = evaluate(reading, facts, period(2024, closed=True, whole_period=True,
                                            last_year_closed=False), results)
    assert early.status is Status.IN_PROGRESS
    assert "jugée à la fin de 2026-2027" in early.reason
    late = evaluate(reading, facts, period(2024, closed=True, whole_period=True,
                                           last_year_closed=True), results)
    assert late.status is at_end


def test_annual_target_is_judged_when_its_year_is_over():
    result = evaluate(parse_target("60 % et plus"), Facts(unit=Unit.PERCENT),
                      period(2024, closed=True, last_year_closed=False), series(y2024=55))
    assert result.status is Status.NOT_MET
