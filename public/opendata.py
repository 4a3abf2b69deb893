"""Open data: the approved years of published pôles, one row per indicator × approved year ×
breakdown member (the indicator's total first, with an empty member), as CSV and JSON, with
a data dictionary (CSV and Markdown) ready for a CKAN portal such as Données Québec.

Each column is declared once (:data:`FIELDS`: name, type, description and value side by
side): the CSV header, the JSON keys and both dictionaries read it. Values are written
unlocalised (``1234.5``, ISO dates, ``true``/``false``); the writers live in
:mod:`reporting.writers`. Only approved years are read
(:func:`indicators.selectors.approved_years`), and no column carries a comment, an evidence
file or link, a person's name or a reason typed by someone.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from indicators import selectors, workflow
from indicators.models import ActionProgress, Plan, Pole, fiscal_year_label
from indicators.progress import DEGREE_LABELS, STATUS_LABELS, IndicatorProgress
from indicators.spreadsheets import CSV_TYPE, Export
from reporting.exports import ResultLine, result_lines
from reporting.filings import PublicFiling, latest_public_filings
from reporting.writers import Num, write_open_csv

JSON_TYPE = "application/json"
MARKDOWN_TYPE = "text/markdown; charset=utf-8"
STRING, INTEGER, NUMBER, BOOLEAN, DATE = "string", "integer", "number", "boolean", "date"


@dataclass(frozen=True)
class OpenLine:
    """One open-data row: a :class:`reporting.exports.ResultLine` of an approved year."""

    plan: Plan
    approved_at: datetime.datetime
    line: ResultLine
    action_state: str = ""  # the action's recorded state that year (a code), or empty
    filing: PublicFiling | None = None  # the year's latest filed version

    @property
    def item(self) -> IndicatorProgress:
        return self.line.item


@dataclass(frozen=True)
class Field:
    """One open-data column: its name (CSV header and JSON key), type, meaning and value."""

    name: str
    kind: str
    description: str
    value: Callable[[OpenLine], Any]
    stable: bool = False  # an identifier kept across re-imports of the plan


def _result(row: OpenLine) -> Decimal | None:
    value = row.line.result
    if isinstance(value, Num):
        return value.value
    return value if isinstance(value, Decimal | int) else None


def _done(row: OpenLine) -> bool | None:
    if not row.item.indicator.is_deliverable:
        return None
    dones = [r.done for r in row.line.results if r.done is not None]
    return dones[0] if dones else None


def _status(row: OpenLine) -> str:
    return row.line.status.value if row.line.status else ""


def _degree(row: OpenLine) -> str:
    return row.line.degree.value if row.line.degree else ""


def _achievement(row: OpenLine) -> Decimal | None:
    evaluation = row.line.evaluation
    if evaluation is None or evaluation.achievement is None:
        return None
    return Decimal(evaluation.achievement).quantize(Decimal("0.1"))


FIELDS = (
    Field("pole_code", STRING, _("Code court du pôle (identifiant stable)."),
          lambda r: r.plan.pole.code, stable=True),
    Field("pole_name", STRING, _("Nom du pôle."), lambda r: r.plan.pole.name),
    Field("plan_id", INTEGER, _("Identifiant du plan dans Pôle Plan (stable)."),
          lambda r: r.plan.pk, stable=True),
    Field("plan_title", STRING, _("Titre du plan."), lambda r: r.plan.title),
    Field("year", INTEGER, _("Première année civile de l'exercice (2024 pour 2024-2025)."),
          lambda r: r.item.year),
    Field("fiscal_year", STRING, _("Exercice (2024-2025)."),
          lambda r: fiscal_year_label(r.item.year)),
    Field("orientation_code", STRING, _("Code de l'orientation (ou du thème MES) dans le "
                                        "plan."), lambda r: r.item.orientation.code),
    Field("orientation_title", STRING, _("Énoncé de l'orientation."),
          lambda r: r.item.orientation.title),
    Field("objective_code", STRING, _("Code de l'objectif."), lambda r: r.item.objective.code),
    Field("objective_title", STRING, _("Énoncé de l'objectif."),
          lambda r: r.item.objective.title),
    Field("action_code", STRING, _("Code de l'action dans le plan (stable)."),
          lambda r: r.item.action.code, stable=True),
    Field("action_title", STRING, _("Énoncé de l'action."), lambda r: r.item.action.title),
    Field("indicator_id", INTEGER, _("Identifiant de l'indicateur dans Pôle Plan (stable)."),
          lambda r: r.item.indicator.id, stable=True),
    Field("indicator_label", STRING, _("Libellé de l'indicateur."),
          lambda r: r.item.indicator.label),
    Field("member", STRING, _("Membre de la ventilation (établissement, catégorie…) ; vide "
                              "pour la ligne du total de l'indicateur."),
          lambda r: r.line.member.label if r.line.member else ""),
    Field("unit", STRING, _("Unité de l'indicateur : count (nombre), percent (0 à 100), "
                            "duration (minutes), money (dollars), deliverable (livrable)."),
          lambda r: r.item.indicator.unit),
    Field("target_text", STRING, _("Cible telle qu'écrite dans le plan."),
          lambda r: r.line.target_text),
    Field("target_reading", STRING, _("Cible telle que Pôle Plan la lit et l'évalue."),
          lambda r: r.line.target_reading),
    Field("result", NUMBER, _("Résultat de l'année dans l'unité de l'indicateur, point "
                              "décimal, sans séparateur de milliers ; vide sans valeur."),
          _result),
    Field("result_done", BOOLEAN, _("Pour un livrable : true s'il est réalisé, false sinon ; "
                                     "vide pour les autres unités."), _done),
    Field("not_applicable", BOOLEAN, _("true quand le résultat est déclaré non applicable."),
          lambda r: any(result.not_applicable for result in r.line.results)),
    Field("status", STRING, _("Verdict : atteinte, non_atteinte, en_cours, sans_resultat, "
                              "non_evaluable."), _status),
    Field("status_label", STRING, _("Libellé du verdict."),
          lambda r: str(STATUS_LABELS[r.line.status]) if r.line.status else ""),
    Field("degree", STRING, _("Degré d'atteinte : cible_atteinte, progresse_bien, "
                              "a_surveiller, non_atteinte ; vide quand il ne s'applique pas."),
          _degree),
    Field("degree_label", STRING, _("Libellé du degré d'atteinte."),
          lambda r: str(DEGREE_LABELS[r.line.degree]) if r.line.degree else ""),
    Field("achievement_percent", NUMBER, _("Part de la cible atteinte, en pour cent."),
          _achievement),
    Field("year_state", STRING, _("État de la reddition de l'année : toujours approved "
                                  "(seules les années approuvées sont publiées)."),
          lambda r: workflow.State.APPROVED.value),
    Field("action_state", STRING, _("État de l'action cette année-là : not_started, "
                                    "in_progress, done, postponed, abandoned, ongoing ; vide "
                                    "quand il n'est pas renseigné."),
          lambda r: r.action_state),
    Field("action_state_label", STRING, _("Libellé de l'état de l'action."),
          lambda r: str(ActionProgress.State(r.action_state).label) if r.action_state else ""),
    Field("approved_on", DATE, _("Date d'approbation de l'année (AAAA-MM-JJ)."),
          lambda r: timezone.localdate(r.approved_at) if r.approved_at else None),
    Field("filing_version", INTEGER, _("Version du dépôt de l'année (1 au premier dépôt, "
                                       "puis une de plus à chaque nouvelle approbation) ; "
                                       "vide sans dépôt."),
          lambda r: r.filing.version if r.filing else None),
    Field("filed_on", DATE, _("Date de ce dépôt (AAAA-MM-JJ) ; vide sans dépôt."),
          lambda r: timezone.localdate(r.filing.approved_at) if r.filing else None),
)


def open_lines(plans: list[Plan]) -> Iterator[OpenLine]:
    """Every open-data line of ``plans``' approved years, plan by plan, year by year, in plan
    order. Nine queries whatever the number of plans and years (none but one without an
    approved year): the approved years, :func:`indicators.selectors.plans_progress_years`,
    the actions' states and the latest filings."""
    approved = selectors.approved_years(plans)
    plans = [plan for plan in plans if plan.pk in approved]
    if not plans:
        return
    years = sorted({year for by_year in approved.values() for year in by_year})
    progress = selectors.plans_progress_years(plans, years)
    states = selectors.action_states_years(plans, years)
    filings = latest_public_filings(plans, approved)
    thresholds = settings.ACHIEVEMENT_THRESHOLDS
    for plan in plans:
        for year, approved_at in approved[plan.pk].items():
            state_of = {row["action_id"]: row["state"]
                        for row in states.get(plan.pk, {}).get(year, [])}
            filing = filings.get((plan.pk, year))
            for line in result_lines(progress[year][plan.pk], thresholds):
                yield OpenLine(plan, approved_at, line,
                               action_state=state_of.get(line.item.action.id, ""),
                               filing=filing)


