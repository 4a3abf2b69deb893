"""The target language: reading a target as written in a plan, and judging results against it.

Pure functions, no database: the models, forms, imports and exports all call these, so the
rules live in exactly one place. Texts are French as coordinators type them: ``Min 2``,
``80 % et plus``, ``Plus de 80 000 vues``, ``+ 10%``, ``Mise à jour``, ``À déterminer``…
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum

from django.utils.translation import gettext as _


class Kind(StrEnum):
    VALUE = "value"
    RELATIVE = "relative"
    DELIVERABLE = "deliverable"
    TBD = "tbd"


class Comparator(StrEnum):
    REACH = "reach"  # a bare value: reached in the indicator's good direction
    AT_LEAST = "at_least"
    MORE_THAN = "more_than"
    AT_MOST = "at_most"
    LESS_THAN = "less_than"
    EXACTLY = "exactly"


class Unit(StrEnum):
    COUNT = "count"
    PERCENT = "percent"
    DURATION = "duration"  # minutes
    DELIVERABLE = "deliverable"


class Direction(StrEnum):
    INCREASE = "increase"
    DECREASE = "decrease"


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


class TargetSyntaxError(ValueError):
    """A target text that cannot be read; the message is French and names the text."""

    def __init__(self, text: str, reason: str):
        self.text = text
        self.reason = reason
        super().__init__(_("La cible « %(text)s » n'est pas lisible : %(reason)s.") % {
            "text": text, "reason": reason})


@dataclass(frozen=True)
class TargetReading:
    """The structured reading of one target text."""

    kind: Kind
    comparator: Comparator | None = None
    value: Decimal | None = None
    unit: Unit | None = None
    relative_change: Decimal | None = None  # in percent of the previous year's result
    deliverable: str = ""
    per_member: bool = False  # "par secteur", "pour chaque établissement"…


# --- reading ---------------------------------------------------------------------------------

_SPACES = re.compile(r"[\s\u00a0\u202f\u2007\u2009]+")
_NUMBER = re.compile(r"(?<![\d,.])(\d{1,3}(?: \d{3})+|\d+)(?:[,.](\d+))?(?![\d])")
_RELATIVE = re.compile(r"^(?:(?:une )?(?:hausse|augmentation|croissance) de\s*)?([+-])?\s*"
                       r"(\d+(?:[,.]\d+)?)\s*%")
_RELATIVE_WORDS = re.compile(r"^(hausse|augmentation|croissance|baisse|diminution) de")

_TBD = {"a determiner", "a definir", "a preciser", "tbd", "a venir", "ad"}
_DELIVERABLE_WORDS = (
    "mise a jour", "realise", "production", "adoption", "adopte", "rapport", "bilan",
    "cartographie", "document", "lancement", "lance", "livre", "complete", "elaboration",
    "creation", "mise en place", "mise en oeuvre", "depose", "publie", "tenue", "plan ",
)
_AT_LEAST = ("au moins", "au minimum", "minimum", "min", "a tout le moins", ">=", "≥", "mini")
_AT_LEAST_AFTER = ("et plus", "ou plus", "et +", "ou +", "minimum")
_MORE_THAN = ("plus de", "plus que", "superieur a", "superieure a", ">")
_AT_MOST = ("au plus", "au maximum", "maximum", "max", "<=", "≤")
_AT_MOST_AFTER = ("et moins", "ou moins", "maximum")
_LESS_THAN = ("moins de", "moins que", "inferieur a", "inferieure a", "<")
_EXACTLY = ("exactement", "=")
_PER_MEMBER = ("par secteur", "par etablissement", "chaque etablissement", "par membre",
               "pour chacun", "pour chacune", "par organisation", "par region")


def normalize(text: str) -> str:
    """Lower-case, accents removed, every kind of space folded to one plain space."""
    decomposed = unicodedata.normalize("NFKD", text)
    no_accents = "".join(c for c in decomposed if not unicodedata.combining(c))
    folded = no_accents.replace("œ", "oe").replace("’", "'").lower()
    return _SPACES.sub(" ", folded).strip()


def parse_decimal(text: str) -> Decimal:
    """Read a French-typed number: ``80 000``, ``80 000,5``, ``1,5``, ``2400``."""
    cleaned = _SPACES.sub("", text).replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation as exc:
        raise ValueError(text) from exc
    if not value.is_finite():
        raise ValueError(text)
    return value


def _comparator(before: str, after: str) -> Comparator:
    before = before.strip()
    tail_words = before.split(" ")
    # The comparator is the last words before the number ("Recenser et documenter au moins").
    for size in (4, 3, 2, 1):
        tail = " ".join(tail_words[-size:])
        for words, comparator in ((_MORE_THAN, Comparator.MORE_THAN),
                                  (_LESS_THAN, Comparator.LESS_THAN),
                                  (_AT_LEAST, Comparator.AT_LEAST),
                                  (_AT_MOST, Comparator.AT_MOST),
                                  (_EXACTLY, Comparator.EXACTLY)):
            if any(tail == w or (tail.endswith(w) and not w[0].isalpha()) for w in words):
                return comparator
    if any(re.search(rf"(?<![a-z]){re.escape(w)}(?![a-z])", after) for w in _AT_LEAST_AFTER):
        return Comparator.AT_LEAST
    if any(re.search(rf"(?<![a-z]){re.escape(w)}(?![a-z])", after) for w in _AT_MOST_AFTER):
        return Comparator.AT_MOST
    return Comparator.REACH


def _unit_and_factor(after: str) -> tuple[Unit, Decimal]:
    """The unit written right after the number, and the factor that brings it to our unit."""
    if after.startswith("%") or after.startswith("pour cent") or after.startswith("p. 100"):
        return Unit.PERCENT, Decimal(1)
    word = re.match(r"[a-z]+", after)
    token = word.group(0) if word else ""
    if token in {"m", "min", "mn", "minute", "minutes"}:
        return Unit.DURATION, Decimal(1)
    if token in {"h", "heure", "heures"}:
        return Unit.DURATION, Decimal(60)
    if token in {"s", "sec", "seconde", "secondes"}:
        return Unit.DURATION, Decimal(1) / Decimal(60)
    return Unit.COUNT, Decimal(1)


def parse_target(text: str) -> TargetReading:
    """Read a target text into its structured form, or raise :class:`TargetSyntaxError`.

    A bare value (``2``) is to be *reached* in the indicator's good direction; ``Min``/``au
    moins``/``et plus`` are floors, ``Plus de`` is strict; a signed percentage (``+10%``) is a
    change relative to the previous year's result; known deliverable phrases (``Mise à jour``)
    and "to be determined" are recognised as such. Anything else is refused, naming the text.
    """
    original = (text or "").strip()
    t = normalize(original)
    if not t or t in {"-", "—", "–", "n/a", "s/o"}:
        raise TargetSyntaxError(original, _("aucune valeur n'est indiquée"))
    if t.rstrip(".") in _TBD:
        return TargetReading(kind=Kind.TBD)
    per_member = any(w in t for w in _PER_MEMBER)

    relative = _RELATIVE.match(t)
    if relative and (relative.group(1) or _RELATIVE_WORDS.match(t)):
        sign = -1 if relative.group(1) == "-" or t.startswith(("baisse", "diminution")) else 1
        change = parse_decimal(relative.group(2)) * sign
        return TargetReading(kind=Kind.RELATIVE, relative_change=change, unit=Unit.PERCENT,
                             per_member=per_member)

    numbers = list(_NUMBER.finditer(t))
    if len(numbers) > 1:
        raise TargetSyntaxError(original, _("elle contient plusieurs valeurs (%(values)s) ; "
                                            "une cible n'en porte qu'une") % {
            "values": ", ".join(m.group(0) for m in numbers)})
    if numbers:
        match = numbers[0]
        value = parse_decimal(match.group(0))
        before, after = t[:match.start()], t[match.end():].strip()
        if before.rstrip().endswith("-"):
            raise TargetSyntaxError(original, _("une cible ne peut pas être négative"))
        unit, factor = _unit_and_factor(after)
        comparator = _comparator(before, after)
        return TargetReading(kind=Kind.VALUE, comparator=comparator,
                             value=value if factor == 1 else (value * factor).quantize(
                                 Decimal("0.01"), rounding=ROUND_HALF_UP),
                             unit=unit, per_member=per_member)

    if any(w in t + " " for w in _DELIVERABLE_WORDS):
        return TargetReading(kind=Kind.DELIVERABLE, deliverable=original, unit=Unit.DELIVERABLE)
    raise TargetSyntaxError(original, _("ni un nombre, ni un pourcentage, ni un livrable "
                                        "reconnu (ex. « 2 », « Min 2 », « 80 % et plus », "
                                        "« +10% », « Mise à jour », « À déterminer »)"))


def reading_unit_error(reading: TargetReading, indicator_unit: str) -> str | None:
    """Why a reading does not fit an indicator of ``indicator_unit``, or None when it does."""
    if reading.kind is not Kind.VALUE or reading.unit is Unit.COUNT:
        return None
    if reading.unit is Unit.PERCENT and indicator_unit != Unit.PERCENT:
        return _("la cible est un pourcentage mais l'indicateur ne se mesure pas en %")
    if reading.unit is Unit.DURATION and indicator_unit != Unit.DURATION:
        return _("la cible est une durée mais l'indicateur ne se mesure pas en durée")
    return None


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


def _compare(value: Decimal, target: Decimal, comparator: Comparator, direction: str) -> bool:
    if comparator is Comparator.REACH:
        comparator = Comparator.AT_MOST if direction == Direction.DECREASE else Comparator.AT_LEAST
    return {
        Comparator.AT_LEAST: value >= target,
        Comparator.MORE_THAN: value > target,
        Comparator.AT_MOST: value <= target,
        Comparator.LESS_THAN: value < target,
        Comparator.EXACTLY: value == target,
    }[comparator]


def _achievement(value: Decimal, target: Decimal, comparator: Comparator | None,
                 direction: str) -> Decimal:
    lower_is_better = comparator in (Comparator.AT_MOST, Comparator.LESS_THAN) or (
        comparator is Comparator.REACH and direction == Direction.DECREASE)
    if lower_is_better:
        ratio = Decimal(100) if value == 0 else target / value * 100
    elif target == 0:
        ratio = Decimal(100) if value >= 0 else Decimal(0)
    else:
        ratio = value / target * 100
    return ratio.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def resolve_relative(change: Decimal, previous: Decimal) -> Decimal:
    """What "+10%" on a previous result of ``previous`` comes to."""
    return (previous * (1 + change / 100)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _unmet_status(period: Period, facts: Facts) -> Status:
    if period.whole_period and facts.cumulative:
        return Status.NOT_MET if period.last_year_closed else Status.IN_PROGRESS
    return Status.NOT_MET if period.closed else Status.IN_PROGRESS


def evaluate(reading: TargetReading | None, facts: Facts, period: Period,
             results: Mapping[int, Measure],
             member_results: Mapping[str, Mapping[int, Measure]] | None = None) -> Evaluation:
    """Judge one indicator's results for ``period.year`` against its target reading.

    ``results`` maps plan years to the indicator's total result; ``member_results`` maps each
    breakdown member to its own series. A per-member target is met only when every member
    meets it. A relative target resolves on the previous year's result (the baseline for the
    plan's first year).
    """
    if reading is None:
        return Evaluation(Status.NOT_ASSESSABLE, _("Aucune cible pour %(year)s.") % {
            "year": period.label(period.year)})
    if reading.kind is Kind.TBD:
        return Evaluation(Status.NOT_ASSESSABLE, _("Cible à déterminer."))
    if facts.per_member or reading.per_member:
        return _evaluate_members(reading, facts, period, member_results or {})
    return _evaluate_series(reading, facts, period, results)


def _evaluate_members(reading: TargetReading, facts: Facts, period: Period,
                      member_results: Mapping[str, Mapping[int, Measure]]) -> Evaluation:
    if not facts.members:
        return Evaluation(Status.NOT_ASSESSABLE, _(
            "La cible s'applique à chaque membre de la ventilation, mais aucun membre n'est "
            "défini."))
    single = Facts(unit=facts.unit, direction=facts.direction, cumulative=facts.cumulative,
                   baseline=facts.baseline)
    evaluations = {m: _evaluate_series(reading, single, period, member_results.get(m, {}))
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
        previous_year = year - 1
        previous = results.get(previous_year)
        base = previous.value if previous is not None and not previous.not_applicable else None
        if base is None and previous_year not in period.years:
            base = facts.baseline
        if base is None:
            return Evaluation(Status.NOT_ASSESSABLE, _(
                "Cible relative : le résultat de %(year)s, qui sert de référence, est "
                "manquant.") % {"year": period.label(previous_year)}, measured=measured)
        target = resolve_relative(reading.relative_change, base)
        comparator = Comparator.AT_LEAST if reading.relative_change >= 0 else Comparator.AT_MOST
    else:
        target, comparator = reading.value, reading.comparator

    achievement = _achievement(measured, target, comparator, facts.direction)
    if _compare(measured, target, comparator, facts.direction):
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
