"""What an import's dry run shows of its targets: each row's text → reading (issue 23).

Read from the same rules the import applies (:func:`indicators.plan_import.read_row`, and
:func:`indicators.targets.preview.preview` for the reading), so a dry run shows what the
import would store.
"""

from __future__ import annotations

import tablib
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from indicators.models import Plan, fiscal_year_label
from indicators.plan_import import header_columns, read_row
from indicators.spreadsheets import cell_text
from indicators.targets.preview import preview


def target_readings(plan: Plan, dataset: tablib.Dataset) -> list[str]:
    """One line per target of ``dataset``: « Ligne 3, 2024-2025 : « Min 2 » → au moins 2 »."""
    headers = [cell_text(h) for h in dataset.headers or []]
    year_columns, problems = header_columns(headers)
    if problems:
        return []
    lines = []
    for number, values in enumerate(dataset, start=2):
        try:
            row = read_row(dict(zip(headers, values, strict=False)), year_columns, plan.years)
        except ValidationError:
            continue  # listed with the import's errors
        for year, text in row.targets.items():
            shown = preview(text, unit=row.unit, direction=row.direction)
            lines.append(_("Ligne %(line)s, %(year)s : « %(text)s » → %(reading)s") % {
                "line": number, "text": text,
                "year": fiscal_year_label(year) if year is not None else _("période"),
                "reading": shown.rendering or shown.error})
    return lines
