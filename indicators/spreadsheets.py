"""Cells in and out: the helpers the entry sheet, the plan import and the exports share.

Reading (openpyxl): :func:`xlsx_rows` opens an uploaded workbook, :func:`cell_text` turns any
cell into the text a person typed. Writing (XlsxWriter): :func:`new_workbook` opens a workbook
that never turns text into a number, a formula or a link, and :func:`write_safe` writes a
value exactly, text that looks like a formula with Excel's quote prefix; every exporter
returns an :class:`Export` (file name, content type, bytes).
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterator
from decimal import Decimal
from itertools import zip_longest
from typing import IO, Any, NamedTuple

import openpyxl
import xlsxwriter
from django.http import HttpResponse
from django.utils.translation import gettext as _
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

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


class CellStyle(NamedTuple):
    """A cell format, and the same with Excel's quote prefix for text that looks like a
    formula."""

    plain: Format
    quoted: Format


def new_workbook(output: IO[bytes], *, constant_memory: bool = True) -> xlsxwriter.Workbook:
    """An XlsxWriter workbook writing into ``output`` that writes text as text: never read as
    a number, a formula or a link. In constant-memory mode (the default) each row goes to a
    temporary file once the next row starts, so rows must be written in order; otherwise
    every cell is held in memory until the workbook is closed."""
    return xlsxwriter.Workbook(output, {
        "constant_memory": constant_memory,
        "in_memory": not constant_memory,
        "strings_to_numbers": False,
        "strings_to_formulas": False,
        "strings_to_urls": False,
        "default_date_format": "yyyy-mm-dd",
    })


def cell_style(book: xlsxwriter.Workbook, properties: dict | None = None) -> CellStyle:
    """``properties`` (XlsxWriter format properties) as a :class:`CellStyle`."""
    properties = properties or {}
    return CellStyle(book.add_format(properties),
                     book.add_format({**properties, "quote_prefix": True}))


def write_safe(sheet: Worksheet, row: int, col: int, value: Any, style: CellStyle) -> None:
    """Write ``value`` exactly, in ``style``, so that no spreadsheet runs it as a formula.

    Text is always written as a string cell; text that looks like a formula (``+10%``,
    ``=SOMME(…)``, ``- 3 ateliers``) gets Excel's quote prefix, so the sheet shows and gives
    back the text as written, with no apostrophe added to it. Numbers, dates and booleans are
    written as such; nothing (``None`` or empty text) leaves a styled empty cell.
    """
    if value is None or value == "":
        sheet.write_blank(row, col, None, style.plain)
    elif isinstance(value, str):
        sheet.write_string(row, col, value,
                           style.quoted if is_formula_like(value) else style.plain)
    elif isinstance(value, bool):
        sheet.write_boolean(row, col, value, style.plain)
    elif isinstance(value, int | float | Decimal):
        sheet.write_number(row, col, value, style.plain)
    elif isinstance(value, datetime.date):
        sheet.write_datetime(row, col, value, style.plain)
    else:  # lazy translations and other objects with a text
        write_safe(sheet, row, col, str(value), style)


def csv_safe(value: Any) -> Any:
    """CSV has no cell styles: text that could run as a formula is prefixed with an apostrophe,
    the convention spreadsheets read as "this is text"."""
    return "'" + value if is_formula_like(value) else value


def download(export: Export) -> HttpResponse:
    """The HTTP response that downloads ``export`` (pages and exports share it)."""
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response
