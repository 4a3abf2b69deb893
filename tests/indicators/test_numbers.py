"""Numbers as people write them, and nothing else: one reader for the entry page and sheet."""

from decimal import Decimal

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from indicators.models import Result
from indicators.numbers import NumberError, cell_number_text, parse_number
from tests.conftest import entry_data, find_indicator
from tests.indicators.test_entry_sheet import download, row_for, upload

YEAR = 2025


@pytest.mark.parametrize(("typed", "number"), [
    ("2400", Decimal("2400")),
    ("80 000", Decimal("80000")),
    ("80\u00a0000", Decimal("80000")),
    ("80\u202f000", Decimal("80000")),
    ("1 234 567,89", Decimal("1234567.89")),
    ("12,5", Decimal("12.5")),
    ("12.5", Decimal("12.5")),
    (",5", Decimal("0.5")),
    ("0", Decimal("0")),
    ("-3", Decimal("-3")),
    ("+3", Decimal("3")),
    ("  42\u00a0", Decimal("42")),
    ("1,000", Decimal("1.000")),  # a comma is always the decimal separator
])
def test_numbers_written_the_quebec_way_are_read(typed, number):
    assert parse_number(typed) == number


@pytest.mark.parametrize(("typed", "code", "message"), [
    ("1e3", "exponent", "la notation scientifique n'est pas acceptée"),
    ("1E-2", "exponent", "la notation scientifique n'est pas acceptée"),
    ("2,5e3", "exponent", "la notation scientifique n'est pas acceptée"),
    ("1_000", "underscore", "le trait de soulignement"),
    ("١٢", "digits", "seuls les chiffres 0 à 9"),
    ("１２", "digits", "seuls les chiffres 0 à 9"),
    ("2²", "digits", "seuls les chiffres 0 à 9"),
    ("1.000,5", "separators", "un seul séparateur décimal"),
    ("1,2,3", "separators", "un seul séparateur décimal"),
    ("10 00", "grouping", "groupes de trois chiffres"),
    ("1 0000", "grouping", "groupes de trois chiffres"),
    ("trente", "invalid", "« trente » n'est pas un nombre"),
    ("NaN", "invalid", "n'est pas un nombre"),
    ("Infinity", "invalid", "n'est pas un nombre"),
    ("0x10", "invalid", "n'est pas un nombre"),
    ("5,", "invalid", "n'est pas un nombre"),
    ("80 %", "invalid", "n'est pas un nombre"),
    ("12\t000", "invalid", "n'est pas un nombre"),
    ("", "empty", "Aucun nombre"),
])
def test_anything_else_is_refused_with_a_french_message_naming_it(typed, code, message):
    with pytest.raises(NumberError) as refused:
        parse_number(typed)
    assert refused.value.code == code
    assert message in refused.value.message


@given(st.decimals(min_value=-10**12, max_value=10**12, places=4, allow_nan=False,
                   allow_infinity=False),
       st.sampled_from([" ", "\u00a0", "\u202f", ""]), st.sampled_from([",", "."]))
def test_any_number_written_with_any_accepted_separators_reads_back(number, space, point):
    sign = "-" if number < 0 else ""
    whole, _dot, fraction = format(abs(number), "f").partition(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    typed = sign + space.join(groups) + (point + fraction if fraction else "")
    assert parse_number(typed) == number


@given(st.text(max_size=12))
def test_any_text_is_either_a_number_or_a_clear_refusal(text):
    try:
        number = parse_number(text)
    except NumberError as refused:
        assert refused.message
    else:
        assert number.is_finite()
        assert all(ch in "0123456789 \u00a0\u202f,.+-\t\r\n" for ch in text)


@pytest.mark.parametrize(("cell", "text"), [
    (3, "3"), (3.0, "3"), (84.5, "84,5"), (1e-05, "0,00001"), (Decimal("2.50"), "2,50")])
def test_numeric_cells_become_plain_digits(cell, text):
    assert cell_number_text(cell) == text
    assert parse_number(text) == Decimal(str(cell))


@pytest.mark.parametrize(("typed", "message"), [
    ("1e3", "la notation scientifique n&#x27;est pas acceptée"),
    ("1_000", "le trait de soulignement"),
    ("١٢", "seuls les chiffres 0 à 9"),
])
def test_entry_page_refuses_them_beside_the_field_and_keeps_the_rest(
        client, cast, seed, typed, message):
    plan = seed["monteregie"]
    projects = find_indicator(plan, "1.1.1", "Nb de projets")
    other = find_indicator(plan, "1.1.4", "Nb de rencontres")
    client.force_login(cast["alice"])
    response = client.post(reverse("indicators:entry", args=[plan.pk, YEAR]),
                           entry_data(plan, YEAR, **{
                               f"i{projects.pk}-value": typed, f"i{other.pk}-value": "27",
                               f"i{other.pk}-comment": "Rencontres du printemps"}))
    assert response.status_code == 200
    page = response.content.decode()
    error = page.split(f'id="id_i{projects.pk}-value_error"', 1)[1][:400]
    assert message in error
    assert 'value="27"' in page and "Rencontres du printemps" in page
    assert not Result.objects.filter(year=YEAR).exists()


def test_entry_page_reads_no_break_spaces_as_thousands(client, cast, seed):
    plan = seed["monteregie"]
    projects = find_indicator(plan, "1.1.1", "Nb de projets")
    client.force_login(cast["alice"])
    response = client.post(reverse("indicators:entry", args=[plan.pk, YEAR]),
                           entry_data(plan, YEAR, **{f"i{projects.pk}-value": "1\u202f200"}))
    assert response.status_code == 302
    assert Result.objects.get(indicator=projects, year=YEAR).value == 1200


def test_sheet_refuses_exponent_text_with_its_line_and_saves_nothing(client, cast, seed):
    plan = seed["quebec"]
    client.force_login(cast["quentin"])
    book = download(client, plan)
    good = row_for(book.active, "Nombre de recommandations")
    good["Résultat"].value = "1\u00a0000"
    bad = row_for(book.active, "Taux de satisfaction des personnes participantes")
    bad["Résultat"].value = "1e3"
    response = upload(client, plan, book)
    assert response.status_code == 302  # post/redirect/get
    assert (f"Ligne {bad['Résultat'].row} (Taux de satisfaction des personnes participantes) "
            ": Résultat — « 1e3 » : la notation scientifique") in client.get(
        response.url).content.decode()
    assert not Result.objects.filter(year=YEAR).exists()
