"""Loading a pôle's plan from a spreadsheet, and writing a plan back in the same format.

One row per indicator, French headers: ``Orientation``, ``Objectif``, ``Action``,
``Indicateur``, optional ``Thème MES`` (1-4), ``Ventilation`` (``Secteur : TI, Santé``), then one
target column per plan year (``2024-2025`` or ``24-25``) or a single ``Cible`` column for the
whole period. Leading codes (``1.1.1 …``) are split from the text. The import is
all-or-nothing: any bad row rolls everything back and every problem is listed with its line.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import tablib
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import resources
from import_export.results import Result as ImportResult

from indicators import boundary, workflow
from indicators import targets as tl
from indicators.evaluations import evaluations_refresh
from indicators.models import (
    Action,
    BreakdownMember,
    Indicator,
    Objective,
    Orientation,
    Plan,
    Target,
    TargetRevision,
    Theme,
    fiscal_year_label,
)
from indicators.numbers import target_text_problem
from indicators.spreadsheets import cell_text

COL_ORIENTATION = "Orientation"
COL_OBJECTIVE = "Objectif"
COL_ACTION = "Action"
COL_DESCRIPTION = "Description de l'action"
COL_INDICATOR = "Indicateur"
COL_UNIT = "Unité"
COL_DIRECTION = "Sens"
COL_CUMULATIVE = "Cumulatif"
COL_BASELINE = "Valeur de départ"
COL_THEME = "Thème MES"
COL_BREAKDOWN = "Ventilation"
COL_ADDITIVE = "Membres additifs"
COL_SCOPE = "Portée de la cible"
COL_PERIOD = "Cible"
COL_NOTE = "Note"
REQUIRED = (COL_ORIENTATION, COL_OBJECTIVE, COL_ACTION, COL_INDICATOR)
OPTIONAL = (COL_DESCRIPTION, COL_UNIT, COL_DIRECTION, COL_CUMULATIVE, COL_BASELINE, COL_THEME,
            COL_BREAKDOWN, COL_ADDITIVE, COL_SCOPE, COL_PERIOD, COL_NOTE)

UNIT_WORDS = {
    "nombre": Indicator.Unit.COUNT, "nb": Indicator.Unit.COUNT,
    "pourcentage": Indicator.Unit.PERCENT, "%": Indicator.Unit.PERCENT,
    "taux": Indicator.Unit.PERCENT, "duree": Indicator.Unit.DURATION,
    "minutes": Indicator.Unit.DURATION, "livrable": Indicator.Unit.DELIVERABLE,
    "montant": Indicator.Unit.MONEY, "$": Indicator.Unit.MONEY, "dollars": Indicator.Unit.MONEY,
    "montant ($)": Indicator.Unit.MONEY,
}
UNIT_NAMES = {Indicator.Unit.COUNT: "nombre", Indicator.Unit.PERCENT: "pourcentage",
              Indicator.Unit.DURATION: "durée", Indicator.Unit.DELIVERABLE: "livrable",
              Indicator.Unit.MONEY: "montant"}
DIRECTION_WORDS = {"hausse": Indicator.Direction.INCREASE, "baisse": Indicator.Direction.DECREASE}
DIRECTION_NAMES = {v: k for k, v in DIRECTION_WORDS.items()}
SCOPE_WORDS = {"total": Indicator.Scope.TOTAL, "chaque membre": Indicator.Scope.EACH,
               "par membre": Indicator.Scope.EACH}
SCOPE_NAMES = {Indicator.Scope.TOTAL: "total", Indicator.Scope.EACH: "chaque membre"}
YES = {"oui", "o", "yes", "vrai", "1", "x"}
NO = {"non", "n", "no", "faux", "0", ""}
EMPTY_TARGET = {"", "-", "—", "–"}

_CODE = re.compile(r"^([A-Z]{0,2}\.?\d+(?:\.\d+)*|[A-Z]{1,2}(?=\s+[A-ZÀ-Ý]))[.)]?\s+(\S.*)$",
                   re.S)
_YEAR_LONG = re.compile(r"^(\d{4})\s*-\s*(\d{4})$")
_YEAR_SHORT = re.compile(r"^(\d{2})\s*-\s*(\d{2})$")


def split_code(text: str) -> tuple[str, str]:
    """``"1.1.1 Soutien …"`` → ``("1.1.1", "Soutien …")``; no code → ``("", text)``."""
    text = " ".join((text or "").split())
    match = _CODE.match(text)
    return (match.group(1), match.group(2).strip()) if match else ("", text)


def year_from_header(header: str) -> int | None:
    """``2024-2025`` or ``24-25`` → 2024; anything else → None."""
    header = (header or "").strip()
    for pattern, base in ((_YEAR_LONG, 0), (_YEAR_SHORT, 2000)):
        match = pattern.match(header)
        if match:
            start, end = int(match.group(1)) + base, int(match.group(2)) + base
            if end == start + 1:
                return start
    return None


def parse_breakdown(text: str) -> tuple[str, list[str]]:
    """``"Secteur : TI, Santé"`` → ``("Secteur", ["TI", "Santé"])``."""
    text = text.strip()
    if not text:
        return "", []
    label, sep, members = text.partition(":")
    if not sep:
        label, members = _("Ventilation"), text
    return label.strip(), [m.strip() for m in members.split(",") if m.strip()]


@dataclass
class PlanRow:
    """One spreadsheet row, read and checked, not yet written."""

    orientation: tuple[str, str]
    objective: tuple[str, str]
    action: tuple[str, str]
    description: str
    label: str
    unit: str
    direction: str
    cumulative: bool
    baseline: Decimal | None
    themes: list[int] | None
    breakdown_label: str
    members: list[str]
    additive: bool
    scope: str
    targets: dict[int | None, str] = field(default_factory=dict)
    note: str = ""


def read_row(row: Mapping[str, Any], year_columns: Mapping[str, int | None],
             plan_years: Iterable[int]) -> PlanRow:
    """Read one row, or raise ValidationError listing every problem in French.

    This is the one place where a plan row's rules live; the admin import and
    ``manage.py import_plan`` both go through it.
    """
    problems: list[str] = []
    get = {key: cell_text(value) for key, value in row.items()}

    def required(column: str) -> tuple[str, str]:
        code, text = split_code(get.get(column, ""))
        if not text:
            problems.append(_("la colonne « %(col)s » est vide") % {"col": column})
        return code, text

    def choice(column: str, words: Mapping[str, str], default: str) -> str:
        raw = get.get(column, "")
        key = tl.normalize(raw)
        if not key:
            return default
        if key in words:
            return words[key]
        problems.append(_("« %(value)s » n'est pas une valeur permise pour « %(col)s » "
                          "(%(allowed)s)") % {"value": raw, "col": column,
                                              "allowed": ", ".join(sorted(set(words)))})
        return default

    def yes_no(column: str) -> bool:
        raw = get.get(column, "")
        key = tl.normalize(raw)
        if key in YES:
            return True
        if key not in NO:
            problems.append(_("« %(value)s » n'est pas oui ou non (« %(col)s »)") % {
                "value": raw, "col": column})
        return False

    orientation, objective, action = (required(COL_ORIENTATION), required(COL_OBJECTIVE),
                                      required(COL_ACTION))
    label = get.get(COL_INDICATOR, "").rstrip(";:").strip()
    if not label:
        problems.append(_("la colonne « %(col)s » est vide") % {"col": COL_INDICATOR})

    themes = None
    if COL_THEME in get and get[COL_THEME]:
        themes = []
        for token in re.split(r"[,;/ ]+", get[COL_THEME]):
            number = token.upper().lstrip("O")
            if number.isdigit() and 1 <= int(number) <= 4:
                themes.append(int(number))
            elif token:
                problems.append(_("thème MES « %(value)s » inconnu (valeurs permises : 1 à 4)")
                                % {"value": token})

    targets: dict[int | None, str] = {}
    readings: list[tuple[str, str, tl.TargetReading]] = []  # (where, text, reading)
    years = set(plan_years)
    for column, year in year_columns.items():
        text = get.get(column, "")
        if text in EMPTY_TARGET:
            continue
        where = fiscal_year_label(year) if year is not None else _("de la période")
        problem = target_text_problem(text)
        if problem:
            problems.append(_("la cible %(where)s « %(text)s » : %(problem)s") % {
                "where": where, "text": text, "problem": problem})
            continue
        if year is not None and year not in years:
            problems.append(_("la colonne %(year)s n'est pas une année du plan") % {
                "year": where})
            continue
        try:
            readings.append((where, text, tl.parse_target(text)))
        except tl.TargetSyntaxError as exc:
            problems.append(_("la cible %(where)s « %(text)s » n'est pas lisible : %(reason)s")
                            % {"where": where, "text": text, "reason": exc.reason})
            continue
        targets[year] = text

    values = [r for _where, _text, r in readings if r.kind is tl.Kind.VALUE]
    relatives = [r for _where, _text, r in readings if r.kind is tl.Kind.RELATIVE]
    if any(r.kind is tl.Kind.DELIVERABLE for _where, _text, r in readings):
        inferred = Indicator.Unit.DELIVERABLE
    elif any(r.unit is tl.Unit.PERCENT for r in values) or any(
            r.unit is tl.Unit.POINTS for r in relatives):
        inferred = Indicator.Unit.PERCENT
    elif any(r.unit is tl.Unit.DURATION for r in values):
        inferred = Indicator.Unit.DURATION
    elif any(r.unit is tl.Unit.MONEY for r in values):
        inferred = Indicator.Unit.MONEY
    else:
        inferred = Indicator.Unit.COUNT
    unit = choice(COL_UNIT, UNIT_WORDS, inferred)
    for where, text, reading in readings:
        problem = tl.reading_unit_error(reading, unit)
        if problem:
            problems.append(_("la cible %(where)s « %(text)s » : %(problem)s") % {
                "where": where, "text": text, "problem": problem})

    baseline = None
    if get.get(COL_BASELINE):
        try:
            baseline = tl.parse_decimal(get[COL_BASELINE])
        except ValueError:
            problems.append(_("valeur de départ « %(value)s » n'est pas un nombre") % {
                "value": get[COL_BASELINE]})

    breakdown_label, members = parse_breakdown(get.get(COL_BREAKDOWN, ""))
    default_scope = (Indicator.Scope.EACH if any(r.per_member for _w, _t, r in readings)
                     else Indicator.Scope.TOTAL)
    scope = choice(COL_SCOPE, SCOPE_WORDS, default_scope)
    if scope == Indicator.Scope.EACH and not breakdown_label:
        problems.append(_("la cible s'applique à chaque membre, mais la colonne "
                          "« Ventilation » est vide"))

    row_result = PlanRow(
        orientation=orientation, objective=objective, action=action,
        description=get.get(COL_DESCRIPTION, ""), label=label, unit=unit,
        direction=choice(COL_DIRECTION, DIRECTION_WORDS, Indicator.Direction.INCREASE),
        cumulative=yes_no(COL_CUMULATIVE), baseline=baseline, themes=themes,
        breakdown_label=breakdown_label, members=members, additive=yes_no(COL_ADDITIVE),
        scope=scope, targets=targets, note=get.get(COL_NOTE, ""))
    if problems:
        raise ValidationError(problems)
    return row_result


def header_columns(headers: Iterable[str]) -> tuple[dict[str, int | None], list[str]]:
    """Which columns hold targets (header → year, None for ``Cible``), and header problems."""
    headers = [h for h in headers if h]
    problems = [_("colonne obligatoire « %(col)s » absente") % {"col": col}
                for col in REQUIRED if col not in headers]
    year_columns: dict[str, int | None] = {}
    for header in headers:
        year = year_from_header(header)
        if year is not None:
            year_columns[header] = year
        elif header == COL_PERIOD:
            year_columns[header] = None
        elif header not in REQUIRED and header not in OPTIONAL:
            problems.append(_("colonne « %(col)s » inconnue") % {"col": header})
    if not year_columns:
        problems.append(_("aucune colonne de cible (« 2024-2025 », « 24-25 » ou « Cible »)"))
    return year_columns, problems


@dataclass(frozen=True)
class TargetChange:
    """A target a re-import changes (or keeps), as the dry run lists it."""

    line: int
    action: str
    indicator: str
    year: int | None
    old: str
    new: str
    # The director's revision this change undoes ('' when none), described for a person.
    undoes: str = ""
    kept: bool = False  # the file predates a revision: the revised target is kept

    def __str__(self) -> str:
        where = _("Ligne %(line)s (%(action)s %(indicator)s, %(year)s)") % {
            "line": self.line, "action": self.action, "indicator": self.indicator,
            "year": fiscal_year_label(self.year) if self.year else _("toute la période")}
        if self.kept:
            return _("%(where)s : cible révisée conservée « %(current)s » (le fichier porte "
                     "« %(file)s », la cible d'avant la révision : %(revision)s)") % {
                "where": where, "current": self.old, "file": self.new,
                "revision": self.undoes}
        text = _("%(where)s : « %(old)s » → « %(new)s »") % {
            "where": where, "old": self.old or "—", "new": self.new or "—"}
        if self.undoes:
            text += " " + _("(remplace la révision %(revision)s)") % {"revision": self.undoes}
        return text


def _revision_text(revision: TargetRevision) -> str:
    from indicators.formatting import person_name

    return _("du %(day)s par %(who)s : « %(old)s » → « %(new)s »") % {
        "day": revision.revised_at.date().isoformat(), "who": person_name(revision.revised_by),
        "old": revision.old_text, "new": revision.new_text}


class PlanResource(resources.ModelResource):
    """django-import-export resource: one row per indicator of ``plan``.

    A re-import writes through the same rules as the pages: a target whose year is submitted
    or approved does not change (the row is refused, naming the target, old → new); a
    target a director revised keeps its revision when the file still holds the text from
    before it, and any other change to it is recorded as a new revision; settings that enter
    evaluations do not change under a locked year. Every change is listed in ``changes``.
    """

    class Meta:
        model = Indicator
        fields = ("label",)
        import_id_fields = ()
        use_transactions = True
        skip_diff = True
        store_instance = False

    def __init__(self, plan: Plan | None = None, user=None, **kwargs):
        super().__init__(**kwargs)
        self.plan = plan
        self.user = user
        self.changes: list[TargetChange] = []

    def get_user_visible_fields(self):
        return []

    # -- the import workflow -------------------------------------------------------------------

    def before_import(self, dataset, **kwargs):
        if self.plan is None:
            raise ValidationError(_("Choisissez le plan dans lequel importer."))
        dataset.headers = [cell_text(h) for h in dataset.headers or []]
        self.year_columns, problems = header_columns(dataset.headers)
        self.seen: dict[tuple, int] = {}
        self.positions: dict[tuple, dict[str, int]] = {}
        self.themes = {t.number: t for t in Theme.objects.all()}
        self.changes = []
        self.locked = boundary.locked_years([self.plan.pk]).get(self.plan.pk, set())
        # Directors' revisions still in force, read once for the whole plan (not per row).
        self.revisions = _latest_revisions(
            Target.objects.filter(indicator__action__objective__orientation__plan=self.plan))
        if problems:
            del dataset[0:len(dataset)]
            raise ValidationError(problems)

    def before_import_row(self, row, **kwargs):
        number = kwargs.get("row_number", 0) + 1
        parsed = read_row(row, self.year_columns, self.plan.years)
        key = (parsed.action, parsed.label)
        if key in self.seen:
            raise ValidationError(_("indicateur « %(label)s » en double (déjà à la ligne "
                                    "%(line)s)") % {"label": parsed.label,
                                                    "line": self.seen[key]})
        self.seen[key] = number
        row["_parsed"] = parsed
        row["_line"] = number

    def _position(self, parent: tuple, key: str) -> int:
        siblings = self.positions.setdefault(parent, {})
        return siblings.setdefault(key, len(siblings) + 1)

    def _upsert(self, model, parent: dict, code: str, title: str, position: int, **extra):
        """Find a node by code under its parent (by title when it has none), then update it."""
        lookup = {**parent, "code": code} if code else {**parent, "title": title}
        node = model.objects.filter(**lookup).first()
        if node is None:
            node = model(**parent, code=code or self._fallback_code(model, parent, position))
        node.title, node.position = title, position
        for name, value in extra.items():
            setattr(node, name, value)
        node.save()
        return node

    @staticmethod
    def _fallback_code(model, parent: dict, position: int) -> str:
        prefix = next(iter(parent.values())).code + "." if model is not Orientation else ""
        return f"{prefix}{position}"

    def get_or_init_instance(self, instance_loader, row):
        parsed: PlanRow = row["_parsed"]
        o_code, o_title = parsed.orientation
        theme_number = re.fullmatch(r"O([1-4])", o_code)
        orientation = self._upsert(
            Orientation, {"plan": self.plan}, o_code, o_title,
            self._position(("plan",), o_code or o_title),
            theme=self.themes.get(int(theme_number.group(1))) if theme_number else None)
        objective = self._upsert(
            Objective, {"orientation": orientation}, *parsed.objective,
            self._position(("o", orientation.pk), parsed.objective[0] or parsed.objective[1]))
        action = self._upsert(
            Action, {"objective": objective}, *parsed.action,
            self._position(("b", objective.pk), parsed.action[0] or parsed.action[1]),
            description=parsed.description)
        instance = Indicator.objects.filter(action=action, label=parsed.label).first()
        if instance is None:
            return Indicator(action=action, label=parsed.label), True
        return instance, False

    def import_instance(self, instance, row, **kwargs):
        from indicators.services import evaluation_settings_problem

        parsed: PlanRow = row["_parsed"]
        instance.position = self._position(("a", instance.action_id), parsed.label)
        wanted = {"unit": parsed.unit, "direction": parsed.direction,
                  "cumulative": parsed.cumulative, "baseline": parsed.baseline,
                  "breakdown_label": parsed.breakdown_label,
                  "breakdown_additive": parsed.additive, "target_scope": parsed.scope}
        changed = [name for name, value in wanted.items() if getattr(instance, name) != value]
        if instance.pk is not None and changed:
            problem = evaluation_settings_problem(instance, changed)
            if problem:
                raise ValidationError(problem)
        for name, value in wanted.items():
            setattr(instance, name, value)

    def import_data(self, dataset, dry_run=False, *args, **kwargs):
        """Every door (the command, the admin) imports inside the write boundary."""
        self.dry_run = dry_run
        with boundary.writes():
            return super().import_data(dataset, dry_run, *args, **kwargs)

    def after_import(self, dataset, result, **kwargs):
        # Every indicator and target of the plan may have changed (page and admin imports
        # both come here); a dry run or a refused import is rolled back anyway.
        if not (getattr(self, "dry_run", False) or result.has_errors()
                or result.has_validation_errors()):
            evaluations_refresh(plan=self.plan)
        if getattr(self, "dry_run", False):
            # The admin's dry run lists each target as text → reading (issue 23).
            from indicators.import_preview import target_readings

            result.target_readings = target_readings(self.plan, dataset)

    def after_save_instance(self, instance, row, **kwargs):
        parsed: PlanRow = row["_parsed"]
        if parsed.themes is not None:
            instance.action.themes.set([self.themes[n] for n in parsed.themes])
        for position, label in enumerate(parsed.members, start=1):
            BreakdownMember.objects.update_or_create(
                indicator=instance, label=label, defaults={"position": position})
        existing = {t.year: t for t in instance.targets.all()}
        problems, writes = [], []
        for year in self.year_columns.values():
            text = parsed.targets.get(year)
            target = existing.get(year)
            old = target.text if target is not None else ""
            if text is None and target is None:
                continue
            if target is not None and text == old:
                if target.note != parsed.note:
                    writes.append((target, old, text, None))
                continue
            revision = self.revisions.get(target.pk) if target is not None else None
            change = TargetChange(row["_line"], instance.action.code, instance.label, year,
                                  old, text or "",
                                  _revision_text(revision) if revision else "")
            if revision is not None and text == revision.old_text:
                # The file holds the plan's words from before the director's revision.
                self.changes.append(replace(change, kept=True))
                continue
            governing = workflow.target_governing_year(self.plan, year)
            if governing in self.locked:
                problems.append(_("la cible %(year)s de « %(indicator)s » ne peut pas changer : "
                                  "l'année %(locked)s est soumise ou approuvée (« %(old)s » → "
                                  "« %(new)s »)") % {
                    "year": fiscal_year_label(year) if year else _("de la période"),
                    "indicator": instance.label, "locked": fiscal_year_label(governing),
                    "old": old or "—", "new": text or "—"})
                continue
            self.changes.append(change)
            writes.append((target or Target(indicator=instance, year=year), old, text,
                           revision))
        if problems:
            raise ValidationError(problems)
        for target, old, text, revision in writes:
            self._target_write(target, old, text, parsed.note, revision, row["_line"])

    def _target_write(self, target: Target, old: str, text: str | None, note: str,
                      revision: TargetRevision | None, line: int) -> None:
        """Write one target's change with its history, and a revision record when it
        replaces a director's revision, so that nothing is undone silently."""
        reason = _("Importation du plan (ligne %(line)s)") % {"line": line}
        if self.user is not None:
            target._history_user = self.user
        target._change_reason = reason
        if text is None:
            target.delete()
            return
        target.text, target.note = text, note
        target.save()
        if revision is not None and old != text and self.user is not None:
            TargetRevision.objects.create(target=target, old_text=old, new_text=text,
                                          reason=reason, revised_by=self.user)


