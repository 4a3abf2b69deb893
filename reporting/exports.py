"""The annual reddition de compte: exporters that yield rows (header first) from the same
query functions the dashboards use, and the files built from them.

Each table declares its columns once (:class:`Column`: header, width, number format and value
getter side by side); exporters return an :class:`Export` (file name, content type, bytes).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from indicators import targets as tl
from indicators import workflow
from indicators.formatting import person_name
from indicators.history import action_changes, changes
from indicators.models import (
    ActionProgress,
    BreakdownMember,
    Plan,
    YearReport,
    fiscal_year_label,
)
from indicators.progress import (
    DEGREE_LABELS,
    STATUS_LABELS,
    STATUS_ORDER,
    IndicatorProgress,
    group_progress,
    summarize,
)
from indicators.progress import (
    headline as progress_headline,
)
from indicators.selectors import (
    action_progress_rows,
    plans_progress,
    plans_progress_stream,
    plans_progress_years,
    year_report,
    year_reports,
    year_transitions,
)
from indicators.spreadsheets import CSV_TYPE, XLSX_TYPE, Export
from register import exports as register_exports
from reporting.writers import Badge, Num, Ratio, XlsxBook, write_csv

# How a column's values are written: as text, in the row's unit (count, percent, minutes,
# money), as a gap in the row's unit (points of percentage for a percent indicator), as a share
# (0.58 is 58 %), or as a coloured status or degree badge.
TEXT, UNIT, GAP, RATIO, BADGE = "text", "unit", "gap", "ratio", "badge"


@dataclass(frozen=True)
class Column:
    """One column of an exported table: its header, width, number format and value."""

    header: str | Callable[[int], str]  # text, or a function of the report year
    width: int
    value: Callable[[Any], Any]
    number_format: str = TEXT

    def title(self, year: int) -> str:
        return self.header(year) if callable(self.header) else str(self.header)

    def cell(self, line: Any):
        value = self.value(line)
        if self.number_format == UNIT and isinstance(value, Decimal | int):
            return Num(value, line.unit)
        if self.number_format == GAP and isinstance(value, Decimal | int):
            return Num(value, tl.Unit.POINTS if line.unit == tl.Unit.PERCENT else line.unit)
        if self.number_format == RATIO:
            return Ratio(value)
        if self.number_format == BADGE:
            return _badge(value)
        return value


def header(columns: Sequence[Column], year: int) -> list[str]:
    return [column.title(year) for column in columns]


def widths(columns: Sequence[Column]) -> tuple[int, ...]:
    return tuple(column.width for column in columns)


def _badge(key: tl.Status | tl.Degree | None) -> Badge | str:
    if not key:
        return ""
    return _badge_in(type(key), key, get_language())


@functools.cache
def _badge_in(kind: type, key: tl.Status | tl.Degree, language: str | None) -> Badge:
    """A status or degree badge in ``language``: translated once, not once per cell (a
    national workbook has tens of thousands)."""
    labels = DEGREE_LABELS if kind is tl.Degree else STATUS_LABELS
    return Badge(key, str(labels[key]))


def _themes(item: IndicatorProgress) -> str:
    return ", ".join(t.code for t in item.action.theme_list)


def _measure(result, unit: str):
    if result is None:
        return None
    if result.not_applicable:
        return _("Non applicable")
    if unit == tl.Unit.DELIVERABLE:
        return {True: _("Réalisé"), False: _("Non réalisé")}.get(result.done)
    return Num(result.value, unit)


def _evidence(results) -> str:
    links = [r.evidence_url for r in results if r.evidence_url]
    links += [str(r.evidence_file) for r in results if r.evidence_file]  # its stored name
    return "\n".join(links)


def _latest(results):
    return max(results, key=lambda r: r.updated_at, default=None)


def _updated_at(results):
    """When the line's results last changed: a real date cell (local time)."""
    latest = _latest(results)
    return timezone.localtime(latest.updated_at).replace(tzinfo=None) if latest else None


def _updated_by(results) -> str:
    """Who last saved the line; when no person did, what wrote it: the register's
    computation or the demo data."""
    latest = _latest(results)
    if latest is None:
        return ""
    name = getattr(latest, "updated_by_name", None) or ""
    if name:
        return name
    if latest.computed_value is not None and not latest.override_reason:
        return _("calculé (registre)")
    if latest.is_demo:
        return _("démonstration")
    return ""


