"""Filing a pôle-year: the files made once at each approval, kept as filed.

:func:`filing_on_approval` runs inside the approval's transaction (installed on
:func:`indicators.hooks.year_approved` by the app): it makes the workbook, the CSV and the PDF
from the approved year, stores them through Django's storage API and records them with their
SHA-256 as the next version of the year's filing. The files are written to storage before
the transaction commits, so that a committed :class:`~reporting.models.Filing` always has its
files; should the approval roll back afterwards, the files it wrote are left unreferenced
(harmless: nothing points at them, and a download is always looked up from a committed row).
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.db.models import Max, OuterRef, Subquery
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from indicators.models import ActionProgress, Plan
from indicators.selectors import action_progress_rows, plans_progress
from reporting.exports import pole_workbook, result_lines, results_csv
from reporting.models import FiledFile, Filing
from reporting.report_pdf import annual_report_pdf, shown


def filing_on_approval(*, plan: Plan, year: int, user, at, comment: str = "") -> Filing:
    """The hook's listener: file the approved year."""
    return filing_create(plan=plan, year=year, user=user, at=at, comment=comment)


def filing_create(*, plan: Plan, year: int, user, at, comment: str = "") -> Filing:
    """Make the year's workbook, CSV and PDF once, store them, and record them as the next
    version of the pôle-year's filing (call inside the approval's transaction)."""
    with translation.override(settings.LANGUAGE_CODE):
        # a filing is the ministry's record, in the project's language whoever approves it
        return _filing_create(plan=plan, year=year, user=user, at=at, comment=comment)


def _filing_create(*, plan: Plan, year: int, user, at, comment: str) -> Filing:
    thresholds = settings.ACHIEVEMENT_THRESHOLDS
    last = Filing.objects.filter(plan=plan, year=year).aggregate(n=Max("version"))["n"] or 0
    exports = [(FiledFile.Kind.PDF, annual_report_pdf(plan, year, thresholds)),
               (FiledFile.Kind.WORKBOOK, pole_workbook(plan, year, thresholds)),
               (FiledFile.Kind.CSV, results_csv(plan, year, thresholds))]
    filing = Filing.objects.create(plan=plan, year=year, version=last + 1, approved_by=user,
                                   approved_at=at, comment=comment,
                                   snapshot=filing_snapshot(plan, year))
    for kind, export in exports:
        filed = FiledFile(filing=filing, kind=kind, filename=export.filename,
                          content_type=export.content_type, size=len(export.content),
                          sha256=hashlib.sha256(export.content).hexdigest())
        filed.file.save(export.filename, ContentFile(export.content), save=False)
        filed.save()
    return filing


def filing_snapshot(plan: Plan, year: int) -> dict:
    """The filed figures the differences between versions are listed from: each indicator's
    result and target as the report prints them, each action's state and reason."""
    items = plans_progress([plan], year, plain=True)[plan.pk]
    results, targets = {}, {}
    for item in items:
        key = f"{item.action.code} · {item.indicator.label}"
        line = next(result_lines([item], settings.ACHIEVEMENT_THRESHOLDS))
        results[key] = shown(line.result, line.unit)
        targets[key] = line.target_text or "—"
    actions = {f"{row['code']} {row['title']}": {
        "state": row["state"] or "", "narrative": row["narrative"] or "",
        "reason": row["reason"] or ""} for row in action_progress_rows([plan], year)}
    return {"results": results, "targets": targets, "actions": actions}


@dataclass(frozen=True)
class Change:
    """One difference between two filed versions."""

    what: str  # « Résultat », « Cible », « État de l'action »…
    subject: str
    before: str
    after: str


def _state(value: str) -> str:
    return str(ActionProgress.State(value).label) if value else _("non renseigné")


