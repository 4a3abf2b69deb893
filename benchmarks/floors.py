"""Honest floors: the least work a feature could do, doing the same work.

Each floor reads the same rows its feature needs with hand-written SQL (tuples, no model
instance, no evaluation: statuses come from the stored evaluations with the date applied in
the query, as the app does), and then:

- *exports*: writes the same sheets, rows and cells, with the same cell types and named styles,
  through the app's own writer (:class:`reporting.writers.XlsxBook`);
- *pages*: renders one table row per line shown through a minimal Django template (the entry
  page of a large plan shows one orientation: its floor renders that section's lines, and
  counts the whole plan's stored statuses for the headline);
- *entry POST*: performs the same writes as the save, in one transaction: 50 results updated,
  50 history rows inserted, the stored evaluations of those indicators for the saved year and
  later ones deleted and inserted again.
"""

from __future__ import annotations

import datetime
import json
from collections import defaultdict

from django.db import connection, transaction
from django.template import Context, Template
from django.utils import timezone

from indicators.targets import Unit
from reporting.writers import Badge, Num, Ratio, XlsxBook

# The date applied in the query, as StoredEvaluationQuerySet.with_status does.
_STATUS = "CASE WHEN s.closes_on < %s THEN s.{0}_closed ELSE s.{0}_open END"

LINES_SQL = f"""
SELECT i.id, p.id, po.name, o.code, o.title, b.code, b.title, a.id, a.code, a.title, i.label,
       i.unit, t.text, t.note, tn.text, tp.text,
       r.value, r.comment, r.evidence_url, r.updated_at, u.username, rp.value,
       {_STATUS.format("status")}, {_STATUS.format("degree")}, {_STATUS.format("reason")},
       s.achievement, s.resolved_target, s.measured, s.has_result
FROM indicators_indicator i
JOIN indicators_action a ON a.id = i.action_id
JOIN indicators_objective b ON b.id = a.objective_id
JOIN indicators_orientation o ON o.id = b.orientation_id
JOIN indicators_plan p ON p.id = o.plan_id
JOIN indicators_pole po ON po.id = p.pole_id
LEFT JOIN indicators_storedevaluation s ON s.indicator_id = i.id AND s.year = %s
LEFT JOIN indicators_target t ON t.indicator_id = i.id AND t.year = %s
LEFT JOIN indicators_target tn ON tn.indicator_id = i.id AND tn.year = %s
LEFT JOIN indicators_target tp ON tp.indicator_id = i.id AND tp.year IS NULL
LEFT JOIN indicators_result r ON r.indicator_id = i.id AND r.year = %s AND r.member_id IS NULL
LEFT JOIN auth_user u ON u.id = r.updated_by_id
LEFT JOIN indicators_result rp ON rp.indicator_id = i.id AND rp.year = %s
     AND rp.member_id IS NULL
WHERE p.id IN ({{plans}})
ORDER BY po.name, o.position, o.code, b.position, b.code, a.position, a.code, i.position, i.id
"""

MEMBERS_SQL = """
SELECT m.indicator_id, m.label, r.value, r.comment, r.evidence_url, r.updated_at, rp.value
FROM indicators_breakdownmember m
JOIN indicators_indicator i ON i.id = m.indicator_id
JOIN indicators_action a ON a.id = i.action_id
JOIN indicators_objective b ON b.id = a.objective_id
JOIN indicators_orientation o ON o.id = b.orientation_id
LEFT JOIN indicators_result r ON r.member_id = m.id AND r.year = %s
LEFT JOIN indicators_result rp ON rp.member_id = m.id AND rp.year = %s
WHERE o.plan_id IN ({plans})
ORDER BY m.position, m.id
"""

THEMES_SQL = """
SELECT at.action_id, th.number, th.short_label
FROM indicators_action_themes at
JOIN indicators_theme th ON th.id = at.theme_id
JOIN indicators_action a ON a.id = at.action_id
JOIN indicators_objective b ON b.id = a.objective_id
JOIN indicators_orientation o ON o.id = b.orientation_id
WHERE o.plan_id IN ({plans})
ORDER BY th.number
"""

