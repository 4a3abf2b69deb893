"""Open data: CSV and JSON per published pôle and for all of them, with their dictionary."""

import csv
import io
import json

import pytest
from django.urls import reverse

from indicators.services import pole_publish
from public.opendata import FIELDS
from tests.conftest import make_indicator, make_plan, make_result
from tests.public.conftest import SECRETS

pytestmark = pytest.mark.django_db
NAMES = [field.name for field in FIELDS]


def read_csv(response) -> list[dict]:
    text = response.content.decode("utf-8")
    assert not text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text)))


def test_the_pole_csv_holds_the_approved_year_only_unlocalised(client, published):
    response = client.get(reverse("public:pole_csv", args=["monteregie"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="donnees-ouvertes-monteregie.csv"' in response["Content-Disposition"]
    rows = read_csv(response)
    assert list(rows[0]) == NAMES
    assert {row["year"] for row in rows} == {"2024"}
    assert {row["year_state"] for row in rows} == {"approved"}
    assert {row["approved_on"] for row in rows} == {"2025-09-12"}
    line = next(row for row in rows if row["indicator_id"] == str(published["indicator"].pk)
                and row["member"] == "")
    assert line["result"] == "12.5"
    assert line["pole_code"] == "monteregie" and line["plan_id"] == str(published["plan"].pk)
    assert line["action_code"] == "1.1.1"
    assert line["status"] in {"atteinte", "non_atteinte", "en_cours"}
    text = response.content.decode()
    for secret in SECRETS:
        assert secret not in text, secret


def test_each_breakdown_member_has_its_row_after_the_indicators_total(client, published):
    rows = read_csv(client.get(reverse("public:pole_csv", args=["monteregie"])))
    with_members = [row for row in rows if row["member"]]
    assert with_members
    first = with_members[0]
    index = rows.index(first)
    assert any(row["indicator_id"] == first["indicator_id"] and row["member"] == ""
               for row in rows[:index])


def test_the_json_twin_holds_the_same_records(client, published):
    rows = read_csv(client.get(reverse("public:pole_csv", args=["monteregie"])))
    response = client.get(reverse("public:pole_json", args=["monteregie"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    document = json.loads(response.content)
    assert [field["name"] for field in document["fields"]] == NAMES
    records = document["records"]
    assert len(records) == len(rows)
    line = next(r for r in records if r["indicator_id"] == published["indicator"].pk
                and r["member"] == "")
    assert line["result"] == 12.5 and line["approved_on"] == "2025-09-12"
    for secret in SECRETS:
        assert secret not in response.content.decode(), secret


def test_each_row_carries_its_actions_state_and_the_years_latest_filing(client, published,
                                                                        cast):
    from tests.public.conftest import file_year

    rows = read_csv(client.get(reverse("public:pole_csv", args=["monteregie"])))
    assert {row["filing_version"] for row in rows} == {""}  # not filed yet
    file_year(published["plan"], 2024, 1, b"%PDF ", cast["dora"])
    file_year(published["plan"], 2024, 2, b"%PDF ", cast["dora"])
    rows = read_csv(client.get(reverse("public:pole_csv", args=["monteregie"])))
    done, postponed = (action.code for action in published["actions"])
    states = {(row["action_code"], row["action_state"], row["action_state_label"])
              for row in rows}
    assert (done, "done", "réalisée") in states
    if any(row["action_code"] == postponed for row in rows):
        assert (postponed, "postponed", "reportée") in states
    assert {row["filing_version"] for row in rows} == {"2"}
    assert {row["filed_on"] for row in rows} == {"2025-09-14"}
    records = json.loads(client.get(reverse("public:pole_json", args=["monteregie"])).content)
    assert {r["filing_version"] for r in records["records"]} == {2}


def test_the_all_poles_files_hold_published_poles_only(client, published, seed, cast):
    rows = read_csv(client.get(reverse("public:all_csv")))
    assert {row["pole_code"] for row in rows} == {"monteregie"}
    records = json.loads(client.get(reverse("public:all_json")).content)["records"]
    assert len(records) == len(rows)


def test_text_that_looks_like_a_formula_is_neutralised_in_the_csv(client, cast):
    plan = make_plan("formules")
    indicator = make_indicator(plan, "=HYPERLINK(\"http://x\")", targets={2024: "Min 2"})
    make_result(indicator, 2024, 3)
    from indicators.models import YearReport

    YearReport.objects.create(plan=plan, year=2024, state=YearReport.State.APPROVED)
    pole_publish(pole=plan.pole, public=True, user=cast["sam"])
    rows = read_csv(client.get(reverse("public:pole_csv", args=["formules"])))
    assert rows[0]["indicator_label"] == "'=HYPERLINK(\"http://x\")"
    assert rows[0]["result"] == "3"
    records = json.loads(client.get(reverse("public:pole_json", args=["formules"])).content)
    assert records["records"][0]["indicator_label"] == "=HYPERLINK(\"http://x\")"


def test_the_dictionary_describes_every_column_in_csv_and_markdown(client):
    response = client.get(reverse("public:dictionary_csv"))
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [row["name"] for row in rows] == NAMES
    assert all(row["description"] and row["type"] for row in rows)
    stable = {row["name"] for row in rows if row["stable_identifier"] == "true"}
    assert stable == {"pole_code", "plan_id", "action_code", "indicator_id"}
    markdown = client.get(reverse("public:dictionary_md"))
    assert markdown["Content-Type"].startswith("text/markdown")
    text = markdown.content.decode()
    assert all(f"`{name}`" in text for name in NAMES)
    assert "réimporté" in text


def test_the_pole_csv_costs_a_fixed_number_of_queries(client, published,
                                                      django_assert_num_queries):
    # pôle, plans, approved years, six for the approved years' progress, the actions'
    # states, the latest filings.
    with django_assert_num_queries(11):
        response = client.get(reverse("public:pole_csv", args=["monteregie"]))
        assert response.status_code == 200


def test_the_pole_json_costs_a_fixed_number_of_queries(client, published,
                                                       django_assert_num_queries):
    with django_assert_num_queries(11):
        response = client.get(reverse("public:pole_json", args=["monteregie"]))
        assert response.status_code == 200


def test_the_all_poles_csv_costs_the_same_whatever_the_number_of_poles(
        client, published, seed, cast, django_assert_num_queries):
    from indicators.models import YearReport

    YearReport.objects.create(plan=seed["quebec"], year=2024, state=YearReport.State.APPROVED)
    pole_publish(pole=seed["quebec"].pole, public=True, user=cast["sam"])
    # published pôles, plans, approved years, six for the approved years' progress, the
    # actions' states, the latest filings.
    with django_assert_num_queries(11):
        response = client.get(reverse("public:all_csv"))
        assert response.status_code == 200
    assert {row["pole_code"] for row in read_csv(response)} == {"monteregie", "pole-quebec"}


def test_the_dictionary_costs_no_query(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert client.get(reverse("public:dictionary_csv")).status_code == 200


def test_a_submitted_year_is_published_neither_on_the_page_nor_in_the_files(client, published):
    from indicators.models import YearReport

    YearReport.objects.filter(plan=published["plan"], year=2025).update(
        state=YearReport.State.SUBMITTED)
    rows = read_csv(client.get(reverse("public:all_csv")))
    assert {row["year"] for row in rows} == {"2024"}
    page = client.get(reverse("public:pole", args=["monteregie"])).content.decode()
    assert 'data-testid="public-year-2025"' not in page
    for secret in SECRETS:
        assert secret not in page, secret
