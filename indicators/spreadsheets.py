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
from itertools import zip_longest
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


def xlsx_checked_rows(content: bytes) -> Iterator[tuple[tuple, frozenset[int]]]:
    """The first sheet's rows as ``(values, blind)``: the computed values, and the indexes of
    the cells that hold a formula without a computed value (written by a tool that does not
    calculate), which would otherwise read as empty.

    The workbook is read twice: once for the values, once for the formulas.
    """
    try:
        values = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        formulas = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise UnreadableSheet(_("Ce fichier n'est pas une feuille xlsx lisible.")) from exc
    value_rows = values.worksheets[0].iter_rows(values_only=True)
    formula_rows = formulas.worksheets[0].iter_rows()
    for row, cells in zip_longest(value_rows, formula_rows, fillvalue=()):
        blind = frozenset(
            index for index, cell in enumerate(cells)
            if getattr(cell, "data_type", None) == "f"
            and (index >= len(row) or row[index] is None))
        yield tuple(row), blind


def cell_text(value: Any, *, exact: bool = False) -> str:
    """A cell as text: spreadsheet numbers come back without a trailing ``.0``.

    Text is trimmed and its runs of spaces and line breaks joined into one space (labels and
    codes of a plan), unless ``exact``: then it comes back exactly as the cell holds it (what
    a person wrote: comments, reasons).
    """
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, float | Decimal):
        return str(value).replace(".", ",")
    if exact:
        return str(value)
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