YEARS_SQL = f"""
SELECT s.indicator_id, s.year, t.text, s.measured, {_STATUS.format("status")}
FROM indicators_storedevaluation s
LEFT JOIN indicators_target t ON t.indicator_id = s.indicator_id AND t.year = s.year
WHERE s.plan_id IN ({{plans}})
"""

JOURNAL_SQL = """
SELECT h.history_date, u.username, i.label, h.year, h.value, h.comment, h.history_type
FROM indicators_historicalresult h
JOIN indicators_indicator i ON i.id = h.indicator_id
JOIN indicators_action a ON a.id = i.action_id
JOIN indicators_objective b ON b.id = a.objective_id
JOIN indicators_orientation o ON o.id = b.orientation_id
LEFT JOIN auth_user u ON u.id = h.history_user_id
WHERE o.plan_id IN ({plans}) AND h.year = %s
ORDER BY h.history_date DESC
"""

COUNTS_SQL = f"""
SELECT s.plan_id, {_STATUS.format("status")}, COUNT(*),
       SUM(CASE WHEN s.has_result THEN 1 ELSE 0 END)
FROM indicators_storedevaluation s
WHERE s.year = %s AND s.plan_id IN ({{plans}})
GROUP BY 1, 2
"""

MATRIX_SQL = f"""
SELECT s.plan_id, at.theme_id, COUNT(*), COUNT(DISTINCT a.id),
       SUM(CASE WHEN {_STATUS.format("status")} = 'atteinte' THEN 1 ELSE 0 END)
FROM indicators_storedevaluation s
JOIN indicators_indicator i ON i.id = s.indicator_id
JOIN indicators_action a ON a.id = i.action_id
LEFT JOIN indicators_action_themes at ON at.action_id = a.id
WHERE s.year = %s AND s.plan_id IN ({{plans}})
GROUP BY s.plan_id, at.theme_id
"""

# The entry page's lines (one orientation's when the page shows one section, {section}),
# each with its stored status and reason on the day read.
ENTRY_SQL = f"""
SELECT i.id, o.code, o.title, a.code, a.title, i.label, i.unit, t.text, tn.text, m.id, m.label,
       {_STATUS.format("status")}, {_STATUS.format("reason")}, s.achievement
FROM indicators_indicator i
JOIN indicators_action a ON a.id = i.action_id
JOIN indicators_objective b ON b.id = a.objective_id
JOIN indicators_orientation o ON o.id = b.orientation_id
LEFT JOIN indicators_target t ON t.indicator_id = i.id AND (t.year = %s OR t.year IS NULL)
LEFT JOIN indicators_target tn ON tn.indicator_id = i.id AND tn.year = %s
LEFT JOIN indicators_breakdownmember m ON m.indicator_id = i.id
LEFT JOIN indicators_storedevaluation s ON s.indicator_id = i.id AND s.year = %s
WHERE o.plan_id = %s {{section}}
ORDER BY o.position, b.position, a.position, i.position, i.id, m.position
"""

# The results the page shows: the year's and the one before, of the lines shown.
ENTRY_RESULTS_SQL = """
SELECT r.indicator_id, r.member_id, r.year, r.value, r.comment, r.evidence_url, r.version
FROM indicators_result r
JOIN indicators_indicator i ON i.id = r.indicator_id
JOIN indicators_action a ON a.id = i.action_id
JOIN indicators_objective b ON b.id = a.objective_id
JOIN indicators_orientation o ON o.id = b.orientation_id
WHERE o.plan_id = %s AND r.year IN (%s, %s) {section}
"""

# The whole plan's headline and jump list: statuses and results entered per orientation,
# counted in SQL from the stored evaluations.
ENTRY_STANDINGS_SQL = f"""
SELECT o.id, o.code, o.title, {_STATUS.format("status")}, s.has_result, COUNT(*)
FROM indicators_storedevaluation s
JOIN indicators_indicator i ON i.id = s.indicator_id
JOIN indicators_action a ON a.id = i.action_id
JOIN indicators_objective b ON b.id = a.objective_id
JOIN indicators_orientation o ON o.id = b.orientation_id
WHERE s.plan_id = %s AND s.year = %s
GROUP BY o.id, o.code, o.title, 4, s.has_result
"""

