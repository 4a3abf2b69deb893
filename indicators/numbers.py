"""Numbers as people write them: reading what they type, and nothing else, and writing
numbers the Québec way (``80 000``, ``12,5``). The one place for both rules.

Accepted: ASCII digits, an optional leading sign, spaces as thousands separators (plain,
no-break U+00A0 or narrow no-break U+202F, in groups of three), and one comma or point as
the decimal separator: ``80 000``, ``80 000,5``, ``12.5``, ``2400``. Refused, with a French
message that names the value: exponent notation (``1e3``), underscores (``1_000``), digits
of other scripts (``١٢``), several decimal separators, misplaced groups (``10 00``).

The entry form and the entry sheet both read through :func:`parse_number`, so they refuse
exactly the same input. No database here.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import get_language
from django.utils.translation import gettext as _

NBSP = "\u00a0"

# The three spaces people (and French keyboards, Excel, Word) put between thousands.
THOUSANDS_SPACES = " \u00a0\u202f"

_NUMBER = re.compile(
    r"^(?P<sign>[+-]?)"
    r"(?P<int>\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+)?"
    r"(?:[.,](?P<frac>\d+))?$",
    re.ASCII,
)


class NumberError(ValueError):
    """A typed value that is not a number we accept; ``message`` is shown beside the field.

    ``code`` is ``"invalid"`` when the text is not a number at all (the form then adds what
    to do for a result without object), or names the specific problem.
    """

    def __init__(self, message: str, code: str = "invalid"):
        super().__init__(message)
        self.message, self.code = message, code


def parse_number(text: str) -> Decimal:
    """The number ``text`` says, or :class:`NumberError` with a French message."""
    stripped = text.strip(" \t\r\n" + THOUSANDS_SPACES)
    quoted = {"value": stripped}
    if not stripped:
        raise NumberError(_("Aucun nombre saisi."), "empty")
    if any(ch.isnumeric() and not ("0" <= ch <= "9") for ch in stripped):
        raise NumberError(_("« %(value)s » : seuls les chiffres 0 à 9 sont acceptés.")
                          % quoted, "digits")
    if "_" in stripped:
        raise NumberError(_("« %(value)s » : le trait de soulignement n'est pas un séparateur "
                            "de milliers ; utilisez une espace (ex. 1 000).") % quoted,
                          "underscore")
    if re.search(r"\d\s*[eE]\s*[+-]?\d", stripped):
        raise NumberError(_("« %(value)s » : la notation scientifique n'est pas acceptée ; "
                            "écrivez le nombre en chiffres%(example)s.")
                          % {**quoted, "example": _exponent_example(stripped)}, "exponent")
    match = _NUMBER.match(stripped)
    if match is None or not (match.group("int") or match.group("frac")):
        if re.fullmatch(r"[+-]?[\d \u00a0\u202f]*(?:[.,][\d \u00a0\u202f]*){2,}", stripped):
            raise NumberError(_("« %(value)s » : un seul séparateur décimal (virgule ou point) "
                                "est accepté ; séparez les milliers par une espace "
                                "(ex. 1 000,5).") % quoted, "separators")
        if re.fullmatch(r"[+-]?\d[\d \u00a0\u202f]*(?:[.,]\d+)?", stripped):
            raise NumberError(_("« %(value)s » : les milliers se séparent par groupes de trois "
                                "chiffres (ex. 10 000).") % quoted, "grouping")
        raise NumberError(_("« %(value)s » n'est pas un nombre.") % quoted)
    digits = (match.group("int") or "0")
    for space in THOUSANDS_SPACES:
        digits = digits.replace(space, "")
    literal = f"{match.group('sign')}{digits}"
    if match.group("frac"):
        literal += f".{match.group('frac')}"
    try:
        return Decimal(literal)
    except InvalidOperation:  # pragma: no cover - the pattern only lets digits through
        raise NumberError(_("« %(value)s » n'est pas un nombre.") % quoted) from None


def _exponent_example(text: str) -> str:
    """`` (ici : 1 000)`` for ``1e3``; empty when the text says no plain number."""
    try:
        value = Decimal(text.replace(",", ".").replace(" ", ""))
    except InvalidOperation:
        return ""
    if not value.is_finite() or abs(value) >= Decimal("1e15"):
        return ""
    english = (get_language() or "").startswith("en")
    number = plain_number(value, places=6) if english else format_number(value, places=6)
    return _(" (ici : %(number)s)") % {"number": number}


# Characters a spreadsheet cell (XML) cannot hold and nobody types; tabs and line breaks are
# kept.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def text_problem(text: str) -> str:
    """Why a text a person typed or imported cannot be kept ('' when it can): an invisible
    control character. Forms and imports ask this one rule."""
    if text and CONTROL_CHARACTERS.search(text):
        return _("ce texte contient un caractère de contrôle invisible qui ne peut pas être "
                 "enregistré : retirez-le")
    return ""


def target_text_problem(text: str) -> str:
    """Why a target text is refused before it is even read ('' when it may be read): a
    control character, or digits of another script (``Min ١٢``), which the numbers rule
    refuses everywhere."""
    problem = text_problem(text)
    if problem:
        return problem
    if any(ch.isnumeric() and not ("0" <= ch <= "9") for ch in text):
        return _("seuls les chiffres 0 à 9 sont acceptés")
    return ""


def plain_number(value: Decimal | int | float | None, places: int = 2) -> str:
    """``2400.5``: digits and a decimal point, no thousands separator, no trailing zero — what
    an English reader types back, which :func:`parse_number` reads in any language (a comma
    would read as a decimal one)."""
    if value is None:
        return ""
    value = Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    whole, _sep, fraction = f"{value:f}".partition(".")
    fraction = fraction.rstrip("0")
    return f"{whole}.{fraction}" if fraction else whole


def cell_number_text(value: int | float | Decimal) -> str:
    """A numeric spreadsheet cell as plain digits (never ``1e-05``), ready for parse_number."""
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        value = Decimal(repr(value))
    text = format(Decimal(value), "f")
    return text.replace(".", ",")


# --- writing -------------------------------------------------------------------------------


def format_number(value: Decimal | int | float | None, places: int = 2) -> str:
    """``Decimal("80000.00")`` → ``80 000``; ``12.5`` → ``12,5``; None → empty."""
    if value is None:
        return ""
    value = Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    sign = "-" if value < 0 else ""
    whole, _sep, fraction = f"{abs(value):f}".partition(".")
    fraction = fraction.rstrip("0")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    text = NBSP.join(groups)
    return f"{sign}{text},{fraction}" if fraction else f"{sign}{text}"