@dataclass
class ResultLine:
    """One row of the ``Résultats`` table: an indicator's total, or one breakdown member."""

    item: IndicatorProgress
    member: BreakdownMember | None
    evaluation: tl.Evaluation | None  # the member's own evaluation for a member row
    thresholds: dict
    target_value: Decimal | None = None
    measured: Decimal | None = None

    @property
    def unit(self) -> str:
        return self.item.indicator.unit

    @property
    def results(self) -> list:
        if self.member is None:
            return self.item.results_for_year
        result = self.series.get(self.item.year)
        return [result] if result else []

    @property
    def series(self) -> dict:
        return self.item.member_results.get(self.member.pk, {}) if self.member else {}

    @property
    def target_text(self) -> str:
        target = self.item.target
        if target is None or (self.member is not None and not self.item.indicator.per_member):
            return ""
        return target.text

    @property
    def retained_target(self):
        if self.target_value is not None:
            return self.target_value
        target = self.item.target
        if self.member is None and target and target.kind == tl.Kind.DELIVERABLE:
            return target.deliverable
        return ""

    @property
    def previous(self):
        if self.member is None:
            return _measure(self.item.previous_result, self.unit)
        return _measure(self.series.get(self.item.year - 1), self.unit)

    @property
    def result(self):
        if self.member is None:
            return self.measured if self.measured is not None else _measure(
                self.item.result, self.unit)
        return _measure(self.series.get(self.item.year), self.unit)

    @property
    def gap(self) -> Decimal | None:
        if self.member is None:
            value = self.measured
        else:
            result = self.series.get(self.item.year)
            value = result.value if result else None
        if value is None or self.target_value is None:
            return None
        return value - self.target_value

    @property
    def achievement(self) -> Decimal | None:
        if self.evaluation is None or self.evaluation.achievement is None:
            return None
        return self.evaluation.achievement / 100

    @property
    def degree(self) -> tl.Degree | None:
        if self.evaluation is None:
            return None
        return tl.degree(self.evaluation, **self.thresholds)

    @property
    def status(self) -> tl.Status | None:
        return self.evaluation.status if self.evaluation is not None else None

    @property
    def reason(self) -> str:
        """Why a line is not judged (Non évaluable, a result declared not applicable) or why a
        whole-period target is still *En cours*."""
        if self.evaluation is None:
            return ""
        if self.status is tl.Status.NOT_ASSESSABLE or (
                self.status is tl.Status.IN_PROGRESS and self.item.is_period_target):
            return self.evaluation.reason
        return ""

    @property
    def source(self) -> str:
        """« calculé » for a value computed from the activity register, « remplacé : motif »
        when a coordinator replaced it; empty for a typed value."""
        result = self.results[0] if self.member is not None and self.results else (
            self.item.result if self.member is None else None)
        if result is None or result.computed_value is None:
            return ""
        if result.is_overridden:
            return _("remplacé : %(reason)s") % {"reason": result.override_reason}
        return _("calculé")

    @property
    def target_reading(self) -> str:
        return self.item.target.reading_text if self.target_text else ""

    @property
    def target_note(self) -> str:
        return self.item.target.note if self.target_text else ""

    def for_total(self, getter: Callable[[IndicatorProgress], str]) -> str:
        """A value only the indicator's own row carries (member rows leave it blank)."""
        return getter(self.item) if self.member is None else ""


def _comments(item: IndicatorProgress) -> str:
    return "\n".join(r.comment for r in item.results_for_year if r.comment)