PAGE = Template(
    "<table>{% for row in rows %}<tr>{% for cell in row %}<td>{{ cell }}</td>{% endfor %}"
    "</tr>{% endfor %}</table>")
ENTRY_PAGE = Template(
    "<form>{% for row in rows %}<tr><td>{{ row.1 }} {{ row.5 }}</td><td>{{ row.7 }}</td>"
    "<td>{{ row.11 }} {{ row.12 }} {{ row.13 }}</td>"
    '<td><input name="i{{ row.0 }}-value" value="{{ row.14 }}"></td>'
    '<td><textarea name="i{{ row.0 }}-comment">{{ row.15 }}</textarea></td></tr>'
    "{% endfor %}</form>")


def _query(sql: str, before: list, plans: list[int], after: list = ()) -> list[tuple]:
    placeholders = ", ".join(["%s"] * len(plans))
    with connection.cursor() as cursor:
        cursor.execute(sql.format(plans=placeholders), [*before, *plans, *after])
        return cursor.fetchall()


def _local(moment):
    """A stored moment as a local naive datetime (a spreadsheet date cell has no zone)."""
    if moment is None:
        return None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, datetime.UTC)
    return timezone.localtime(moment).replace(tzinfo=None)


def _lines(plans: list[int], year: int, today: datetime.date) -> list[tuple]:
    return _query(LINES_SQL, [today, today, today, year, year, year + 1, year, year - 1], plans)


def _result_cells(line, member=None) -> list:
    """The 23 cells of a ``Résultats`` line, typed as the exporter types them."""
    unit = line[11]
    status, degree, reason = line[22], line[23], line[24]
    value = member[2] if member else (line[27] if line[27] is not None else line[16])
    previous = member[6] if member else line[21]
    target = line[26]
    updated = member[5] if member else line[19]
    return [f"{line[3]} {line[4]}", f"{line[5]} {line[6]}", f"{line[8]} {line[9]}", line[10],
            member[1] if member else "", line[12] or line[15] or "", line[12] or "",
            Num(previous, unit), Num(value, unit),
            Badge(status, status) if status else "", Badge(degree, degree) if degree else "",
            Ratio(None if line[25] is None else line[25] / 100), Num(target, unit),
            Num(None if value is None or target is None else value - target,
                Unit.POINTS if unit == Unit.PERCENT else unit),
            reason or "", "", line[13] or "", "", line[14] or "",
            (member[3] if member else line[17]) or "",
            (member[4] if member else line[18]) or "",
            _local(updated),
            line[20] or ""]


def _grouped(plans: list[int], year: int):
    members = defaultdict(list)
    for row in _query(MEMBERS_SQL, [year, year - 1], plans):
        members[row[0]].append(row)
    themes = defaultdict(list)
    for action_id, number, label in _query(THEMES_SQL, [], plans):
        themes[action_id].append((number, label))
    return members, themes


def _result_rows(lines, members):
    yield [f"colonne {n}" for n in range(23)]
    for line in lines:
        yield _result_cells(line)
        for member in members.get(line[0], ()):
            yield _result_cells(line, member)


def _book() -> XlsxBook:
    return XlsxBook(title="Reddition", subject="Plan", print_header="Reddition",
                    print_footer="Produit le")


def _summary(lines) -> list[list]:
    counts = defaultdict(int)
    for line in lines:
        counts[line[3], line[22]] += 1
    return [["Reddition"], ["Pôle", lines[0][2] if lines else ""], []] + [
        [f"{code}", status, n] for (code, status), n in sorted(
            counts.items(), key=lambda kv: (kv[0][0], kv[0][1] or ""))]


