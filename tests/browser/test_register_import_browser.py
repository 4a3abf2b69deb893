"""Real headless Chromium: a large register file goes to the background worker; its page shows
a progress bar that polls the job, then lands on the register with the imported rows."""

import pytest
from django.core.management import call_command

from register.directory import directory_load
from register.models import Activity, ImportJob
from register.seeding import activity_kinds_ensure
from tests.browser.conftest import login
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADER = "Titre;Type;Statut;Début;Fin;Actions;Établissements et partenaires;Étudiants\n"


def test_a_large_file_shows_its_progress_then_the_register(live_server, page, cast, seed,
                                                           settings, tmp_path, screenshot):
    settings.REGISTER_IMPORT_BACKGROUND_ROWS = 3
    activity_kinds_ensure()  # an earlier transactional test's flush removed the migration's
    directory_load()
    path = tmp_path / "registre.csv"
    path.write_text(HEADER + "".join(
        f"Activité {n};Projet de concertation;réalisée;2025-09-{n + 1:02d};;1.1.1;UQAM;{n}\n"
        for n in range(6)), encoding="utf-8")

    login(page, live_server.url, "alice", PASSWORD)
    page.get_by_test_id("nav-register").click()
    page.get_by_role("link", name="Importer un registre").click()
    page.set_input_files("#id_file", str(path))
    page.get_by_role("button", name="Importer").click()
    page.wait_for_load_state("networkidle")
    progress = page.get_by_test_id("import-progress")
    assert "En attente : 0\u00a0% — lignes lues : 0 sur 6" in progress.inner_text()
    assert page.locator("progress#import-bar").get_attribute("value") == "0"
    screenshot(page, "registre-import-en-attente")
    assert not Activity.objects.exists()

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    assert ImportJob.objects.get().state == ImportJob.State.DONE

    # The page's script sees the job finished and reloads: the register, with the message.
    page.wait_for_url(f"{live_server.url}/registre/{seed['monteregie'].pole.code}/",
                      timeout=10_000)
    assert "créées : 6" in page.inner_text(".messages")
    assert "Activité 5" in page.inner_text("table.activities")
    assert page.js_errors == []
