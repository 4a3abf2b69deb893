"""Anonymous, by clicking from the login page: the index of published pôles, Montérégie's
public page (2024-2025 approved, nothing of the 2025-2026 draft) and its open-data CSV."""

import csv
import io

import pytest

from tests.browser.conftest import click_and_wait
from tests.public.conftest import SECRETS, published  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_anonymous_reaches_monteregies_public_page_and_its_csv_from_the_login_page(
        live_server, page, published, screenshot):  # noqa: F811
    page.goto(f"{live_server.url}/compte/login/")
    click_and_wait(page.get_by_test_id("login-public"))
    assert page.get_by_role("heading", level=1).inner_text() == "Pôles publiés"
    click_and_wait(page.get_by_role("link", name=published["pole"].name, exact=True))
    assert page.get_by_role("heading", level=1).inner_text() == published["pole"].name
    year = page.get_by_test_id("public-year-2024")
    assert "Résultats 2024-2025" in year.inner_text()
    page.wait_for_selector('[data-chart="chart-2024"] svg')
    assert page.get_by_test_id("public-year-2025").count() == 0
    text = page.locator("body").inner_text()
    for secret in SECRETS:
        assert secret not in text, secret
    assert page.js_errors == []
    screenshot(page, "public-monteregie")

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
