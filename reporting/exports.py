"""The annual reddition de compte: exporters that yield rows (header first) from the same
query functions the dashboards use, and the workbooks built from them."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from indicators.history import changes
from indicators.models import Plan, YearReport, fiscal_year_label
from indicators.progress import (
    DEGREE_LABELS,
    STATUS_LABELS,
    STATUS_ORDER,
    IndicatorProgress,
    group_progress,
    plans_progress,
    summarize,
    year_reports,
)
from indicators.targets import Kind, degree
from reporting.writers import Badge, Num, Ratio, XlsxBook, write_csv

RESULT_WIDTHS = (28, 28, 30, 40, 14, 12, 22, 12, 12, 12, 10, 10, 16, 14, 22, 36, 30, 20)


def _themes(item: IndicatorProgress) -> str:
    return ", ".join(t.code for t in item.action.theme_list)


def _measure(result, unit: str):
    if result is None:
        return None
    if result.not_applicable:
        return _("Non applicable")
    if unit == "deliverable":
        return {True: _("Réalisé"), False: _("Non réalisé")}.get(result.done)
    return Num(result.value, unit)


def _evidence(results) -> str:
    links = [r.evidence_url for r in results if r.evidence_url]
    links += [r.evidence_file.name for r in results if r.evidence_file]
    return "\n".join(links)


def _updated(results) -> str:
    latest = max(results, key=lambda r: r.updated_at, default=None)
    if latest is None:
        return ""
    who = getattr(latest, "updated_by_name", None) or ""
    when = timezone.localtime(latest.updated_at).strftime("%Y-%m-%d %H:%M")
    return f"{when} ({who})" if who else when


def _degree_badge(evaluation, thresholds) -> Badge | str:
    found = degree(evaluation, **thresholds)
    return Badge(found, str(DEGREE_LABELS[found])) if found else ""


def results_header(year: int) -> list[str]:
    return [_("Orientation"), _("Objectif"), _("Action"), _("Indicateur"), _("Membre"),
            _("Thème MES"), _("Cible"), _("Cible retenue"),
            _("Résultat %(year)s") % {"year": fiscal_year_label(year - 1)},
            _("Résultat %(year)s") % {"year": fiscal_year_label(year)},
            _("Écart"), _("% d'atteinte"), _("Degré d'atteinte"), _("Statut"),
            _("Cible de l'année suivante"), _("Commentaire"), _("Pièces justificatives"),
            _("Dernière mise à jour")]


def results_rows(items: list[IndicatorProgress], year: int, thresholds: dict,
                 *, pole_column: str | None = None) -> Iterator[list]:
    """The ``Résultats`` table: one row per indicator, and one per breakdown member."""
    yield ([_("Pôle")] if pole_column is not None else []) + results_header(year)
    for _item, row in result_lines(items, thresholds, pole_column=pole_column):
        yield row


def result_lines(items: list[IndicatorProgress], thresholds: dict,
                 *, pole_column: str | None = None) -> Iterator[tuple[IndicatorProgress, list]]:
    """Each ``Résultats`` row with the indicator it belongs to."""
    for item in items:
        indicator, unit = item.indicator, item.indicator.unit
        evaluation = item.evaluation
        target = item.target
        resolved = evaluation.resolved_target
        if resolved is None and target is not None and target.kind == Kind.VALUE:
            resolved = target.value
        measured = evaluation.measured
        gap = (measured - resolved) if measured is not None and resolved is not None else None
        achievement = (evaluation.achievement / 100
                       if evaluation.achievement is not None else None)
        base = [f"{item.orientation.code} {item.orientation.title}",
                f"{item.objective.code} {item.objective.title}",
                f"{item.action.code} {item.action.title}", indicator.label]
        prefix = [pole_column] if pole_column is not None else []
        yield item, prefix + base + [
            "", _themes(item), target.text if target else "",
            Num(resolved, unit) if resolved is not None else (
                target.deliverable if target and target.kind == Kind.DELIVERABLE else ""),
            _measure(item.previous_result, unit),
            Num(measured, unit) if measured is not None else _measure(item.result, unit),
            Num(gap, unit) if gap is not None else None,
            Ratio(achievement), _degree_badge(evaluation, thresholds),
            Badge(evaluation.status, str(STATUS_LABELS[evaluation.status])),
            item.next_target.text if item.next_target else "",
            "\n".join(r.comment for r in item.results_for_year if r.comment),
            _evidence(item.results_for_year), _updated(item.results_for_year)]
        for member in indicator.member_list:
            series = item.member_results.get(member.pk, {})
            result = series.get(item.year)
            member_eval = evaluation.members.get(member.label)
            value = result.value if result else None
            target_value = member_eval.resolved_target if member_eval else None
            if target_value is None and target is not None and target.kind == Kind.VALUE and (
                    indicator.per_member):
                target_value = target.value
            previous = series.get(item.year - 1)
            yield item, prefix + base + [
                member.label, _themes(item), target.text if target and indicator.per_member
                else "", Num(target_value, unit) if target_value is not None else "",
                _measure(previous, unit), _measure(result, unit),
                Num(value - target_value, unit) if value is not None and
                target_value is not None else None,
                Ratio(member_eval.achievement / 100 if member_eval and
                      member_eval.achievement is not None else None),
                _degree_badge(member_eval, thresholds) if member_eval else "",
                Badge(member_eval.status, str(STATUS_LABELS[member_eval.status]))
                if member_eval else "", "", "", "", _updated([result] if result else [])]


def multiyear_rows(plan: Plan, by_year: dict[int, list[IndicatorProgress]]) -> Iterator[list]:
    """``Pluriannuel``: each indicator with target, result and status per plan year."""
    years = plan.years
    header = [_("Orientation"), _("Action"), _("Indicateur")]
    for year in years:
        label = fiscal_year_label(year)
        header += [_("Cible %(y)s") % {"y": label}, _("Résultat %(y)s") % {"y": label},
                   _("Statut %(y)s") % {"y": label}]
    yield header
    first = by_year[years[0]]
    for index, item in enumerate(first):
        row = [f"{item.orientation.code} {item.orientation.title}",
               f"{item.action.code} {item.action.title}", item.indicator.label]
        for year in years:
            progress = by_year[year][index]
            unit = progress.indicator.unit
            row += [progress.target.text if progress.target else "",
                    Num(progress.evaluation.measured, unit)
                    if progress.evaluation.measured is not None
                    else _measure(progress.result, unit),
                    Badge(progress.status, str(STATUS_LABELS[progress.status]))]
        yield row


def journal_rows(plan: Plan, year: int) -> Iterator[list]:
    """``Journal``: the year's changes to results and targets, newest first."""
    yield [_("Quand"), _("Qui"), _("Indicateur"), _("Objet"), _("Champ"), _("Avant"),
           _("Après"), _("Motif")]
    for change in changes(plan=plan, year=year):
        yield [timezone.localtime(change.when).strftime("%Y-%m-%d %H:%M"), change.who,
               change.indicator_label, change.subject, change.field, change.old, change.new,
               change.reason]


