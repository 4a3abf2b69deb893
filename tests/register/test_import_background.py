"""Large register files: imported by the background worker (django-tasks, database backend)
with a progress bar, through the same all-or-nothing service; the dry run shows how each
organisation name was read; every error names its line in the file; organisations are shown
one way everywhere."""

import html
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from indicators.models import Result, YearReport
from indicators.plan_import import load_dataset
from register.activity_import import activities_import
from register.models import Activity, ImportJob, Organisation

HEADER = "Titre;Type;Statut;Début;Fin;Actions;Établissements et partenaires;Étudiants\n"
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def rows(count: int, year: int = 2025) -> str:
    return "".join(f"Activité {n};Projet de concertation;réalisée;{year}-09-{n + 1:02d};;1.1.1;"
                   f"UQAM;{n}\n" for n in range(count))


def upload(text: str, name: str = "registre.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"))


def tables() -> tuple[int, int, int, int]:
    """What an import may write: activities, their history, their links, results."""
    return (Activity.objects.count(), Activity.history.count(),
            Activity.organisations.through.objects.count(), Result.objects.count())


@pytest.fixture
def mont(seed, directory, settings):
    settings.REGISTER_IMPORT_BACKGROUND_ROWS = 3
    return seed["monteregie"]


def run_worker_once():
    """``db_worker --batch``: the queue's jobs, then it stops. The worker closes stale
    connections as it wakes, which on PostgreSQL would close the test's own transaction; the
    test keeps it open (the worker runs in the test's connection)."""
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def test_a_big_file_is_queued_then_the_worker_imports_every_row(client, mont, cast):
    client.force_login(cast["alice"])
    response = client.post(f"/registre/{mont.pole.code}/importer/",
                           {"file": upload(HEADER + rows(5))})
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response.url == f"/registre/{mont.pole.code}/importer/{job.pk}/"
    assert job.state == ImportJob.State.QUEUED and job.total == 5
    assert not Activity.objects.exists()
    page = client.get(response.url)
    assert page.status_code == 200
    assert 'data-testid="import-progress"' in page.content.decode()
    assert "En attente</span> : <span id=\"import-bar-text\">0\u00a0% — lignes lues : 0 sur 5" \
        in page.content.decode()

    run_worker_once()

    job.refresh_from_db()
    assert job.state == ImportJob.State.DONE and job.percent == 100 and not job.content
    assert Activity.objects.filter(pole=mont.pole).count() == 5
    assert client.get(response.url + "?etat").json()["finished"] is True
    finished = client.get(response.url, follow=True)
    assert finished.redirect_chain[-1][0] == f"/registre/{mont.pole.code}/"
    assert "créées : 5" in finished.content.decode()


def test_a_refused_big_file_changes_no_table_and_lists_its_errors_by_line(client, mont, cast,
                                                                           settings):
    settings.TASKS = IMMEDIATE
    YearReport.objects.create(plan=mont, year=2024, state=YearReport.State.APPROVED)
    activities_import(pole=mont.pole, user=cast["alice"],
                      dataset=load_dataset((HEADER + rows(2)).encode(), "r.csv"))
    before = tables()
    text = HEADER + rows(3) + "Mauvaise;Projet inconnu;réalisée;2025-09-20;;;;\n" + (
        "Ancienne;Publication;réalisée;2024-09-10;;;;\n") + rows(2).replace("Activité", "Autre")
    client.force_login(cast["alice"])
    response = client.post(f"/registre/{mont.pole.code}/importer/", {"file": upload(text)},
                           follow=True)
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert "Rien n'a été importé" in page
    assert "Ligne 5 : le type « Projet inconnu » est inconnu." in page
    assert tables() == before
    assert ImportJob.objects.get().state == ImportJob.State.DONE
    # The year lock is checked once the rows read: its error names its line too.
    text = HEADER + rows(3) + "Ancienne;Publication;réalisée;2024-09-10;;;;\n"
    page = html.unescape(client.post(f"/registre/{mont.pole.code}/importer/",
                                     {"file": upload(text)}, follow=True).content.decode())
    assert "Ligne 5 : « Ancienne » tombe dans une année soumise ou approuvée" in page
    assert tables() == before


def test_the_progress_of_another_poles_job_is_404_and_a_director_gets_403(client, mont, cast,
                                                                          seed):
    job = ImportJob.objects.create(pole=mont.pole, user=cast["alice"], filename="r.csv",
                                   total=10, done=4)
    url = f"/registre/{mont.pole.code}/importer/{job.pk}/"
    client.force_login(cast["alice"])
    assert client.get(url + "?etat").json() == {
        "state": "queued", "state_label": "En attente", "percent": 40,
        "text": "40\u00a0% — lignes lues : 4 sur 10", "finished": False}
    client.force_login(cast["dora"])
    assert client.get(url).status_code == 403
    client.force_login(cast["quentin"])
    queb = seed["quebec"].pole.code
    assert client.get(f"/registre/{queb}/importer/{job.pk}/").status_code == 404


def test_a_small_file_is_still_imported_in_the_request(client, mont, cast):
    client.force_login(cast["alice"])
    response = client.post(f"/registre/{mont.pole.code}/importer/",
                           {"file": upload(HEADER + rows(3))})
    assert response.status_code == 302 and response.url == f"/registre/{mont.pole.code}/"
    assert Activity.objects.count() == 3 and not ImportJob.objects.exists()


