"""The public page's annual report part: each approved year's action states and narratives
and its filed PDF (latest version), never a draft year's, a reason or a name; the PDF is the
only filed file served to the public."""

import pytest
from django.urls import reverse

from reporting.models import FiledFile
from tests.public.conftest import APPROVED_NARRATIVE, SECRETS, file_year

pytestmark = pytest.mark.django_db


def _page(client) -> str:
    response = client.get(reverse("public:pole", args=["monteregie"]))
    assert response.status_code == 200
    return response.content.decode()


def _report_url(published, year):
    return reverse("public:pole_report", args=["monteregie", published["plan"].pk, year])


def test_an_approved_year_shows_its_actions_states_and_narratives(client, published):
    page = _page(client)
    first, second = published["actions"]
    assert 'data-testid="public-actions-2024"' in page
    assert f"{first.code} {first.title}" in page and "réalisée" in page
    assert APPROVED_NARRATIVE in page
    assert f"{second.code} {second.title}" in page and "reportée" in page
    assert 'data-testid="public-actions-2025"' not in page
    for secret in SECRETS:  # the postponement's reason, the draft's narrative, names…
        assert secret not in page, secret


def test_an_approved_year_links_its_latest_filed_pdf(client, published, cast):
    plan = published["plan"]
    file_year(plan, 2024, 1, b"%PDF v1 ", cast["dora"])
    file_year(plan, 2024, 2, b"%PDF v2 ", cast["dora"])
    page = _page(client)
    url = _report_url(published, 2024)
    assert f'href="{url}" data-testid="public-report-2024"' in page
    assert "version 2 du 2025-09-14" in page
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF v2 pdf"
    assert response["Content-Type"] == "application/pdf"
    assert "v2-rapport.pdf" in response["Content-Disposition"]
    cache = response["Cache-Control"]
    assert "public" in cache and "max-age=" in cache


def test_a_year_without_a_filing_shows_no_report_link(client, published):
    assert "public-report-" not in _page(client)
    assert client.get(_report_url(published, 2024)).status_code == 404


def test_a_draft_year_or_an_unpublished_pole_serves_no_pdf(client, published, seed, cast):
    plan = published["plan"]
    file_year(plan, 2025, 1, b"%PDF draft ", cast["dora"])  # filed, then reopened: a draft
    assert client.get(_report_url(published, 2025)).status_code == 404
    assert "public-report-" not in _page(client)
    quebec = seed["quebec"]
    from indicators.models import YearReport

    YearReport.objects.create(plan=quebec, year=2024, state=YearReport.State.APPROVED)
    file_year(quebec, 2024, 1, b"%PDF quebec ", cast["sam"])
    assert client.get(reverse("public:pole_report", args=[
        "pole-quebec", quebec.pk, 2024])).status_code == 404
    # another pôle's plan under a published pôle's address
    assert client.get(reverse("public:pole_report", args=[
        "monteregie", quebec.pk, 2024])).status_code == 404


def test_the_workbook_and_csv_of_a_filing_are_never_public(client, published, cast):
    file_year(published["plan"], 2024, 1, b"%PDF ", cast["dora"])
    page = _page(client)
    for filed in FiledFile.objects.exclude(kind="pdf"):
        assert filed.filename not in page
        assert reverse("reporting:filed_file", args=[filed.pk]) not in page
    assert client.get(reverse("reporting:filed_file", args=[
        FiledFile.objects.get(kind="xlsx").pk])).status_code == 302  # to the login page


def test_the_public_pdf_costs_a_fixed_number_of_queries(client, published, cast,
                                                        django_assert_num_queries):
    file_year(published["plan"], 2024, 1, b"%PDF ", cast["dora"])
    # pôle, plans, the plan's approved years, the PDF.
    with django_assert_num_queries(4):
        response = client.get(_report_url(published, 2024))
        assert response.status_code == 200
    b"".join(response.streaming_content)
