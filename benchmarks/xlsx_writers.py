"""``python -m benchmarks.xlsx_writers``: the app's writer (XlsxWriter, ``constant_memory``)
against openpyxl (write-only, named styles: what the app used before) and XlsxWriter's
``in_memory`` mode, writing the same national workbook.

The national workbook is built once at the chosen scale (10x by default: the two seed plans
and 10 synthetic pôles × 88 indicators) with its rows recorded as the exporter yields them
(``Num``, ``Ratio``, ``Badge``, dates, text); each writer then writes those rows with the same
cell styles (unit number formats, badge fills, wrapped text, bottom border, bold header),
quote prefix on formula-like text, frozen header, filter, widths, landscape print and printed
header/footer, document properties. Only the writing is timed (median of ``--runs``), so the
figure compares the writers and nothing else; each file is then opened with openpyxl and
compared with openpyxl's, cell by cell (:func:`differences`).

rustpy-xlsxwriter (a binding of rust_xlsxwriter) is measured too, writing the closest file
its API allows: it formats columns, not cells, so it cannot write this workbook as it is
(:data:`RUSTPY_GAPS` lists what differs, and the run prints the first differences).
rustpy-xlsxwriter is a benchmark-only dependency (``dev`` extra).
"""

from __future__ import annotations

import argparse
import datetime
import io
import os
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

# Its own throwaway database, so that it may run beside ``python -m benchmarks``.
_RESULTS = Path(__file__).resolve().parent / "results"
_RESULTS.mkdir(exist_ok=True)
os.environ.setdefault("DB_TEST_NAME", "bench_xlsx_writers" if os.environ.get("DATABASE_URL")
                      else str(_RESULTS / "xlsx-writers.sqlite3"))

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402
from django.utils import timezone  # noqa: E402

from benchmarks import __main__ as bench  # noqa: E402  (settings and django.setup())
from benchmarks.synthetic import results_fill, synthetic_poles_add  # noqa: E402
from indicators.evaluations import evaluations_refresh  # noqa: E402
from indicators.models import Membership, Plan  # noqa: E402
from indicators.seeding import seed_plans_load  # noqa: E402
from indicators.spreadsheets import is_formula_like  # noqa: E402
from indicators.targets import Unit  # noqa: E402
from reporting import exports, writers  # noqa: E402
from reporting.writers import (  # noqa: E402
    BADGE_FILLS,
    DATE_FORMAT,
    DATETIME_FORMAT,
    NUMBER_FORMATS,
    Badge,
    Num,
    Ratio,
    number_style,
)


class Recorder:
    """Stands in for :class:`reporting.writers.XlsxBook`: keeps every sheet's rows."""

    calls: list = []

    def __init__(self, **properties):
        self.properties = properties
        Recorder.calls = [("book", properties)]

    def table(self, name, rows, *, widths=(), freeze="A2", preamble=()):
        Recorder.calls.append(("table", name, list(rows), tuple(widths), freeze, list(preamble)))

    def sheet(self, name, lines, *, widths=()):
        Recorder.calls.append(("sheet", name, list(lines), tuple(widths)))

    def save(self) -> bytes:
        return b""


def record(plans, year: int) -> list:
    original = exports.XlsxBook
    exports.XlsxBook = Recorder
    try:
        exports.national_workbook(plans, year, settings.ACHIEVEMENT_THRESHOLDS)
    finally:
        exports.XlsxBook = original
    return Recorder.calls


def _named_styles() -> dict:
    """The app's styles as openpyxl named styles (assigning a named style copies a small
    array, where assigning fonts and fills hashes them for every cell)."""
    from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side

    def named(name, properties):
        return NamedStyle(
            name, number_format=properties.get("num_format", "General"),
            font=Font(bold=properties.get("bold", False),
                      color=properties.get("font_color", "#000000")[1:]),
            fill=PatternFill("solid", fgColor=properties["bg_color"][1:])
            if "bg_color" in properties else PatternFill(),
            border=Border(bottom=Side(style="thin", color=properties["bottom_color"][1:])),
            alignment=Alignment(wrap_text=True, vertical={"vcenter": "center"}.get(
                properties["valign"], properties["valign"])))

    return {name: named(name, properties)
            for name, properties in writers.style_properties().items()}


