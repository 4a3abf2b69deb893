"""Action progress on the entry page and in the entry sheet's *Actions* table.

One :class:`~indicators.forms.ActionProgressForm` per action, prefixed ``a<id>``; the page
and the sheet bind the very same forms, and save through
:func:`indicators.action_progress.entry_save` together with the results.
"""

from __future__ import annotations

import io

import openpyxl
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from indicators.action_progress import ActionConflict, ActionEntry
from indicators.formatting import person_name, saved_by_user
from indicators.forms import ActionProgressForm
from indicators.models import Action, ActionProgress
from indicators.spreadsheets import cell_style, cell_text, write_safe


def action_prefix(action_id: int) -> str:
    return f"a{action_id}"


class ActionPage:
    """The actions shown (in plan order), each with its form, bound to POST data or not.

    Like :class:`~indicators.entry.EntryPage`, a bound page holds only the actions whose
    ``version`` was posted: an action the page did not show is never read as emptied.
    """

    def __init__(self, actions: list[Action], progress: dict[int, ActionProgress], data=None,
                 conflicts: dict[str, ActionConflict] | None = None):
        self.actions, self.progress = actions, progress
        self.data = data
        self.is_bound = data is not None
        self.conflicts = conflicts or {}
        # Bound from an uploaded sheet: each action's row (by prefix), for its errors.
        self.sheet_lines: dict[str, int] = {}

    @cached_property
    def forms(self) -> dict[int, ActionProgressForm]:
        """Each action's form by action id, built when first read (a GET renders its
        unbound actions without them: :func:`indicators.entry_html.action_html`)."""
        forms = {}
        for action in self.actions:
            prefix = action_prefix(action.pk)
            if self.is_bound and f"{prefix}-version" not in self.data:
                continue
            current = (self.conflicts[prefix].current if prefix in self.conflicts
                       else self.progress.get(action.pk))
            forms[action.pk] = ActionProgressForm(self.data, prefix=prefix, action=action,
                                                  progress=current)
        return forms

    @cached_property
    def by_prefix(self) -> dict[str, ActionProgressForm]:
        return {form.prefix: form for form in self.forms.values()}

    def form_for(self, action) -> ActionProgressForm | None:
        return self.forms.get(getattr(action, "pk", action))

    def post_data(self) -> dict[str, str]:
        """The fields as a browser submits them untouched."""
        data = {}
        for form in self.forms.values():
            for name in form.fields:
                value = form[name].value()
                data[f"{form.prefix}-{name}"] = "" if value is None else str(value)
        return data

    def is_valid(self) -> bool:
        return all([form.is_valid() for form in self.forms.values()])

    @property
    def error_count(self) -> int:
        return sum(1 for form in self.forms.values() if form.errors)

    def labelled_forms(self) -> list[tuple[ActionProgressForm, str]]:
        """Each form with the name of its action, for the error summary."""
        return [(form, _("Avancement de l'action %(code)s") % {"code": form.action.code})
                for form in self.forms.values()]

    def changed_entries(self) -> list[ActionEntry]:
        return [ActionEntry(action=form.action, fields=form.progress_fields(),
                            seen_version=form.cleaned_data.get("version"), key=form.prefix)
                for form in self.forms.values() if form.changed]

    def with_conflicts(self, conflicts: list[ActionConflict], data, *, user=None) -> ActionPage:
        """After a refused save: every action keeps what was typed; one saved meanwhile by
        someone else now carries the current version (saving again keeps what was typed) and
        says what the other person saved."""
        data = data.copy()
        by_key = {conflict.entry.key: conflict for conflict in conflicts}
        for key, conflict in by_key.items():
            current = conflict.current
            data[f"{key}-version"] = "" if current is None else str(current.version)
        page = ActionPage(self.actions, self.progress, data=data, conflicts=by_key)
        page.is_valid()
        for key, conflict in by_key.items():
            page.by_prefix[key].add_error(None, action_conflict_message(conflict, user))
        return page