# The ministry's annual management reports read Indicateur | Cible | Résultat | Atteinte de la
# cible; our degree of achievement, share and gap follow, then what explains the line.
RESULT_COLUMNS = (
    Column(lambda year: _("Orientation"), 28,
           lambda line: f"{line.item.orientation.code} {line.item.orientation.title}"),
    Column(lambda year: _("Objectif"), 28,
           lambda line: f"{line.item.objective.code} {line.item.objective.title}"),
    Column(lambda year: _("Action"), 30,
           lambda line: f"{line.item.action.code} {line.item.action.title}"),
    Column(lambda year: _("Indicateur"), 40, lambda line: line.item.indicator.label),
    Column(lambda year: _("Membre"), 14, lambda line: line.member.label if line.member else ""),
    Column(lambda year: _("Cible"), 22, lambda line: line.target_text),
    Column(lambda year: _("Cible lue comme"), 26, lambda line: line.target_reading),
    Column(lambda year: _("Résultat %(year)s") % {"year": fiscal_year_label(year - 1)}, 12,
           lambda line: line.previous, UNIT),
    Column(lambda year: _("Résultat %(year)s") % {"year": fiscal_year_label(year)}, 12,
           lambda line: line.result, UNIT),
    Column(lambda year: _("Atteinte de la cible"), 14, lambda line: line.status, BADGE),
    Column(lambda year: _("Degré d'atteinte"), 16, lambda line: line.degree, BADGE),
    # xgettext:no-python-format
    Column(lambda year: _("% d'atteinte"), 10, lambda line: line.achievement, RATIO),
    Column(lambda year: _("Cible retenue"), 12, lambda line: line.retained_target, UNIT),
    Column(lambda year: _("Écart"), 10, lambda line: line.gap, GAP),
    Column(lambda year: _("Motif"), 36, lambda line: line.reason),
    Column(lambda year: _("Source"), 18, lambda line: line.source),
    Column(lambda year: _("Note de lecture de la cible"), 36, lambda line: line.target_note),
    Column(lambda year: _("Thème MES"), 10, lambda line: _themes(line.item)),
    Column(lambda year: _("Cible de l'année suivante"), 22, lambda line: line.for_total(
        lambda item: item.next_target.text if item.next_target else "")),
    Column(lambda year: _("Commentaire"), 36, lambda line: line.for_total(_comments)),
    Column(lambda year: _("Pièces justificatives"), 30,
           lambda line: line.for_total(lambda item: _evidence(item.results_for_year))),
    Column(lambda year: _("Dernière mise à jour"), 17, lambda line: _updated_at(line.results)),
    Column(lambda year: _("Mise à jour par"), 16, lambda line: _updated_by(line.results)),
)
# Frozen with the header: the columns up to the indicator's label.
RESULT_FREEZE = "E2"


def result_lines(items: list[IndicatorProgress], thresholds: dict) -> Iterator[ResultLine]:
    """Each ``Résultats`` line: the indicator's total, then one per breakdown member."""
    for item in items:
        indicator, evaluation, target = item.indicator, item.evaluation, item.target
        resolved = evaluation.resolved_target
        if resolved is None and target is not None and target.kind == tl.Kind.VALUE:
            resolved = target.value
        yield ResultLine(item, None, evaluation, thresholds, target_value=resolved,
                         measured=evaluation.measured)
        for member in indicator.member_list:
            member_eval = evaluation.members.get(member.label)
            target_value = member_eval.resolved_target if member_eval else None
            if target_value is None and target is not None and target.kind == tl.Kind.VALUE and (
                    indicator.per_member):
                target_value = target.value
            yield ResultLine(item, member, member_eval, thresholds, target_value=target_value)


def results_rows(items: list[IndicatorProgress], year: int, thresholds: dict) -> Iterator[list]:
    """The ``Résultats`` table, header first: one row per indicator and per breakdown member."""
    yield header(RESULT_COLUMNS, year)
    for line in result_lines(items, thresholds):
        yield [column.cell(line) for column in RESULT_COLUMNS]


@dataclass
class MultiyearLine:
    """One indicator across the plan years (its progress for each year)."""

    by_year: dict[int, IndicatorProgress]
    first: IndicatorProgress

    @property
    def unit(self) -> str:
        return self.first.indicator.unit


def _year_columns(year: int) -> tuple[Column, ...]:
    label = fiscal_year_label(year)

    def result(line: MultiyearLine):
        progress = line.by_year[year]
        measured = progress.evaluation.measured
        return measured if measured is not None else _measure(progress.result, line.unit)

    return (
        Column(_("Cible %(y)s") % {"y": label}, 14,
               lambda line: line.by_year[year].target.text if line.by_year[year].target else ""),
        Column(_("Résultat %(y)s") % {"y": label}, 12, result, UNIT),
        Column(_("Statut %(y)s") % {"y": label}, 14, lambda line: line.by_year[year].status,
               BADGE),
    )