def headline(items: list[IndicatorProgress]) -> str:
    """The sentence a Québec annual management report opens with."""
    summary = summarize(items)
    if not summary.measured:
        return _("Aucune cible annuelle n'a encore été mesurée.")
    share = round(Decimal(summary.met) / summary.measured * 100)
    return _("%(met)s des %(measured)s cibles annuelles mesurées (%(share)s\u00a0%%) ont été "
             "atteintes.") % {"met": summary.met, "measured": summary.measured, "share": share}


def _state_lines(report: YearReport | None, transitions) -> list[list]:
    state = report.get_state_display() if report else _("brouillon")
    lines = [[_("État de la reddition"), state]]
    approval = next((t for t in reversed(transitions) if t.action == "approve"), None)
    if report is not None and report.state == YearReport.State.APPROVED and approval:
        lines.append([_("Approuvée par"), approval.by.get_username()])
        lines.append([_("Approuvée le"), timezone.localtime(approval.at).strftime(
            "%Y-%m-%d %H:%M")])
    return lines


def summary_lines(plan: Plan, year: int, items: list[IndicatorProgress],
                  report: YearReport | None, transitions) -> list[list]:
    summary = summarize(items)
    lines = [
        [_("Reddition de compte %(year)s") % {"year": fiscal_year_label(year)}],
        [_("Pôle"), plan.pole.name], [_("Plan"), plan.title],
        [_("Exercice"), _("%(start)s au %(end)s") % {
            "start": plan.year_bounds(year)[0].isoformat(),
            "end": plan.year_bounds(year)[1].isoformat()}],
        *_state_lines(report, transitions),
        [_("Produit le"), timezone.localtime().strftime("%Y-%m-%d %H:%M")],
        [],
        [headline(items)],
        [_("Résultats saisis"), Ratio(summary.entered_share),
         _("%(n)s indicateurs sur %(total)s") % {"n": summary.entered, "total": summary.total}],
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


def pole_workbook(plan: Plan, year: int, thresholds: dict) -> bytes:
    """One pôle, one year: Sommaire, Résultats, Pluriannuel, Journal."""
    by_year = {y: plans_progress([plan], y)[plan.pk] for y in plan.years}
    items = by_year[year]
    report = year_reports([plan], year).get(plan.pk)
    transitions = list(report.transitions.select_related("by")) if report else []
    book = XlsxBook(title=_("Reddition de compte %(year)s — %(pole)s") % {
        "year": fiscal_year_label(year), "pole": plan.pole.name},
        subject=plan.title)
    book.sheet(_("Sommaire"), summary_lines(plan, year, items, report, transitions),
               widths=(44, 16, 16, 16, 16, 16, 10))
    book.table(_("Résultats"), results_rows(items, year, thresholds), widths=RESULT_WIDTHS,
               freeze="E2")
    book.table(_("Pluriannuel"), multiyear_rows(plan, by_year),
               widths=(28, 30, 40) + (14, 12, 14) * len(plan.years), freeze="D2")
    book.table(_("Journal"), journal_rows(plan, year), widths=(17, 14, 40, 24, 16, 20, 20, 30))
    return book.save()


def results_csv(plan: Plan, year: int, thresholds: dict) -> bytes:
    return write_csv(results_rows(plans_progress([plan], year)[plan.pk], year, thresholds))


def _state_label(report: YearReport | None) -> str:
    if report is not None and report.state == YearReport.State.APPROVED:
        return _("approuvée")
    state = report.get_state_display() if report else _("brouillon")
    return _("NON APPROUVÉE (%(state)s)") % {"state": state}


def national_workbook(plans: list[Plan], year: int, thresholds: dict) -> bytes:
    """All pôles for a year: a summary, a consolidated sheet grouped by MES theme, and one
    sheet per pôle. Pôles whose year is not approved are included and marked."""
    plans = [plan for plan in plans if year in plan.years]
    progress = plans_progress(plans, year)
    reports = year_reports(plans, year)
    book = XlsxBook(title=_("Reddition de compte nationale %(year)s") % {
        "year": fiscal_year_label(year)}, subject=_("Pôles régionaux en enseignement supérieur"))
    lines = [[_("Reddition de compte nationale %(year)s") % {"year": fiscal_year_label(year)}],
             [_("Produit le"), timezone.localtime().strftime("%Y-%m-%d %H:%M")], [],
             [_("Pôle"), _("État de la reddition"), _("Résultats saisis"),
              _("Cibles atteintes / mesurées"), _("Phrase du rapport")]]
    for plan in plans:
        items = progress[plan.pk]
        summary = summarize(items)
        lines.append([plan.pole.name, _state_label(reports.get(plan.pk)),
                      Ratio(summary.entered_share), f"{summary.met} / {summary.measured}",
                      headline(items)])
    book.sheet(_("Sommaire"), lines, widths=(50, 28, 16, 22, 60))

    def consolidated():
        grouped: dict[int | None, list[list]] = {}
        for plan in plans:
            state = _state_label(reports.get(plan.pk))
            for item, row in result_lines(progress[plan.pk], thresholds,
                                          pole_column=plan.pole.name):
                themes = item.action.theme_list or [None]
                for theme in themes:
                    grouped.setdefault(theme.number if theme else None, []).append(
                        [theme.code + " " + theme.short_label if theme
                         else _("Non rattaché à un thème"), state] + row)
        yield [_("Thème MES (regroupement)"), _("État de la reddition"), _("Pôle")
               ] + results_header(year)
        for number in sorted(grouped, key=lambda n: (n is None, n or 0)):
            yield from grouped[number]

    book.table(_("Consolidé"), consolidated(),
               widths=(26, 22, 26) + RESULT_WIDTHS, freeze="F2")
    used = set()
    for plan in plans:
        name = plan.pole.name.replace("Pôle d'enseignement supérieur de la ", "").replace(
            "Pôle régional en enseignement supérieur de la ", "")
        name = "".join(c for c in name if c not in "[]:*?/\\")[:28]
        while name in used:
            name = name[:26] + f"-{len(used)}"
        used.add(name)
        book.table(name, results_rows(progress[plan.pk], year, thresholds),
                   widths=RESULT_WIDTHS, freeze="E2",
                   preamble=[[plan.pole.name, _state_label(reports.get(plan.pk))],
                             [headline(progress[plan.pk])]])
    return book.save()

