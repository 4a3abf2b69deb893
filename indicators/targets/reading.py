"""Reading a target as written in a plan (``grammar.lark``), and writing a reading back.

Pure functions, no database. :func:`parse_target` turns ``Min 2``, ``80 % et plus``,
``Pas plus de 5``, ``Hausse de 10 %``, ``200 M$``, ``Cohorte 2016 65,6 %``, ``Mise à jour``…
into a :class:`TargetReading`; :func:`render` writes a reading in canonical French, and
``parse_target(render(r)) == r`` for every reading.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum
from pathlib import Path

from django.utils.translation import gettext as _
from lark import Lark, Token, Transformer, Tree
from lark.exceptions import LarkError, UnexpectedInput
from rapidfuzz.distance import Levenshtein

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


class Reference(StrEnum):
    """What a change is measured from."""

    PREVIOUS = "previous"  # the previous year's result, written out
    START = "start"  # the plan's starting value (the indicator's baseline)
    YEAR = "year"  # a named year's result (par rapport à 2022-2023)


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
    baseline: Decimal | None = None  # de 40 à 60: the value the target starts from (40)
    reference: Reference | None = None  # what a change is measured from; None: unwritten
    reference_year: int | None = None  # par rapport à 2022-2023 → 2022
    fiscal: bool = False  # the window's years are fiscal years (2024-2025), not calendar
    member_label: str = ""  # par secteur → "secteur": what "each member" is


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


# --- mending: misspelt keywords, numbers in words ------------------------------------------

# Keywords a fuzzy match may restore. A word is mended only when it is long enough, starts
# with the same letter, and one keyword is clearly closest: unsure, it is left as written.
_KEYWORDS = ("diminution", "augmentation", "determiner", "minimum", "maximum", "reduction",
             "reduire", "diminuer", "augmenter", "maintenir", "exactement", "inferieur",
             "superieur", "pourcentage", "annuellement", "majorite", "totalite", "applicable",
             "doubler", "tripler", "accroissement", "progression", "cohorte", "hausse",
             "baisse", "jusqu")
_JOINED = {"aumoins": "au moins", "auplus": "au plus", "auminimum": "au minimum",
           "aumaximum": "au maximum", "pasplus": "pas plus", "pasmoins": "pas moins",
           "etplus": "et plus", "oumoins": "ou moins", "ouplus": "ou plus",
           "etmoins": "et moins", "moinsde": "moins de", "plusde": "plus de"}
# Common words a fuzzy match must leave alone (close to a keyword, but not one).
_KNOWN = {"maintenant", "minimal", "minimale", "maximal", "maximale", "diminue", "diminuee",
          "augmente", "augmentee", "reduit", "reduite", "defini",
          "definie", "hausser", "baisser", "cohortes", "majoritaire", "totale", "applique",
          "applicables", "superieure", "inferieure", "superieures", "inferieures",
          "diminutions", "augmentations", "reductions", "minimums", "maximums", "doublement",
          "triplement", "exacte", "exact", "progressions", "progresser", "reduction",
          "maintien"}


def _mend_word(word: str) -> str:
    if word in _JOINED:
        return _JOINED[word]
    if len(word) < 5 or word in _KNOWN or word in _KEYWORDS:
        return word
    allowed = 1 if len(word) < 9 else 2
    scored = sorted((Levenshtein.distance(word, k, score_cutoff=allowed + 1), k)
                    for k in _KEYWORDS if k[0] == word[0])
    if not scored or scored[0][0] > allowed:
        return word
    if len(scored) > 1 and scored[1][0] == scored[0][0]:
        return word  # unsure between two keywords: leave it
    return scored[0][1]


_UNITS = {"zero": 0, "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5,
          "six": 6, "sept": 7, "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12,
          "treize": 13, "quatorze": 14, "quinze": 15, "seize": 16, "vingt": 20, "vingts": 20,
          "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60}
_NUMBER_WORD = r"(?:quatre-vingts?|" + "|".join(sorted(_UNITS, key=len, reverse=True)) + \
    r"|cent|cents|mille)"
# (« pour cent » is a percent sign, never the number 100)
_NUMBER_WORDS = re.compile(
    rf"(?<![a-z])(?<!pour )(?<!pour){_NUMBER_WORD}"
    rf"(?:(?:-| |-et-| et )(?!pour )(?:{_NUMBER_WORD}))*(?![a-z])")


def _words_to_number(words: str) -> int | None:
    total, current = 0, 0
    for word in re.split(r"[- ]+", words.replace("quatre-vingt", "quatrevingt")):
        if word == "et":
            continue
        if word.startswith("quatrevingt"):
            current += 80
        elif word in ("cent", "cents"):
            current = (current or 1) * 100
        elif word == "mille":
            total += (current or 1) * 1000
            current = 0
        else:
            current += _UNITS[word]
    return total + current


def _rewrite(text: str, origin: list[int], pattern: re.Pattern,
             replace_with) -> tuple[str, list[int]]:
    """Apply ``replace_with(match) -> str | None`` over ``text``, keeping each new character's
    origin in the original text (the first character of what it replaces)."""
    chars: list[str] = []
    new_origin: list[int] = []
    last = 0
    for match in pattern.finditer(text):
        replacement = replace_with(match)
        if replacement is None or replacement == match.group(0):
            continue
        chars.append(text[last:match.start()])
        new_origin.extend(origin[last:match.start()])
        chars.append(replacement)
        span = origin[match.start():match.end()]
        # each new character points into the replaced span, the last one (when it is not also
        # the first) to its end
        new_origin.extend(span[-1] if 0 < i == len(replacement) - 1
                          else span[min(i, len(span) - 1)] for i in range(len(replacement)))
        last = match.end()
    chars.append(text[last:])
    new_origin.extend(origin[last:])
    return "".join(chars), new_origin


_WORD = re.compile(r"[a-z]+")
# a preposition before « un »/« une » makes it an article: « dans un délai », « pour une année »
_ARTICLE_BEFORE = [[w] for w in ("dans", "pour", "en", "par", "sur", "avec", "sous", "chez",
                                 "vers", "est", "sont", "selon", "comme")]
# « hausse de 5 % à 10 % »: a range of changes, or a change from 5 % to 10 %?
_CHANGE_RANGE = re.compile(
    r"(?<![a-z])(?P<words>hausse|baisse|augmentation|diminution|reduction|croissance|"
    r"progression|accroissement)(?: annuelle)? (?:de |d ?')(?P<low>\d[\d ,.]*(?: ?%)?) ?"
    r"(?:a|au) (?P<high>\d[\d ,.]*(?: ?%)?)")
# « À compter de 2025 »: from a year on, with no end
_SINCE_YEAR = re.compile(
    r"(?<![a-z])(?:a compter de|a partir de|des) (?P<year>(?:19|20)\d{2})(?![\d-])")
_GLUED = re.compile(r"(?<![a-z'])(?:a|au|de)(?=\d)")


def _mend(text: str, origin: list[int]) -> tuple[str, list[int]]:
    """Misspelt keywords restored; numbers in words turned to digits when there is no digit
    (« deux rencontres », « vingt-cinq ») — « un »/« une » only when no deliverable is named."""
    # « à70% », « de5 »: a missing space after a short word before a number
    text, origin = _rewrite(text, origin, _GLUED, lambda m: m.group(0) + " ")
    text, origin = _rewrite(text, origin, _WORD, lambda m: _mend_word(m.group(0)))
    if not any(c.isdigit() for c in text):
        deliverable = _DELIVERABLE_WORD.search(text) is not None

        def number(match: re.Match) -> str | None:
            if match.group(0) in ("un", "une") and (deliverable or _WORD.findall(
                    text[:match.start()])[-1:] in _ARTICLE_BEFORE):
                return None  # « dans un délai »: an article, not the number one
            return str(_words_to_number(match.group(0)))

        text, origin = _rewrite(text, origin, _NUMBER_WORDS, number)
    return text, origin


# --- reading -------------------------------------------------------------------------------

GRAMMAR_PATH = Path(__file__).with_name("grammar.lark")
_PARSER = Lark(GRAMMAR_PATH.read_text(encoding="utf-8"), parser="lalr", lexer="contextual")
_DELIVERABLE_WORD = re.compile(next(
    t.pattern.value for t in _PARSER.terminals if t.name == "DELIVERABLE"))

_STOPWORDS = {"de", "des", "du", "d", "la", "le", "les", "l", "a", "au", "aux", "en", "et",
              "ou", "par", "pour", "sur", "dans", "un", "une", "chez", "entre", "ici"}
_MONEY_FACTORS = {"k": Decimal(1000), "m": Decimal(10) ** 6, "g": Decimal(10) ** 9,
                  "md": Decimal(10) ** 9, "mille": Decimal(1000), "million": Decimal(10) ** 6,
                  "millions": Decimal(10) ** 6, "milliard": Decimal(10) ** 9,
                  "milliards": Decimal(10) ** 9}
_TWO_PLACES = Decimal("0.01")
_TOO_LARGE = Decimal(10) ** 12  # what a target value column holds

# Words that carry a comparison, a negation or a change. One the grammar did not consume
# (left as filler or in a label) is a refusal: the reading would have lost its meaning.
# (« supérieur », « inférieur » alone are adjectives here: « enseignement supérieur »; before a
# number they are consumed as comparators.)
_FLOOR_WORDS = {"moins", "minimum", "min", "mini", "minimal", "minimale", "dessous", "deca",
                "sous", "plancher"}
_CEILING_WORDS = {"plus", "max", "maximum", "maximal", "maximale", "jusqu", "jusque",
                  "limiter", "limite", "limitee", "limitation", "plafond", "plafonner",
                  "dessus", "dela", "depasser", "exceder", "barre", "seuil"}
_CHANGE_WORDS = {"hausse", "baisse", "augmenter", "augmentation", "augmente", "diminuer",
                 "diminution", "diminue", "reduire", "reduction", "reduit", "accroitre",
                 "accroissement", "hausser", "baisser", "abaisser", "passer", "ramener",
                 "doubler", "tripler", "moitie", "croissance", "progression", "recul",
                 "reculer", "decroitre", "augmentee", "diminuee", "reduite", "variation",
                 "augmentant", "diminuant", "reduisant", "haussant", "baissant", "ameliorer",
                 "amelioration", "rehausser", "rehaussement", "abaissement", "bondir",
                 "grimper", "chuter", "croitre",
                 "maintenir", "maintien", "stable", "stabiliser"}
_VAGUE_WORDS = {"pas", "ne", "non", "sauf", "environ", "pres", "approximativement", "autour",
                "ordre", "moyenne", "idealement", "si", "possible", "tiers", "quart", "quarts",
                "top", "rang", "tous", "toutes"}
# A currency other than the dollar is not read: « 730 000 € » is no amount in dollars.
_CURRENCIES = {"€", "£"}
_LOST_WORDS = _FLOOR_WORDS | _CEILING_WORDS | _CHANGE_WORDS | _VAGUE_WORDS | {"devise", "euros",
                                                                             "euro"}
_COMPARATOR_TOKENS = {"FLOOR", "MIN", "STRICT_FLOOR", "CEILING", "NOT_MORE", "STRICT_CEILING",
                      "EXACTLY", "FLOOR_AFTER", "CEILING_AFTER", "NOT_LESS"}
# Frequencies other than the year (par jour, par mois…) are not read: the value would lose them.
_OTHER_PERIODS = {"jour", "semaine", "mois", "trimestre", "session"}
_UP_VERBS = {"augmenter", "accroitre", "hausser", "elever", "porter", "augmentation",
             "augmentant", "haussant", "rehausser", "rehaussement", "bondir", "grimper",
             "croitre",
             "hausse", "accroissement", "croissance", "progression"}
_DOWN_VERBS = {"diminuer", "reduire", "baisser", "abaisser", "ramener", "limiter",
               "diminuant", "reduisant", "baissant", "abaissement", "chuter",
               "diminution", "reduction", "baisse", "limitation", "plafonner", "contenir"}
# Texts that read as a result someone entered in the target column.
_RESULT_LIKE = {"atteint", "atteinte", "atteints", "atteintes", "non atteint", "non atteinte",
                "partiellement atteint", "partiellement atteinte", "oui", "non", "ok",
                "fait", "en cours", "complete", "termine", "terminee", "depasse",
                "depassee", "x", "v"}


@dataclass(frozen=True)
class _Quantity:
    number: Decimal
    unit: Unit
    label: str
    raw: str
    year_like: bool  # a bare four-digit number that may be a year
    unit_word: str = ""  # the unit as written, folded: "pts", "p", "%"
    words: tuple[str, ...] = ()  # the label's words, folded
    before: str = ""  # the folded word just before the number: "a", "de"…
    problem: str = ""  # a refusal this quantity carries (« 5 m »: minutes or metres?)

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
    baseline: _Quantity | None = None
    frequency: Frequency | None = None
    reference: Reference | None = None  # doubler, de moitié: the plan's starting value
    words: str = ""  # the phrase's own words, folded (« doubler »)


class _Phrases(Transformer):
    """Turns the parse tree into a flat list of meaningful phrases."""

    def __init__(self, original: str, folded: str, origin: list[int]):
        super().__init__()
        self.original = original
        self.folded = folded
        self.origin = origin
        self.lost: list[tuple[str, str]] = []  # (folded word, as written) left unconsumed

    def _source(self, token: Token) -> str:
        return self._text(token.start_pos, token.end_pos)

    def _text(self, start_pos: int, end_pos: int) -> str:
        """The original text behind folded positions; a number read from words (« un
        tiers ») shows its whole words."""
        start = self.origin[start_pos]
        end = self.origin[end_pos - 1] + 1
        if self.original[start:start + 1].isalpha():
            while end < len(self.original) and self.original[end].isalpha():
                end += 1
        return self.original[start:end]

    def _before(self, token: Token) -> str:
        words = _WORD.findall(self.folded[:token.start_pos])
        return words[-1] if words else ""

    def quantity(self, children) -> _Quantity:
        number_token = children[0]
        before = self._before(number_token)
        if number_token.type == "CLOCK":
            hours, minutes = re.match(r"(\d+) ?h ?(\d+)", str(number_token)).groups()
            number = (Decimal(int(hours) * 60 + int(minutes))).quantize(_TWO_PLACES)
            return _Quantity(number, Unit.DURATION, "", self._source(number_token), False,
                             "h", before=before)
        number = parse_decimal(str(number_token))
        raw = self._source(number_token)
        unit, label, unit_word, words, problem = Unit.COUNT, "", "", (), ""
        tokens = children[1:]
        if tokens:
            first = tokens[0]
            kind, text = first.type, str(first).strip().rstrip(".")
            unit_word = text
            raw = self._text(number_token.start_pos, tokens[-1].end_pos)
            if kind == "PERCENT":
                unit = Unit.PERCENT
            elif kind == "POINTS":
                unit = Unit.POINTS
            elif kind in ("DURATION", "MIN"):
                if text == "m" and self._source(first) == "M":
                    # A lone capital M is millions, never minutes.
                    number *= _MONEY_FACTORS["m"]
                elif text == "m":
                    unit = Unit.DURATION
                    problem = _("« %(raw)s » : « m » seul peut dire minutes ou mètres ; "
                                "écrivez « %(number)s min » pour des minutes") % {
                        "raw": raw, "number": str(number_token)}
                elif text.startswith("h"):
                    # stored in minutes, shown in the hours it was written in (« 48 h »)
                    unit, number, label = Unit.DURATION, number * 60, "h"
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
            elif kind == "WORD":
                words = tuple(str(t) for t in tokens)
                kept = []
                for token in tokens:
                    if str(token) in _STOPWORDS or len(str(token)) < 2:
                        break
                    kept.append(token)
                if kept:
                    label = self._text(kept[0].start_pos, kept[-1].end_pos)
                    # what follows the label is not part of the raw value
                    raw = self._text(number_token.start_pos, kept[-1].end_pos)
                else:
                    raw = self._source(number_token)
        year_like = (unit is Unit.COUNT and not label and str(number_token).isdigit()
                     and len(str(number_token)) == 4 and 1990 <= int(number_token) <= 2100)
        if number != number.to_integral_value() or unit is Unit.DURATION:
            number = number.quantize(_TWO_PLACES, rounding=ROUND_HALF_UP)
        return _Quantity(number, unit, label, raw, year_like, unit_word, words, before,
                         problem)

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

    def _fixed(self, children, comparator, number, unit):
        token = children[0]
        quantity = _Quantity(Decimal(number), unit, "", self._source(token), False)
        return _Candidate(Kind.VALUE, comparator, quantity)

    def none(self, children):
        return self._fixed(children, Comparator.AT_MOST, 0, Unit.COUNT)

    def all(self, children):
        return self._fixed(children, Comparator.REACH, 100, Unit.PERCENT)

    def majority(self, children):
        return self._fixed(children, Comparator.MORE_THAN, 50, Unit.PERCENT)

    def maintain_previous(self, _children):
        return _Candidate(Kind.RELATIVE, Comparator.MAINTAIN)

    def span(self, children):
        low, high = [c for c in children if isinstance(c, _Quantity)]
        if low.year_like and high.year_like:
            # two bare years, « 2018-2022 » or « entre 2024 et 2027 »: a period, not a band
            return ("window", int(low.number), int(high.number), False)
        low = _like(low, high)
        return _Candidate(Kind.VALUE, Comparator.BETWEEN, low, upper=high)

    def from_to(self, children):
        low, high = [c for c in children if isinstance(c, _Quantity)]
        if low.year_like and high.year_like:
            return ("window", int(low.number), int(high.number), False)
        low = _like(low, high)
        return _Candidate(Kind.VALUE, Comparator.REACH, high, baseline=low)

    def _change(sign, comparator=None):  # noqa: N805 - a small factory for the change rules
        def rule(self, children):
            words = " ".join(str(c) for c in children if isinstance(c, Token))
            frequency = Frequency.ANNUAL if "annuel" in words else None
            quantity = children[-1]
            sign_token = children[0]
            if sign_token.type in ("PLUS", "MINUS") and re.search(
                    r"[a-z] ?$", self.folded[:sign_token.start_pos]):
                # « Taux de réussite - 80 % »: after a word, a dash or a sign?
                quantity = replace(quantity, problem=_(
                    "« %(sign)s %(raw)s » après un mot peut être un tiret ou une variation ; "
                    "écrivez « %(raw)s » pour une valeur, « %(words)s %(raw)s » pour une "
                    "variation") % {"sign": str(sign_token), "raw": quantity.raw,
                                    "words": _("hausse de") if sign > 0 else _("baisse de")})
            return _Candidate(Kind.RELATIVE, comparator, quantity, sign=sign,
                              frequency=frequency, words=words)
        return rule

    increase = _change(1)
    decrease = _change(-1)
    increase_at_least = _change(1, Comparator.AT_LEAST)
    decrease_at_least = _change(-1, Comparator.AT_LEAST)

    def multiply(self, children):
        word = str(children[0])
        factor = 1 if word.startswith("doubl") else 2
        quantity = _Quantity(Decimal(100 * factor), Unit.PERCENT, "", self._source(children[0]),
                             False, "%")
        return _Candidate(Kind.RELATIVE, None, quantity, reference=Reference.START,
                          words=word)

    def halve(self, children):
        quantity = _Quantity(Decimal(50), Unit.PERCENT, "", self._source(children[0]), False,
                             "%")
        return _Candidate(Kind.RELATIVE, None, quantity, sign=-1, reference=Reference.START,
                          words=str(children[0]))

    def _year(self, token: Token) -> tuple[int, int, bool]:
        """A year token: (start, end, fiscal). 2026-2027 and 2026-27 are one fiscal year."""
        text = str(token)
        if token.type != "FISCAL":
            return int(text), int(text), False
        first, second = re.match(r"(\d{4}) ?[-/] ?(\d+)", text).groups()
        start = int(first)
        end = int(second) if len(second) == 4 else start // 100 * 100 + int(second)
        if end == start + 1:
            return start, start, True
        return start, end, False

    def until(self, children):
        start, end, fiscal = self._year(children[-1])
        if start != end:
            return ("window", start, end, False)
        return ("window", None, end, fiscal)

    _MONTHS = ("janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout",
               "septembre", "octobre", "novembre", "decembre")

    def until_date(self, children):
        """« d'ici le 31 mars 2027 »: the fiscal year that ends on 31 March (or the school year
        that ends on 30 June) is 2026-2027; any other day closes its calendar year."""
        day, month, year = re.search(r"(1er|\d{1,2}) ([a-z]+) (\d{4})", str(children[0])).groups()
        year = int(year)
        if (day, month) in (("31", "mars"), ("30", "juin")):
            return ("window", None, year - 1, True)
        return ("window", None, year, False)

    def in_year(self, children):
        return ("window", *self._year(children[-1]))

    def fiscal(self, children):
        return ("window", *self._year(children[-1]))

    def ref_previous(self, _children):
        return ("reference", Reference.PREVIOUS, None)

    def ref_start(self, _children):
        return ("reference", Reference.START, None)

    def ref_year(self, children):
        start, end, _fiscal = self._year(children[-1])
        return ("reference", Reference.YEAR, start)

    def cohort(self, children):
        return ("cohort", int(children[-1]))

    def frequency(self, _children):
        return ("frequency", Frequency.ANNUAL)

    def scope(self, children):
        words = _WORD.findall(str(children[0]))
        if not words or words[-1] in ("chaque", "chacun", "chacune", "chacuns", "chacunes",
                                      "membre", "membres"):
            return ("per_member", "")
        # the breakdown as written (accents kept), singular: « par secteurs » → « secteur »
        member = self._source(children[0]).split()[-1].lower()
        return ("per_member", member[:-1] if words[-1].endswith("s") else member)

    def tbd(self, _children):
        return ("tbd",)

    def not_applicable(self, _children):
        return ("na",)

    def deliverable_word(self, _children):
        return ("deliverable",)

    def context(self, _children):
        return None

    def filler(self, children):
        token = children[0]
        if token.type in _COMPARATOR_TOKENS:
            # a comparator that found no number beside it: lost, whatever its words
            self.lost.append(("moins" if "moins" in str(token) else "plus", self._source(token)))
        elif str(token) in _CURRENCIES:
            self.lost.append(("devise", self._source(token)))
        elif token.type != "PUNCT" or str(token) in ("+", "±"):
            # a sign that found no number (« +/- 5 % ») is lost, never ignored
            self.lost.append(("plus" if token.type == "PUNCT" else str(token),
                              self._source(token)))
        return None


def _like(low: _Quantity, high: _Quantity) -> _Quantity:
    """A bare lower bound takes the upper bound's unit and multiplier: « entre 45 et 50 G$ » is
    45 G$ to 50 G$, « de 2 à 3 millions » 2 millions to 3 millions."""
    if low.unit is not Unit.COUNT or low.label or low.unit_word:
        return low
    factor = _money_factor(high.unit_word) if high.unit in (Unit.MONEY, Unit.COUNT) else 1
    if factor != 1 and not high.label:
        low = replace(low, number=low.number * factor)
    if high.unit is not Unit.COUNT:
        low = replace(low, unit=high.unit)
    return low


def _money_factor(text: str) -> Decimal:
    text = text.replace("$", "").replace("dollars", "").replace(" de", "").strip()
    return _MONEY_FACTORS.get(text, Decimal(1)) if text else Decimal(1)


def parse_target(text: str) -> TargetReading:
    """Read a target text into its structured form, or raise :class:`TargetSyntaxError`.

    The forms are declared in ``grammar.lark``. A bare value (``2``) is to be *reached* in the
    indicator's good direction; years, periods, cohorts and frequencies are context, never the
    value; a text with two candidate values is refused, naming both; a comparative, negation or
    change word that no phrase consumed is refused, never ignored. Every refusal says what to
    write instead.
    """
    original = (text or "").strip()
    folded, origin = _fold(original)
    if not folded or folded in {"-", "--"}:
        raise TargetSyntaxError(original, _("aucune valeur n'est indiquée ; écrivez la valeur "
                                            "visée (« 80 % »), « À déterminer » ou « Sans "
                                            "objet »"))
    if folded.strip(" .!") in _RESULT_LIKE:
        raise TargetSyntaxError(original, _(
            "« %(text)s » ressemble à un résultat, pas à une cible ; saisissez le résultat "
            "dans la page de saisie et écrivez ici ce qui est visé (« 80 %% », « au moins 3 », "
            "« Livrable : guide publié »)") % {"text": original})
    folded, origin = _mend(folded, origin)
    since = _SINCE_YEAR.search(folded)
    if since:
        raise TargetSyntaxError(original, _(
            "« %(since)s » : une cible porte sur une année ; écrivez la cible de l'année "
            "(« 100 %% en %(year)s ») et répétez-la pour les années suivantes") % {
            "since": since.group(0), "year": since.group("year")})
    changes = _CHANGE_RANGE.search(folded)
    if changes:
        low, high = changes.group("low", "high")
        raise TargetSyntaxError(original, _(
            "« %(words)s de %(low)s à %(high)s » peut dire une variation comprise entre "
            "%(low)s et %(high)s ou un passage de %(low)s à %(high)s ; écrivez « de %(low)s à "
            "%(high)s » pour un point de départ et une cible, ou "
            "« %(words)s d'au moins %(low)s » pour une variation") % {
                "words": changes.group("words"), "low": low.strip(), "high": high.strip()})
    try:
        tree = _PARSER.parse(folded)
    except UnexpectedInput as exc:
        where = original[origin[min(exc.pos_in_stream or 0, len(origin) - 1)]:][:30]
        raise TargetSyntaxError(original, _(
            "la forme n'est pas reconnue à partir de « %(where)s » ; écrivez une seule valeur "
            "avec son comparateur (« au moins 6 », « 80 %% d'ici 2026-2027 », « de 40 à "
            "60 », « hausse de 5 %% »)") % {"where": where}) from exc
    except LarkError as exc:  # pragma: no cover - a grammar bug, not a user's text
        raise TargetSyntaxError(original, str(exc)) from exc
    if tree.data == "labelled_deliverable":
        what = original.split(":", 1)[1].strip()
        if not what:
            raise TargetSyntaxError(original, _("le livrable n'est pas nommé ; écrivez "
                                                "« Livrable : guide des stages publié »"))
        return TargetReading(kind=Kind.DELIVERABLE, deliverable=what, unit=Unit.DELIVERABLE)
    phrases_transformer = _Phrases(original, folded, origin)
    phrases = [p for p in phrases_transformer.transform(tree).children
               if p is not None and not isinstance(p, Tree)]
    return _assemble(original, phrases, phrases_transformer.lost)


def _suggest(quantity: _Quantity | None) -> str:
    """What to write instead of a text whose comparison was not understood."""
    raw = quantity.raw if quantity is not None and quantity.raw[:1].isdigit() else "6"
    return _("écrivez « au moins %(v)s » ou « %(v)s ou plus » pour un plancher, « au plus "
             "%(v)s » ou « %(v)s ou moins » pour un plafond, « hausse de 5 %% » pour une "
             "variation, « de 40 à 60 » pour un point de départ") % {"v": raw}


def _verb_direction(lost: list[tuple[str, str]]) -> int:
    words = {w for w, _source in lost}
    up, down = bool(words & _UP_VERBS), bool(words & _DOWN_VERBS)
    if up and not down:
        return 1
    if down and not up:
        return -1
    return 0


def _assemble(original: str, phrases: list, lost: list[tuple[str, str]]) -> TargetReading:
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
            windows.append(("window", year, year, False))
    elif len(candidates) == 1 and _is_bare_year(candidates[0]):
        raise TargetSyntaxError(original, _(
            "« %(raw)s » est une année, pas une cible ; écrivez la valeur visée et l'année "
            "(« 80 %% en %(year)s », « 3 d'ici %(year)s »)") % {
            "raw": candidates[0].quantity.raw, "year": int(candidates[0].quantity.number)})
    for quantity in [q for c in candidates for q in (c.quantity, c.upper, c.baseline)
                     if q is not None and q.problem]:
        raise TargetSyntaxError(original, quantity.problem)
    if "deliverable" in names and not candidates:
        return TargetReading(kind=Kind.DELIVERABLE, deliverable=original, unit=Unit.DELIVERABLE)
    if len(candidates) > 1:
        raise TargetSyntaxError(original, _(
            "elle contient plusieurs valeurs (%(values)s) ; une cible n'en porte qu'une : "
            "gardez la valeur visée (« %(first)s »), écrivez un point de départ « de 40 à 60 » "
            "et une année « d'ici 2026-2027 »") % {
            "values": ", ".join(f"« {_raw(c)} »" for c in candidates),
            "first": _raw(candidates[-1])})
    if len(windows) > 1:
        raise TargetSyntaxError(original, _(
            "elle indique plusieurs périodes ; gardez-en une (« d'ici 2026-2027 », « en "
            "2025-2026 »)"))
    if not candidates:
        raise TargetSyntaxError(original, _(
            "ni un nombre, ni un pourcentage, ni un livrable reconnu ; écrivez par exemple "
            "« 2 », « au moins 6 », « 80 % et plus », « +10 % », « de 40 à 60 », « Livrable : "
            "guide publié », « À déterminer » ou « Sans objet »"))
    candidate = candidates[0]
    references = [p for p in context if p[0] == "reference"]
    if len(references) > 1:
        raise TargetSyntaxError(original, _("elle indique plusieurs références ; gardez-en une "
                                            "(« par rapport à 2022-2023 »)"))
    candidate = _apply_verbs(original, candidate, lost)
    _refuse_lost_words(original, candidate, lost)
    members = [p for p in context if p[0] == "per_member"]
    window = windows[0] if windows else None
    context_fields = {
        "per_member": bool(members),
        "member_label": members[0][1] if members else "",
        "window_start": window[1] if window else None,
        "window_end": window[2] if window else None,
        "fiscal": window[3] if window else False,
        "cohort": next((p[1] for p in context if p[0] == "cohort"), None),
        "frequency": next((p[1] for p in context if p[0] == "frequency"), None)
        or candidate.frequency,
    }
    quantity = candidate.quantity
    for bound in (quantity, candidate.upper, candidate.baseline):
        if bound is not None and bound.number >= _TOO_LARGE:
            raise TargetSyntaxError(original, _(
                "la valeur « %(raw)s » est trop grande ; écrivez une valeur sous 1 000 "
                "milliards") % {"raw": bound.raw})
    if candidate.kind is Kind.RELATIVE:
        return _relative(original, candidate, references, context_fields)
    if references:
        raise TargetSyntaxError(original, _(
            "une référence (« par rapport à… ») ne s'applique qu'à une variation ; écrivez "
            "« hausse de 5 % par rapport à 2022-2023 » ou seulement la valeur visée"))
    unit = Unit.COUNT if quantity.unit is Unit.POINTS else quantity.unit
    label = quantity.label
    if quantity.unit is Unit.POINTS and not label and quantity.unit_word != "p":
        label = "points"
    upper = candidate.upper
    if upper is not None:
        if upper.unit not in (unit, Unit.COUNT) or upper.number <= quantity.number:
            raise TargetSyntaxError(original, _(
                "la fourchette « %(low)s » à « %(high)s » n'est pas croissante ou mêle deux "
                "unités ; écrivez « entre 10 et 15 »") % {"low": quantity.raw, "high": upper.raw})
        label = label or upper.label
    baseline = candidate.baseline
    if baseline is not None:
        if baseline.unit not in (unit, Unit.COUNT) or baseline.number == quantity.number:
            raise TargetSyntaxError(original, _(
                "le point de départ « %(low)s » et la cible « %(high)s » sont égaux ou d'unités "
                "différentes ; écrivez « de 40 à 60 » ou « de 64 %% à 68 %% »") % {
                "low": baseline.raw, "high": quantity.raw})
    return TargetReading(kind=Kind.VALUE, comparator=candidate.comparator, value=quantity.number,
                         unit=unit, unit_label=label,
                         upper=upper.number if upper is not None else None,
                         baseline=baseline.number if baseline is not None else None,
                         **context_fields)


def _refuse_lost_words(original: str, candidate: _Candidate,
                       lost: list[tuple[str, str]]) -> None:
    """Refuse a text that has words no phrase consumed and that change its meaning: a
    comparative, negation or change word, a duration, a scope or a period other than the year.
    ``lost`` holds the filler words as (folded, as written)."""
    lost_words = [(w, s) for w, s in lost if w in _LOST_WORDS]
    words = [(w, w) for w in (candidate.quantity.words if candidate.quantity else ())] + lost
    # « par X » that no phrase read (« par secteur » is a breakdown, « par année » a frequency):
    # looked for in the text itself, in its order
    unread = dict(words)
    for match in re.finditer(r"(?<![a-z])par ([a-z]+)", normalize(original)):
        second = match.group(1)
        if second in unread and second not in _STOPWORDS and second not in _OTHER_PERIODS:
            raise TargetSyntaxError(original, _(
                "« par %(second)s » n'est pas lu ; pour une cible que chaque membre de la "
                "ventilation doit atteindre, écrivez « %(raw)s pour chaque %(second)s », sinon "
                "retirez « par %(second)s »") % {"second": unread[second],
                                                 "raw": _raw(candidate)})
    for (first, _s), (second, source) in zip(words, words[1:], strict=False):
        if second in _HORIZON_WORDS:
            raise TargetSyntaxError(original, _(
                "« %(first)s %(second)s… » : une durée n'est pas lue ; écrivez l'échéance "
                "(« d'ici 2027 », « d'ici 2026-2027 »)") % {"first": _s, "second": source})
        if first in ("sur", "en", "dans", "pendant", "apres", "ici") and (
                (second in _UNITS and second not in ("un", "une"))
                or second in ("ans", "annees")):
            raise TargetSyntaxError(original, _(
                "« %(first)s %(second)s… » : une durée n'est pas lue ; écrivez l'échéance "
                "(« d'ici 2027 », « d'ici 2026-2027 »)") % {"first": _s, "second": source})
        if first in ("par", "chaque") and second in _OTHER_PERIODS:
            raise TargetSyntaxError(original, _(
                "« %(first)s %(second)s » n'est pas lu : une cible porte sur l'année ; écrivez "
                "la valeur de l'année (« 200 par année ») ou « %(raw)s » seul") % {
                "first": _s, "second": source, "raw": _raw(candidate)})
    if candidate.quantity is not None:
        lost_words += [(w, w) for w in candidate.quantity.words if w in _LOST_WORDS]
    if lost_words:
        raise TargetSyntaxError(original, _(
            "le mot « %(word)s » n'est pas compris avec la valeur « %(raw)s » ; "
            "%(suggest)s") % {"word": lost_words[0][1], "raw": _raw(candidate),
                               "suggest": _suggest(candidate.quantity)})


def _passes_to(folded: str, candidate: _Candidate) -> bool:
    """« passer » written before the value and joined to it: « faire passer le taux à 68 % »,
    « passer sous la barre des 1000 » — not a stray « passer » after « 6 au moins »."""
    start, end = folded.find("passer"), folded.find(normalize(candidate.quantity.raw))
    if not -1 < start < end:
        return False
    if candidate.comparator is Comparator.REACH:
        return candidate.quantity.before in ("a", "au")
    return re.search(r"(?<![a-z])(?:a (?:moins|plus) (?:de|d ?')|sous|au ?-? ?dessus|"
                     r"au ?-? ?dessous|en dessous|en deca|au ?-? ?dela)(?![a-z])",
                     folded[start + len("passer"):end]) is not None


# « au cours des quatre prochaines années »: a horizon counted in years, not a year
_HORIZON_WORDS = {"prochaine", "prochain", "prochaines", "prochains", "dernieres", "derniers",
                  "suivantes", "suivants", "horizon"}

# Verbs proper: « Réduire le délai à 30 jours ou moins ». A noun is not enough (« Aucune baisse »
# is no ceiling of 0).
_VERBS = {"augmenter", "accroitre", "hausser", "elever", "porter", "diminuer", "reduire",
          "baisser", "abaisser", "ramener", "limiter", "plafonner", "contenir"}
_FLOORS = (Comparator.AT_LEAST, Comparator.MORE_THAN)
_CEILINGS = (Comparator.AT_MOST, Comparator.LESS_THAN)


def _apply_verbs(original: str, candidate: _Candidate,
                 lost: list[tuple[str, str]]) -> _Candidate:
    """A change verb left as filler gives its meaning to the value, or the text is refused.

    « Réduire le taux à 9 % » is a ceiling, « Augmenter … à 70 % » a floor; « Augmenter le
    nombre de visites de 10 % » a change; « Faire passer le taux de 64 % à 68 % » a target with
    its starting point, the verb agreeing with the direction."""
    direction = _verb_direction(lost)
    verbs = _UP_VERBS | _DOWN_VERBS | {"passer"}
    if not any(w in verbs for w, _s in lost):
        return candidate
    if candidate.baseline is not None:
        rising = candidate.quantity.number > candidate.baseline.number
        if direction and (direction > 0) != rising:
            raise TargetSyntaxError(original, _(
                "le verbe contredit les valeurs : de « %(low)s » à « %(high)s » est une %(way)s ;"
                " écrivez « de %(low)s à %(high)s »") % {
                "low": candidate.baseline.raw, "high": candidate.quantity.raw,
                "way": _("hausse") if rising else _("baisse")})
    elif (candidate.kind is Kind.VALUE and candidate.baseline is None and not direction
          and candidate.quantity.raw[:1].isdigit() and any(w == "passer" for w, _s in lost)
          and _passes_to(normalize(original), candidate)):
        # « Faire passer le taux à 68 % »: a value to reach, in the indicator's direction;
        # « passer sous la barre des 1000 »: the comparator says it
        lost[:] = [(w, s) for w, s in lost if w not in ("passer", "faire")]
        return candidate
    elif candidate.kind is Kind.VALUE and candidate.comparator is Comparator.REACH and direction:
        before = candidate.quantity.before
        if before in ("a", "au", "jusqu"):
            comparator = Comparator.AT_LEAST if direction > 0 else Comparator.AT_MOST
            candidate = replace(candidate, comparator=comparator)
        elif before in ("de", "d") and candidate.quantity.unit in (Unit.PERCENT, Unit.POINTS):
            candidate = _Candidate(Kind.RELATIVE, None, candidate.quantity, sign=direction)
        else:
            return candidate  # the verb stays lost: refused below
    elif candidate.kind is Kind.VALUE and direction and candidate.comparator in (
            _FLOORS if direction > 0 else _CEILINGS) and candidate.quantity.raw[:1].isdigit() \
            and any(w in _VERBS for w, _s in lost):
        pass  # « Réduire le délai à 30 jours ou moins »: the verb says what the comparator says
    elif not (candidate.kind is Kind.RELATIVE and candidate.quantity is not None
              and direction == candidate.sign):
        return candidate
    # « passer » only makes sense with a starting point; other verbs agree with the reading.
    consumed = verbs | {"faire"} if candidate.baseline is not None else (
        _UP_VERBS if direction > 0 else _DOWN_VERBS)
    lost[:] = [(w, s) for w, s in lost if w not in consumed]
    return candidate


def _relative(original: str, candidate: _Candidate, references: list,
              context_fields: dict) -> TargetReading:
    quantity = candidate.quantity
    if quantity is None:
        return TargetReading(kind=Kind.RELATIVE, comparator=Comparator.MAINTAIN,
                             relative_change=Decimal(0), unit=Unit.PERCENT,
                             **context_fields)
    if quantity.unit not in (Unit.PERCENT, Unit.POINTS) and candidate.sign < 0:
        raise TargetSyntaxError(original, _(
            "une cible ne peut pas être négative ; pour une baisse, écrivez-la en % ou en "
            "points de pourcentage (« -5 % », « baisse de 5 % », « -2 pts »)"))
    if quantity.unit not in (Unit.PERCENT, Unit.POINTS):
        raise TargetSyntaxError(original, _(
            "une variation se mesure en %% ou en points de pourcentage : écrivez « +10 %% » "
            "ou « +5 points de pourcentage » ; pour une valeur à atteindre, écrivez-la sans "
            "signe (« %(number)s »)") % {"number": quantity.raw.lstrip("+- ")})
    reference, reference_year = candidate.reference, None
    if references:
        reference, reference_year = references[0][1], references[0][2]
    return TargetReading(kind=Kind.RELATIVE, comparator=candidate.comparator,
                         relative_change=quantity.number * candidate.sign, unit=quantity.unit,
                         reference=reference, reference_year=reference_year, **context_fields)


def _is_bare_year(candidate: _Candidate) -> bool:
    return (candidate.kind is Kind.VALUE and candidate.comparator is Comparator.REACH
            and candidate.baseline is None and candidate.quantity.year_like)


def _raw(candidate: _Candidate) -> str:
    if candidate.quantity is None:
        return _("maintien")
    if candidate.upper is not None:
        return f"{candidate.quantity.raw} – {candidate.upper.raw}"
    if candidate.baseline is not None:
        return f"{candidate.baseline.raw} → {candidate.quantity.raw}"
    return candidate.quantity.raw


def reading_unit_error(reading: TargetReading, indicator_unit: str) -> str | None:
    """Why a reading does not fit an indicator of ``indicator_unit``, or None when it does."""
    if reading.kind is Kind.RELATIVE:
        if reading.unit is Unit.POINTS and indicator_unit != Unit.PERCENT:
            return _("la cible est une variation en points de pourcentage mais l'indicateur "
                     "ne se mesure pas en %")
        if (reading.unit is Unit.PERCENT and indicator_unit == Unit.PERCENT
                and reading.reference is None and reading.comparator is not Comparator.MAINTAIN):
            change = _number(reading.relative_change or Decimal(0))
            sign = "+" if (reading.relative_change or 0) >= 0 else "-"
            return _(
                "sur un taux, « %(sign)s%(change)s %% » peut vouloir dire %(change)s points de "
                "pourcentage ou %(change)s %% du taux ; écrivez « %(sign)s%(change)s pts » "
                "(points) ou « %(sign)s%(change)s %% sur le résultat de l'année précédente »") % {
                "sign": sign, "change": change}
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
# Canonical French, never translated: the text reads back to the same reading whatever the
# language of the page. An English reader sees :func:`indicators.targets.english.
# render_english` instead (:func:`~indicators.targets.english.render_shown` chooses).


def _number(value: Decimal) -> str:
    return format_number(abs(Decimal(value)))


_SYMBOLS = {Unit.PERCENT: "%", Unit.DURATION: "min", Unit.MONEY: "$"}
_HOUR = Decimal(60)


def render_quantity(value: Decimal, unit: Unit | None, label: str = "") -> str:
    """``80 %``, ``5 min``, ``200 000 000 $``, ``80 000 vues``, ``1,5 point de pourcentage``."""
    text = _number(value)
    if unit == Unit.DURATION and label == "h":
        return f"{_number(Decimal(value) / _HOUR)}{NBSP}h"
    if unit == Unit.POINTS:
        # French agreement: singular below 2 (1,5 point; 0,1 point).
        suffix = ("point de pourcentage" if abs(Decimal(value)) < 2
                  else "points de pourcentage")
    else:
        suffix = _SYMBOLS.get(unit, label)
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


def _duration_label(reading: TargetReading) -> str:
    """The lower bound of a duration band is shown in the band's unit (« entre 1 h et 2 h »)."""
    return reading.unit_label if reading.unit is Unit.DURATION else ""


