"""Seeing a target before it counts: its reading, its French rendering, whether it fits the
indicator's unit, and how a sample result would be judged.

Pure functions, no database: the preview page, the live preview of the revision form and an
import's dry run all call :func:`preview`, so what a user sees before saving is what the
evaluation will do after.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from indicators.targets.english import render_shown
from indicators.targets.evaluation import (
    Degree,
    Evaluation,
    Facts,
    Measure,
    Period,
    degree,
    evaluate,
)
from indicators.targets.reading import (
    Kind,
    Reference,
    TargetReading,
    TargetSyntaxError,
    parse_target,
    reading_unit_error,
)

# A sample is judged as the first year of a three-year plan that is over.
_SAMPLE_YEAR = 2024
_SAMPLE_PERIOD = Period(year=_SAMPLE_YEAR, years=(_SAMPLE_YEAR, _SAMPLE_YEAR + 1,
                                                   _SAMPLE_YEAR + 2), closed=True)


@dataclass(frozen=True)
class Preview:
    text: str
    reading: TargetReading | None = None
    rendering: str = ""  # the reading in canonical French (in English for an English reader)
    error: str = ""  # why the text is refused, and what to write instead
    sample: Evaluation | None = None  # how the sample result would be judged
    degree: Degree | None = None  # the sample's degree of achievement (annual reports)
    needs_reference: bool = False  # a change: the sample needs the value it applies to

    @property
    def ok(self) -> bool:
        return self.reading is not None and not self.error


def preview(text: str, *, unit: str = "count", direction: str = "increase",
            sample: Decimal | None = None, reference: Decimal | None = None,
            thresholds: Mapping[str, int] | None = None) -> Preview:
    """Read ``text`` as a target of an indicator measured in ``unit``; judge ``sample`` when
    given (``reference``: the previous year's result, the starting value or the named year's
    result a change applies to)."""
    text = (text or "").strip()
    try:
        reading = parse_target(text)
    except TargetSyntaxError as exc:
        return Preview(text=text, error=str(exc))
    problem = reading_unit_error(reading, unit)
    if problem:
        return Preview(text=text, reading=reading, rendering=render_shown(reading),
                       error=_("« %(text)s » : %(problem)s.") % {"text": text,
                                                                "problem": problem})
    needs_reference = reading.kind is Kind.RELATIVE
    evaluation = achieved = None
    if sample is not None:
        results = {_SAMPLE_YEAR: Measure(value=sample)}
        baseline = None
        if reference is not None:
            if reading.reference is Reference.YEAR:
                results[reading.reference_year] = Measure(value=reference)
            else:
                baseline = reference  # the plan's starting value, or the year before it
        facts = Facts(unit=unit, direction=direction, baseline=baseline)
        evaluation = evaluate(reading, facts, _SAMPLE_PERIOD, results)
        if thresholds:
            achieved = degree(evaluation, **thresholds)
    return Preview(text=text, reading=reading, rendering=render_shown(reading),
                   sample=evaluation, degree=achieved, needs_reference=needs_reference)
