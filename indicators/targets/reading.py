"""Reading a target as written in a plan (``grammar.lark``), and writing a reading back.

Pure functions, no database. :func:`parse_target` turns ``Min 2``, ``80 % et plus``,
``Pas plus de 5``, ``Hausse de 10 %``, ``200 M$``, ``Cohorte 2016 65,6 %``, ``Mise à jour``…
into a :class:`TargetReading`; :func:`render` writes a reading in canonical French, and
``parse_target(render(r)) == r`` for every reading.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum
from pathlib import Path

from django.utils.translation import gettext as _
from lark import Lark, Token, Transformer, Tree
from lark.exceptions import LarkError, UnexpectedInput

from indicators.numbers import NBSP, format_number


class Kind(StrEnum):
    VALUE = "value"
    RELATIVE = "relative"
    DELIVERABLE = "deliverable"
    TBD = "tbd"
    NOT_APPLICABLE = "na"  # « s. o. », « sans objet »


class Comparator(StrEnum):
    REACH = "reach"  # a bare value: reached in the indicator's good direction
    AT_LEAST = "at_least"
    MORE_THAN = "more_than"
    AT_MOST = "at_most"
    LESS_THAN = "less_than"
    EXACTLY = "exactly"
    BETWEEN = "between"  # a band: value ≤ result ≤ upper
    MAINTAIN = "maintain"  # a floor on the given value, or on the previous result


class Unit(StrEnum):
    COUNT = "count"
    PERCENT = "percent"
    DURATION = "duration"  # minutes
    DELIVERABLE = "deliverable"
    MONEY = "money"  # dollars, multiplier (k$, M$, G$) applied
    POINTS = "points"  # points of percentage, for a relative change only


class Frequency(StrEnum):
    ANNUAL = "annual"


class Direction(StrEnum):
    INCREASE = "increase"
    DECREASE = "decrease"


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
    value: Decimal | None = None  # the lower bound of a band
    unit: Unit | None = None
    relative_change: Decimal | None = None  # in percent, or in points when unit is POINTS
    deliverable: str = ""
    per_member: bool = False  # "par secteur", "pour chaque établissement"…
    upper: Decimal | None = None  # the upper bound of a band
    unit_label: str = ""  # the word after a count: "vues", "personnes"
    window_start: int | None = None  # the period the target speaks of: (de 2018 à 2022)
    window_end: int | None = None  # d'ici 2027
    cohort: int | None = None  # Cohorte 2016
    frequency: Frequency | None = None  # annuellement, par année


# --- normalising ---------------------------------------------------------------------------

_DASHES = {"\u2212", "\u2013", "\u2014", "\u2010", "\u2011"}
_QUOTES = {"\u2019", "\u2018", "\u02bc", "`"}


def _fold(text: str) -> tuple[str, list[int]]:
    """Normalised text, and for each of its characters the index it came from."""
    chars: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        if char.isspace():
            if chars and chars[-1] != " ":
                chars.append(" ")
                origin.append(index)
            continue
        if char in _DASHES:
            folded = "-"
        elif char in _QUOTES:
            folded = "'"
        elif char in "œŒ":
            folded = "oe"
        else:
            decomposed = unicodedata.normalize("NFKD", char)
            folded = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
            folded = folded.replace("\u2044", "/") or char
        for piece in folded:
            chars.append(" " if piece.isspace() else piece)
            origin.append(index)
    while chars and chars[-1] == " ":
        chars.pop()
        origin.pop()
    return "".join(chars), origin


def normalize(text: str) -> str:
    """Lower-case, accents removed, every kind of space folded to one plain space."""
    return _fold(text)[0]


def parse_decimal(text: str) -> Decimal:
    """Read a French-typed number: ``80 000``, ``80 000,5``, ``1,5``, ``2400``."""
    cleaned = "".join(text.split()).replace("\u202f", "").replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation as exc:
        raise ValueError(text) from exc
    if not value.is_finite():
        raise ValueError(text)
    return value


# --- reading -------------------------------------------------------------------------------

GRAMMAR_PATH = Path(__file__).with_name("grammar.lark")
_PARSER = Lark(GRAMMAR_PATH.read_text(encoding="utf-8"), parser="lalr", lexer="contextual")

_STOPWORDS = {"de", "des", "du", "d", "la", "le", "les", "l", "a", "au", "aux", "en", "et",
              "ou", "par", "pour", "sur", "dans", "un", "une", "chez", "entre"}
_MONEY_FACTORS = {"k": Decimal(1000), "m": Decimal(10) ** 6, "g": Decimal(10) ** 9,
                  "md": Decimal(10) ** 9, "mille": Decimal(1000), "million": Decimal(10) ** 6,
                  "millions": Decimal(10) ** 6, "milliard": Decimal(10) ** 9,
                  "milliards": Decimal(10) ** 9}
_TWO_PLACES = Decimal("0.01")
_TOO_LARGE = Decimal(10) ** 12  # what a target value column holds


@dataclass(frozen=True)
class _Quantity:
    number: Decimal
    unit: Unit
    label: str
    raw: str
    year_like: bool  # a bare four-digit number that may be a year

    @property
    def bare(self) -> bool:
        return self.unit is Unit.COUNT and not self.label


@dataclass(frozen=True)
class _Candidate:
    """A phrase that could be the target's value."""

    kind: Kind
    comparator: Comparator | None
    quantity: _Quantity | None = None
    upper: _Quantity | None = None
    sign: int = 1


