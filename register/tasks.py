"""Register imports run in the background (django-tasks, its database backend: the queue is a
table of our own database, the worker is ``python manage.py db_worker``; no other server).

A file of more than ``settings.REGISTER_IMPORT_BACKGROUND_ROWS`` rows is stored in an
:class:`~register.models.ImportJob` and imported by :func:`activities_import_run` on the
worker, through the same service as a small file (:func:`activities_import`): all or nothing,
every error with its line. The job row carries the progress the page's bar polls, then the
outcome the page lists as it lists a small file's.
"""

from __future__ import annotations

from django.db.models import F
from django.utils import timezone
from django_tasks import task

from indicators.models import Pole
from register.activity_import import (
    ImportOutcome,
    UnreadableFile,
    activities_import,
    activity_dataset_load,
)
from register.models import ImportJob


def import_job_start(*, pole: Pole, user, filename: str, content: bytes, rows: int,
                     dry_run: bool, keep_duplicates: bool) -> ImportJob:
    """Store the file and queue its import; return the job the page follows."""
    job = ImportJob.objects.create(pole=pole, user=user, filename=filename, content=content,
                                   dry_run=dry_run, keep_duplicates=keep_duplicates,
                                   total=rows)
    activities_import_run.enqueue(job.pk)
    job.refresh_from_db()  # an immediate backend has run it already
    return job


@task()
def activities_import_run(job_id: int) -> None:
    """Import the job's file, telling the job how far it is; store the outcome, drop the
    file. An unexpected error marks the job interrupted (nothing was written: the import's
    writes are one transaction) and is raised for the worker's log."""
    job = ImportJob.objects.select_related("pole", "user").get(pk=job_id)
    jobs = ImportJob.objects.filter(pk=job_id)
    jobs.update(state=ImportJob.State.RUNNING)
    try:
        try:
            dataset = activity_dataset_load(bytes(job.content), job.filename)
        except UnreadableFile as exc:
            outcome = ImportOutcome(errors=[str(exc)], dry_run=job.dry_run)
        else:
            outcome = activities_import(
                pole=job.pole, dataset=dataset, user=job.user, dry_run=job.dry_run,
                keep_duplicates=job.keep_duplicates,
                progress=lambda done, total: jobs.update(done=done, total=total))
    except BaseException:
        jobs.update(state=ImportJob.State.FAILED, content=b"", finished_at=timezone.now())
        raise
    jobs.update(state=ImportJob.State.DONE, outcome=outcome.as_dict(), content=b"",
                done=F("total"), finished_at=timezone.now())
