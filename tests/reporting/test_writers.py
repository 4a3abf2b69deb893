"""The xlsx writer (XlsxWriter) writes what the exporter gave it: text stays text, whatever it
looks like, and nothing a person typed can run as a formula or open as a link."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest

from indicators.targets import Unit
from reporting.writers import Num, XlsxBook


def written(*values):
    book = XlsxBook(title="Titre", subject="Sujet")
    book.table("Table", [["Valeur"], *[[value] for value in values]])
    sheet = openpyxl.load_workbook(io.BytesIO(book.save()))["Table"]
    return [row[0] for row in sheet.iter_rows(min_row=2)]


@pytest.mark.parametrize("text", ["=1+1", "=HYPERLINK(\"http://mal.example\")", "+10%",
                                  "- 3 ateliers", "@SOMME(A1)"])
def test_text_that_looks_like_a_formula_is_kept_as_written_with_the_quote_prefix(text):
    [cell] = written(text)
    assert cell.value == text and cell.data_type == "s" and cell.quotePrefix


@pytest.mark.parametrize("text", ["12", "80 000", "1,5", "2025-04-01",
                                  "https://exemple.org/preuve", "www.exemple.org",
                                  "mailto:info@exemple.org"])
def test_text_that_looks_like_a_number_date_or_link_stays_plain_text(text):
    [cell] = written(text)
    assert cell.value == text and cell.data_type == "s"
    assert not cell.quotePrefix and cell.hyperlink is None


def test_numbers_and_dates_are_written_as_numbers_and_dates():
    number, share, day, empty = written(Decimal("2.5"), Num(Decimal("58.5"), Unit.PERCENT),
                                        datetime.date(2025, 3, 31), None)
    assert number.value == 2.5 and number.data_type == "n"
    assert share.value == pytest.approx(0.585) and share.number_format == "0.0# %"
    assert day.value == datetime.datetime(2025, 3, 31) and day.number_format == "yyyy-mm-dd"
    assert empty.value is None