def _year_text(year: int, fiscal: bool) -> str:
    return f"{year}-{year + 1}" if fiscal else str(year)


def render(reading: TargetReading) -> str:
    """The reading in canonical French: ``au moins 2``, ``entre 10 et 15``, ``200 000 000 $``,
    ``de 40 à 60``, ``hausse de 10 %``, ``80 %, d'ici 2026-2027``. Reads back to the same
    reading."""
    if reading.kind is Kind.TBD:
        return "À déterminer"
    if reading.kind is Kind.NOT_APPLICABLE:
        return "Sans objet"
    if reading.kind is Kind.DELIVERABLE:
        return f"Livrable : {reading.deliverable}"
    if reading.kind is Kind.RELATIVE:
        if reading.comparator is Comparator.MAINTAIN:
            text = "maintien du résultat de l'année précédente"
        else:
            change = reading.relative_change or Decimal(0)
            words = "hausse" if change >= 0 else "baisse"
            if reading.frequency is not None:
                words += " annuelle"
            of = "d'au moins" if reading.comparator is Comparator.AT_LEAST else "de"
            text = f"{words} {of} {render_quantity(abs(change), reading.unit)}"
            if reading.reference is Reference.PREVIOUS:
                text += " sur le résultat de l'année précédente"
            elif reading.reference is Reference.START:
                text += " par rapport à la valeur de départ"
            elif reading.reference is Reference.YEAR:
                text += f" par rapport à {_year_text(reading.reference_year, True)}"
    elif reading.comparator is Comparator.BETWEEN:
        low = render_quantity(reading.value, reading.unit, _duration_label(reading))
        high = render_quantity(reading.upper, reading.unit, reading.unit_label)
        if reading.unit is Unit.COUNT:
            low = _number(reading.value)
        text = f"entre {low} et {high}"
    elif reading.baseline is not None:
        low = render_quantity(reading.baseline, reading.unit, _duration_label(reading))
        high = render_quantity(reading.value, reading.unit, reading.unit_label)
        if reading.unit is Unit.COUNT:
            low = _number(reading.baseline)
        text = f"de {low} à {high}"
    else:
        quantity = render_quantity(reading.value, reading.unit, reading.unit_label)
        text = f"{_WORDS[reading.comparator or Comparator.REACH]}{quantity}"
    parts = [text]
    if reading.per_member:
        parts[0] += (f" pour chaque {reading.member_label}" if reading.member_label
                     else " pour chaque membre")
    if reading.cohort is not None:
        parts.append(f"cohorte {reading.cohort}")
    if reading.window_end is not None:
        end = _year_text(reading.window_end, reading.fiscal)
        if reading.window_start is None:
            parts.append(f"d'ici {end}")
        elif reading.window_start == reading.window_end:
            parts.append(f"en {end}")
        else:
            parts.append(f"de {reading.window_start} à {reading.window_end}")
    if reading.frequency is Frequency.ANNUAL and not (
            reading.kind is Kind.RELATIVE and reading.comparator is not Comparator.MAINTAIN):
        parts.append("chaque année")
    return ", ".join(parts)