def _latest_revisions(targets: Iterable[Target]) -> dict[int, TargetRevision]:
    """Target id → its latest revision, for targets whose text is still that revision's."""
    targets = {t.pk: t for t in targets if t.pk is not None}
    latest: dict[int, TargetRevision] = {}
    for revision in (TargetRevision.objects.filter(target_id__in=list(targets))
                     .select_related("revised_by").order_by("target_id", "-revised_at", "-pk")):
        latest.setdefault(revision.target_id, revision)
    return {pk: r for pk, r in latest.items() if targets[pk].text == r.new_text}


@dataclass
class ImportOutcome:
    result: ImportResult
    errors: list[str]
    changes: list[TargetChange] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def totals(self) -> dict[str, int]:
        return dict(self.result.totals)


def import_errors(result: ImportResult) -> list[str]:
    """Every problem of an import, in French, with the spreadsheet line it is on."""
    messages = []
    for error in result.base_errors:
        messages.extend(_error_messages(error.error))
    for number, errors in result.row_errors():
        for error in errors:
            messages.append(_("Ligne %(line)s : %(msg)s") % {
                "line": number + 1, "msg": error.error})
    for invalid in result.invalid_rows:
        for message in _error_messages(invalid.error):
            messages.append(_("Ligne %(line)s : %(msg)s") % {
                "line": invalid.number + 1, "msg": message})
    return messages


