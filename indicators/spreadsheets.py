"""Cells in and out: the helpers the entry sheet, the plan import and the exports share.

Reading: :func:`xlsx_rows` opens an uploaded workbook, :func:`cell_text` turns any cell into
the text a person typed. Writing: :func:`safe_cell` neutralises formulas without changing
the text, :func:`set_widths`
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
from openpyxl.cell import Cell, WriteOnlyCell
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


def is_formula_like(value: Any) -> bool:
    """Text a spreadsheet could run as a formula if it were typed in a cell."""
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def safe_cell(sheet, value: Any, style: str | None = None) -> Cell:
    """A cell holding ``value`` exactly, that no spreadsheet runs as a formula.

    Text is always written as a string cell; text that looks like a formula (``+10%``,
    ``=SOMME(…)``, ``- 3 ateliers``) also gets Excel's quote-prefix style, so the sheet shows
    and gives back the text as written, with no apostrophe added to it. Numbers, dates and
    booleans pass through untouched. Works for write-only and ordinary sheets (``append``).
    """
    cell = WriteOnlyCell(sheet, value=value)
    if style:
        cell.style = style
    if isinstance(value, str):
        cell.data_type = "s"
        if is_formula_like(value):
            cell.quotePrefix = True
    return cell


def csv_safe(value: Any) -> Any:
    """CSV has no cell styles: text that could run as a formula is prefixed with an apostrophe,
    the convention spreadsheets read as "this is text"."""
    return "'" + value if is_formula_like(value) else value


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