def multiyear_columns(plan: Plan) -> tuple[Column, ...]:
    fixed = (
        Column(_("Orientation"), 28,
               lambda line: f"{line.first.orientation.code} {line.first.orientation.title}"),
        Column(_("Action"), 30,
               lambda line: f"{line.first.action.code} {line.first.action.title}"),
        Column(_("Indicateur"), 40, lambda line: line.first.indicator.label),
    )
    return fixed + tuple(column for year in plan.years for column in _year_columns(year))


def multiyear_rows(plan: Plan, by_year: dict[int, list[IndicatorProgress]]) -> Iterator[list]:
    """``Pluriannuel``: each indicator with target, result and status per plan year."""
    columns = multiyear_columns(plan)
    yield header(columns, plan.years[0])
    for index, item in enumerate(by_year[plan.years[0]]):
        line = MultiyearLine({year: by_year[year][index] for year in plan.years}, item)
        yield [column.cell(line) for column in columns]


def journal_rows(plan: Plan, year: int) -> Iterator[list]:
    """``Journal``: the year's changes to results and targets, newest first."""
    yield [_("Quand"), _("Qui"), _("Indicateur"), _("Objet"), _("Champ"), _("Avant"),
           _("Après"), _("Motif")]
    rows = [(change.when, [change.when, change.who, change.indicator_label, change.subject,
                           change.field, change.old, change.new, change.reason])
            for change in changes(plan=plan, year=year)]
    # The actions' progress (state, narrative, reason) is part of the year's journal too.
    rows += [(change.when, [change.when, change.who, change.action, change.subject,
                            change.field, change.old, change.new, change.reason])
             for change in action_changes(plan=plan, year=year)]
    rows.sort(key=lambda row: row[0], reverse=True)
    for _when, row in rows:
        yield row


MEASURED_STATUSES = frozenset({tl.Status.MET, tl.Status.NOT_MET, tl.Status.IN_PROGRESS})


@dataclass
class ActionLine:
    """One row of the ``Actions`` table: an action, what became of it in the year, and how
    many of its indicators met their target of those measured."""

    row: dict  # from indicators.selectors.action_progress_rows
    met: int = 0
    measured: int = 0
    pole: str = ""

    @property
    def state_label(self) -> str:
        state = self.row["state"]
        return str(ActionProgress.State(state).label) if state else _("non renseigné")

    @property
    def orientation(self) -> str:
        return f"{self.row['orientation_code']} {self.row['orientation_title']}"

    @property
    def met_of_measured(self) -> str:
        return f"{self.met} / {self.measured}"


ACTION_COLUMNS = (
    Column(lambda year: _("Orientation"), 28, lambda line: line.orientation),
    Column(lambda year: _("Code"), 10, lambda line: line.row["code"]),
    Column(lambda year: _("Action"), 44, lambda line: line.row["title"]),
    Column(lambda year: _("État de l'action"), 16, lambda line: line.state_label),
    Column(lambda year: _("Ce qui a été fait"), 60, lambda line: line.row["narrative"] or ""),
    Column(lambda year: _("Motif"), 36, lambda line: line.row["reason"] or ""),
    Column(lambda year: _("Indicateurs atteints / mesurés"), 16,
           lambda line: line.met_of_measured),
)
NATIONAL_ACTION_COLUMNS = (
    Column(lambda year: _("Pôle"), 26, lambda line: line.pole),
) + ACTION_COLUMNS


def action_counts(items: list[IndicatorProgress]) -> dict[int, tuple[int, int]]:
    """Action id → (indicators met, indicators measured) in the year's ``items`` (no query)."""
    counts: dict[int, tuple[int, int]] = {}
    for item in items:
        met, measured = counts.get(item.action.pk, (0, 0))
        if item.status in MEASURED_STATUSES:
            met, measured = met + (item.status == tl.Status.MET), measured + 1
        counts[item.action.pk] = (met, measured)
    return counts


