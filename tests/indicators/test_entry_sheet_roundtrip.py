"""Download → upload untouched changes nothing; text reads back exactly (issue 17, item 2)."""

import io
from decimal import Decimal

import openpyxl
from django.contrib.messages import get_messages
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indicators.entry import EntryPage, entry_sheet, entry_sheet_bind
from indicators.forms import ResultForm
from indicators.models import Indicator, Result, YearReport
from indicators.selectors import plan_progress
from tests.conftest import find_indicator, make_indicator, make_plan
from tests.indicators.test_entry_sheet import download, row_for, upload

YEAR = 2025

TRICKY = [
    "- 3 ateliers\n- 2 colloques",
    "=SOMME(A1:A3)",
    "+10 % visé",
    "@équipe  deux  espaces",
    "ligne 1\n\nligne 3\tfin",
]


def snapshot(plan):
    return list(Result.objects.filter(indicator__action__objective__orientation__plan=plan)
                .order_by("pk").values())


def test_an_untouched_sheet_uploaded_back_changes_nothing_byte_for_byte(client, cast, seed):
    plan = seed["quebec"]
    rate = find_indicator(plan, "O1.1.1", "Taux de satisfaction")
    recommendations = Indicator.objects.get(action__objective__orientation__plan=plan,
                                            label__startswith="Nombre de recommandations")
    Result.objects.create(indicator=rate, year=YEAR, value=Decimal("84.50"), comment=TRICKY[0])
    Result.objects.create(indicator=recommendations, year=YEAR, not_applicable=True,
                          not_applicable_reason=TRICKY[1], comment="\n".join(TRICKY[2:]))
    before = snapshot(plan)
    client.force_login(cast["quentin"])
    book = download(client, plan)
    response = upload(client, plan, book)
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Feuille importée : aucun changement."]
    assert snapshot(plan) == before
    assert not YearReport.objects.filter(plan=plan, year=YEAR).exists()


def test_text_written_in_the_sheet_is_saved_exactly(client, cast, seed):
    plan = seed["quebec"]
    rate = find_indicator(plan, "O1.1.1", "Taux de satisfaction")
    client.force_login(cast["quentin"])
    book = download(client, plan)
    row = row_for(book.active, rate.label)
    row["Résultat"].value = 80
    row["Commentaire"].value = "- 3 ateliers\n- 2  colloques"
    assert upload(client, plan, book).status_code == 302
    assert Result.objects.get(indicator=rate, year=YEAR).comment == "- 3 ateliers\n- 2  colloques"


def test_a_formula_without_a_computed_value_is_refused_with_its_line(client, cast, seed):
    plan = seed["quebec"]
    rate = find_indicator(plan, "O1.1.1", "Taux de satisfaction")
    Result.objects.create(indicator=rate, year=YEAR, value=Decimal("84.50"))
    before = snapshot(plan)
    client.force_login(cast["quentin"])
    book = download(client, plan)
    row = row_for(book.active, rate.label)
    row["Résultat"].value = "=40+40"  # openpyxl writes the formula without a cached value
    line = row["Résultat"].row
    response = upload(client, plan, book)
    assert response.status_code == 302  # post/redirect/get: the errors wait in the session
    page = client.get(response.url).content.decode()
    assert (f"Ligne {line} (Taux de satisfaction des personnes participantes) : la colonne "
            "« Résultat » contient une formule sans valeur calculée") in page
    assert snapshot(plan) == before


def test_a_formula_with_its_computed_value_reads_as_that_value():
    from indicators.spreadsheets import xlsx_checked_rows

    book = openpyxl.Workbook()
    book.active.append(["a", "=1+1"])
    buffer = io.BytesIO()
    book.save(buffer)
    rows = list(xlsx_checked_rows(buffer.getvalue()))
    assert rows == [(("a", None), frozenset({1}))]


def test_the_form_refuses_control_characters_beside_the_field(db):
    plan = make_plan("ctl")
    indicator = make_indicator(plan)
    form = ResultForm({"i-comment": "a\x07b"}, prefix="i", indicator=indicator)
    assert not form.is_valid()
    assert "caractère de contrôle" in form.errors["comment"][0]


# Text the form accepts: any unicode but surrogates (no browser can post them) and the
# control characters it refuses; line breaks, tabs and runs of spaces are drawn often.
texts = st.text(st.one_of(
    st.characters(blacklist_categories=("Cs", "Cc")),
    st.sampled_from(["\n", "\t", " ", "\u00a0", "=", "+", "-", "@", "'"])),
    max_size=120)
values = st.decimals(min_value=0, max_value=Decimal("99999999999.99"), places=2,
                     allow_nan=False, allow_infinity=False)


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(comment=texts, reason=texts, value=values, not_applicable=st.booleans())
def test_any_accepted_text_and_value_survive_the_round_trip_and_save_nothing(
        db, comment, reason, value, not_applicable):
    plan = plan_for_roundtrip()
    indicator = plan_indicator(plan)
    data = {"i-comment": comment}
    if not_applicable:
        data |= {"i-not_applicable": "on", "i-not_applicable_reason": reason}
    else:
        data["i-value"] = format(value, "f").replace(".", ",")
    form = ResultForm(data, prefix="i", indicator=indicator)
    if not form.is_valid():
        return  # not what the form accepts (an empty N/A reason, a control character…)
    fields = {k: v for k, v in form.result_fields().items() if k != "evidence_file"}
    Result.objects.filter(indicator=indicator, year=YEAR).delete()
    Result.objects.create(indicator=indicator, year=YEAR, **fields)
    before = snapshot(plan)
    items = plan_progress(plan, YEAR)
    export = entry_sheet(EntryPage(items), plan=plan, year=YEAR)
    page, errors = entry_sheet_bind(items, export.content)
    assert errors == []
    assert page.changed_entries() == []
    read = page.by_prefix[f"i{indicator.pk}"][1].cleaned_data
    saved = Result.objects.get(indicator=indicator, year=YEAR)
    assert read["comment"] == saved.comment
    assert read["not_applicable_reason"] == saved.not_applicable_reason
    assert read["value"] == saved.value
    assert snapshot(plan) == before


def plan_for_roundtrip():
    from indicators.models import Plan

    return Plan.objects.filter(pole__code="rt").first() or make_plan("rt")


def plan_indicator(plan):
    from indicators.models import Indicator

    return (Indicator.objects.filter(action__objective__orientation__plan=plan).first()
            or make_indicator(plan, targets={YEAR: "Min 2"}))
