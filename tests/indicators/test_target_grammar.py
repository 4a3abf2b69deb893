"""The target grammar against a data file of target texts as plans and annual reports write
them, the canonical rendering read back (hypothesis), and the README kept in step."""

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from lark import Token

from indicators.targets import (
    Comparator,
    Frequency,
    Kind,
    Reference,
    TargetReading,
    TargetSyntaxError,
    Unit,
    normalize,
    parse_target,
    render,
)
from indicators.targets.reading import _PARSER

DATA = Path(__file__).with_name("data") / "target_texts.tsv"


def _cases():
    for number, line in enumerate(DATA.read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith("#") or not line.strip():
            continue
        text, expected = line.split("\t")
        yield pytest.param(text, expected, id=f"{number}:{text[:40]}")


def _plain(text: str) -> str:
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def test_the_data_file_holds_at_least_150_texts():
    assert len(list(_cases())) >= 150


@pytest.mark.parametrize(("text", "expected"), list(_cases()))
def test_each_text_is_read_as_the_data_file_says(text, expected):
    if expected.startswith("!"):
        with pytest.raises(TargetSyntaxError) as caught:
            parse_target(text)
        assert expected[1:] in str(caught.value)
        return
    assert _plain(render(parse_target(text))) == expected


@pytest.mark.parametrize(
    ("text", "reading"),
    [
        ("pas plus de 5", TargetReading(Kind.VALUE, Comparator.AT_MOST, Decimal(5), Unit.COUNT)),
        ("200 M$", TargetReading(Kind.VALUE, Comparator.REACH, Decimal(200_000_000),
                                 Unit.MONEY)),
        ("+5 pts", TargetReading(Kind.RELATIVE, relative_change=Decimal(5), unit=Unit.POINTS)),
        ("+ 5 %", TargetReading(Kind.RELATIVE, relative_change=Decimal(5), unit=Unit.PERCENT)),
        ("entre 10 et 15", TargetReading(Kind.VALUE, Comparator.BETWEEN, Decimal(10),
                                         Unit.COUNT, upper=Decimal(15))),
        ("Cohorte 2016 65,6 %", TargetReading(Kind.VALUE, Comparator.REACH, Decimal("65.6"),
                                              Unit.PERCENT, cohort=2016)),
        ("20 % (de 2018 à 2022)", TargetReading(Kind.VALUE, Comparator.REACH, Decimal(20),
                                                Unit.PERCENT, window_start=2018,
                                                window_end=2022)),
        ("Plus de 80 000 vues", TargetReading(Kind.VALUE, Comparator.MORE_THAN, Decimal(80000),
                                              Unit.COUNT, unit_label="vues")),
        ("+ 10 % par année", TargetReading(Kind.RELATIVE, relative_change=Decimal(10),
                                           unit=Unit.PERCENT, frequency=Frequency.ANNUAL)),
    ],
)
def test_readings_carry_every_part_of_the_text(text, reading):
    assert parse_target(text) == reading


def test_a_capital_m_alone_is_millions_and_a_small_m_alone_is_refused_asking_which():
    assert parse_target("200 M").value == Decimal(200_000_000)
    with pytest.raises(TargetSyntaxError, match="minutes ou mètres"):
        parse_target("5 m")
    assert parse_target("5 min").unit is Unit.DURATION


def test_two_candidate_values_are_refused_naming_both():
    with pytest.raises(TargetSyntaxError) as caught:
        parse_target("Au moins 20 % ou 30 personnes")
    assert "« 20 % »" in str(caught.value) and "« 30 personnes »" in str(caught.value)


# --- render, then read back ----------------------------------------------------------------

amounts = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False,
                      allow_infinity=False)
years = st.integers(min_value=2000, max_value=2040)
context = st.fixed_dictionaries({
    "per_member": st.booleans(),
    "member_label": st.sampled_from(["", "secteur", "établissement", "région"]),
    "cohort": st.none() | years,
    "frequency": st.none() | st.just(Frequency.ANNUAL),
    "window": st.none() | st.tuples(st.none() | years, years).filter(
        lambda w: w[0] is None or w[0] <= w[1]),
    "fiscal": st.booleans(),
})


def _with_context(fields, ctx):
    window = ctx.pop("window") or (None, None)
    fiscal = ctx.pop("fiscal") and window[1] is not None and window[0] in (None, window[1])
    if not ctx["per_member"]:
        ctx["member_label"] = ""
    return TargetReading(**fields, **ctx, window_start=window[0], window_end=window[1],
                         fiscal=fiscal)


