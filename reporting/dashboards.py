"""View models for the dashboards, built from ``indicators``' progress lists or stored counts
(no queries)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from indicators import workflow
from indicators.models import Theme, YearReport
from indicators.progress import (
    IndicatorProgress,
    Summary,
    awaits_result,
    group_progress,
    share,
    summary_of,
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
    """The indicators counted « Sans résultat » everywhere on the page (the status count, this
    list, the review): :func:`indicators.progress.awaits_result`."""
    return [item for item in items if awaits_result(item)]


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


def theme_matrix(counts: list[dict], plans, themes: list[Theme]) -> ThemeMatrix:
    """Pôle × theme cells from counts grouped by plan and theme
    (:func:`indicators.selectors.evaluation_counts` with ``by=("plan", "theme")``)."""
    by_key = {(row["plan"], row["theme"]): row for row in counts}
    matrix = ThemeMatrix(themes=themes)

    def cell(plan, theme_id) -> MatrixCell:
        row = by_key.get((plan.pk, theme_id))
        if row is None:
            return MatrixCell()
        return MatrixCell(actions=row["actions"], indicators=row["indicators"],
                          met=row["statuses"][Status.MET])

    for plan in plans:
        matrix.rows.append((plan, [cell(plan, t.pk) for t in themes], cell(plan, None)))
    return matrix


def pole_rows(plans, counts: list[dict], reports) -> list[PoleRow]:
    """One row per plan from counts grouped by plan (a plan without any: all zero)."""
    by_plan = {row["plan"]: row for row in counts}
    rows = []
    for plan in plans:
        row = by_plan.get(plan.pk, {"statuses": {}, "indicators": 0, "entered": 0})
        rows.append(PoleRow(plan=plan, report=reports.get(plan.pk), summary=summary_of(
            row["statuses"], total=row["indicators"], entered=row["entered"],
            computed=row.get("computed", 0), computed_zero=row.get("computed_zero", 0))))
    return rows


def orientation_counts(items: list[IndicatorProgress]):
    """[(orientation, {status: n})] in plan order, for the stacked bars."""
    return [(group.orientation, group.counts) for group in group_progress(items)]


# --- action states ---------------------------------------------------------------------------

UNRECORDED = ""  # an action without a state for the year


def action_state_columns() -> list[tuple[str, str]]:
    """(state, label) of each column of an action-state table, the unrecorded last."""
    from indicators.models import ActionProgress

    return [*((state.value, str(state.label)) for state in ActionProgress.State),
            (UNRECORDED, str(_("non renseigné")))]


@dataclass
class ActionStateGroup:
    """One row of an action-state table: a label, counts by state (in the columns' order),
    and, on the pôle dashboard, the actions themselves (their narratives one click away)."""

    label: str
    counts: list[int]
    actions: list[dict] = field(default_factory=list)


def actions_by_orientation(rows: list[dict]) -> list[ActionStateGroup]:
    """The pôle dashboard's action states per orientation (or MES theme), from
    :func:`indicators.selectors.action_progress_rows` (no query)."""
    columns = [state for state, _label in action_state_columns()]
    groups: dict[int, ActionStateGroup] = {}
    for row in rows:
        group = groups.setdefault(row["orientation_id"], ActionStateGroup(
            f"{row['orientation_code']} {row['orientation_title']}", [0] * len(columns)))
        group.counts[columns.index(row["state"] or UNRECORDED)] += 1
        group.actions.append(row)
    return list(groups.values())


def action_state_rows(counts: list[dict], labels: dict) -> list[ActionStateGroup]:
    """Rows of counts by state (``indicators.selectors.action_state_counts``) labelled by
    ``labels`` (key → label, in the rows' order; keys without actions show zeros)."""
    columns = [state for state, _label in action_state_columns()]
    rows = {key: ActionStateGroup(str(label), [0] * len(columns))
            for key, label in labels.items()}
    for count in counts:
        if count["key"] in rows:
            rows[count["key"]].counts[columns.index(count["progress_state"] or UNRECORDED)] += (
                count["n"])
    return list(rows.values())