class OpenpyxlBook:
    """What :class:`reporting.writers.XlsxBook` was until XlsxWriter replaced it: openpyxl in
    write-only mode with named styles. Kept here as the reference the other writers are
    measured and compared against."""

    def __init__(self, *, title, subject, creator="Pôle Plan", print_header="",
                 print_footer=""):
        from openpyxl import Workbook

        self.print_header, self.print_footer = print_header, print_footer
        self.book = Workbook(write_only=True)
        self.book.properties.title = title
        self.book.properties.subject = subject
        self.book.properties.creator = creator
        self.book.properties.language = "fr-CA"
        for style in _named_styles().values():
            self.book.add_named_style(style)

    def _cell(self, sheet, value, style):
        from openpyxl.cell import WriteOnlyCell

        if isinstance(value, Num):
            style = number_style(value.value, value.unit)
            value = None if value.value is None else (
                value.value / 100 if value.unit == Unit.PERCENT else value.value)
        elif isinstance(value, datetime.datetime | datetime.date):
            is_datetime = isinstance(value, datetime.datetime)
            if is_datetime and value.tzinfo is not None:
                value = timezone.localtime(value).replace(tzinfo=None)
            style = "pp-datetime" if is_datetime else "pp-date"
        elif isinstance(value, Ratio):
            value, style = value.value, "pp-ratio"
        elif isinstance(value, Badge):
            style = f"pp-badge-{value.key}" if value.key in BADGE_FILLS else "pp-text"
            value = value.label
        cell = WriteOnlyCell(sheet, value=value)
        cell.style = style
        if isinstance(value, str):
            cell.data_type = "s"
            if is_formula_like(value):
                cell.quotePrefix = True
        return cell

    def _new_sheet(self, name, widths):
        from openpyxl.utils import get_column_letter

        sheet = self.book.create_sheet(title=name[:31])
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.oddHeader.center.text = self.print_header.replace("&", "&&")
        sheet.oddFooter.left.text = self.print_footer.replace("&", "&&")
        sheet.oddFooter.right.text = "Page &P / &N"
        return sheet

    def _line(self, sheet, line, header=False):
        return [self._cell(sheet, value, "pp-header" if header else
                           "pp-bold" if i == 0 else "pp-text") for i, value in enumerate(line)]

    def table(self, name, rows, *, widths=(), freeze="A2", preamble=()):
        from openpyxl.utils import get_column_letter

        sheet = self._new_sheet(name, widths)
        first_row = len(preamble) + 1
        # A write-only sheet writes its views with the first row: freeze before anything.
        sheet.freeze_panes = f"{freeze.rstrip('0123456789')}{first_row + 1}"
        sheet.print_title_rows = f"{first_row}:{first_row}"
        for line in preamble:
            sheet.append(self._line(sheet, line))
        iterator = iter(rows)
        header = next(iterator)
        sheet.append(self._line(sheet, header, header=True))
        count = 0
        for row in iterator:
            sheet.append([self._cell(sheet, value, "pp-text") for value in row])
            count += 1
        last = get_column_letter(len(header))
        sheet.auto_filter.ref = f"A{first_row}:{last}{first_row + max(count, 1)}"

    def sheet(self, name, lines, *, widths=()):
        sheet = self._new_sheet(name, widths)
        for line in lines:
            sheet.append(self._line(sheet, line))

    def save(self) -> bytes:
        buffer = io.BytesIO()
        self.book.save(buffer)
        return buffer.getvalue()


class InMemoryBook(writers.XlsxBook):
    """The app's writer with XlsxWriter's ``in_memory`` mode instead of constant memory:
    every cell held until the end, no temporary files."""

    constant_memory = False


def replay(book_class, calls) -> bytes:
    """The recorded workbook written again through ``book_class`` (XlsxBook's interface)."""
    book = book_class(**calls[0][1])
    for call in calls[1:]:
        if call[0] == "table":
            _kind, name, rows, widths, freeze, preamble = call
            book.table(name, iter(rows), widths=widths, freeze=freeze, preamble=preamble)
        else:
            _kind, name, lines, widths = call
            book.sheet(name, lines, widths=widths)
    return book.save()


def write_openpyxl(calls) -> bytes:
    return replay(OpenpyxlBook, calls)