class _Phrases(Transformer):
    """Turns the parse tree into a flat list of meaningful phrases."""

    def __init__(self, original: str, origin: list[int]):
        super().__init__()
        self.original = original
        self.origin = origin

    def _source(self, token: Token) -> str:
        start = self.origin[token.start_pos]
        end = self.origin[token.end_pos - 1] + 1
        return self.original[start:end]

    def quantity(self, children) -> _Quantity:
        number_token = children[0]
        number = parse_decimal(str(number_token))
        raw = self._source(number_token)
        unit, label = Unit.COUNT, ""
        tokens = children[1:]
        if tokens:
            first = tokens[0]
            kind, text = first.type, str(first).strip().rstrip(".")
            raw = self.original[self.origin[number_token.start_pos]:
                                self.origin[tokens[-1].end_pos - 1] + 1]
            if kind == "PERCENT":
                unit = Unit.PERCENT
            elif kind == "POINTS":
                unit = Unit.POINTS
            elif kind in ("DURATION", "MIN"):
                if text == "m" and self._source(first) == "M":
                    # A lone capital M is millions, never minutes.
                    number *= _MONEY_FACTORS["m"]
                elif text.startswith("h"):
                    unit, number = Unit.DURATION, number * 60
                elif text.startswith("s"):
                    unit, number = Unit.DURATION, number / 60
                else:
                    unit = Unit.DURATION
            elif kind == "MONEY":
                unit = Unit.MONEY
                number *= _money_factor(text)
            elif kind == "MULTIPLIER":
                number *= _MONEY_FACTORS[text]
                if len(tokens) > 1:
                    unit = Unit.MONEY
            elif kind == "WORD" and text not in _STOPWORDS and len(text) > 1:
                label = self._source(first)
        year_like = (unit is Unit.COUNT and not label and str(number_token).isdigit()
                     and len(str(number_token)) == 4 and 1990 <= int(number_token) <= 2100)
        if number != number.to_integral_value() or unit is Unit.DURATION:
            number = number.quantize(_TWO_PLACES, rounding=ROUND_HALF_UP)
        return _Quantity(number, unit, label, raw, year_like)

    def _value(comparator):  # noqa: N805 - a small factory for the comparator rules
        def rule(self, children):
            quantity = next(c for c in children if isinstance(c, _Quantity))
            return _Candidate(Kind.VALUE, comparator, quantity)
        return rule

    at_least = _value(Comparator.AT_LEAST)
    more_than = _value(Comparator.MORE_THAN)
    at_most = _value(Comparator.AT_MOST)
    less_than = _value(Comparator.LESS_THAN)
    exactly = _value(Comparator.EXACTLY)
    reach = _value(Comparator.REACH)
    maintain_value = _value(Comparator.MAINTAIN)

    def maintain_previous(self, _children):
        return _Candidate(Kind.RELATIVE, Comparator.MAINTAIN)

    def span(self, children):
        low, high = [c for c in children if isinstance(c, _Quantity)]
        between = any(isinstance(c, Token) and c.type in ("BETWEEN", "AND") for c in children)
        if not between and low.year_like and high.year_like:
            return ("window", int(low.number), int(high.number))
        if low.unit is Unit.COUNT and not low.label and high.unit is not Unit.COUNT:
            low = replace(low, unit=high.unit)
        return _Candidate(Kind.VALUE, Comparator.BETWEEN, low, upper=high)

    def increase(self, children):
        return _Candidate(Kind.RELATIVE, None, children[-1], sign=1)

    def decrease(self, children):
        return _Candidate(Kind.RELATIVE, None, children[-1], sign=-1)

    def until(self, children):
        return ("window", None, int(children[-1]))

    def in_year(self, children):
        return ("window", int(children[-1]), int(children[-1]))

    def in_years(self, children):
        return ("window", int(children[1]), int(children[-1]))

    def cohort(self, children):
        return ("cohort", int(children[-1]))

    def frequency(self, _children):
        return ("frequency", Frequency.ANNUAL)

    def scope(self, _children):
        return ("per_member",)

    def tbd(self, _children):
        return ("tbd",)

    def not_applicable(self, _children):
        return ("na",)

    def deliverable_word(self, _children):
        return ("deliverable",)

    def filler(self, _children):
        return None