def action_conflict_message(conflict: ActionConflict, user=None) -> str:
    """Why an action's progress was refused: it was saved meanwhile — by ``user`` themself,
    by someone named, or by someone not recorded — with its state now."""
    current = conflict.current
    if current is None:
        return _("L'avancement de cette action vient d'être modifié par quelqu'un d'autre. "
                 "Votre saisie est conservée : enregistrez de nouveau.")
    state = {"state": current.get_state_display()}
    if saved_by_user(current, user):
        return _("Vous avez enregistré l'avancement de cette action entre-temps, dans un autre "
                 "onglet ou par la feuille de saisie (état actuel : %(state)s). Votre saisie "
                 "est conservée : enregistrez de nouveau pour la garder.") % state
    if current.updated_by is None:
        return _("Quelqu'un d'autre a enregistré l'avancement de cette action entre-temps (état "
                 "actuel : %(state)s). Votre saisie est conservée : enregistrez de nouveau pour "
                 "la garder.") % state
    return _("%(who)s a enregistré l'avancement de cette action entre-temps (état actuel : "
             "%(state)s). Votre saisie est conservée : enregistrez de nouveau pour la garder."
             ) % {**state, "who": person_name(current.updated_by)}


def stale_action_message(conflict: ActionConflict, line: int | None, user) -> str:
    """Why a sheet's action row was refused: its progress was saved after the sheet was
    downloaded (« vous » when it was ``user``); with its tab and line, who and when."""
    current = conflict.current
    where = (_("Onglet « %(sheet)s », ligne %(line)s (action %(code)s)") if line else
             _("Action %(code)s")) % {"sheet": action_sheet_name(), "line": line,
                                      "code": conflict.entry.action.code}
    if current is None:
        return _("%(where)s : cet avancement a été supprimé depuis le téléchargement de la "
                 "feuille ; téléchargez-la de nouveau.") % {"where": where}
    values = {"where": where,
              "when": timezone.localtime(current.updated_at).strftime("%Y-%m-%d %H:%M")}
    if saved_by_user(current, user):
        return _("%(where)s : vous avez modifié cet avancement le %(when)s, après le "
                 "téléchargement de cette feuille ; téléchargez-la de nouveau.") % values
    who = person_name(current.updated_by) if current.updated_by else _("quelqu'un d'autre")
    return _("%(where)s : %(who)s a modifié cet avancement le %(when)s, après le "
             "téléchargement de cette feuille ; téléchargez-la de nouveau.") % {
        **values, "who": who}


# --- the entry sheet's Actions table -----------------------------------------------------------

ACTION_SHEET_COLUMNS = [
    ("key", gettext_lazy("Clé")),
    ("version", gettext_lazy("Version")),
    ("code", gettext_lazy("Action")),
    ("title", gettext_lazy("Énoncé")),
    ("state", gettext_lazy("État de l'action")),
    ("narrative", gettext_lazy("Ce qui a été fait")),
    ("reason", gettext_lazy("Motif (reportée ou abandonnée)")),
]
ACTION_INPUTS = ("state", "narrative", "reason")
ACTION_WIDTHS = {"title": 50, "state": 16, "narrative": 60, "reason": 40}


def action_sheet_name() -> str:
    return _("Actions")


def action_sheet_write(book, page: ActionPage) -> None:
    """Add the *Actions* table to an entry sheet being written (XlsxWriter)."""
    sheet = book.add_worksheet(action_sheet_name())
    header = cell_style(book, {"bold": True, "text_wrap": True, "valign": "top"})
    plain = cell_style(book, {"text_wrap": True, "valign": "top"})
    entry = cell_style(book, {"pattern": 1, "bg_color": "#FFF8DC", "text_wrap": True,
                              "valign": "top"})
    for col, (_key, label) in enumerate(ACTION_SHEET_COLUMNS):
        write_safe(sheet, 0, col, str(label), header)
    labels = dict(ActionProgress.State.choices)
    for row, form in enumerate(page.forms.values(), start=1):
        initial = form.initial
        values = {"key": form.prefix, "version": initial.get("version"),
                  "code": form.action.code, "title": form.action.title,
                  "state": str(labels[initial["state"]]) if initial.get("state") else None,
                  "narrative": initial.get("narrative") or None,
                  "reason": initial.get("reason") or None}
        for col, (key, _label) in enumerate(ACTION_SHEET_COLUMNS):
            write_safe(sheet, row, col, values[key], entry if key in ACTION_INPUTS else plain)
    for col, (key, _label) in enumerate(ACTION_SHEET_COLUMNS):
        sheet.set_column(col, col, ACTION_WIDTHS.get(key, 12), None,
                         {"hidden": key in ("key", "version")})
    sheet.freeze_panes(1, 4)
    if page.forms:
        column = [key for key, _label in ACTION_SHEET_COLUMNS].index("state")
        sheet.data_validation(1, column, len(page.forms), column, {
            "validate": "list", "source": [str(label) for label in labels.values()],
            "ignore_blank": True, "show_input": False, "show_error": False})


