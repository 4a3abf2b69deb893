"""``python -m benchmarks.xlsx_writers``: openpyxl (write-only, named styles: what the app uses)
against XlsxWriter (``constant_memory``) writing the same national workbook.

The national workbook is built once at the chosen scale (10x by default: the two seed plans
and 10 synthetic pôles × 88 indicators) with its rows recorded as the exporter yields them
(``Num``, ``Ratio``, ``Badge``, dates, text); each writer then writes those rows with the same
cell styles (unit number formats, badge fills, wrapped text, bottom border, bold header),
quote prefix on formula-like text, frozen header, filter, widths, landscape print and printed
header/footer. Only the writing is timed (median of ``--runs``), so the figure compares the
writers and nothing else. XlsxWriter is a benchmark-only dependency (``dev`` extra).
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


def write_openpyxl(calls) -> bytes:
    book = writers.XlsxBook(**calls[0][1])
    for call in calls[1:]:
        if call[0] == "table":
            _kind, name, rows, widths, freeze, preamble = call
            book.table(name, iter(rows), widths=widths, freeze=freeze, preamble=preamble)
        else:
            _kind, name, lines, widths = call
            book.sheet(name, lines, widths=widths)
    return book.save()


def write_xlsxwriter(calls) -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"constant_memory": True, "in_memory": True})
    base = {"text_wrap": True, "valign": "top", "bottom": 1, "bottom_color": "#C9D1DC"}
    formats = {
        "pp-header": book.add_format({**base, "bold": True, "font_color": "#FFFFFF",
                                      "bg_color": "#0B4F8A", "valign": "vcenter"}),
        "pp-text": book.add_format(base),
        "pp-bold": book.add_format({**base, "bold": True}),
        "pp-ratio": book.add_format({**base, "num_format": "0 %"}),
        "pp-date": book.add_format({**base, "num_format": DATE_FORMAT}),
        "pp-datetime": book.add_format({**base, "num_format": DATETIME_FORMAT}),
    }
    for unit, pair in NUMBER_FORMATS.items():
        for kind, number_format in zip(("int", "dec"), pair, strict=True):
            formats[f"pp-{unit}-{kind}"] = book.add_format({**base, "num_format": number_format})
    for key, colour in BADGE_FILLS.items():
        formats[f"pp-badge-{key}"] = book.add_format({**base, "bg_color": f"#{colour}",
                                                      "pattern": 1})
    quoted = {name: book.add_format({**base, "quote_prefix": True})
              for name in ("pp-text", "pp-bold", "pp-header")}

    def write(sheet, row, col, value, style):
        if isinstance(value, Num):
            number = None if value.value is None else (
                value.value / 100 if value.unit == Unit.PERCENT else value.value)
            fmt = formats[number_style(value.value, value.unit)]
            if number is None:
                sheet.write_blank(row, col, None, fmt)
            else:
                sheet.write_number(row, col, float(number), fmt)
        elif isinstance(value, datetime.datetime | datetime.date):
            sheet.write_datetime(row, col, value, formats[
                "pp-datetime" if isinstance(value, datetime.datetime) else "pp-date"])
        elif isinstance(value, Ratio):
            if value.value is None:
                sheet.write_blank(row, col, None, formats["pp-ratio"])
            else:
                sheet.write_number(row, col, float(value.value), formats["pp-ratio"])
        elif isinstance(value, Badge):
            sheet.write_string(row, col, value.label, formats.get(f"pp-badge-{value.key}",
                                                                  formats["pp-text"]))
        elif value is None:
            sheet.write_blank(row, col, None, formats[style])
        elif isinstance(value, int | float):
            sheet.write_number(row, col, value, formats[style])
        else:
            text = str(value)
            sheet.write_string(row, col, text,
                               quoted[style] if is_formula_like(text) else formats[style])

    def new_sheet(name, widths):
        sheet = book.add_worksheet(name[:31])
        for index, width in enumerate(widths):
            sheet.set_column(index, index, width)
        sheet.set_landscape()
        sheet.fit_to_pages(1, 0)
        header = calls[0][1].get("print_header", "").replace("&", "&&")
        footer = calls[0][1].get("print_footer", "").replace("&", "&&")
        sheet.set_header(f"&C{header}")
        sheet.set_footer(f"&L{footer}&RPage &P / &N")
        return sheet

    for call in calls[1:]:
        if call[0] == "table":
            _kind, name, rows, widths, freeze, preamble = call
            sheet = new_sheet(name, widths)
            first = len(preamble)
            column = freeze.rstrip("0123456789")
            sheet.freeze_panes(first + 1, ord(column) - ord("A"))
            sheet.repeat_rows(first)
            row_index = 0
            for line in preamble:
                for col, value in enumerate(line):
                    write(sheet, row_index, col, value, "pp-bold" if col == 0 else "pp-text")
                row_index += 1
            header, *data = rows
            for col, value in enumerate(header):
                write(sheet, row_index, col, value, "pp-header")
            row_index += 1
            for line in data:
                for col, value in enumerate(line):
                    write(sheet, row_index, col, value, "pp-text")
                row_index += 1
            sheet.autofilter(first, 0, first + max(len(data), 1), len(header) - 1)
        else:
            _kind, name, lines, widths = call
            sheet = new_sheet(name, widths)
            for row_index, line in enumerate(lines):
                for col, value in enumerate(line):
                    write(sheet, row_index, col, value, "pp-bold" if col == 0 else "pp-text")
    book.close()
    return buffer.getvalue()


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
    for name, function in (("openpyxl write-only", write_openpyxl),
                           ("XlsxWriter constant_memory", write_xlsxwriter)):
        figures = measure(function, calls, args.runs)
        print(f"  {name:<28} {figures['median_ms']:>8.0f} ms (min {figures['min_ms']:.0f})"
              f"  {figures['bytes'] / 1024:>7.0f} KB  peak {figures['peak_mb']:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