def _money_factor(text: str) -> Decimal:
    text = text.replace("$", "").replace("dollars", "").replace(" de", "").strip()
    return _MONEY_FACTORS.get(text, Decimal(1)) if text else Decimal(1)


def parse_target(text: str) -> TargetReading:
    """Read a target text into its structured form, or raise :class:`TargetSyntaxError`.

    The forms are declared in ``grammar.lark``. A bare value (``2``) is to be *reached* in the
    indicator's good direction; years, periods, cohorts and frequencies are context, never the
    value; a text with two candidate values is refused, naming both.
    """
    original = (text or "").strip()
    folded, origin = _fold(original)
    if not folded or folded in {"-", "--"}:
        raise TargetSyntaxError(original, _("aucune valeur n'est indiquée"))
    try:
        tree = _PARSER.parse(folded)
    except UnexpectedInput as exc:
        where = original[origin[min(exc.pos_in_stream or 0, len(origin) - 1)]:][:30]
        raise TargetSyntaxError(original, _("la forme n'est pas reconnue à partir de "
                                            "« %(where)s »") % {"where": where}) from exc
    except LarkError as exc:  # pragma: no cover - a grammar bug, not a user's text
        raise TargetSyntaxError(original, str(exc)) from exc
    if tree.data == "labelled_deliverable":
        what = original.split(":", 1)[1].strip()
        if not what:
            raise TargetSyntaxError(original, _("le livrable n'est pas nommé"))
        return TargetReading(kind=Kind.DELIVERABLE, deliverable=what, unit=Unit.DELIVERABLE)
    phrases = [p for p in _Phrases(original, origin).transform(tree).children
               if p is not None and not isinstance(p, Tree)]
    return _assemble(original, phrases)