def filing_changes(older: Filing, newer: Filing) -> list[Change]:
    """What changed from ``older`` to ``newer``: results, targets, action states (with their
    narrative and reason), in the plan's order (no query)."""
    changes = []
    for part, what in (("results", _("Résultat")), ("targets", _("Cible"))):
        before, after = older.snapshot.get(part, {}), newer.snapshot.get(part, {})
        for key in dict.fromkeys([*after, *before]):
            if before.get(key, "—") != after.get(key, "—"):
                changes.append(Change(what, key, before.get(key, "—"), after.get(key, "—")))
    before, after = older.snapshot.get("actions", {}), newer.snapshot.get("actions", {})
    empty = {"state": "", "narrative": "", "reason": ""}
    for key in dict.fromkeys([*after, *before]):
        old, new = before.get(key, empty), after.get(key, empty)
        if old["state"] != new["state"]:
            changes.append(Change(_("État de l'action"), key, _state(old["state"]),
                                  _state(new["state"])))
        for field, what in (("narrative", _("Ce qui a été fait")), ("reason", _("Motif"))):
            if old[field] != new[field]:
                changes.append(Change(what, key, old[field] or "—", new[field] or "—"))
    return changes


@dataclass
class FilingView:
    """A filed version as the filings page shows it."""

    filing: Filing
    files: list[FiledFile]
    current: bool
    changes: list[Change] | None  # from the version before (None for version 1)


def filings_of(plan: Plan, year: int) -> list[FilingView]:
    """The pôle-year's filed versions, newest first, each with its files and what changed
    since the version before (two queries)."""
    filings = list(Filing.objects.filter(plan=plan, year=year).select_related("approved_by")
                   .prefetch_related("files").order_by("-version"))
    views = []
    for index, filing in enumerate(filings):
        previous = filings[index + 1] if index + 1 < len(filings) else None
        views.append(FilingView(filing, list(filing.files.all()), index == 0,
                                filing_changes(previous, filing) if previous else None))
    return views


def filed_versions(plans: list[Plan], year: int) -> dict[int, str]:
    """Plan id → the current filed version of its ``year`` as the national workbook says it
    (« version 2 du 2026-06-15 »), for plans that have one (one query)."""
    latest = {}
    for row in (Filing.objects.filter(plan__in=plans, year=year)
                .order_by("plan_id", "version").values("plan_id", "version", "approved_at")):
        latest[row["plan_id"]] = row
    return {plan_id: _("version %(n)s du %(date)s") % {
        "n": row["version"], "date": timezone.localtime(row["approved_at"]).date().isoformat()}
        for plan_id, row in latest.items()}


@dataclass(frozen=True)
class PublicFiling:
    """The latest filed version of an approved year as the public page and the open data
    show it: its number, when it was approved, and its PDF (never the workbook or the CSV,
    nor who approved it)."""

    plan_id: int
    year: int
    version: int
    approved_at: datetime.datetime
    pdf_id: int | None


def latest_public_filings(plans: list[Plan],
                          approved: dict[int, dict[int, datetime.datetime]]
                          ) -> dict[tuple[int, int], PublicFiling]:
    """(plan id, year) → the latest filed version of each of ``approved`` years (plan id →
    approved years, :func:`indicators.selectors.approved_years`), with its PDF's id (one
    query; none without an approved year). A year not approved is never looked up."""
    years = {year for by_year in approved.values() for year in by_year}
    plans = [plan for plan in plans if plan.pk in approved]
    if not plans or not years:
        return {}
    pdf = FiledFile.objects.filter(filing=OuterRef("pk"), kind=FiledFile.Kind.PDF)
    latest = {}
    for row in (Filing.objects.filter(plan__in=plans, year__in=years)
                .annotate(pdf_id=Subquery(pdf.values("pk")[:1]))
                .order_by("plan_id", "year", "version")
                .values("plan_id", "year", "version", "approved_at", "pdf_id")):
        if row["year"] in approved.get(row["plan_id"], {}):
            latest[row["plan_id"], row["year"]] = PublicFiling(**row)
    return latest


def public_pdf(plan: Plan, year: int) -> FiledFile | None:
    """The PDF of the latest filed version of ``plan``'s ``year`` (one query). The caller
    checks the pôle is published and the year approved."""
    return (FiledFile.objects.filter(filing__plan=plan, filing__year=year,
                                     kind=FiledFile.Kind.PDF)
            .order_by("-filing__version").first())


def filed_file_for(user, file_id: int) -> FiledFile:
    """A filed file the user may read (404 for another pôle's or an unknown one; two
    queries)."""
    from django.http import Http404

    from indicators import access

    filed = FiledFile.objects.select_related("filing").filter(pk=file_id).first()
    if filed is None:
        raise Http404
    access.plan_for(user, filed.filing.plan_id)  # 404 for another pôle's filing
    return filed