def _error_messages(error: Exception) -> list[str]:
    if isinstance(error, ValidationError):
        return list(error.messages)
    return [str(error)]


def plan_import(*, plan: Plan, dataset: tablib.Dataset, dry_run: bool = False,
                user=None) -> ImportOutcome:
    """Import ``dataset`` into ``plan``, all or nothing; re-importing updates in place.

    ``changes`` lists every target the import changes (or keeps, when the file predates a
    revision), old → new, dry run or not; ``user`` is named in the history."""
    resource = PlanResource(plan=plan, user=user)
    with boundary.writes():
        result = resource.import_data(dataset, dry_run=dry_run, raise_errors=False,
                                      use_transactions=True,
                                      rollback_on_validation_errors=True)
    errors = import_errors(result)
    return ImportOutcome(result=result, errors=errors,
                         changes=[] if errors else sorted(resource.changes,
                                                          key=lambda c: c.line))


def load_dataset(content: bytes, filename: str, *,
                 keep_blank_rows: bool = False) -> tablib.Dataset:
    """Read an uploaded or on-disk plan file (xlsx or csv, ``,`` or ``;``) into a Dataset.

    ``keep_blank_rows`` keeps a csv's blank rows (as xlsx files keep theirs), so that a row's
    index is its line in the file (the register import names lines in its errors)."""
    suffix = Path(filename).suffix.lower()
    if suffix in {".xlsx", ".xlsm"}:
        dataset = tablib.Dataset()
        try:
            dataset.load(io.BytesIO(content), format="xlsx")
        except Exception as exc:  # a corrupt or renamed file: zip, XML or openpyxl errors
            raise ValueError(_("Ce fichier .xlsx n'est pas lisible (%(name)s) : enregistrez-le "
                               "de nouveau depuis votre tableur au format Excel (.xlsx), ou "
                               "en CSV.") % {"name": Path(filename).name}) from exc
        return dataset
    if suffix not in {".csv", ".txt"}:
        raise ValueError(_("Format de fichier non pris en charge : %(ext)s (xlsx ou csv).")
                         % {"ext": suffix or filename})
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1252")
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    while rows and not any(cell.strip() for cell in rows[-1]):
        rows.pop()  # trailing blank lines are nobody's line
    if not keep_blank_rows:
        rows = [r for r in rows if any(cell.strip() for cell in r)]
    if not rows:
        raise ValueError(_("Le fichier est vide."))
    width = len(rows[0])
    dataset = tablib.Dataset(headers=rows[0])
    for row in rows[1:]:
        dataset.append((row + [""] * width)[:width])
    return dataset


