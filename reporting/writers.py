"""Turning exporter rows into files: xlsx (XlsxWriter, constant memory) and CSV for Excel in
French.

Exporters yield rows of plain values and the small typed cells below; the writers decide how
each looks. Every text cell is written as a string (``write_safe``; ``csv_safe`` for CSV), with
Excel's quote prefix when it looks like a formula, so nothing can run as a formula.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from xlsxwriter.utility import xl_cell_to_rowcol

from indicators.formatting import in_english
from indicators.numbers import format_number, plain_number
from indicators.spreadsheets import CellStyle, cell_style, csv_safe, new_workbook, write_safe
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
HEADER_FILL = "0B4F8A"
HEADER_FONT_COLOUR = "FFFFFF"
BORDER_COLOUR = "C9D1DC"
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
# English puts no space before the percent sign and the dollar sign first; Excel shows the
# thousands and decimal separators of its reader's locale in both.
ENGLISH_NUMBER_FORMATS = {
    Unit.PERCENT: ("0%", "0.0#%"),
    Unit.MONEY: ("$#,##0", "$#,##0.00"),
}
RATIO_FORMATS = {"fr": "0 %", "en": "0%"}
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"


def number_style(value: Decimal | int | float | None, unit: str) -> str:
    """The style of a number cell: its unit's format, with decimals only when the value
    has them."""
    if unit not in NUMBER_FORMATS:
        return "pp-text"
    if value is None or isinstance(value, int):
        whole = True
    elif isinstance(value, float):
        whole = value.is_integer()
    else:
        whole = value == value.to_integral_value()
    return f"pp-{unit}-{'int' if whole else 'dec'}"


def style_properties() -> dict[str, dict]:
    """Every cell style the exports use, by name, as XlsxWriter format properties: wrapped
    text aligned to the top, a thin bottom border, and the style's own font, fill or number
    format."""
    base = {"text_wrap": True, "valign": "top", "bottom": 1,
            "bottom_color": f"#{BORDER_COLOUR}"}
    styles = {
        "pp-header": {**base, "bold": True, "font_color": f"#{HEADER_FONT_COLOUR}",
                      "pattern": 1, "bg_color": f"#{HEADER_FILL}", "valign": "vcenter"},
        "pp-text": base,
        "pp-bold": {**base, "bold": True},
        "pp-ratio": {**base, "num_format": RATIO_FORMATS["en" if in_english() else "fr"]},
        "pp-date": {**base, "num_format": DATE_FORMAT},
        "pp-datetime": {**base, "num_format": DATETIME_FORMAT},
    }
    number_formats = {**NUMBER_FORMATS, **(ENGLISH_NUMBER_FORMATS if in_english() else {})}
    for unit, formats in number_formats.items():
        for kind, number_format in zip(("int", "dec"), formats, strict=True):
            styles[f"pp-{unit}-{kind}"] = {**base, "num_format": number_format}
    for key, colour in BADGE_FILLS.items():
        styles[f"pp-badge-{key}"] = {**base, "pattern": 1, "bg_color": f"#{colour}"}
    return styles


class XlsxBook:
    """A workbook with the house table style (bold frozen header, filter, widths, wrapped
    text, landscape print fitted to the page width, a printed header naming what the file is
    and a footer with its production date and the page number).

    Written with XlsxWriter in constant-memory mode: each row goes to a temporary file as it
    is written, so a sheet never holds more than one row of cells in memory; sheets are
    written one after the other, rows in order (which is how exporters yield them).
    """

    constant_memory = True

    def __init__(self, *, title: str, subject: str, creator: str = "Pôle Plan",
                 print_header: str = "", print_footer: str = ""):
        self.buffer = io.BytesIO()
        self.book = new_workbook(self.buffer, constant_memory=self.constant_memory)
        self.book.set_properties({"title": title, "subject": subject, "author": creator})
        # "&" starts a control code in Excel's header/footer language: doubled, it is text.
        self.header = f"&C{print_header.replace('&', '&&')}" if print_header else ""
        self.footer = (f"&L{print_footer.replace('&', '&&')}" if print_footer else ""
                       ) + "&RPage &P / &N"
        self.reserved: dict = {}
        self.styles: dict[str, CellStyle] = {
            name: cell_style(self.book, properties)
            for name, properties in style_properties().items()}

    def _write(self, sheet, row: int, col: int, value, style: str) -> None:
        """One cell: typed cells in their own style, anything else in ``style``."""
        if isinstance(value, Num):
            number = value.value
            if number is not None and value.unit == Unit.PERCENT:
                number = number / 100
            write_safe(sheet, row, col, number, self.styles[number_style(value.value,
                                                                         value.unit)])
        elif isinstance(value, Ratio):
            write_safe(sheet, row, col, value.value, self.styles["pp-ratio"])
        elif isinstance(value, Badge):
            write_safe(sheet, row, col, value.label,
                       self.styles.get(f"pp-badge-{value.key}", self.styles["pp-text"]))
        elif isinstance(value, datetime.datetime):
            if value.tzinfo is not None:
                value = timezone.localtime(value).replace(tzinfo=None)
            write_safe(sheet, row, col, value, self.styles["pp-datetime"])
        elif isinstance(value, datetime.date):
            write_safe(sheet, row, col, value, self.styles["pp-date"])
        else:
            write_safe(sheet, row, col, value, self.styles[style])

    def _write_line(self, sheet, row: int, line: Sequence, *, header: bool = False) -> None:
        """A line: the header style throughout, or the first cell in bold."""
        for col, value in enumerate(line):
            self._write(sheet, row, col, value,
                        "pp-header" if header else "pp-bold" if col == 0 else "pp-text")

    def reserve(self, name: str) -> None:
        """Place the sheet ``name`` here in the workbook's order, to be written later by
        :meth:`table` or :meth:`sheet`: in constant-memory mode each sheet has its own
        temporary file, so sheets may be filled in any order (their rows in order)."""
        self.reserved[name] = self.book.add_worksheet(name[:31])

    def _new_sheet(self, name: str, widths: Sequence[int]):
        """A sheet with column widths, printed landscape and fitted to the page width."""
        sheet = self.reserved.pop(name, None) or self.book.add_worksheet(name[:31])
        for index, width in enumerate(widths):
            sheet.set_column(index, index, width)
        sheet.set_landscape()
        sheet.fit_to_pages(1, 0)
        if self.header:
            sheet.set_header(self.header)
        sheet.set_footer(self.footer)
        return sheet

    def table(self, name: str, rows: Iterable[Sequence], *, widths: Sequence[int] = (),
              freeze: str = "A2", preamble: Sequence[Sequence] = ()) -> None:
        """A sheet holding one table: ``rows`` yields the header first, then the data."""
        sheet = self._new_sheet(name, widths)
        header_row = len(preamble)
        sheet.freeze_panes(header_row + 1, xl_cell_to_rowcol(freeze)[1])
        sheet.repeat_rows(header_row)
        for row, line in enumerate(preamble):
            self._write_line(sheet, row, line)
        iterator = iter(rows)
        header = next(iterator)
        self._write_line(sheet, header_row, header, header=True)
        row = header_row
        write, text = self._write, "pp-text"
        for line in iterator:
            row += 1
            for col, value in enumerate(line):
                write(sheet, row, col, value, text)
        sheet.autofilter(header_row, 0, max(row, header_row + 1), len(header) - 1)

    def sheet(self, name: str, lines: Iterable[Sequence], *, widths: Sequence[int] = ()) -> None:
        """A free-form sheet (the summary): first cell of each line in bold."""
        sheet = self._new_sheet(name, widths)
        for row, line in enumerate(lines):
            self._write_line(sheet, row, line)

    def save(self) -> bytes:
        self.book.close()
        return self.buffer.getvalue()


def csv_text(value) -> str:
    """A cell as Excel in the active language reads it: decimal comma and ``56 %`` in French,
    decimal point, ``56%`` and ``$2400`` in English; no thousands separator; neutralised
    formulas."""
    if value is None:
        return ""
    english = in_english()
    if isinstance(value, Num):
        if value.value is None:
            return ""
        if english:
            text = plain_number(value.value)
            return {Unit.PERCENT: f"{text}%", Unit.POINTS: f"{text} pts",
                    Unit.MONEY: f"${text}"}.get(value.unit, text)
        text = format_number(value.value).replace("\u00a0", "")
        suffix = {Unit.PERCENT: " %", Unit.POINTS: " pts", Unit.MONEY: " $"}.get(value.unit, "")
        return text + suffix
    if isinstance(value, Ratio):
        if value.value is None:
            return ""
        if english:
            return f"{plain_number(value.value * 100, 0)}%"
        return f"{format_number(value.value * 100, 0)} %"
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


def open_text(value) -> str:
    """A cell of an open-data file: unlocalised numbers (``1234.5``), ISO dates,
    ``true``/``false``, empty for nothing; text with formula-like values neutralised as
    :func:`csv_text` does."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Num):
        value = value.value
        if value is None:
            return ""
    if isinstance(value, Decimal):
        text = format(value, "f")
        return text.rstrip("0").rstrip(".") if "." in text else text
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(csv_safe(str(value)))


def write_open_csv(rows: Iterable[Sequence]) -> bytes:
    """Open data as CKAN portals expect it: UTF-8 without BOM, ``,`` separator, CRLF (RFC
    4180), values unlocalised (:func:`open_text`)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=",", lineterminator="\r\n")
    for row in rows:
        writer.writerow([open_text(value) for value in row])
    return buffer.getvalue().encode("utf-8")
