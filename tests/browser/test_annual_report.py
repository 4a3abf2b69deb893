"""Issue 25 by clicking: a coordinator records each action's state and narrative and submits;
the director approves; the ministry downloads the filed PDF and workbook twice (same bytes,
the hash shown) and their figures agree; reopened and approved again, version 2 lists its
changes."""

import hashlib
import io
import re
from pathlib import Path

import openpyxl
import pypdf
import pytest

from indicators.action_progress import ActionEntry, action_progress_save
from indicators.models import ActionProgress
from reporting.models import FiledFile, Filing
from tests.browser.conftest import click_and_wait, login, watch_csp, year_nav
from tests.conftest import PASSWORD, find_indicator

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

YEAR = 2025


def new_page(chromium):
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="fr-CA",
                                   accept_downloads=True)
    violations = watch_csp(context)
    page = context.new_page()
    page.csp_violations = violations
    return page


def download(page, locator) -> bytes:
    with page.expect_download() as info:
        locator.click()
    return Path(info.value.path()).read_bytes()


def test_action_progress_to_a_filed_report_and_its_second_version(live_server, chromium, cast,
                                                                   seed, screenshot):
    plan = seed["monteregie"]
    projects = find_indicator(plan, "1.1.1", "Nb de projets")

    # The coordinator records two actions' progress and a result, then submits.
    alice = new_page(chromium)
    login(alice, live_server.url, "alice", PASSWORD)
    click_and_wait(year_nav(alice).get_by_role("link", name="2025-2026", exact=True))
    first = alice.get_by_role("group", name="Avancement de l'action 1.1.1", exact=True)
    first.get_by_label("État de l'action").select_option(label="en cours")
    first.get_by_label("Ce qui a été fait").fill("Comité formé :\n- 6 membres\n- 2 rencontres")
    second = alice.get_by_role("group", name="Avancement de l'action 1.1.2", exact=True)
    second.get_by_label("État de l'action").select_option(label="reportée")
    alice.locator(f"#i{projects.pk}").get_by_label("Résultat", exact=True).fill("3")
    click_and_wait(alice.get_by_role("button", name="Enregistrer", exact=True))
    # Refused as a whole: a postponed action must say why; what was typed is kept.
    second = alice.get_by_role("group", name="Avancement de l'action 1.1.2", exact=True)
    assert "Une action reportée doit dire pourquoi" in second.inner_text()
    assert not ActionProgress.objects.exists()
    second.get_by_label("Motif (reportée ou abandonnée)").fill("Budget gelé")
    click_and_wait(alice.get_by_role("button", name="Enregistrer", exact=True))
    assert ActionProgress.objects.get(action__code="1.1.1", year=YEAR).state == "in_progress"
    alice.get_by_role("button", name="Soumettre à la direction").click()
    click_and_wait(alice.get_by_test_id("confirm-submit"))
    assert "soumise" in alice.get_by_test_id("year-state").inner_text()
    assert alice.get_by_role("group", name="Avancement de l'action 1.1.1",
                             exact=True).count() == 0

    # The director approves from the pôle dashboard, writing the highlights.
    dora = new_page(chromium)
    login(dora, live_server.url, "dora", PASSWORD)
    click_and_wait(year_nav(dora).get_by_role("link", name="2025-2026", exact=True))
    assert "en cours" in dora.get_by_test_id("action-1.1.1").inner_text()
    review = dora.get_by_test_id("year-review")
    review.locator("form[data-gesture=approve] textarea").fill("Une année de consolidation.")
    review.get_by_role("button", name="Approuver", exact=True).click()
    click_and_wait(dora.get_by_test_id("confirm-approve"))  # the confirmation dialog
    filing = Filing.objects.get(plan=plan, year=YEAR)
    assert filing.version == 1

    # The ministry opens the filing from the national view and downloads twice.
    mina = new_page(chromium)
    login(mina, live_server.url, "mina", PASSWORD)
    click_and_wait(year_nav(mina).get_by_role("link", name="2025-2026", exact=True))
    click_and_wait(mina.get_by_test_id("filings-monteregie"))
    assert "version actuelle" in mina.get_by_test_id("filing-1").inner_text()
    files = {}
    for kind in ("pdf", "xlsx"):
        shown = mina.get_by_test_id(f"sha-{kind}-1").inner_text()
        link = mina.get_by_test_id(f"file-{kind}-1")
        once, twice = download(mina, link), download(mina, link)
        assert once == twice
        assert hashlib.sha256(once).hexdigest() == shown
        files[kind] = once
    screenshot(mina, "depot-version-1")
    text = re.sub(r"[ \u00a0\u202f]+", " ", "\n".join(
        page.extract_text() for page in pypdf.PdfReader(io.BytesIO(files["pdf"])).pages))
    book = openpyxl.load_workbook(io.BytesIO(files["xlsx"]))
    actions = {row[1]: row for row in book["Actions"].iter_rows(min_row=2, values_only=True)}
    assert actions["1.1.1"][3] == "en cours" and actions["1.1.2"][3] == "reportée"
    assert "1.1.1" in text and "en cours" in text and "Budget gelé" in text
    assert "Une année de consolidation." in text

    # Staff reopen; the coordination marks 1.1.1 done; the director approves again.
    sam = new_page(chromium)
    login(sam, live_server.url, "sam", PASSWORD)
    click_and_wait(year_nav(sam).get_by_role("link", name="2025-2026", exact=True))
    click_and_wait(sam.get_by_role("link", name=plan.pole.name))
    click_and_wait(year_nav(sam).get_by_role("link", name="2025-2026", exact=True))
    click_and_wait(sam.get_by_test_id("year-review").get_by_role("button",
                                                                 name="Rouvrir l'année"))
    progress = ActionProgress.objects.get(action__code="1.1.1", year=YEAR)
    action_progress_save(plan=plan, year=YEAR, user=cast["alice"], entries=[ActionEntry(
        action=progress.action, fields={"state": "done", "narrative": progress.narrative,
                                        "reason": ""}, seen_version=progress.version)])
    alice.reload()
    alice.get_by_role("button", name="Soumettre à la direction").click()
    click_and_wait(alice.get_by_test_id("confirm-submit"))
    dora.reload()
    dora.get_by_test_id("year-review").get_by_role("button", name="Approuver",
                                                   exact=True).click()
    click_and_wait(dora.get_by_test_id("confirm-approve"))
    assert FiledFile.objects.filter(filing__version=2).count() == 3

    mina.reload()
    assert "version actuelle" in mina.get_by_test_id("filing-2").inner_text()
    assert "remplacée" in mina.get_by_test_id("filing-1").inner_text()
    changes = mina.get_by_test_id("changes-2").inner_text()
    assert "État de l'action" in changes and "réalisée" in changes
    screenshot(mina, "depot-version-2")
    for page in (alice, dora, mina, sam):
        assert page.csp_violations == []
        page.context.close()
