"""The target language: reading a target as written in a plan, and judging results against it.

No database. ``grammar.lark`` declares the forms, :mod:`.reading` reads and writes them,
:mod:`.evaluation` judges a result against a reading. Models, forms, imports and exports all
call these, so the rules live in exactly one place.
"""

from indicators.targets.english import render_english, render_shown
from indicators.targets.evaluation import (
    Degree,
    Evaluation,
    Facts,
    Measure,
    Period,
    Status,
    degree,
    evaluate,
    resolve_relative,
)
from indicators.targets.reading import (
    GRAMMAR_PATH,
    Comparator,
    Direction,
    Frequency,
    Kind,
    Reference,
    TargetReading,
    TargetSyntaxError,
    Unit,
    normalize,
    parse_decimal,
    parse_target,
    reading_unit_error,
    render,
    render_quantity,
)

__all__ = [
    "GRAMMAR_PATH", "Comparator", "Degree", "Direction", "Evaluation", "Facts", "Frequency",
    "Kind", "Measure", "Period", "Reference", "Status", "TargetReading", "TargetSyntaxError",
    "Unit", "degree", "evaluate", "normalize", "parse_decimal", "parse_target",
    "reading_unit_error", "render", "render_english", "render_quantity", "render_shown",
    "resolve_relative",
]