def rows(plans: list[Plan]) -> Iterator[list]:
    """The table, header first."""
    yield [field.name for field in FIELDS]
    for line in open_lines(plans):
        yield [field.value(line) for field in FIELDS]


def _stem(pole: Pole | None) -> str:
    return f"donnees-ouvertes-{pole.code}" if pole else "donnees-ouvertes-poles"


def data_csv(plans: list[Plan], pole: Pole | None = None) -> Export:
    return Export(f"{_stem(pole)}.csv", CSV_TYPE, write_open_csv(rows(plans)))


def _json_value(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def data_json(plans: list[Plan], pole: Pole | None = None) -> Export:
    """The CSV's twin: ``{"fields": [...], "records": [{name: value}, ...]}``."""
    table = rows(plans)
    names = next(table)
    document = {
        "fields": [{"name": field.name, "type": field.kind,
                    "description": str(field.description)} for field in FIELDS],
        "records": [dict(zip(names, map(_json_value, row), strict=True)) for row in table],
    }
    content = json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")
    return Export(f"{_stem(pole)}.json", JSON_TYPE, content)


def dictionary_rows() -> Iterator[list]:
    yield ["name", "type", "stable_identifier", "description"]
    for field in FIELDS:
        yield [field.name, field.kind, field.stable, str(field.description)]


def dictionary_csv() -> Export:
    return Export("dictionnaire-donnees-ouvertes.csv", CSV_TYPE,
                  write_open_csv(dictionary_rows()))


def stability_note() -> str:
    return str(_(
        "Identifiants stables : pole_code ne change pas ; plan_id et indicator_id sont les "
        "identifiants de Pôle Plan, conservés quand le plan est réimporté (l'import met à jour "
        "le plan en place, sans recréer ses actions ni ses indicateurs) ; action_code est le "
        "code de l'action dans le plan, stable tant que le pôle ne renumérote pas son plan. "
        "Un indicateur ajouté au plan reçoit un nouvel identifiant ; un indicateur retiré "
        "disparaît des fichiers."))


def dictionary_markdown() -> Export:
    lines = [f"# {_('Données ouvertes de Pôle Plan : dictionnaire')}", "",
             str(_("Une ligne par indicateur, année approuvée et membre de la ventilation (la "
                   "ligne du total de l'indicateur a un membre vide). CSV en UTF-8, séparateur "
                   "virgule ; fichier JSON jumeau avec les mêmes noms de colonnes. Seules les "
                   "années approuvées des pôles qui publient leur page sont incluses.")),
             "", stability_note(), "",
             "| name | type | stable | description |", "| --- | --- | --- | --- |"]
    for field in FIELDS:
        description = str(field.description).replace("|", "\\|")
        lines.append(f"| `{field.name}` | {field.kind} | {'✓' if field.stable else ''} "
                     f"| {description} |")
    return Export("dictionnaire-donnees-ouvertes.md", MARKDOWN_TYPE,
                  ("\n".join(lines) + "\n").encode("utf-8"))