def action_lines(plans: list[Plan], year: int,
                 counts: dict[int, tuple[int, int]]) -> list[ActionLine]:
    """Every action of ``plans`` in plan order with its progress (one query) and its
    indicators met / measured (``counts``, from :func:`action_counts`)."""
    poles = {plan.pk: plan.pole.name for plan in plans}
    return [ActionLine(row, *counts.get(row["id"], (0, 0)), pole=poles[row["plan_id"]])
            for row in action_progress_rows(plans, year)]


def actions_rows(lines: list[ActionLine], year: int, columns=ACTION_COLUMNS) -> Iterator[list]:
    """The ``Actions`` table, header first."""
    yield header(columns, year)
    for line in lines:
        yield [column.cell(line) for column in columns]


def headline(items: list[IndicatorProgress]) -> str:
    """The sentence a Québec annual management report opens with."""
    return progress_headline(summarize(items))


@dataclass(frozen=True)
class ActivityLine:
    """One row of ``register.exports.activity_rows`` (cells in its columns' order)."""

    cells: list
    unit: str = tl.Unit.COUNT


_ACTIVITY_FORMATS = {register_exports.COUNT: UNIT}
# The register declares the sheet's columns once; they are written like every other table's.
ACTIVITY_COLUMNS = tuple(
    Column(column.header, column.width, lambda line, index=index: line.cells[index],
           _ACTIVITY_FORMATS.get(column.kind, TEXT))
    for index, column in enumerate(register_exports.COLUMNS))


def activities_rows(plan: Plan, year: int) -> Iterator[list]:
    """``Activités``: the year's activities and the indicators each one feeds, header first."""
    rows = register_exports.activity_rows(plan, year)
    next(rows)  # the register's header: ACTIVITY_COLUMNS carry the same titles
    yield header(ACTIVITY_COLUMNS, year)
    for cells in rows:
        line = ActivityLine(cells)
        yield [column.cell(line) for column in ACTIVITY_COLUMNS]


def _state_lines(report: YearReport | None, transitions) -> list[list]:
    lines = [[_("État de la reddition"), workflow.state_label(report)]]
    approved = workflow.State.APPROVED
    approval = next((t for t in reversed(transitions) if t.to_state == approved), None)
    if workflow.state_of(report) == approved and approval:
        lines.append([_("Approuvée par"), person_name(approval.by)])
        lines.append([_("Approuvée le"), approval.at])
    return lines


def summary_lines(plan: Plan, year: int, items: list[IndicatorProgress],
                  report: YearReport | None, transitions, produced) -> list[list]:
    summary = summarize(items)
    lines = [
        [_("Reddition de compte %(year)s") % {"year": fiscal_year_label(year)}],
        [_("Pôle"), plan.pole.name], [_("Plan"), plan.title],
        [_("Début de l'exercice"), plan.year_bounds(year)[0]],
        [_("Fin de l'exercice"), plan.year_bounds(year)[1]],
        *_state_lines(report, transitions),
        [_("Produit le"), produced],
        [],
        [headline(items)],
        [_("Résultats saisis"), Ratio(summary.entered_share),
         (ngettext("%(n)s indicateur sur %(total)s", "%(n)s indicateurs sur %(total)s",
                   summary.entered) if summary.entered else _("aucun indicateur sur %(total)s"))
         % {"n": summary.entered, "total": summary.total},
         # the register's computed results (and their zeros) counted apart, as on the pages
         *([summary.entered_breakdown] if summary.entered_breakdown else [])],
    ]
    if any(r.is_demo for item in items for r in item.results_for_year):
        lines.append([_("Attention"), _("Ce fichier contient des résultats de démonstration.")])
    lines.append([])
    heading = _("Thème MES") if plan.organised_by_theme else _("Orientation")
    lines.append([heading] + [str(STATUS_LABELS[s]) for s in STATUS_ORDER] + [_("Total")])
    for group in group_progress(items):
        counts = group.counts
        lines.append([f"{group.orientation.code} {group.orientation.title}"]
                     + [counts[s] for s in STATUS_ORDER] + [sum(counts.values())])
    lines.append([_("Total")] + [summary.counts[s] for s in STATUS_ORDER] + [summary.total])
    return lines


def _now():
    """The production time of a file, local and naive (a spreadsheet date cell has no zone)."""
    return timezone.localtime().replace(tzinfo=None, microsecond=0)


def _produced_on(produced) -> str:
    return _("Produit le %(when)s") % {"when": produced.strftime("%Y-%m-%d %H:%M")}