def _assemble(original: str, phrases: list) -> TargetReading:
    candidates = [p for p in phrases if isinstance(p, _Candidate)]
    maintains = [c for c in candidates if c.kind is Kind.RELATIVE and c.quantity is None]
    reached = [c for c in candidates if c.comparator is Comparator.REACH]
    if len(maintains) == 1 and len(reached) == 1 and len(candidates) == 2:
        # "Maintenir le taux de réussite à 85 %": the value is what is maintained.
        candidates = [replace(reached[0], comparator=Comparator.MAINTAIN)]
    context = [p for p in phrases if isinstance(p, tuple)]
    names = {p[0] for p in context}
    if "tbd" in names:
        return TargetReading(kind=Kind.TBD)
    if "na" in names:
        return TargetReading(kind=Kind.NOT_APPLICABLE)
    windows = [p for p in context if p[0] == "window"]
    # A bare year beside another value, or in a deliverable's title, is context.
    has_other = any(not _is_bare_year(c) for c in candidates) or "deliverable" in names
    if has_other:
        for candidate in [c for c in candidates if _is_bare_year(c)]:
            candidates.remove(candidate)
            year = int(candidate.quantity.number)
            windows.append(("window", year, year))
    if "deliverable" in names and not candidates:
        return TargetReading(kind=Kind.DELIVERABLE, deliverable=original, unit=Unit.DELIVERABLE)
    if len(candidates) > 1:
        raise TargetSyntaxError(original, _(
            "elle contient plusieurs valeurs (%(values)s) ; une cible n'en porte qu'une") % {
            "values": ", ".join(f"« {_raw(c)} »" for c in candidates)})
    if len(windows) > 1:
        raise TargetSyntaxError(original, _("elle indique plusieurs périodes"))
    if not candidates:
        raise TargetSyntaxError(original, _(
            "ni un nombre, ni un pourcentage, ni un livrable reconnu (ex. « 2 », « Min 2 », "
            "« 80 % et plus », « +10% », « Mise à jour », « À déterminer »)"))
    context_fields = {
        "per_member": "per_member" in names,
        "window_start": windows[0][1] if windows else None,
        "window_end": windows[0][2] if windows else None,
        "cohort": next((p[1] for p in context if p[0] == "cohort"), None),
        "frequency": next((p[1] for p in context if p[0] == "frequency"), None),
    }
    candidate = candidates[0]
    quantity = candidate.quantity
    for bound in (quantity, candidate.upper):
        if bound is not None and bound.number >= _TOO_LARGE:
            raise TargetSyntaxError(original, _("la valeur « %(raw)s » est trop grande") % {
                "raw": bound.raw})
    if candidate.kind is Kind.RELATIVE:
        if quantity is None:
            return TargetReading(kind=Kind.RELATIVE, comparator=Comparator.MAINTAIN,
                                 relative_change=Decimal(0), unit=Unit.PERCENT,
                                 **context_fields)
        if quantity.unit not in (Unit.PERCENT, Unit.POINTS) and candidate.sign < 0:
            raise TargetSyntaxError(original, _(
                "une cible ne peut pas être négative ; une baisse s'écrit en % ou en points "
                "de pourcentage (« -5 % », « baisse de 5 % »)"))
        if quantity.unit not in (Unit.PERCENT, Unit.POINTS):
            raise TargetSyntaxError(original, _(
                "une variation s'écrit en % ou en points de pourcentage (« +10 % », "
                "« +5 points de pourcentage »)"))
        return TargetReading(kind=Kind.RELATIVE, relative_change=quantity.number * candidate.sign,
                             unit=quantity.unit, **context_fields)
    unit = Unit.COUNT if quantity.unit is Unit.POINTS else quantity.unit
    label = quantity.label or ("points" if quantity.unit is Unit.POINTS else "")
    upper = candidate.upper
    if upper is not None:
        if upper.unit not in (unit, Unit.COUNT) or upper.number <= quantity.number:
            raise TargetSyntaxError(original, _(
                "la fourchette « %(low)s » à « %(high)s » n'est pas croissante ou mêle deux "
                "unités") % {"low": quantity.raw, "high": upper.raw})
        label = label or upper.label
    return TargetReading(kind=Kind.VALUE, comparator=candidate.comparator, value=quantity.number,
                         unit=unit, unit_label=label,
                         upper=upper.number if upper is not None else None, **context_fields)


def _is_bare_year(candidate: _Candidate) -> bool:
    return (candidate.kind is Kind.VALUE and candidate.comparator is Comparator.REACH
            and candidate.quantity.year_like)


def _raw(candidate: _Candidate) -> str:
    if candidate.quantity is None:
        return _("maintien")
    if candidate.upper is not None:
        return f"{candidate.quantity.raw} – {candidate.upper.raw}"
    return candidate.quantity.raw