def floor_pole_export(plan: int, years: list[int], year: int, today: datetime.date) -> int:
    """Sommaire, Résultats (with member lines), Pluriannuel (target, result and status per
    year), Journal (the year's changes): the pôle workbook's reads and cells."""
    lines = _lines([plan], year, today)
    members, _themes = _grouped([plan], year)
    by_year = defaultdict(dict)
    for indicator, each_year, text, measured, status in _query(YEARS_SQL, [today],
                                                               [plan]):
        by_year[indicator][each_year] = (text, measured, status)
    book = _book()
    book.sheet("Sommaire", _summary(lines), widths=(44, 16, 16))
    book.table("Résultats", _result_rows(lines, members), widths=(20,) * 23, freeze="E2")

    def multiyear():
        yield ["Orientation", "Action", "Indicateur"] + [
            f"{kind} {y}" for y in years for kind in ("Cible", "Résultat", "Statut")]
        for line in lines:
            cells = [f"{line[3]} {line[4]}", f"{line[8]} {line[9]}", line[10]]
            for each_year in years:
                text, measured, status = by_year[line[0]].get(each_year, (None, None, None))
                cells += [text or "", Num(measured, line[11]),
                          Badge(status, status) if status else ""]
            yield cells

    book.table("Pluriannuel", multiyear(), widths=(20,) * 12, freeze="D2")
    journal = _query(JOURNAL_SQL, [], [plan], [year])
    book.table("Journal", [["Quand", "Qui", "Indicateur", "Objet", "Champ", "Avant", "Après",
                            "Motif"]] + [[row[0], row[1] or "", row[2], str(row[3]),
                                          "valeur", "", str(row[4]), row[5] or ""]
                                         for row in journal], widths=(17,) * 8)
    return len(book.save())


def floor_national_export(plans: list[int], year: int, today: datetime.date) -> int:
    """Sommaire (a line per pôle), Consolidé (every line once per MES theme of its action,
    grouped by theme) and one Résultats sheet per pôle: the national workbook's reads and
    cells."""
    lines = _lines(plans, year, today)
    members, themes = _grouped(plans, year)
    book = _book()
    poles = sorted({line[2] for line in lines})
    book.sheet("Sommaire", [["Reddition"], ["Produit le", timezone.localtime()], []]
               + [[pole, "approuvée", Ratio(None), "0 / 0", 0, "phrase"] for pole in poles],
               widths=(50, 28, 16, 22, 14, 60))

    def consolidated():
        grouped = defaultdict(list)
        for line in lines:
            cells = [_result_cells(line)] + [_result_cells(line, m)
                                             for m in members.get(line[0], ())]
            for number, label in themes.get(line[7]) or [(None, "")]:
                for row in cells:
                    grouped[number].append([f"{number} {label}", "approuvée", line[2], *row])
        yield [f"colonne {n}" for n in range(26)]
        for number in sorted(grouped, key=lambda n: (n is None, n or 0)):
            yield from grouped[number]

    book.table("Consolidé", consolidated(), widths=(20,) * 26, freeze="H2")
    by_pole = defaultdict(list)
    for line in lines:
        by_pole[line[2]].append(line)
    for number, pole in enumerate(poles):
        book.table(f"pôle {number}", _result_rows(by_pole[pole], members),
                   widths=(20,) * 23, freeze="E2", preamble=[[pole, "approuvée"], ["phrase"]])
    return len(book.save())


def floor_pole_page(plan: int, year: int, today: datetime.date) -> int:
    """The pôle dashboard's rows: every indicator with its stored status, degree, achievement
    and the year's result, one table row each."""
    lines = _lines([plan], year, today)
    rows = [(line[3], line[8], line[10], line[22], line[23], line[25], line[16], line[18])
            for line in lines]
    return len(PAGE.render(Context({"rows": rows})))


def floor_national_page(plans: list[int], year: int, today: datetime.date) -> int:
    """The national dashboard's rows: status counts per pôle and the pôle × theme matrix,
    counted in SQL from the stored evaluations, one table row each."""
    counts = _query(COUNTS_SQL, [today, year], plans)
    matrix = _query(MATRIX_SQL, [today, year], plans)
    return len(PAGE.render(Context({"rows": counts + matrix})))