# Excel refuses these in a sheet name, and names longer than 31 characters.
SHEET_NAME_MAX = 31


def pole_sheet_title(pole) -> str:
    """A pôle's sheet in the national workbook, as people call it: its region
    (« Montérégie », « Capitale-Nationale »), else its name."""
    return pole.region or pole.name


def sheet_name(text: str, used: set[str]) -> str:
    """A sheet name of at most 31 characters, never cut mid-word, unique in ``used`` (compared
    as Excel does, ignoring case): numbered ``monteregie (2)`` when already taken."""
    # Excel forbids these characters, and a plain apostrophe at either end: it becomes the
    # typographic one French writes anyway (« Pôle d’enseignement »).
    text = text.replace("'", "’")
    text = " ".join("".join(c for c in text if c not in "[]:*?/\\").split()) or "Pôle"

    def fit(name: str, room: int) -> str:
        if len(name) <= room:
            return name
        cut = name[:room + 1]
        for separator in (" ", "-"):
            if separator in cut[1:]:
                return cut[:cut.rindex(separator)].rstrip(" -")
        return name[:room]  # one word longer than a sheet name: nothing else to do

    name, number = fit(text, SHEET_NAME_MAX), 1
    while name.casefold() in used:
        number += 1
        suffix = f" ({number})"
        name = fit(text, SHEET_NAME_MAX - len(suffix)) + suffix
    used.add(name.casefold())
    return name


def _stem(plan: Plan, year: int) -> str:
    return f"reddition-{plan.pole.code}-{fiscal_year_label(year)}"


def pole_workbook(plan: Plan, year: int, thresholds: dict) -> Export:
    """One pôle, one year: Sommaire, Résultats, Pluriannuel, Journal, Activités."""
    by_year = {y: progress[plan.pk]
               for y, progress in plans_progress_years([plan], plan.years).items()}
    items = by_year[year]
    report = year_report(plan, year)
    transitions = year_transitions(report)
    produced = _now()
    title = _("Reddition de compte %(year)s — %(pole)s") % {
        "year": fiscal_year_label(year), "pole": plan.pole.name}
    book = XlsxBook(title=title, subject=plan.title, print_header=title,
                    print_footer=_produced_on(produced))
    book.sheet(_("Sommaire"), summary_lines(plan, year, items, report, transitions, produced),
               widths=(44, 16, 16, 16, 16, 16, 10))
    book.table(_("Résultats"), results_rows(items, year, thresholds),
               widths=widths(RESULT_COLUMNS), freeze=RESULT_FREEZE)
    book.table(_("Actions"), actions_rows(action_lines([plan], year, action_counts(items)), year),
               widths=widths(ACTION_COLUMNS), freeze="C2")
    book.table(_("Pluriannuel"), multiyear_rows(plan, by_year),
               widths=widths(multiyear_columns(plan)), freeze="D2")
    book.table(_("Journal"), journal_rows(plan, year), widths=(17, 14, 40, 24, 16, 20, 20, 30))
    book.table(_("Activités"), activities_rows(plan, year), widths=widths(ACTIVITY_COLUMNS),
               freeze="D2")
    return Export(f"{_stem(plan, year)}.xlsx", XLSX_TYPE, book.save())


def results_csv(plan: Plan, year: int, thresholds: dict) -> Export:
    """The ``Résultats`` table alone, as CSV for Excel in French."""
    content = write_csv(results_rows(plans_progress([plan], year, plain=True)[plan.pk], year,
                                     thresholds))
    return Export(f"{_stem(plan, year)}-resultats.csv", CSV_TYPE, content)


@dataclass
class ConsolidatedLine:
    """A ``Résultats`` line in the national consolidated sheet, under one MES theme."""

    line: ResultLine
    theme: object | None
    state: str
    pole: str

    @property
    def unit(self) -> str:
        return self.line.unit


CONSOLIDATED_COLUMNS = (
    Column(lambda year: _("Thème MES (regroupement)"), 26,
           lambda c: c.theme.code + " " + c.theme.short_label if c.theme
           else _("Non rattaché à un thème")),
    Column(lambda year: _("État de la reddition"), 22, lambda c: c.state),
    Column(lambda year: _("Pôle"), 26, lambda c: c.pole),
) + tuple(Column(column.header, column.width, lambda c, get=column.value: get(c.line),
                 column.number_format) for column in RESULT_COLUMNS)