def write_xlsxwriter(calls) -> bytes:
    return replay(writers.XlsxBook, calls)


def write_xlsxwriter_in_memory(calls) -> bytes:
    return replay(InMemoryBook, calls)


# What rustpy-xlsxwriter 0.8.0 cannot write of this workbook (its API takes records, one dict a
# row keyed by header, and formats a column, not a cell), so that its figure is read for what it
# is: the closest file it can write, not the same file.
RUSTPY_GAPS = (
    "number formats per cell: a Résultats column mixes units (count, %, min, $) and whole or "
    "decimal values row by row; rustpy formats a whole column (the first value's format here)",
    "badge fills per cell: only as conditional formats (one rule per label), not a cell fill",
    "quote prefix per cell: only on a whole column (here every text column gets it)",
    "dates and date-times in one column: the first row's type is kept for the column, so a "
    "date-time after a date loses its time; one date-time format for the whole workbook",
    "a preamble line above the header: only as merged ranges of two cells or more",
    "a free-form sheet (Sommaire): a header row of unique texts is required, one record a row",
    "document properties (title, subject, creator, language): not in its API",
)


def write_rustpy(calls) -> bytes:
    """The closest rustpy-xlsxwriter can write (:data:`RUSTPY_GAPS`): same sheets, cells,
    widths, frozen header, filter, print setup; formats per column, badge fills as
    conditional formats."""
    import rustpy_xlsxwriter as rx

    def fmt(number_format=None, *, bold=False, fill=None, quote=False):
        f = rx.Format().set_text_wrap().set_align("top").set_border_bottom("thin")
        f.set_border_bottom_color("#C9D1DC")
        if number_format:
            f.set_num_format(number_format)
        if bold:
            f.set_bold()
        if fill:
            f.set_background_color(f"#{fill}").set_pattern("solid")
        if quote:
            f.set_quote_prefix()
        return f

    header_format = (rx.Format().set_bold().set_font_color("#FFFFFF").set_text_wrap()
                     .set_background_color("#0B4F8A").set_pattern("solid").set_align("vcenter")
                     .set_border_bottom("thin").set_border_bottom_color("#C9D1DC"))
    number_formats = {f"pp-{unit}-{kind}": number_format
                      for unit, pair in NUMBER_FORMATS.items()
                      for kind, number_format in zip(("int", "dec"), pair, strict=True)}
    number_formats.update({"pp-ratio": "0 %", "pp-date": DATE_FORMAT,
                           "pp-datetime": DATETIME_FORMAT})

    def plain(value):
        if isinstance(value, Num):
            return None if value.value is None else float(
                value.value / 100 if value.unit == Unit.PERCENT else value.value)
        if isinstance(value, Ratio):
            return None if value.value is None else float(value.value)
        if isinstance(value, Badge):
            return value.label
        if isinstance(value, datetime.datetime | datetime.date | int | float | type(None)):
            return value
        return str(value)

    def column_format(values):
        """The format of a column: the first non-empty value's (rustpy has no cell format)."""
        for value in values:
            if isinstance(value, Num) and value.value is not None:
                return fmt(number_formats.get(number_style(value.value, value.unit)))
            if isinstance(value, Ratio):
                return fmt("0 %")
            if isinstance(value, datetime.datetime):
                return fmt(DATETIME_FORMAT)
            if isinstance(value, datetime.date):
                return fmt(DATE_FORMAT)
            if isinstance(value, str | Badge) and value != "":
                return fmt(quote=True)
        return fmt(quote=True)

    def unique(titles, width):
        """Header texts as unique dict keys (rustpy keys records by header)."""
        keys, seen = [], set()
        for index in range(width):
            key = str(titles[index]) if index < len(titles) else ""
            while key in seen or key == "":
                key += "\u200b"  # invisible: the header reads the same
            seen.add(key)
            keys.append(key)
        return keys

    def record(keys, line):
        """One row as rustpy takes it: every column's key, missing cells empty."""
        return {key: plain(line[i]) if i < len(line) else None for i, key in enumerate(keys)}

    properties = calls[0][1]
    page_setup = {
        "landscape": True, "fit_to_pages": (1, 0),
        "header": "&C" + properties.get("print_header", "").replace("&", "&&"),
        "footer": "&L" + properties.get("print_footer", "").replace("&", "&&")
                  + "&RPage &P / &N",
    }
    badges_seen = {(value.key, value.label) for call in calls[1:] for row in call[2]
                   for value in row if isinstance(value, Badge) and value.key in BADGE_FILLS}
    badge_rules = [{"type": "text", "criteria": "begins_with", "value": label,
                    "format": fmt(fill=BADGE_FILLS[key])} for key, label in sorted(badges_seen)]
    buffer = io.BytesIO()
    book = rx.FastExcel(buffer)
    for call in calls[1:]:
        if call[0] == "table":
            _kind, name, rows, widths, freeze, preamble = call
            header, *data = rows
            keys = unique(header, len(header))
            columns = [[line[i] for line in data if i < len(line)] for i in range(len(keys))]
            badges = {keys[i]: badge_rules for i, values in enumerate(columns)
                      if any(isinstance(v, Badge) for v in values)}
            merges = [(r, c, r, c + 1, plain(value), fmt(bold=c == 0))
                      for r, line in enumerate(preamble) for c, value in enumerate(line)
                      if c % 2 == 0]  # two cells a range: a lone cell cannot be merged
            column = freeze.rstrip("0123456789")
            book.freeze(row=len(preamble) + 1, col=ord(column) - ord("A"), sheet=name[:31])
            book.sheet(name[:31], [record(keys, line) for line in data],
                       column_widths=list(widths), header_format=header_format,
                       column_formats=[column_format(values) for values in columns],
                       header_row=len(preamble), merge_ranges=merges or None,
                       autofilter=True, conditional_formats=badges or None,
                       page_setup={**page_setup, "repeat_rows": len(preamble)})
        else:
            _kind, name, lines, widths = call
            width = max(len(line) for line in lines)
            keys = unique(lines[0], width)
            body = [record(keys, line) for line in lines[1:]]
            formats = [fmt(bold=True)] + [fmt() for _ in keys[1:]]
            book.sheet(name[:31], body, column_widths=list(widths), column_formats=formats,
                       header_format=fmt(bold=True), page_setup=page_setup)
    book.save()
    return buffer.getvalue()