def floor_entry_page(plan: int, year: int, today: datetime.date,
                     orientation: int | None = None) -> int:
    """The entry page's rows: every indicator line (and member line) of the section shown
    (``orientation``; the whole plan when None) with its target, next target, stored status
    and the year's and previous year's results, rendered with an input and a comment box
    each; and the whole plan's status counts per orientation (headline and jump list)."""
    section = "" if orientation is None else "AND o.id = %s"
    shown = [] if orientation is None else [orientation]
    with connection.cursor() as cursor:
        cursor.execute(ENTRY_SQL.format(section=section),
                       [today, today, year, year + 1, year, plan, *shown])
        lines = [list(row) for row in cursor.fetchall()]
        results = {}
        cursor.execute(ENTRY_RESULTS_SQL.format(section=section),
                       [plan, year - 1, year, *shown])
        for indicator, member, each_year, value, comment, _url, _version in cursor.fetchall():
            results[indicator, member, each_year] = (value, comment)
        cursor.execute(ENTRY_STANDINGS_SQL, [today, plan, year])
        standings = cursor.fetchall()
    for line in lines:
        value, comment = results.get((line[0], line[9], year), (None, ""))
        line += [value, comment]
    return len(ENTRY_PAGE.render(Context({"rows": lines}))) + len(
        PAGE.render(Context({"rows": standings})))


def floor_entry_post(plan: int, year: int, changes: int = 50,
                     orientation: int | None = None) -> int:
    """The save's writes: ``changes`` results of the section posted (``orientation``; the
    whole plan when None) updated with a new version, their history rows, and their
    indicators' stored evaluations for ``year`` and later deleted and re-inserted, in one
    transaction."""
    section = "" if orientation is None else f" AND o.id = {int(orientation)}"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT r.id, r.indicator_id, r.value, r.comment, r.version FROM indicators_result r"
            " JOIN indicators_indicator i ON i.id = r.indicator_id"
            " JOIN indicators_action a ON a.id = i.action_id"
            " JOIN indicators_objective b ON b.id = a.objective_id"
            " JOIN indicators_orientation o ON o.id = b.orientation_id"
            f" WHERE o.plan_id = %s AND r.year = %s AND r.member_id IS NULL{section}"
            f" AND r.value IS NOT NULL ORDER BY r.id LIMIT {changes}", [plan, year])
        picked = cursor.fetchall()
        now = timezone.now()
        cursor.executemany(
            "UPDATE indicators_result SET value = %s, version = version + 1, updated_at = %s "
            "WHERE id = %s", [(row[2] + 1, now, row[0]) for row in picked])
        cursor.executemany(
            "INSERT INTO indicators_historicalresult (id, year, value, not_applicable, "
            "not_applicable_reason, comment, evidence_url, evidence_file, is_demo, "
            "override_reason, version, updated_at, indicator_id, history_date, history_type) "
            "VALUES (%s, %s, %s, %s, '', %s, '', '', %s, '', %s, %s, %s, %s, '~')",
            [(row[0], year, row[2] + 1, False, row[3] or "", False, row[4] + 1, now, row[1],
              now) for row in picked])
        ids = [row[1] for row in picked]
        placeholders = ", ".join(["%s"] * len(ids))
        columns = ("indicator_id, plan_id, year, status_open, status_closed, degree_open, "
                   "degree_closed, reason_open, reason_closed, closes_on, achievement, "
                   "resolved_target, measured, members, has_result, has_demo")
        cursor.execute(f"SELECT {columns} FROM indicators_storedevaluation WHERE indicator_id "
                       f"IN ({placeholders}) AND year >= %s", [*ids, year])
        stored = cursor.fetchall()
        cursor.execute(f"DELETE FROM indicators_storedevaluation WHERE indicator_id "
                       f"IN ({placeholders}) AND year >= %s", [*ids, year])
        cursor.executemany(f"INSERT INTO indicators_storedevaluation ({columns}) VALUES "
                           f"({', '.join(['%s'] * 16)})",
                           [(*row[:13], row[13] if isinstance(row[13], str)
                             else json.dumps(row[13]), *row[14:]) for row in stored])
    return len(picked)
