"""The year's entry: one form per result line, on the page or in the entry sheet (xlsx).

A *line* is an indicator's total, or one of its breakdown members. The page and the sheet
bind the same :class:`~indicators.forms.ResultForm` per line, check the same cross-line rule
(members that add up cannot exceed the total), and save through the same service.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, replace
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from indicators import targets as tl
from indicators.formatting import describe_reading, display_number, person_name, saved_by_user
from indicators.forms import BOOKKEEPING, KEEP_MINE, ResultForm
from indicators.hooks import ComputedSource
from indicators.models import BreakdownMember, fiscal_year_label
from indicators.numbers import cell_number_text
from indicators.progress import STATUS_LABELS, IndicatorProgress, Standing, awaits_result
from indicators.services import Conflict, Entry
from indicators.spreadsheets import (
    XLSX_TYPE,
    Export,
    UnreadableSheet,
    cell_style,
    cell_text,
    new_workbook,
    write_safe,
    xlsx_checked_rows,
)


class Line:
    """One indicator on the entry page: its progress, its total form and its member forms.

    The forms are built when first read (``forms_of(item)`` gives the total's form and the
    members' pairs): a GET renders its unbound lines straight from their results
    (:mod:`indicators.entry_html`) and builds none; a bound page, the entry sheet and the
    save read them as before."""

    def __init__(self, item: IndicatorProgress, forms_of, computed: ComputedSource | None = None,
                 *, bound: bool = False):
        self.item = item
        # Set when the value is computed from the activity register (read-only here).
        self.computed = computed
        # The indicator's detail page (set by the view: one reverse() for the whole page).
        self.detail_href = ""
        self.bound = bound
        self._forms_of = forms_of
        self._built: tuple[ResultForm, list[tuple[BreakdownMember, ResultForm]]] | None = None

    def _forms_built(self):
        if self._built is None:
            self._built = self._forms_of(self.item)
        return self._built

    @property
    def form(self) -> ResultForm:
        return self._forms_built()[0]

    @property
    def member_forms(self) -> list[tuple[BreakdownMember, ResultForm]]:
        return self._forms_built()[1]

    # group_progress() nests anything with these.
    @property
    def orientation(self):
        return self.item.orientation

    @property
    def objective(self):
        return self.item.objective

    @property
    def action(self):
        return self.item.action

    @property
    def status(self):
        return self.item.status

    @property
    def understood(self) -> str:
        target = self.item.target
        if target is None:
            return ""
        return describe_reading(target.reading, self.item.indicator.unit,
                                self.item.evaluation.resolved_target)

    @property
    def forms(self) -> list[ResultForm]:
        return [self.form] + [form for _member, form in self.member_forms]

    @property
    def has_errors(self) -> bool:
        """Only a bound line has errors (an unbound one builds no form to say so)."""
        if not self.bound and self._built is None:
            return False
        return any(form.errors for form in self.forms)


def detail_links(lines: list[Line], reverse) -> None:
    """Give every line the link to its indicator's detail page, reversed once for the page
    (a ``{% url %}`` per line cost a tenth of the entry page's rendering)."""
    sentinel = "987654321987654321"  # an id no page links to: 18 digits, as the converter's
    pattern = reverse("reporting:indicator", args=[int(sentinel)])
    for line in lines:
        line.detail_href = pattern.replace(sentinel, str(line.item.indicator.pk))


def line_prefix(indicator_id: int, member_id: int | None = None) -> str:
    return f"i{indicator_id}" + (f"m{member_id}" if member_id else "")


class EntryPage:
    """The lines of a plan year (the whole plan, or the section shown), bound to POST data
    (and files) or unbound.

    A bound page holds only the lines that were posted (each posts its ``version``, empty for
    a line without a result): a line its page did not show is left out, never read as
    emptied, so a save can only write what a page showed.
    """

    def __init__(self, items: list[IndicatorProgress], data=None, files=None,
                 conflicts: dict[str, Conflict] | None = None,
                 computed: dict[int, ComputedSource] | None = None):
        """``computed``: indicator id → its source, for the indicators computed from the
        register (``indicators.hooks.computed_sources``); their computed values are shown,
        not typed."""
        self.items = items
        self.computed = computed or {}
        self.is_bound = data is not None
        self.lines = []
        # Line prefix → the sheet's row number, when the page was bound from an entry sheet.
        self.sheet_lines: dict[str, int] = {}
        conflicts = conflicts or {}

        def conflict(prefix):
            return conflicts[prefix].current if prefix in conflicts else False

        def forms_of(item: IndicatorProgress):
            indicator = item.indicator
            source = self.computed.get(indicator.pk)
            prefix = line_prefix(indicator.pk)
            form = ResultForm(data, files, prefix=prefix, indicator=indicator,
                              result=item.result, conflict=conflict(prefix),
                              computed=source is not None)
            members = []
            for member in indicator.member_list:
                prefix = line_prefix(indicator.pk, member.pk)
                members.append((member, ResultForm(
                    data, files, prefix=prefix, indicator=indicator, member=member,
                    result=item.member_results.get(member.pk, {}).get(item.year),
                    conflict=conflict(prefix),
                    computed=source is not None and member.pk in source.members)))
            return form, members

        for item in items:
            if self.is_bound and f"{line_prefix(item.indicator.pk)}-version" not in data:
                continue
            self.lines.append(Line(item, forms_of, self.computed.get(item.indicator.pk),
                                   bound=self.is_bound))

    @cached_property
    def by_prefix(self) -> dict[str, tuple[Line, ResultForm]]:
        """Every line's forms by prefix (builds them)."""
        return {form.prefix: (line, form) for line in self.lines for form in line.forms}

    def post_data(self) -> dict[str, str]:
        """The form as a browser submits it untouched (every line, every field but files)."""
        data = {}
        for line in self.lines:
            for form in line.forms:
                for name, form_field in form.fields.items():
                    if name in ("evidence_file", "keep") or form_field.disabled:
                        continue  # a browser sends no file back, nor a disabled input
                    value = form[name].value()
                    if name == "not_applicable":
                        if value:
                            data[f"{form.prefix}-{name}"] = "on"
                        continue
                    data[f"{form.prefix}-{name}"] = "" if value is None else str(value)
        return data

    def is_valid(self) -> bool:
        valid = all(form.is_valid() for line in self.lines for form in line.forms)
        for line in self.lines:
            problem = members_exceed_total(line)
            if problem:
                line.form.add_error("value" if "value" in line.form.fields else None, problem)
                valid = False
        return valid

    @property
    def error_count(self) -> int:
        return sum(1 for line in self.lines for form in line.forms if form.errors)

    def labelled_forms(self) -> list[tuple[ResultForm, str]]:
        """Each form with the name of its indicator (and member), for the error summary."""
        pairs = []
        for line in self.lines:
            label = line.item.indicator.label
            pairs.append((line.form, label))
            pairs += [(form, f"{label} — {member.label}") for member, form in line.member_forms]
        return pairs

    def changed_entries(self) -> list[Entry]:
        entries = []
        for line in self.lines:
            for form in line.forms:
                if form.changed:
                    entries.append(Entry(indicator=line.item.indicator, member=form.member,
                                         fields=form.result_fields(),
                                         seen_version=form.cleaned_data.get("version"),
                                         key=form.prefix))
        return entries

    def with_conflicts(self, conflicts: list[Conflict], data, files=None, *,
                       user=None) -> EntryPage:
        """The page to show after a refused save: every line keeps what the person typed;
        a line someone else saved meanwhile also shows the current value and asks which to
        keep, and now carries the current version and values as what the page showed, so that
        saving again works (keeping « ma valeur » writes it, « la valeur actuelle » nothing)."""
        data = data.copy()
        by_key = {conflict.entry.key: conflict for conflict in conflicts}
        for key, conflict in by_key.items():
            _line, form = self.by_prefix[key]
            current = conflict.current
            data[f"{key}-version"] = "" if current is None else str(current.version)
            data[f"{key}-shown"] = form.shown_record(
                ResultForm.initial_from(current) if current is not None else {})
            data[f"{key}-keep"] = KEEP_MINE
        page = EntryPage(self.items, data=data, files=files, conflicts=by_key,
                         computed=self.computed)
        page.is_valid()
        for key, conflict in by_key.items():
            _line, form = page.by_prefix[key]
            form.add_error(None, conflict_message(conflict, user))
        return page


def conflict_message(conflict: Conflict, user=None) -> str:
    """Why a line of the page was refused: it was saved meanwhile — by ``user`` themself (in
    another tab, or through the entry sheet), by someone named, or by someone not recorded —
    with the value it now holds and when. What was typed is kept."""
    current = conflict.current
    if current is None:
        return _("Ce résultat vient d'être modifié par quelqu'un d'autre. Votre saisie est "
                 "conservée : enregistrez de nouveau.")
    shown = display_number(current.value) if current.value is not None else (
        {True: _("réalisé"), False: _("non réalisé")}.get(current.done, _("vide")))
    values = {"value": shown,
              "when": timezone.localtime(current.updated_at).strftime("%Y-%m-%d %H:%M")}
    if saved_by_user(current, user):
        return _("Vous avez enregistré ce résultat entre-temps, dans un autre onglet ou par la "
                 "feuille de saisie (valeur actuelle : %(value)s, le %(when)s). Votre saisie "
                 "est conservée : choisissez la valeur à garder, puis enregistrez de nouveau."
                 ) % values
    if current.updated_by is None:
        return _("Quelqu'un d'autre a enregistré ce résultat entre-temps (valeur actuelle : "
                 "%(value)s, le %(when)s). Votre saisie est conservée : choisissez la valeur à "
                 "garder, puis enregistrez de nouveau.") % values
    return _("%(who)s a enregistré ce résultat entre-temps (valeur actuelle : %(value)s, le "
             "%(when)s). Votre saisie est conservée : choisissez la valeur à garder, puis "
             "enregistrez de nouveau.") % {**values, "who": person_name(current.updated_by)}


def conflicts_message(conflicts: list[Conflict], action_conflicts: list, user) -> str:
    """The page's message when a save was refused because lines were saved meanwhile: how
    many, and each line (its action's code and indicator, or the action) with who saved it
    (« vous » when it was ``user``, « quelqu'un d'autre » only when nobody is recorded)."""
    def by(current) -> str:
        if saved_by_user(current, user):
            return str(_("par vous, dans un autre onglet ou par la feuille de saisie"))
        if current is None or current.updated_by is None:
            return str(_("par quelqu'un d'autre"))
        return str(_("par %(who)s") % {"who": person_name(current.updated_by)})

    lines = []
    for conflict in conflicts:
        indicator = conflict.entry.indicator
        what = f"{indicator.action.code} {indicator.label}" + (
            f", {conflict.entry.member.label}" if conflict.entry.member else "")
        lines.append(f"{what} ({by(conflict.current)})")
    for conflict in action_conflicts:
        lines.append(f"{_('Action %(code)s') % {'code': conflict.entry.action.code}} "
                     f"({by(conflict.current)})")
    count = len(lines)
    return ngettext(
        "Rien n'a été enregistré : %(n)s ligne que vous avez modifiée a aussi été enregistrée "
        "pendant votre saisie — %(lines)s. Choisissez la valeur à garder, puis enregistrez de "
        "nouveau.",
        "Rien n'a été enregistré : %(n)s lignes que vous avez modifiées ont aussi été "
        "enregistrées pendant votre saisie — %(lines)s. Choisissez la valeur à garder pour "
        "chacune, puis enregistrez de nouveau.", count) % {"n": count, "lines": " ; ".join(lines)}


def members_exceed_total(line: Line) -> str | None:
    """Members that add up (e.g. per establishment) cannot exceed the indicator's total."""
    indicator = line.item.indicator
    if not (indicator.breakdown_additive and line.member_forms):
        return None
    total = line.form.cleaned_data.get("value") if line.form.is_valid() else None
    if total is None:
        return None
    values = [form.cleaned_data.get("value") for _m, form in line.member_forms
              if form.is_valid()]
    members = sum((v for v in values if v is not None), Decimal(0))
    if members > total:
        return _("La somme des ventilations (%(sum)s) dépasse le total (%(total)s).") % {
            "sum": display_number(members), "total": display_number(total)}
    return None


# --- the entry sheet ---------------------------------------------------------------------------

SHEET_COLUMNS = [
    ("key", gettext_lazy("Clé")),
    ("version", gettext_lazy("Version")),
    ("action", gettext_lazy("Action")),
    ("indicator", gettext_lazy("Indicateur")),
    ("member", gettext_lazy("Membre")),
    ("target", gettext_lazy("Cible")),
    ("understood", gettext_lazy("Cible comprise")),
    ("previous", gettext_lazy("Résultat précédent")),
    ("source", gettext_lazy("Source")),
    ("value", gettext_lazy("Résultat")),
    ("numerator", gettext_lazy("Numérateur")),
    ("denominator", gettext_lazy("Dénominateur")),
    ("done", gettext_lazy("Livrable (oui/non)")),
    ("done_on", gettext_lazy("Réalisé le (AAAA-MM-JJ)")),
    ("not_applicable", gettext_lazy("Non applicable (oui/non)")),
    ("not_applicable_reason", gettext_lazy("Motif")),
    ("comment", gettext_lazy("Commentaire")),
    ("evidence_url", gettext_lazy("Lien vers la pièce justificative")),
]
SHEET_WIDTHS = {"source": 16, "indicator": 50, "understood": 30, "comment": 40, "evidence_url": 35}
INPUT_COLUMNS = {"value", "numerator", "denominator", "done", "done_on", "not_applicable",
                 "not_applicable_reason", "comment", "evidence_url"}


SHEET_LABELS = {key: label for key, label in SHEET_COLUMNS}
# Columns holding a number, written as a number cell with a number format.
NUMBER_COLUMNS = frozenset({"previous", "value", "numerator", "denominator"})
WHOLE_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.0#########"
# Columns holding what a person wrote: read back exactly, never flattened.
TEXT_COLUMNS = frozenset({"not_applicable_reason", "comment"})
HIDDEN_COLUMNS = ("key", "version")  # bookkeeping the upload matches rows with
COMPUTED_MARK = gettext_lazy("calculé à partir du registre")


def _column(key: str) -> int:
    """The sheet column index of ``key``, from 0 (columns are found by key, never by
    position)."""
    return [k for k, _label in SHEET_COLUMNS].index(key)


def _sheet_value(form: ResultForm, name: str):
    if name not in form.fields:
        return None
    value = form.initial.get(name)
    if name == "not_applicable":
        return "oui" if value else ""
    return value if value not in (None, "") else None


def entry_sheet(page: EntryPage, *, plan, year: int, actions=None) -> Export:
    """The year's entry sheet: one row per line, targets shown, inputs pre-filled; with
    ``actions`` (an :class:`~indicators.action_entry.ActionPage`), a second table for the
    actions' progress."""
    buffer = io.BytesIO()
    book = new_workbook(buffer)
    book.set_properties({"author": "Pôle Plan"})
    sheet = book.add_worksheet(_("Saisie %(year)s") % {"year": fiscal_year_label(year)})
    header = cell_style(book, {"bold": True, "text_wrap": True, "valign": "top"})
    plain = cell_style(book)
    entry_fill = {"pattern": 1, "bg_color": "#FFF8DC"}  # what a person fills in
    entry = cell_style(book, entry_fill)
    # Numbers are written as numbers, shown with a thousands separator (the spreadsheet's
    # locale draws it), whole numbers without a decimal point.
    numbers = {(is_input, whole): cell_style(book, {**(entry_fill if is_input else {}),
                                                    "num_format": fmt})
               for is_input in (False, True)
               for whole, fmt in ((True, WHOLE_FORMAT), (False, DECIMAL_FORMAT))}
    for col, (_key, label) in enumerate(SHEET_COLUMNS):
        write_safe(sheet, 0, col, str(label), header)
    row_number = 0
    for line in page.lines:
        item = line.item
        previous = item.previous_result
        base = {
            "action": item.action.code, "indicator": item.indicator.label,
            "target": item.target.text if item.target else "",
            "understood": line.understood,
            "previous": (previous.value
                         if previous and previous.value is not None else None),
        }
        for form in line.forms:
            row_number += 1
            row = {**base, "key": form.prefix, "version": form.initial.get("version"),
                   "member": form.member.label if form.member else "",
                   "source": str(COMPUTED_MARK) if form.computed else ""}
            for name in INPUT_COLUMNS:
                row[name] = _sheet_value(form, name)
            for col, (key, _label) in enumerate(SHEET_COLUMNS):
                # A computed value is not an input: it keeps the plain background.
                is_input = key in INPUT_COLUMNS and not (key == "value" and form.computed)
                value = row.get(key)
                if key in NUMBER_COLUMNS and isinstance(value, Decimal | int):
                    style = numbers[is_input, value == int(value)]
                else:
                    style = entry if is_input else plain
                write_safe(sheet, row_number, col, value, style)
    for col, (key, _label) in enumerate(SHEET_COLUMNS):
        sheet.set_column(col, col, SHEET_WIDTHS.get(key, 14), None,
                         {"hidden": key in HIDDEN_COLUMNS})
    sheet.freeze_panes(1, _column("member"))  # action and indicator stay in view
    if row_number:
        for key in ("done", "not_applicable"):
            sheet.data_validation(1, _column(key), row_number, _column(key), {
                "validate": "list", "source": ["oui", "non"], "ignore_blank": True,
                # A hint, not a lock: the upload checks every value and names the bad ones.
                "show_input": False, "show_error": False})
    if actions is not None:
        from indicators.action_entry import action_sheet_write

        action_sheet_write(book, actions)
    book.close()
    return Export(f"saisie-{plan.pole.code}-{fiscal_year_label(year)}.xlsx", XLSX_TYPE,
                  buffer.getvalue())


class SheetError(ValueError):
    pass


def entry_sheet_bind(page_items: list[IndicatorProgress], content: bytes,
                     computed: dict[int, ComputedSource] | None = None) -> tuple[
        EntryPage, list[str]]:
    """Bind the uploaded sheet's rows to the same forms as the page.

    Returns the bound page and the French row-by-row errors (empty when everything is valid).
    Rows are matched by their hidden key; unknown keys are errors, missing rows unchanged.
    A row that changes a value computed from the register is refused with its line (the
    value is replaced, with a reason, on the register's page); a computed cell the register
    has recomputed since the download is the old value, not a change, and is left aside.
    """
    try:
        rows = xlsx_checked_rows(content)
        header = [cell_text(h) for h in next(rows, ((), frozenset()))[0]]
    except UnreadableSheet as exc:
        raise SheetError(str(exc)) from exc
    labels = {str(label): key for key, label in SHEET_COLUMNS}
    columns = {labels[h]: i for i, h in enumerate(header) if h in labels}
    if "key" not in columns or "value" not in columns:
        raise SheetError(_("Ce n'est pas une feuille de saisie Pôle Plan (colonnes « Clé » et "
                           "« Résultat » absentes) : téléchargez-la depuis la page de saisie."))
    base = EntryPage(page_items, computed=computed)
    data: dict[str, str] = {}
    row_of: dict[str, int] = {}
    errors: list[str] = []
    for number, (values, blind) in enumerate(rows, start=2):
        key = (cell_text(values[columns["key"]]) if columns["key"] < len(values) else "").strip()
        if not key:
            continue
        if key not in base.by_prefix:
            errors.append(_("Ligne %(line)s : clé « %(key)s » inconnue pour ce plan.") % {
                "line": number, "key": key})
            continue
        row_of[key] = number
        _line, form = base.by_prefix[key]
        for name, index in columns.items():
            if name not in INPUT_COLUMNS | {"version"} or index >= len(values):
                continue
            if index in blind:
                errors.append(_("Ligne %(line)s (%(indicator)s) : la colonne « %(column)s » "
                                "contient une formule sans valeur calculée ; ouvrez et "
                                "enregistrez la feuille dans un tableur qui calcule les "
                                "formules, ou tapez la valeur.") % {
                    "line": number, "indicator": form.indicator.label,
                    "column": SHEET_LABELS[name]})
                continue
            raw = values[index]
            if name == "done_on" and hasattr(raw, "date"):
                raw = raw.date().isoformat()
            elif isinstance(raw, int | float | Decimal) and not isinstance(raw, bool):
                raw = cell_number_text(raw)
            # What a person wrote comes back exactly (line breaks, repeated spaces); the
            # form trims what it trims on the page too.
            text = cell_text(raw, exact=name in TEXT_COLUMNS)
            if name == "not_applicable":
                text = "on" if text.strip().lower() in {"oui", "o", "x", "1"} else ""
            elif name in ("done", "version"):
                text = text.strip().lower()
            data[f"{key}-{name}"] = text
    for prefix, number in row_of.items():
        _line, form = base.by_prefix[prefix]
        if not (form.computed and f"{prefix}-value" in data):
            continue
        if _register_moved(form, data.get(f"{prefix}-version", "")):
            # The register changed this value since the sheet was downloaded: the sheet's
            # cell is the old computed value, not something the person typed. It is read,
            # never written, so it cannot refuse the rest of the sheet.
            del data[f"{prefix}-value"]
            continue
        if _changed_value(form, data[f"{prefix}-value"]):
            errors.append(_("Ligne %(line)s (%(indicator)s) : cette valeur est calculée à "
                            "partir du registre (%(value)s) et ne se modifie pas dans la "
                            "feuille ; pour la remplacer, indiquez un motif sur la page des "
                            "activités de l'indicateur.") % {
                "line": number, "indicator": form.indicator.label,
                "value": display_number(form.initial.get("value") or 0)})
            del data[f"{prefix}-value"]
    for prefix in row_of:
        data.setdefault(f"{prefix}-version", "")  # a row of the sheet is a posted line
    # Lines absent from the sheet keep what the database has.
    for prefix, (_line, form) in base.by_prefix.items():
        if prefix not in row_of:
            for name in form.fields:
                value = form.initial.get(name)
                if name == "not_applicable":
                    value = "on" if value else ""
                data.setdefault(f"{prefix}-{name}", "" if value is None else str(value))
    page = EntryPage(page_items, data=data, computed=computed)
    page.sheet_lines = row_of
    if not page.is_valid():
        for prefix, (line, form) in page.by_prefix.items():
            for name, messages in form.errors.items():
                label = form.fields[name].label if name in form.fields else ""
                for message in messages:
                    where = _("Ligne %(line)s") % {"line": row_of.get(prefix, "?")}
                    errors.append(f"{where} ({line.item.indicator.label}"
                                  + (f", {form.member.label}" if form.member else "")
                                  + f") : {label + ' — ' if label else ''}{message}")
    return page, errors


def _register_moved(form: ResultForm, sheet_version: str) -> bool:
    """True when a computed line's stored version is newer than the sheet's row: the register
    recomputed it after the sheet was downloaded."""
    current = form.initial.get("version")
    return current is not None and sheet_version.strip() != str(current)


def _changed_value(form: ResultForm, text: str) -> bool:
    """True when ``text`` (a sheet cell) is not the value the line showed."""
    field = form.fields["value"]
    try:
        typed = field.to_python(text)
    except ValidationError:  # unreadable text is a change too
        return True
    return typed != form.initial.get("value")


# --- what the coordinator sees around the form -------------------------------------------------


@dataclass(frozen=True)
class JumpLink:
    """One entry of the jump list: an orientation, its anchor and its missing results."""

    code: str
    title: str
    anchor: str
    missing: int
    href: str = ""
    current: bool = False  # the section shown


def orientation_anchor(orientation) -> str:
    return f"orientation-{getattr(orientation, 'pk', orientation)}"


def line_url(entry_url: str, orientation_id, kind: str, pk) -> str:
    """The address of a line of the entry page — an indicator's (``kind`` « i ») or an
    action's (« a ») — from ``entry_url`` (the year's entry page): in its orientation's
    section, which a long plan shows one at a time (a page showing the whole plan ignores
    ``?orientation=`` and scrolls to the line)."""
    query = f"?orientation={orientation_id}" if orientation_id is not None else ""
    return f"{entry_url}{query}#{kind}{pk}"


class UnknownSection(ValueError):
    """``?orientation=`` names no orientation of the plan."""


def shown_orientation(standings: list[Standing], asked: str | None,
                      threshold: int) -> int | None:
    """The orientation (id) the entry page shows, or None for the whole plan.

    A plan of at most ``threshold`` indicators is shown whole, its orientations as anchors
    (``asked`` is then ignored); a larger one one orientation at a time: the one ``asked``
    (an id, :class:`UnknownSection` when not one of the plan's), the first by default.
    """
    if len(standings) <= threshold:
        return None
    orientations = list(dict.fromkeys(standing.orientation_id for standing in standings))
    if not asked:
        return orientations[0]
    try:
        asked_id = int(asked)
    except ValueError:
        raise UnknownSection(asked) from None
    if asked_id not in orientations:
        raise UnknownSection(asked)
    return asked_id


def jump_list(standings: list[Standing], *, section: int | None,
              page_url: str) -> list[JumpLink]:
    """The entry page's jump list for the whole plan: each orientation with the count of its
    indicators that await a result for the year (:func:`~indicators.progress.awaits_result`,
    as the submit confirmation counts them) (no query: reads the stored standings).
    On a page showing one section (``section``), each link opens its orientation's section;
    on a whole-plan page, it is an anchor."""
    links: dict[int, JumpLink] = {}
    missing: dict[int, int] = {}
    for standing in standings:
        pk = standing.orientation_id
        missing[pk] = missing.get(pk, 0) + (1 if awaits_result(standing) else 0)
        if pk not in links:
            anchor = orientation_anchor(pk)
            links[pk] = JumpLink(
                standing.orientation_code, standing.orientation_title, anchor, 0,
                href=(f"{page_url}?orientation={pk}" if section is not None else f"#{anchor}"),
                current=pk == section)
    return [replace(link, missing=missing[pk]) for pk, link in links.items()]


def status_changes(before: list[IndicatorProgress],
                   after: dict[int, tl.Evaluation]) -> list[dict[str, str]]:
    """The statuses a save changed, old → new, in plan order: ``before`` are the lines the
    save read, ``after`` the evaluations of the saved indicators (stored by the save) by id.
    A status that became *Non évaluable* carries the evaluation's reason. Plain strings, so
    the summary can wait in the session for the page shown after the redirect."""
    changes = []
    for item in before:
        evaluation = after.get(item.indicator.pk)
        if evaluation is None or evaluation.status == item.status:
            continue
        changes.append({
            "anchor": line_prefix(item.indicator.pk),
            "orientation": item.orientation.pk,
            "action": item.action.code, "indicator": item.indicator.label,
            "old": str(item.status_label), "new": str(STATUS_LABELS[evaluation.status]),
            "reason": (str(evaluation.reason)
                       if evaluation.status == tl.Status.NOT_ASSESSABLE else ""),
        })
    return changes


def _shown_value(value) -> str:
    """A result field as the change summary shows it."""
    if value is None or value == "":
        return str(_("vide"))
    if isinstance(value, bool):
        return str(_("oui") if value else _("non"))
    if isinstance(value, Decimal | int):
        return display_number(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def value_changes(page: EntryPage, year: int) -> list[dict[str, str]]:
    """The values a valid bound page (or sheet) changes, old → new, one per field and line in
    plan order: the action's code, the indicator, the member, the year, the field, and the
    two values as text. Plain strings, so the summary can wait in the session for the page
    shown after the redirect. A computed value (written by the register) is not listed."""
    changes = []
    year_label = fiscal_year_label(year)
    for line in page.lines:
        for form in line.forms:
            if not form.changed:
                continue
            for name in form.changed_data:
                if name in BOOKKEEPING or name == "evidence_file" or (
                        name == "value" and form.computed):
                    continue
                changes.append({
                    "anchor": form.prefix, "orientation": line.item.orientation.pk,
                    "action": line.item.action.code, "indicator": line.item.indicator.label,
                    "member": form.member.label if form.member else "", "year": year_label,
                    "field": str(form.fields[name].label or name),
                    "old": _shown_value(form.initial.get(name)),
                    "new": _shown_value(form.cleaned_data.get(name)),
                })
    return changes


def stale_line_message(conflict: Conflict, line: int | None, user) -> str:
    """Why a sheet's line was refused: someone (« vous » when it was ``user``, from another
    tab or an earlier upload) saved it after the sheet was downloaded; with its line, who and
    when."""
    entry, current = conflict.entry, conflict.current
    where = _("Ligne %(line)s") % {"line": line} if line else _("Une ligne")
    what = entry.indicator.label + (f", {entry.member.label}" if entry.member else "")
    if current is None:
        return _("%(where)s (%(what)s) : ce résultat a été supprimé depuis le téléchargement "
                 "de la feuille ; téléchargez-la de nouveau.") % {"where": where, "what": what}
    when = timezone.localtime(current.updated_at).strftime("%Y-%m-%d %H:%M")
    if saved_by_user(current, user):
        return _("%(where)s (%(what)s) : vous avez modifié ce résultat le %(when)s, après le "
                 "téléchargement de cette feuille ; téléchargez-la de nouveau.") % {
            "where": where, "what": what, "when": when}
    who = person_name(current.updated_by) if current.updated_by else _("quelqu'un d'autre")
    return _("%(where)s (%(what)s) : %(who)s a modifié ce résultat le %(when)s, après le "
             "téléchargement de cette feuille ; téléchargez-la de nouveau.") % {
        "where": where, "what": what, "who": who, "when": when}