# --- writing a plan back in the import format ------------------------------------------------


def plan_rows(plan: Plan) -> list[list[str]]:
    """The plan as import-format rows, header first (four queries, see ``for_plan``)."""
    indicators = list(Indicator.objects.for_plan(plan))
    targets = {i.pk: {t.year: t for t in i.target_list} for i in indicators}
    years = sorted({y for t in targets.values() for y in t if y is not None})
    has_period = any(None in t for t in targets.values())
    has_theme = any(i.action.theme_list for i in indicators)
    has_baseline = any(i.baseline is not None for i in indicators)
    header = [COL_ORIENTATION, COL_OBJECTIVE, COL_ACTION, COL_DESCRIPTION, COL_INDICATOR,
              COL_UNIT, COL_DIRECTION, COL_CUMULATIVE]
    header += [COL_BASELINE] if has_baseline else []
    header += [COL_THEME] if has_theme else []
    header += [COL_BREAKDOWN, COL_ADDITIVE, COL_SCOPE]
    header += [fiscal_year_label(y) for y in years] + ([COL_PERIOD] if has_period else [])
    header += [COL_NOTE]
    rows = [header]
    for indicator in indicators:
        action = indicator.action
        objective = action.objective
        orientation = objective.orientation
        mine = targets[indicator.pk]
        breakdown = ""
        if indicator.breakdown_label:
            members = ", ".join(m.label for m in indicator.member_list)
            breakdown = f"{indicator.breakdown_label} : {members}".strip()
        row = [f"{orientation.code} {orientation.title}", f"{objective.code} {objective.title}",
               f"{action.code} {action.title}", action.description, indicator.label,
               UNIT_NAMES[indicator.unit], DIRECTION_NAMES[indicator.direction],
               "oui" if indicator.cumulative else "non"]
        if has_baseline:
            row.append("" if indicator.baseline is None else cell_text(indicator.baseline))
        if has_theme:
            row.append(", ".join(str(t.number) for t in action.theme_list))
        has_breakdown = bool(indicator.breakdown_label)
        row += [breakdown, ("oui" if indicator.breakdown_additive else "non") * has_breakdown,
                SCOPE_NAMES[indicator.target_scope] * has_breakdown]
        row += [mine[y].text if y in mine else "" for y in years]
        row += [mine[None].text if None in mine else ""] if has_period else []
        row.append(next((t.note for t in mine.values() if t.note), ""))
        rows.append(row)
    return rows


def rows_to_csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue().encode("utf-8")
