"""Anonymous, by clicking from the login page: the index of published pôles, Montérégie's
public page (2024-2025 approved with its actions' states and its filed PDF, nothing of the
2025-2026 draft) and its open-data CSV."""

import csv
import io

import pytest

from tests.browser.conftest import click_and_wait
from tests.public.conftest import (  # noqa: F401  (the fixture)
    APPROVED_NARRATIVE,
    SECRETS,
    file_year,
    published,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_anonymous_reaches_monteregies_public_page_and_its_csv_from_the_login_page(
        live_server, page, published, cast, screenshot):  # noqa: F811
    file_year(published["plan"], 2024, 1, b"%PDF filed ", cast["dora"])
    page.goto(f"{live_server.url}/compte/login/")
    click_and_wait(page.get_by_test_id("login-public"))
    assert page.get_by_role("heading", level=1).inner_text() == "Pôles publiés"
    click_and_wait(page.get_by_role("link", name=published["pole"].name, exact=True))
    assert page.get_by_role("heading", level=1).inner_text() == published["pole"].name
    year = page.get_by_test_id("public-year-2024")
    assert "Résultats 2024-2025" in year.inner_text()
    chart = page.locator("svg#chart-2024[role=img]")  # drawn with the page, no script
    assert chart.is_visible()
    assert any(title.endswith("\u00a0: 1 atteinte")  # the approved result, met
               for title in chart.locator("g > title").all_text_contents())
    assert "Sans résultat" in chart.locator("g.legend").text_content()
    assert page.locator("script[src*=plotly]").count() == 0
    assert page.get_by_test_id("public-year-2025").count() == 0
    actions = page.get_by_test_id("public-actions-2024").inner_text()
    assert APPROVED_NARRATIVE in actions and "réalisée" in actions
    text = page.locator("body").inner_text()
    for secret in SECRETS:
        assert secret not in text, secret
    assert page.js_errors == []
    screenshot(page, "public-monteregie")

    with page.expect_download() as info:
        page.get_by_test_id("public-report-2024").click()
    assert info.value.suggested_filename == "v1-rapport.pdf"
    assert open(info.value.path(), "rb").read() == b"%PDF filed pdf"

    with page.expect_download() as info:
        page.get_by_test_id("open-data-csv").click()
    download = info.value
    assert download.suggested_filename == "donnees-ouvertes-monteregie.csv"
    content = open(download.path(), encoding="utf-8").read()
    rows = list(csv.DictReader(io.StringIO(content)))
    assert rows and {row["year"] for row in rows} == {"2024"}
    assert {row["pole_code"] for row in rows} == {"monteregie"}
    for secret in SECRETS:
        assert secret not in content, secret