def test_the_dry_run_shows_how_each_organisation_name_was_read(client, mont, cast):
    text = HEADER + (
        "A;Publication;réalisée;2025-09-10;;;UQAM;\n"
        'B;Publication;réalisée;2025-09-10;;;"Cegep Edouard Montpetit; Universite de Sherbroke";\n'
        "C;Publication;réalisée;2025-09-10;;;UQAM;\n")
    client.force_login(cast["alice"])
    response = client.post(f"/registre/{mont.pole.code}/importer/",
                           {"file": upload(text), "dry_run": "on"})
    assert response.status_code == 200
    page = response.content.decode()
    table = page[page.index('data-testid="import-names"'):]
    assert ("<td>UQAM</td><td>→ Université du Québec à Montréal (UQAM)</td>"
            "<td>acronyme</td><td>2</td>") in table
    assert "<td>Cegep Edouard Montpetit</td><td>→ Cégep Édouard-Montpetit</td><td>exact</td>" \
        in table
    assert ("<td>Universite de Sherbroke</td><td>→ Université de Sherbrooke (UdeS)</td>"
            "<td>approximatif 98\u00a0%</td><td>3</td>") in table
    assert table.count("<td>UQAM</td>") == 1
    assert not Activity.objects.exists()


def test_an_unknown_name_is_shown_as_unknown_beside_its_error(client, mont, cast):
    text = HEADER + "A;Publication;réalisée;2025-09-10;;;Boulangerie du coin;\n"
    client.force_login(cast["alice"])
    page = html.unescape(client.post(f"/registre/{mont.pole.code}/importer/",
                                     {"file": upload(text), "dry_run": "on"}).content.decode())
    assert "Ligne 2 : « Boulangerie du coin » n'est pas au répertoire" in page
    assert "<td>Boulangerie du coin</td><td>—</td><td>inconnu</td>" in page


def test_blank_lines_are_counted_in_the_line_numbers(mont, cast):
    text = HEADER + "A;Publication;réalisée;2025-09-10;;;;\n\n;;\nB;Publication;réalisée;" \
        "10/09/2025;;;;\n"
    outcome = activities_import(pole=mont.pole, user=cast["alice"],
                                dataset=load_dataset(text.encode(), "r.csv",
                                                     keep_blank_rows=True))
    assert outcome.errors == ["Ligne 5 : la date Début « 10/09/2025 » n'est pas lisible "
                              "(attendu AAAA-MM-JJ)."]


def test_the_page_counts_blank_lines_too(client, mont, cast):
    text = HEADER + "A;Publication;réalisée;2025-09-10;;;;\n\nB;Inconnu;réalisée;2025-09-10;;;;\n"
    client.force_login(cast["alice"])
    page = client.post(f"/registre/{mont.pole.code}/importer/",
                       {"file": upload(text)}).content.decode()
    assert "Ligne 4 : le type « Inconnu » est inconnu." in page


def test_missing_columns_name_the_header_line(mont, cast):
    outcome = activities_import(pole=mont.pole, user=cast["alice"],
                                dataset=load_dataset(b"Titre;Statut\nA;fait\n", "r.csv"))
    assert outcome.errors == ["Ligne 1 : colonnes manquantes : Type, Début."]


def test_a_bulk_created_activity_has_one_history_record_with_its_links(mont, cast):
    activities_import(pole=mont.pole, user=cast["alice"],
                      dataset=load_dataset((HEADER + rows(2)).encode(), "r.csv"))
    activity = Activity.objects.get(title="Activité 1")
    record = activity.history.get()
    assert record.history_type == "+" and record.history_user == cast["alice"]
    assert record.history_change_reason == "Import du registre"
    assert [link.organisation.abbreviation for link in record.organisations.all()] == ["UQAM"]
    assert [link.action.code for link in record.actions.all()] == ["1.1.1"]
    assert activity.updated_by == cast["alice"] and activity.version == 1


def test_an_organisation_is_shown_by_its_full_name_and_acronym(client, mont, cast):
    uqam = Organisation.objects.get(abbreviation="UQAM", pole__isnull=True)
    assert uqam.display_name == "Université du Québec à Montréal (UQAM)"
    assert Organisation(name="Maison de la famille").display_name == "Maison de la famille"
    activities_import(pole=mont.pole, user=cast["alice"],
                      dataset=load_dataset((HEADER + rows(1)).encode(), "r.csv"))
    client.force_login(cast["alice"])
    page = client.get(f"/registre/{mont.pole.code}/").content.decode()
    assert "<td>Université du Québec à Montréal (UQAM)</td>" in page


def test_a_big_dry_run_shows_its_outcome_and_names_on_the_jobs_page(client, mont, cast,
                                                                    settings):
    settings.TASKS = IMMEDIATE
    client.force_login(cast["alice"])
    response = client.post(f"/registre/{mont.pole.code}/importer/",
                           {"file": upload(HEADER + rows(5)), "dry_run": "on"}, follow=True)
    job = ImportJob.objects.get()
    assert response.redirect_chain == [(f"/registre/{mont.pole.code}/importer/{job.pk}/", 302)]
    page = html.unescape(response.content.decode())
    assert "Vérification réussie (rien n'est enregistré). Activités qui seraient créées : 5" \
        in page
    assert "<td>UQAM</td><td>→ Université du Québec à Montréal (UQAM)</td><td>acronyme</td>" \
        in page
    assert not Activity.objects.exists()