def _widths(sheet) -> dict[int, float]:
    """Each column's stored width (a ``<col>`` may span several columns)."""
    return {index: dimension.width for dimension in sheet.column_dimensions.values()
            if dimension.width for index in range(dimension.min, dimension.max + 1)}


def _same_widths(mine: dict, theirs: dict) -> bool:
    """Within a character: XlsxWriter stores Excel's padded width (28 → 28.71), openpyxl
    the declared one."""
    return mine.keys() == theirs.keys() and all(abs(mine[k] - theirs[k]) < 1 for k in mine)


def _seen(cell) -> tuple:
    """A cell as a person sees and gets it: an empty text cell is an empty cell."""
    value = None if cell.value == "" else cell.value
    return (value, cell.data_type if value is not None else None, cell.number_format,
            bool(cell.font.b), cell.fill.fgColor.rgb[-6:] if cell.fill.fill_type else None,
            bool(cell.quotePrefix))


def differences(content: bytes, reference: bytes, limit: int = 5) -> list[str]:
    """What a person opening ``content`` would find different from ``reference``: each cell's
    value, type, number format, bold, fill and quote prefix; each sheet's widths, frozen
    header, filter, print setup and printed header/footer; the document's title, subject and
    creator. Empty when they are the same workbook."""
    import openpyxl

    def open_book(data):
        return openpyxl.load_workbook(io.BytesIO(data))

    found: list[str] = []
    book, expected = open_book(content), open_book(reference)
    for attribute in ("title", "subject", "creator"):
        if getattr(book.properties, attribute) != getattr(expected.properties, attribute):
            found.append(f"document {attribute}")
    if book.sheetnames != expected.sheetnames:
        return found + [f"sheets {book.sheetnames} ≠ {expected.sheetnames}"]
    for sheet, other in zip(book.worksheets, expected.worksheets, strict=True):
        settings_pairs = {
            "freeze": (sheet.freeze_panes, other.freeze_panes),
            "filter": (sheet.auto_filter.ref, other.auto_filter.ref),
            "print titles": (sheet.print_title_rows, other.print_title_rows),
            "orientation": (sheet.page_setup.orientation, other.page_setup.orientation),
            "fit to width": ((sheet.page_setup.fitToWidth or 1, sheet.page_setup.fitToHeight,
                              sheet.sheet_properties.pageSetUpPr.fitToPage),
                             (other.page_setup.fitToWidth or 1, other.page_setup.fitToHeight,
                              other.sheet_properties.pageSetUpPr.fitToPage)),
            "header": (sheet.oddHeader.center.text, other.oddHeader.center.text),
            "footer": ((sheet.oddFooter.left.text, sheet.oddFooter.right.text),
                       (other.oddFooter.left.text, other.oddFooter.right.text)),
        }
        found += [f"{sheet.title}: {name} {mine!r} ≠ {theirs!r}"
                  for name, (mine, theirs) in settings_pairs.items() if mine != theirs]
        if not _same_widths(_widths(sheet), _widths(other)):
            found.append(f"{sheet.title}: widths {_widths(sheet)} ≠ {_widths(other)}")
        for row, other_row in zip(sheet.iter_rows(), other.iter_rows(), strict=False):
            for cell, other_cell in zip(row, other_row, strict=False):
                mine, theirs = _seen(cell), _seen(other_cell)
                if mine != theirs:
                    found.append(f"{sheet.title}!{cell.coordinate}: {mine!r} ≠ {theirs!r}")
        if sheet.max_row != other.max_row or sheet.max_column != other.max_column:
            found.append(f"{sheet.title}: size {sheet.max_row}×{sheet.max_column} ≠ "
                         f"{other.max_row}×{other.max_column}")
    return found[:limit] + ([f"… {len(found) - limit} more"] if len(found) > limit else [])


