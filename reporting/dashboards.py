"""View models for the dashboards, built from ``indicators``' progress lists (no queries)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from indicators import workflow
from indicators.models import Theme, YearReport
from indicators.progress import (
    IndicatorProgress,
    Summary,
    group_progress,
    share,
    summarize,
)
from indicators.targets import Status

COMPLETENESS_LISTS = {
    "sans_cible": _("Indicateurs sans cible cette année"),
    "sans_resultat": _("Indicateurs sans résultat cette année"),
    "sans_preuve": _("Résultats sans pièce justificative"),
}


def without_target(items: list[IndicatorProgress]) -> list[IndicatorProgress]:
    return [item for item in items if item.target is None]


def without_result(items: list[IndicatorProgress]) -> list[IndicatorProgress]:
    return [item for item in items if not item.has_result]


def without_evidence(items: list[IndicatorProgress]) -> list[IndicatorProgress]:
    return [item for item in items if item.lacks_evidence]


COMPLETENESS = {"sans_cible": without_target, "sans_resultat": without_result,
                "sans_preuve": without_evidence}


def filter_items(items: list[IndicatorProgress], *, orientation_id: int | None = None,
                 status: str | None = None, attention: bool = False,
                 listing: str | None = None) -> list[IndicatorProgress]:
    """The dashboard's filters: orientation (or theme), status, what needs attention, a list."""
    if orientation_id:
        items = [i for i in items if i.orientation.pk == orientation_id]
    if status:
        items = [i for i in items if i.status == status]
    if attention:
        items = [i for i in items if i.needs_attention]
    if listing in COMPLETENESS:
        items = COMPLETENESS[listing](items)
    return items


@dataclass
class PoleRow:
    """One pôle on the national dashboard."""

    plan: object
    report: YearReport | None
    summary: Summary

    @property
    def state(self) -> str:
        return workflow.state_of(self.report)

    @property
    def state_label(self) -> str:
        return workflow.state_label(self.report)


@dataclass
class MatrixCell:
    actions: int = 0
    indicators: int = 0
    met: int = 0

    @property
    def met_share(self) -> Decimal | None:
        return share(self.met, self.indicators)


@dataclass
class ThemeMatrix:
    """Pôle × MES theme: number of actions attached and share of their indicators met."""

    themes: list[Theme]
    rows: list[tuple[object, list[MatrixCell], MatrixCell]] = field(default_factory=list)


def theme_matrix(progress_by_plan: dict[int, list[IndicatorProgress]], plans,
                 themes: list[Theme]) -> ThemeMatrix:
    matrix = ThemeMatrix(themes=themes)
    for plan in plans:
        cells = {theme.pk: MatrixCell() for theme in themes}
        unattached = MatrixCell()
        seen_actions: set[tuple[int | None, int]] = set()
        for item in progress_by_plan.get(plan.pk, []):
            attached = item.action.theme_list or [None]
            for theme in attached:
                cell = cells[theme.pk] if theme else unattached
                key = (theme.pk if theme else None, item.action.pk)
                if key not in seen_actions:
                    seen_actions.add(key)
                    cell.actions += 1
                cell.indicators += 1
                cell.met += item.status == Status.MET
        matrix.rows.append((plan, [cells[t.pk] for t in themes], unattached))
    return matrix


def pole_rows(plans, progress_by_plan, reports) -> list[PoleRow]:
    return [PoleRow(plan=plan, report=reports.get(plan.pk),
                    summary=summarize(progress_by_plan.get(plan.pk, []))) for plan in plans]


def orientation_counts(items: list[IndicatorProgress]):
    """[(orientation, {status: n})] in plan order, for the stacked bars."""
    return [(group.orientation, group.counts) for group in group_progress(items)]