CONSOLIDATED_FREEZE = "H2"


def national_workbook(plans: list[Plan], year: int, thresholds: dict,
                      filed: dict[int, str] | None = None) -> Export:
    """All pôles for a year: a summary, a consolidated sheet grouped by MES theme, and one
    sheet per pôle. Pôles whose year is not approved are included and marked.

    Memory holds one pôle's lines at a time, however many pôles there are: the pôle sheets
    are written from one streamed read of every plan (pôle by pôle), the consolidated sheet
    from another (theme by theme, then pôle by pôle); the summary, placed first, is written
    last from each pôle's figures. ``filed``: plan id → the filing version the pôle's year
    stands at (:func:`reporting.filings.filed_versions`), said in the summary."""
    filed = filed or {}
    plans = [plan for plan in plans if year in plan.years]
    reports = year_reports(plans, year)
    states = {plan.pk: workflow.approval_label(reports.get(plan.pk)) for plan in plans}
    produced = _now()
    title = _("Reddition de compte nationale %(year)s") % {"year": fiscal_year_label(year)}
    book = XlsxBook(title=title, subject=_("Pôles régionaux en enseignement supérieur"),
                    print_header=title, print_footer=_produced_on(produced))
    book.reserve(_("Sommaire"))
    book.reserve(_("Consolidé"))

    lines = [[title], [_("Produit le"), produced], [],
             [_("Pôle"), _("État de la reddition"), _("Résultats saisis"),
              _("Cibles annuelles atteintes / mesurées"), _("Cibles de période"),
              _("Phrase du rapport"), _("Version déposée"),
              *(str(STATUS_LABELS[status]) for status in STATUS_ORDER)]]
    counts: dict[int, tuple[int, int]] = {}
    streamed = plans_progress_stream(plans, year)
    pending = next(streamed, None)
    used = {name.casefold() for name in (_("Sommaire"), _("Consolidé"))}
    for plan in plans:
        items = []
        if pending is not None and pending[1] is plan:
            items, pending = pending[2], next(streamed, None)
        summary = summarize(items)
        lines.append([plan.pole.name, states[plan.pk], Ratio(summary.entered_share),
                      f"{summary.met} / {summary.measured}", summary.period_total,
                      summary.headline, filed.get(plan.pk, _("aucune")),
                      *(summary.counts.get(status, 0) for status in STATUS_ORDER)])
        counts.update(action_counts(items))  # two numbers per action, not the lines
        book.table(sheet_name(pole_sheet_title(plan.pole), used),
                   results_rows(items, year, thresholds),
                   widths=widths(RESULT_COLUMNS), freeze=RESULT_FREEZE,
                   preamble=[[plan.pole.name, states[plan.pk]], [headline(items)]])
    if pending is not None:  # plans_progress_stream orders plans as plans_for does
        raise RuntimeError("The national workbook's plans are not in plans_for's order")

    def consolidated():
        yield header(CONSOLIDATED_COLUMNS, year)
        for number, plan, items in plans_progress_stream(plans, year, by_theme=True):
            for line in result_lines(items, thresholds):
                theme = next((t for t in line.item.action.theme_list if t.number == number),
                             None)
                row = ConsolidatedLine(line, theme, states[plan.pk], plan.pole.name)
                yield [column.cell(row) for column in CONSOLIDATED_COLUMNS]

    book.table(_("Consolidé"), consolidated(), widths=widths(CONSOLIDATED_COLUMNS),
               freeze=CONSOLIDATED_FREEZE)
    book.table(sheet_name(_("Actions"), used),
               actions_rows(action_lines(plans, year, counts), year,
                            NATIONAL_ACTION_COLUMNS),
               widths=widths(NATIONAL_ACTION_COLUMNS), freeze="D2")
    book.sheet(_("Sommaire"), lines,
               widths=(50, 28, 16, 22, 14, 60, 30, *(14 for _status in STATUS_ORDER)))
    return Export(f"reddition-nationale-{fiscal_year_label(year)}.xlsx", XLSX_TYPE, book.save())