@st.composite
def readings(draw):
    ctx = draw(context)
    kind = draw(st.sampled_from([Kind.VALUE, Kind.VALUE, Kind.RELATIVE, Kind.DELIVERABLE,
                                 Kind.TBD, Kind.NOT_APPLICABLE]))
    if kind in (Kind.TBD, Kind.NOT_APPLICABLE):
        return TargetReading(kind=kind)
    if kind is Kind.DELIVERABLE:
        what = draw(st.sampled_from(["Mise à jour", "Bilan 2025 adopté", "Guide des stages",
                                     "Plan 2025-2030 adopté", "Rapport annuel déposé"]))
        return TargetReading(kind=kind, deliverable=what, unit=Unit.DELIVERABLE)
    if kind is Kind.RELATIVE:
        if draw(st.booleans()) and not draw(st.booleans()):
            return _with_context({"kind": kind, "comparator": Comparator.MAINTAIN,
                                  "relative_change": Decimal(0), "unit": Unit.PERCENT}, ctx)
        change = draw(st.decimals(min_value=-100, max_value=100, places=2))
        reference = draw(st.sampled_from([None, *Reference]))
        return _with_context({
            "kind": kind, "relative_change": change,
            "comparator": draw(st.sampled_from([None, Comparator.AT_LEAST])),
            "unit": draw(st.sampled_from([Unit.PERCENT, Unit.POINTS])),
            "reference": reference,
            "reference_year": draw(years) if reference is Reference.YEAR else None}, ctx)
    comparator = draw(st.sampled_from(list(Comparator)))
    unit = draw(st.sampled_from([Unit.COUNT, Unit.PERCENT, Unit.DURATION, Unit.MONEY]))
    label = draw(st.sampled_from(["", "vues", "visites", "personnes", "abonnés"])) if (
        unit is Unit.COUNT) else ""
    value = draw(amounts)
    upper = baseline = None
    if comparator is Comparator.BETWEEN:
        upper = value + draw(amounts.filter(lambda d: d > 0))
    elif comparator is Comparator.REACH and draw(st.booleans()):
        baseline = draw(amounts.filter(lambda d: d != value))
    elif unit is Unit.COUNT and not label and value == value.to_integral_value() and (
            1990 <= value <= 2100) and any(ctx[k] for k in ("cohort", "window")):
        value += 10000  # a bare year beside other context is read as context, by design
    return _with_context({"kind": kind, "comparator": comparator, "value": value, "unit": unit,
                          "unit_label": label, "upper": upper, "baseline": baseline}, ctx)


# No deadline: the machine is shared and a slow example is not a wrong one.
ROBUST = hypothesis_settings(deadline=None, database=None,
                             suppress_health_check=[HealthCheck.too_slow])


@ROBUST
@given(readings())
def test_a_rendered_reading_reads_back_to_itself(reading):
    assert parse_target(render(reading)) == reading


# --- the README's section documents the grammar --------------------------------------------

def _readme_examples():
    readme = (Path(settings.BASE_DIR) / "README.md").read_text(encoding="utf-8")
    section = readme.partition("## Langage des cibles")[2].split("\n## ", 1)[0]
    rows = re.findall(r"^\| (.+?) \| `(.+?)` \| (.+?) \|$", section, re.M)
    return [(form, example, reading) for form, example, reading in rows
            if form not in ("Forme", "---")]


def test_the_readme_section_lists_forms_with_an_example_each():
    assert len(_readme_examples()) >= 30


@pytest.mark.parametrize(("form", "example", "reading"), _readme_examples())
def test_each_readme_example_reads_as_the_readme_says(form, example, reading):
    assert _plain(render(parse_target(example))) == reading, form


def test_the_readme_shows_every_comparator_unit_and_kind():
    readings = [parse_target(example) for _form, example, _reading in _readme_examples()]
    assert {r.comparator for r in readings if r.kind is Kind.VALUE} == set(Comparator)
    assert {r.unit for r in readings} >= set(Unit)
    assert {r.kind for r in readings} == set(Kind)


def test_the_readme_uses_every_phrase_of_the_grammar():
    """A phrase added to grammar.lark without an example in the README fails here."""
    used = set()
    for _form, example, _reading in _readme_examples():
        folded = normalize(example)
        used |= {token.type for token in _PARSER.parse(folded).scan_values(
            lambda v: isinstance(v, Token))}
    declared = {t.name for t in _PARSER.terminals if not t.name.startswith("__")}
    assert declared - used == set()


words = st.sampled_from(["au", "moins", "plus", "de", "et", "a", "à", "min", "max.", "entre",
                         "pas", "%", "$", "M$", "2025", "2018-2022", "10", "80 000", "1,5", "+",
                         "-", "hausse", "baisse de", "par", "chaque", "année", "cohorte",
                         "d'ici", "en", "Rapport", "déposé", "vues", "(", ")", "s. o.", ":"])


@ROBUST
@given(st.one_of(st.text(max_size=40), st.lists(words, max_size=8).map(" ".join)))
def test_any_text_is_read_or_refused_in_french_never_crashes(text):
    try:
        reading = parse_target(text)
    except TargetSyntaxError as exc:
        assert "n'est pas lisible" in str(exc)
    else:
        assert parse_target(render(reading)) == reading
