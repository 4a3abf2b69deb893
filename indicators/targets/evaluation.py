"""Judging results against a target reading: status, degree of achievement.

Pure functions, no database. The evaluation follows the reading: ceilings are judged as
ceilings (lower is better), bands as bands, ``maintenir`` as a floor, money after its
multiplier, points of percentage as points.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from django.utils.translation import gettext as _

from indicators.targets.reading import (
    Comparator,
    Direction,
    Frequency,
    Kind,
    Reference,
    TargetReading,
    Unit,
)


class Status(StrEnum):
    MET = "atteinte"
    NOT_MET = "non_atteinte"
    IN_PROGRESS = "en_cours"
    NO_RESULT = "sans_resultat"
    NOT_ASSESSABLE = "non_evaluable"


class Degree(StrEnum):
    """The vocabulary of Québec's annual management reports."""

    MET = "cible_atteinte"
    ON_TRACK = "progresse_bien"
    WATCH = "a_surveiller"
    NOT_MET = "non_atteinte"


# --- evaluating ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Measure:
    """One result as the evaluation sees it."""

    value: Decimal | None = None
    done: bool | None = None
    not_applicable: bool = False

    @property
    def is_empty(self) -> bool:
        return self.value is None and self.done is None and not self.not_applicable


@dataclass(frozen=True)
class Facts:
    """What the evaluation needs to know of an indicator."""

    unit: str = Unit.COUNT
    direction: str = Direction.INCREASE
    cumulative: bool = False
    per_member: bool = False
    members: Sequence[str] = ()
    baseline: Decimal | None = None


@dataclass(frozen=True)
class Evaluation:
    status: Status
    reason: str = ""
    achievement: Decimal | None = None  # percent of the target reached
    resolved_target: Decimal | None = None  # what a relative target came to
    measured: Decimal | None = None  # the value compared (a running total when cumulative)
    members: Mapping[str, Evaluation] = field(default_factory=dict)  # per-member targets


@dataclass(frozen=True)
class Period:
    """Where the evaluated year stands: its label, the plan's years, and which are over."""

    year: int
    years: Sequence[int]
    closed: bool  # the year is over (its March 31 has passed)
    labels: Mapping[int, str] = field(default_factory=dict)
    whole_period: bool = False  # the target is one for the whole plan period
    last_year_closed: bool = False

    def label(self, year: int) -> str:
        return self.labels.get(year) or f"{year}-{year + 1}"


def _compare(value: Decimal, target: Decimal, comparator: Comparator, direction: str,
             upper: Decimal | None = None) -> bool:
    if comparator is Comparator.REACH:
        comparator = Comparator.AT_MOST if direction == Direction.DECREASE else Comparator.AT_LEAST
    if comparator is Comparator.BETWEEN:
        return target <= value <= upper
    if comparator is Comparator.MAINTAIN:
        comparator = Comparator.AT_LEAST
    return {
        Comparator.AT_LEAST: value >= target,
        Comparator.MORE_THAN: value > target,
        Comparator.AT_MOST: value <= target,
        Comparator.LESS_THAN: value < target,
        Comparator.EXACTLY: value == target,
    }[comparator]