def measure(function, calls, runs: int) -> dict:
    function(calls)  # warm-up
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        size = len(function(calls))
        times.append((time.perf_counter() - start) * 1000)
    tracemalloc.start()
    function(calls)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"median_ms": statistics.median(times), "min_ms": min(times),
            "bytes": size, "peak_mb": peak / 1024 / 1024}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.xlsx_writers",
                                     description=__doc__)
    parser.add_argument("--scale", type=int, default=10, choices=sorted(bench.SCALES))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--save", type=Path, default=None,
                        help="a folder where each writer's file is written, to compare them")
    args = parser.parse_args(argv)
    old_config = setup_databases(verbosity=0, interactive=False, serialized_aliases=[])
    try:
        seed_plans_load()
        user = get_user_model().objects.create_user("bench-ministere", password="x-bench-1")
        Membership.objects.create(user=user, role=Membership.Role.MINISTRY)
        results_fill(list(Plan.objects.all()))
        extra, per_pole = bench.SCALES[args.scale]
        if extra:
            synthetic_poles_add(extra, per_pole)
        evaluations_refresh()
        plans = list(Plan.objects.select_related("pole").order_by("pole__name"))
        calls = record(plans, bench.YEAR)
    finally:
        teardown_databases(old_config, verbosity=0)
    cells = sum(len(row) for call in calls[1:] for row in call[2])
    print(f"{args.scale}x national workbook on {connection.vendor}, {os.cpu_count()} cores: "
          f"{len(calls) - 1} sheets, {cells} cells; writing only, median of {args.runs}")
    reference = write_openpyxl(calls)
    for name, function in (("openpyxl write-only", write_openpyxl),
                           ("XlsxWriter constant_memory (app)", write_xlsxwriter),
                           ("XlsxWriter in_memory", write_xlsxwriter_in_memory),
                           ("rustpy-xlsxwriter", write_rustpy)):
        figures = measure(function, calls, args.runs)
        if args.save:
            args.save.mkdir(parents=True, exist_ok=True)
            (args.save / f"{function.__name__}.xlsx").write_bytes(function(calls))
        print(f"  {name:<34} {figures['median_ms']:>8.0f} ms (min {figures['min_ms']:.0f})"
              f"  {figures['bytes'] / 1024:>7.0f} KB  peak {figures['peak_mb']:.1f} MB")
        if function is not write_openpyxl:
            found = differences(function(calls), reference)
            print("    same workbook as openpyxl's" if not found else
                  "    differs from openpyxl's: " + "; ".join(found))
    print("rustpy-xlsxwriter does not write the same file:")
    for gap in RUSTPY_GAPS:
        print(f"  - {gap}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