def reading_unit_error(reading: TargetReading, indicator_unit: str) -> str | None:
    """Why a reading does not fit an indicator of ``indicator_unit``, or None when it does."""
    if reading.kind is Kind.RELATIVE:
        if reading.unit is Unit.POINTS and indicator_unit != Unit.PERCENT:
            return _("la cible est une variation en points de pourcentage mais l'indicateur "
                     "ne se mesure pas en %")
        return None
    if reading.kind is not Kind.VALUE or reading.unit is Unit.COUNT:
        return None
    names = {Unit.PERCENT: (_("un pourcentage"), _("en %")),
             Unit.DURATION: (_("une durée"), _("en durée")),
             Unit.MONEY: (_("un montant en dollars"), _("en dollars"))}
    if reading.unit in names and indicator_unit != reading.unit:
        what, how = names[reading.unit]
        return _("la cible est %(what)s mais l'indicateur ne se mesure pas %(how)s") % {
            "what": what, "how": how}
    return None


# --- writing -------------------------------------------------------------------------------



def _number(value: Decimal) -> str:
    return format_number(abs(Decimal(value)))


_SYMBOLS = {Unit.PERCENT: "%", Unit.DURATION: "min", Unit.MONEY: "$"}


def render_quantity(value: Decimal, unit: Unit | None, label: str = "") -> str:
    """``80 %``, ``5 min``, ``200 000 000 $``, ``80 000 vues``."""
    text = _number(value)
    # Translated only when used: an export renders tens of thousands of targets.
    suffix = _("points de pourcentage") if unit == Unit.POINTS else _SYMBOLS.get(unit, label)
    return f"{text}{NBSP}{suffix}" if suffix else text


_WORDS = {
    Comparator.REACH: "",
    Comparator.AT_LEAST: "au moins ",
    Comparator.MORE_THAN: "plus de ",
    Comparator.AT_MOST: "au plus ",
    Comparator.LESS_THAN: "moins de ",
    Comparator.EXACTLY: "exactement ",
    Comparator.MAINTAIN: "maintenir à ",
}


def render(reading: TargetReading) -> str:
    """The reading in canonical French: ``au moins 2``, ``entre 10 et 15``, ``200 000 000 $``,
    ``hausse de 10 % sur le résultat de l'année précédente``. Reads back to the same reading."""
    if reading.kind is Kind.TBD:
        return _("À déterminer")
    if reading.kind is Kind.NOT_APPLICABLE:
        return _("Sans objet")
    if reading.kind is Kind.DELIVERABLE:
        return _("Livrable : %(what)s") % {"what": reading.deliverable}
    if reading.kind is Kind.RELATIVE:
        if reading.comparator is Comparator.MAINTAIN:
            text = _("maintien du résultat de l'année précédente")
        else:
            change = reading.relative_change or Decimal(0)
            words = _("hausse de") if change >= 0 else _("baisse de")
            text = _("%(words)s %(change)s sur le résultat de l'année précédente") % {
                "words": words, "change": render_quantity(abs(change), reading.unit)}
    elif reading.comparator is Comparator.BETWEEN:
        low = render_quantity(reading.value, reading.unit)
        high = render_quantity(reading.upper, reading.unit, reading.unit_label)
        if reading.unit is Unit.COUNT:
            low = _number(reading.value)
        text = _("entre %(low)s et %(high)s") % {"low": low, "high": high}
    else:
        quantity = render_quantity(reading.value, reading.unit, reading.unit_label)
        text = f"{_WORDS[reading.comparator or Comparator.REACH]}{quantity}"
    parts = [text]
    if reading.per_member:
        parts[0] += " " + _("pour chaque membre")
    if reading.cohort is not None:
        parts.append(_("cohorte %(year)s") % {"year": reading.cohort})
    if reading.window_end is not None:
        if reading.window_start is None:
            parts.append(_("d'ici %(end)s") % {"end": reading.window_end})
        elif reading.window_start == reading.window_end:
            parts.append(_("en %(year)s") % {"year": reading.window_start})
        else:
            parts.append(_("de %(start)s à %(end)s") % {"start": reading.window_start,
                                                       "end": reading.window_end})
    if reading.frequency is Frequency.ANNUAL:
        parts.append(_("chaque année"))
    return ", ".join(parts)
