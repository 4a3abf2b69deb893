"""Turning exporter rows into files: xlsx (openpyxl, write-only) and CSV for Excel in French.

Exporters yield rows of plain values and the small typed cells below; the writers decide how
each looks. Every text cell goes through ``safe_cell`` (``csv_safe`` for CSV) so nothing can
run as a formula.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter

from indicators.formatting import format_number
from indicators.spreadsheets import csv_safe, safe_cell, set_widths, workbook_bytes
from indicators.targets import Degree, Status, Unit


@dataclass(frozen=True)
class Num:
    """A measured value in an indicator's unit (percent values are 0-100 here)."""

    value: Decimal | None
    unit: str = Unit.COUNT


@dataclass(frozen=True)
class Ratio:
    """A share or an achievement, as a fraction (0.58 is 58 %)."""

    value: Decimal | None


@dataclass(frozen=True)
class Badge:
    """A coloured, labelled status or degree cell."""

    key: str
    label: str


# Fills checked against black text (≥ 4.5:1): light tints, the label always written out.
BADGE_FILLS = {
    Status.MET: "C8E6C9", Status.NOT_MET: "FFCDD2", Status.IN_PROGRESS: "FFE0B2",
    Status.NO_RESULT: "E0E0E0", Status.NOT_ASSESSABLE: "E1BEE7",
    Degree.MET: "C8E6C9", Degree.ON_TRACK: "DCEDC8", Degree.WATCH: "FFE0B2",
    Degree.NOT_MET: "FFCDD2",
}
HEADER_FILL = PatternFill("solid", fgColor="0B4F8A")
HEADER_FONT = Font(bold=True, color="FFFFFF")
THIN = Side(style="thin", color="C9D1DC")
BORDER = Border(bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
# Per unit: the format of a whole value, then of a value with decimals, so that a whole
# number never shows a trailing decimal separator (``2 400,``). Percent values are written as
# fractions; points (a percent indicator's gap) are written as they are.
NUMBER_FORMATS = {
    Unit.COUNT: ("#,##0", "#,##0.0#"),
    Unit.PERCENT: ("0 %", "0.0# %"),
    Unit.POINTS: ('#,##0 "pts"', '#,##0.0# "pts"'),
    Unit.DURATION: ('#,##0 "min"', '#,##0.0# "min"'),
    Unit.MONEY: ("#,##0 $", "#,##0.00 $"),
    Unit.DELIVERABLE: ("0", "0.0#"),
}
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"


def number_style(value: Decimal | int | float | None, unit: str) -> str:
    """The named style of a number cell: its unit's format, with decimals only when the value
    has them."""
    if unit not in NUMBER_FORMATS:
        return "pp-text"
    whole = value is None or Decimal(str(value)) == Decimal(str(value)).to_integral_value()
    return f"pp-{unit}-{'int' if whole else 'dec'}"


def _named_styles() -> dict[str, NamedStyle]:
    """Every cell style the exports use, registered once per workbook: assigning a named style
    copies a small array, where assigning fonts and fills hashes them for every cell."""
    styles = {
        "pp-header": NamedStyle("pp-header", font=HEADER_FONT, fill=HEADER_FILL, border=BORDER,
                                alignment=Alignment(wrap_text=True, vertical="center")),
        "pp-text": NamedStyle("pp-text", alignment=WRAP, border=BORDER),
        "pp-bold": NamedStyle("pp-bold", font=Font(bold=True), alignment=WRAP, border=BORDER),
        "pp-ratio": NamedStyle("pp-ratio", number_format="0 %", alignment=WRAP, border=BORDER),
    }
    for unit, formats in NUMBER_FORMATS.items():
        for kind, number_format in zip(("int", "dec"), formats, strict=True):
            name = f"pp-{unit}-{kind}"
            styles[name] = NamedStyle(name, number_format=number_format, alignment=WRAP,
                                      border=BORDER)
    styles["pp-date"] = NamedStyle("pp-date", number_format=DATE_FORMAT, alignment=WRAP,
                                   border=BORDER)
    styles["pp-datetime"] = NamedStyle("pp-datetime", number_format=DATETIME_FORMAT,
                                       alignment=WRAP, border=BORDER)
    for key, colour in BADGE_FILLS.items():
        styles[f"pp-badge-{key}"] = NamedStyle(f"pp-badge-{key}", alignment=WRAP, border=BORDER,
                                               fill=PatternFill("solid", fgColor=colour))
    return styles


class XlsxBook:
    """A write-only workbook with the house table style (bold frozen header, filter, widths,
    wrapped text, landscape print fitted to the page width, a printed header naming what the
    file is and a footer with its production date and the page number)."""

    def __init__(self, *, title: str, subject: str, creator: str = "Pôle Plan",
                 print_header: str = "", print_footer: str = ""):
        self.print_header = print_header
        self.print_footer = print_footer
        self.book = Workbook(write_only=True)
        self.book.properties.title = title
        self.book.properties.subject = subject
        self.book.properties.creator = creator
        self.book.properties.language = "fr-CA"
        for style in _named_styles().values():
            self.book.add_named_style(style)

    def _cell(self, sheet, value, *, header: bool = False, bold: bool = False):
        if isinstance(value, Num):
            cell = WriteOnlyCell(sheet, value=None if value.value is None else (
                value.value / 100 if value.unit == Unit.PERCENT else value.value))
            style = number_style(value.value, value.unit)
        elif isinstance(value, datetime.datetime | datetime.date):
            is_datetime = isinstance(value, datetime.datetime)
            if is_datetime and value.tzinfo is not None:
                value = timezone.localtime(value).replace(tzinfo=None)
            cell = WriteOnlyCell(sheet, value=value)
            style = "pp-datetime" if is_datetime else "pp-date"
        elif isinstance(value, Ratio):
            cell = WriteOnlyCell(sheet, value=value.value)
            style = "pp-ratio"
        elif isinstance(value, Badge):
            cell = WriteOnlyCell(sheet, value=value.label)
            style = f"pp-badge-{value.key}" if value.key in BADGE_FILLS else "pp-text"
        else:
            style = "pp-bold" if bold else "pp-text"
            return safe_cell(sheet, value, "pp-header" if header else style)
        cell.style = "pp-header" if header else style
        return cell

    def _new_sheet(self, name: str, widths: Sequence[int]):
        """A sheet with column widths, printed landscape and fitted to the page width."""
        sheet = self.book.create_sheet(title=name[:31])
        set_widths(sheet, widths)
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        # "&" starts a control code in Excel's header/footer language: doubled, it is text.
        sheet.oddHeader.center.text = self.print_header.replace("&", "&&")
        sheet.oddFooter.left.text = self.print_footer.replace("&", "&&")
        sheet.oddFooter.right.text = "Page &P / &N"
        return sheet

    def table(self, name: str, rows: Iterable[Sequence], *, widths: Sequence[int] = (),
              freeze: str = "A2", preamble: Sequence[Sequence] = ()) -> None:
        """A sheet holding one table: ``rows`` yields the header first, then the data."""
        sheet = self._new_sheet(name, widths)
        first_row = len(preamble) + 1
        # A write-only sheet writes its views when the first row is appended: the frozen
        # header must be set before anything, the preamble included.
        column = freeze.rstrip("0123456789")
        sheet.freeze_panes = f"{column}{first_row + 1}"
        sheet.print_title_rows = f"{first_row}:{first_row}"
        for line in preamble:
            sheet.append([self._cell(sheet, value, bold=i == 0) for i, value in enumerate(line)])
        iterator = iter(rows)
        header = next(iterator)
        sheet.append([self._cell(sheet, value, header=True) for value in header])
        count = 0
        for row in iterator:
            sheet.append([self._cell(sheet, value) for value in row])
            count += 1
        last = get_column_letter(len(header))
        sheet.auto_filter.ref = f"A{first_row}:{last}{first_row + max(count, 1)}"

    def sheet(self, name: str, lines: Iterable[Sequence], *, widths: Sequence[int] = ()) -> None:
        """A free-form sheet (the summary): first cell of each line in bold."""
        sheet = self._new_sheet(name, widths)
        for line in lines:
            sheet.append([self._cell(sheet, value, bold=i == 0) for i, value in enumerate(line)])

    def save(self) -> bytes:
        return workbook_bytes(self.book)


def csv_text(value) -> str:
    """A cell as Excel in French reads it: decimal comma, ``56 %``, neutralised formulas."""
    if value is None:
        return ""
    if isinstance(value, Num):
        if value.value is None:
            return ""
        text = format_number(value.value).replace("\u00a0", "")
        suffix = {Unit.PERCENT: " %", Unit.POINTS: " pts", Unit.MONEY: " $"}.get(value.unit, "")
        return text + suffix
    if isinstance(value, Ratio):
        return "" if value.value is None else f"{format_number(value.value * 100, 0)} %"
    if isinstance(value, Badge):
        return value.label
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            value = timezone.localtime(value)
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(csv_safe(value))


def write_csv(rows: Iterable[Sequence]) -> bytes:
    """UTF-8 with BOM, ``;`` separator, CRLF: what Excel in French opens as it is."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    for row in rows:
        writer.writerow([csv_text(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