def _achievement(value: Decimal, target: Decimal, comparator: Comparator | None,
                 direction: str, upper: Decimal | None = None) -> Decimal:
    if comparator is Comparator.BETWEEN:
        # Inside the band is 100 %; above it, judged as a ceiling on its upper bound.
        if value > upper:
            target, comparator = upper, Comparator.AT_MOST
        elif value >= target:
            return Decimal(100).quantize(Decimal("0.1"))
    lower_is_better = comparator in (Comparator.AT_MOST, Comparator.LESS_THAN) or (
        comparator is Comparator.REACH and direction == Direction.DECREASE)
    if lower_is_better:
        ratio = Decimal(100) if value == 0 else target / value * 100
    elif target == 0:
        ratio = Decimal(100) if value >= 0 else Decimal(0)
    else:
        ratio = value / target * 100
    return ratio.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def resolve_relative(change: Decimal, previous: Decimal, unit: Unit | None = Unit.PERCENT,
                     times: int = 1) -> Decimal:
    """What "+10 %" (or "+5 points de pourcentage") on a previous result comes to; ``times``
    applies an annual change once per year (compounded for a percentage)."""
    if unit is Unit.POINTS:
        resolved = previous + change * times
    else:
        resolved = previous * (1 + change / 100) ** times
    return resolved.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _progress(value: Decimal, target: Decimal, baseline: Decimal) -> Decimal:
    """How far a result went from its starting point to the target (« de 40 à 60 »: 50 is
    50 %); a result that moved the wrong way is 0 %."""
    ratio = (value - baseline) / (target - baseline) * 100
    return max(ratio, Decimal(0)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _relative_base(reading: TargetReading, facts: Facts, period: Period,
                   results: Mapping[int, Measure]) -> tuple[Decimal | None, int, str]:
    """The value a change applies to, how many times it applies, and, when the value is
    missing, why: the previous year's result (default), the indicator's starting value, or a
    named year's result."""
    year = period.year
    if reading.reference is Reference.START:
        first = period.years[0] if period.years else year
        times = year - first + 1 if reading.frequency is Frequency.ANNUAL else 1
        reason = "" if facts.baseline is not None else _(
            "Cible relative à la valeur de départ : la valeur de départ de l'indicateur n'est "
            "pas saisie.")
        return facts.baseline, times, reason
    if reading.reference is Reference.YEAR:
        measure = results.get(reading.reference_year)
        base = measure.value if measure is not None and not measure.not_applicable else None
        times = (year - reading.reference_year
                 if reading.frequency is Frequency.ANNUAL else 1)
        reason = "" if base is not None else _(
            "Cible relative : le résultat de %(year)s, qui sert de référence, est "
            "manquant.") % {"year": period.label(reading.reference_year)}
        return base, max(times, 1), reason
    previous_year = year - 1
    previous = results.get(previous_year)
    base = previous.value if previous is not None and not previous.not_applicable else None
    if base is None and previous_year not in period.years:
        base = facts.baseline
    reason = "" if base is not None else _(
        "Cible relative : le résultat de %(year)s, qui sert de référence, est "
        "manquant.") % {"year": period.label(previous_year)}
    return base, 1, reason


def _unmet_status(period: Period, facts: Facts) -> Status:
    if period.whole_period:
        return Status.NOT_MET if period.last_year_closed else Status.IN_PROGRESS
    return Status.NOT_MET if period.closed else Status.IN_PROGRESS


JUDGED = (Status.MET, Status.NOT_MET, Status.IN_PROGRESS)


def _judged_at_period_end(evaluation: Evaluation, period: Period) -> Evaluation:
    """A whole-period target is judged once the period's last year is over, whatever
    ``cumulative`` says: before that, a judged result is *En cours* (met or not yet)."""
    if not period.whole_period or period.last_year_closed or evaluation.status not in JUDGED:
        return evaluation
    last = period.label(period.years[-1]) if period.years else ""
    return replace(evaluation, status=Status.IN_PROGRESS, reason=_(
        "Cible de période : jugée à la fin de %(year)s.") % {"year": last})


def evaluate(reading: TargetReading | None, facts: Facts, period: Period,
             results: Mapping[int, Measure],
             member_results: Mapping[str, Mapping[int, Measure]] | None = None) -> Evaluation:
    """Judge one indicator's results for ``period.year`` against its target reading.

    ``results`` maps plan years to the indicator's total result; ``member_results`` maps each
    breakdown member to its own series. A per-member target is met only when every member
    meets it. A relative target resolves on the previous year's result (the baseline for the
    plan's first year), or on the reference it names; a target with a starting point
    (« de 40 à 60 ») is judged by the way travelled from it.
    """
    if reading is None:
        return Evaluation(Status.NOT_ASSESSABLE, _("Aucune cible pour %(year)s.") % {
            "year": period.label(period.year)})
    if reading.kind is Kind.TBD:
        return Evaluation(Status.NOT_ASSESSABLE, _("Cible à déterminer."))
    if reading.kind is Kind.NOT_APPLICABLE:
        return Evaluation(Status.NOT_ASSESSABLE, _("Cible sans objet."))
    if facts.per_member or reading.per_member:
        evaluation = _evaluate_members(reading, facts, period, member_results or {})
    else:
        evaluation = _evaluate_series(reading, facts, period, results)
    return _judged_at_period_end(evaluation, period)


def _evaluate_members(reading: TargetReading, facts: Facts, period: Period,
                      member_results: Mapping[str, Mapping[int, Measure]]) -> Evaluation:
    if not facts.members:
        return Evaluation(Status.NOT_ASSESSABLE, _(
            "La cible s'applique à chaque membre de la ventilation, mais aucun membre n'est "
            "défini."))
    single = Facts(unit=facts.unit, direction=facts.direction, cumulative=facts.cumulative,
                   baseline=facts.baseline)
    evaluations = {m: _judged_at_period_end(
        _evaluate_series(reading, single, period, member_results.get(m, {})), period)
        for m in facts.members}
    statuses = {m: e.status for m, e in evaluations.items()}
    achievements = [e.achievement for e in evaluations.values() if e.achievement is not None]
    lowest = min(achievements) if achievements else None

    def named(status: Status) -> str:
        return ", ".join(m for m, s in statuses.items() if s is status)

    if Status.NOT_MET in statuses.values():
        status, reason = Status.NOT_MET, _("Cible non atteinte pour : %(m)s.") % {
            "m": named(Status.NOT_MET)}
    elif Status.NO_RESULT in statuses.values():
        status, reason = Status.NO_RESULT, _("Résultat manquant pour : %(m)s.") % {
            "m": named(Status.NO_RESULT)}
    elif Status.NOT_ASSESSABLE in statuses.values():
        status, reason = Status.NOT_ASSESSABLE, "; ".join(
            f"{m} : {e.reason}" for m, e in evaluations.items()
            if e.status is Status.NOT_ASSESSABLE)
    elif Status.IN_PROGRESS in statuses.values():
        status, reason = Status.IN_PROGRESS, _("En cours pour : %(m)s.") % {
            "m": named(Status.IN_PROGRESS)}
    else:
        status, reason = Status.MET, _("Cible atteinte pour chaque membre.")
    return Evaluation(status, reason, achievement=lowest, members=evaluations)


def _evaluate_series(reading: TargetReading, facts: Facts, period: Period,
                     results: Mapping[int, Measure]) -> Evaluation:
    year = period.year
    current = results.get(year)
    if current is None or current.is_empty:
        return Evaluation(Status.NO_RESULT, _("Aucun résultat saisi pour %(year)s.") % {
            "year": period.label(year)})
    if current.not_applicable:
        return Evaluation(Status.NOT_ASSESSABLE, _("Résultat déclaré non applicable."))

    if facts.unit == Unit.DELIVERABLE or reading.kind is Kind.DELIVERABLE:
        done = current.done if current.done is not None else bool(current.value)
        if done:
            return Evaluation(Status.MET, _("Livrable réalisé."), achievement=Decimal(100))
        return Evaluation(_unmet_status(period, facts), _("Livrable non réalisé."),
                          achievement=Decimal(0))

    measured = current.value
    if measured is None:
        return Evaluation(Status.NO_RESULT, _("Aucune valeur saisie pour %(year)s.") % {
            "year": period.label(year)})
    if facts.cumulative:
        measured = sum((m.value for y, m in results.items()
                        if y <= year and m.value is not None and not m.not_applicable),
                       Decimal(0))

    if reading.kind is Kind.RELATIVE:
        base, times, missing = _relative_base(reading, facts, period, results)
        if base is None:
            return Evaluation(Status.NOT_ASSESSABLE, missing, measured=measured)
        target = resolve_relative(reading.relative_change, base, reading.unit, times)
        comparator = Comparator.AT_LEAST if reading.relative_change >= 0 else Comparator.AT_MOST
        upper = None
    else:
        target, comparator, upper = reading.value, reading.comparator, reading.upper
        if reading.baseline is not None and comparator is Comparator.REACH:
            # « de 40 à 60 »: the direction is the one from the starting point to the target.
            comparator = (Comparator.AT_LEAST if target > reading.baseline
                          else Comparator.AT_MOST)

    if reading.kind is Kind.VALUE and reading.baseline is not None:
        achievement = _progress(measured, target, reading.baseline)
    else:
        achievement = _achievement(measured, target, comparator, facts.direction, upper)
    if _compare(measured, target, comparator, facts.direction, upper):
        return Evaluation(Status.MET, _("Cible atteinte."), achievement=achievement,
                          resolved_target=target, measured=measured)
    status = _unmet_status(period, facts)
    reason = _("Cible non atteinte.") if status is Status.NOT_MET else _(
        "Cible pas encore atteinte.")
    return Evaluation(status, reason, achievement=achievement, resolved_target=target,
                      measured=measured)


def degree(evaluation: Evaluation, *, progressing: int, watch: int) -> Degree | None:
    """The annual-report degree of achievement, from thresholds in percent of the target."""
    if evaluation.status is Status.MET:
        return Degree.MET
    if evaluation.status not in (Status.NOT_MET, Status.IN_PROGRESS):
        return None
    if evaluation.achievement is None:
        return Degree.NOT_MET
    if evaluation.achievement >= progressing:
        return Degree.ON_TRACK
    if evaluation.achievement >= watch:
        return Degree.WATCH
    return Degree.NOT_MET