def action_sheet_bind(base: ActionPage, content: bytes) -> tuple[ActionPage, list[str]]:
    """Bind the uploaded sheet's *Actions* rows to the page's forms.

    A sheet without the table (an older sheet) changes no action. Rows are matched by their
    hidden key; a state is read by its label (« en cours »); errors name their line.
    """
    try:
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # the results' reader already said the file is unreadable
        return ActionPage(base.actions, base.progress, data={}), []
    if action_sheet_name() not in book.sheetnames:
        return ActionPage(base.actions, base.progress, data={}), []
    rows = book[action_sheet_name()].iter_rows(values_only=True)
    header = [cell_text(h) for h in next(rows, ())]
    by_label = {str(label): key for key, label in ACTION_SHEET_COLUMNS}
    columns = {by_label[h]: i for i, h in enumerate(header) if h in by_label}
    states = {str(label).casefold(): value for value, label in ActionProgress.State.choices}
    data: dict[str, str] = {}
    errors: list[str] = []
    line_of: dict[str, int] = {}
    if "key" not in columns:
        return ActionPage(base.actions, base.progress, data={}), [
            _("Onglet « %(sheet)s » : colonne « Clé » absente ; téléchargez la feuille de "
              "nouveau.") % {"sheet": action_sheet_name()}]
    for number, values in enumerate(rows, start=2):
        def cell(name, values=values):
            index = columns.get(name)
            return values[index] if index is not None and index < len(values) else None

        key = cell_text(cell("key")).strip()
        if not key:
            continue
        if key not in base.by_prefix:
            errors.append(_("Onglet « %(sheet)s », ligne %(line)s : clé « %(key)s » inconnue "
                            "pour ce plan.") % {"sheet": action_sheet_name(), "line": number,
                                                "key": key})
            continue
        line_of[key] = number
        form = base.by_prefix[key]
        data[f"{key}-version"] = cell_text(cell("version")).strip()
        state = cell_text(cell("state")).strip()
        if state and state.casefold() not in states:
            errors.append(_("Onglet « %(sheet)s », ligne %(line)s (action %(code)s) : état "
                            "« %(state)s » inconnu ; choisissez parmi : %(allowed)s.") % {
                "sheet": action_sheet_name(), "line": number, "code": form.action.code,
                "state": state, "allowed": ", ".join(
                    str(label) for _v, label in ActionProgress.State.choices)})
            data[f"{key}-state"] = form.initial.get("state") or ""
        else:
            data[f"{key}-state"] = states.get(state.casefold(), "")
        for name in ("narrative", "reason"):
            data[f"{key}-{name}"] = cell_text(cell(name), exact=True)
    page = ActionPage(base.actions, base.progress, data=data)
    page.sheet_lines = line_of
    if not page.is_valid():
        for prefix, form in page.by_prefix.items():
            for name, messages in form.errors.items():
                label = form.fields[name].label if name in form.fields else ""
                for message in messages:
                    errors.append(_("Onglet « %(sheet)s », ligne %(line)s (action %(code)s) : "
                                    "%(field)s%(message)s") % {
                        "sheet": action_sheet_name(), "line": line_of.get(prefix, "?"),
                        "code": form.action.code,
                        "field": f"{label} — " if label else "", "message": message})
    return page, errors
