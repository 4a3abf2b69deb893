"""Cells in and out: the helpers the entry sheet, the plan import and the exports share.

Reading: :func:`xlsx_rows` opens an uploaded workbook, :func:`cell_text` turns any cell into
the text a person typed. Writing: :func:`cell_safe` neutralises formulas, :func:`set_widths`
and :func:`workbook_bytes` finish a sheet and a workbook; every exporter returns an
:class:`Export` (file name, content type, bytes).
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import Any, NamedTuple

import openpyxl
from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


class Export(NamedTuple):
    """A file ready to download: what every exporter returns."""

    filename: str
    content_type: str
    content: bytes


class UnreadableSheet(ValueError):
    """The file is not an xlsx workbook openpyxl can read."""


def xlsx_rows(content: bytes) -> Iterator[tuple]:
    """The first sheet's rows as tuples of cell values (computed values, not formulas)."""
    try:
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise UnreadableSheet(_("Ce fichier n'est pas une feuille xlsx lisible.")) from exc
    return book.worksheets[0].iter_rows(values_only=True)


def cell_text(value: Any) -> str:
    """A cell as text: spreadsheet numbers come back without a trailing ``.0``."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, float | Decimal):
        return str(value).replace(".", ",")
    return " ".join(str(value).split())


def cell_safe(value):
    """Neutralise text a spreadsheet could run as a formula (prefix it with an apostrophe).

    Numbers, dates and booleans pass through untouched; only text is ever prefixed.
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def set_widths(sheet, widths: Sequence[float]) -> None:
    """Column widths, first column first."""
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def workbook_bytes(book: openpyxl.Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def download(export: Export) -> HttpResponse:
    """The HTTP response that downloads ``export`` (pages and exports share it)."""
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response
