"""The four themes the MES asks every pôle to attach its actions to (one shared list), the
form that attaches a plan's actions to them, and the concurrency rule of that form.

Each line posts the themes it showed (``shown-<action id>``: sorted theme ids). A line the
person did not touch is not written at all; a touched line whose themes changed since the
page showed them is a conflict: nothing is written and the page shows the current themes
beside the person's choice, ready to be saved again over them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.db import transaction
from django.utils.translation import gettext as _

MES_THEMES = [
    (1, "Accessibilité",
     "Favoriser l'accessibilité des personnes à l'enseignement supérieur, notamment des groupes "
     "sous-représentés (Premières Nations et Inuits, étudiants de première génération, personnes "
     "en situation de handicap, issues de régions rurales, les femmes dans certains domaines "
     "d'études, dont le génie et l'informatique, et les hommes de manière généralisée, etc.)"),
    (2, "Fluidité des parcours",
     "Améliorer la fluidité des parcours de formation et assurer des transitions harmonieuses et "
     "de qualité visant à renforcer la persévérance des étudiants en enseignement supérieur"),
    (3, "Adéquation formation-emploi",
     "Répondre à des besoins nationaux et régionaux d'adéquation formation-emploi, notamment dans "
     "un contexte de qualification ou de requalification, permettant ainsi aux personnes d'avoir "
     "accès à des formations tout au long de la vie"),
    (4, "Promotion et recrutement",
     "Déployer des stratégies de promotion et de recrutement en enseignement supérieur, en "
     "favorisant le rapprochement des cégeps et des universités avec l'enseignement secondaire"),
]


def themes_ensure(theme_model) -> None:
    """Create or refresh the four themes (``theme_model`` may be a migration's historical one)."""
    for number, short_label, description in MES_THEMES:
        theme_model.objects.update_or_create(
            number=number, defaults={"short_label": short_label, "description": description})


def shown_encode(theme_ids) -> str:
    """The ``shown`` value of a line: its theme ids, sorted, comma-separated."""
    return ",".join(str(pk) for pk in sorted(theme_ids))


def shown_decode(text: str) -> set[int]:
    """The theme ids a ``shown`` value lists; ValueError when it is not such a list."""
    parts = [part.strip() for part in text.split(",") if part.strip()]
    if not all(part.isascii() and part.isdigit() and len(part) <= 18 for part in parts):
        raise ValueError(text)
    return {int(part) for part in parts}


def themes_conflicts(*, current: dict[int, set[int]], shown: dict[int, set[int] | None],
                     wanted: dict[int, set[int]]) -> dict[int, set[int]]:
    """Action id → its current themes, for each line the person changed (``wanted`` differs
    from ``shown``) whose themes moved since the page showed them, unless the change made
    elsewhere is exactly the person's. A line posted without ``shown`` (None) is not checked.
    No database."""
    return {action_id: current.get(action_id, set())
            for action_id, chosen in wanted.items()
            if shown.get(action_id) is not None and chosen != shown[action_id]
            and current.get(action_id, set()) != shown[action_id]
            and current.get(action_id, set()) != chosen}


def themes_touched(*, shown: dict[int, set[int] | None],
                   wanted: dict[int, set[int]]) -> dict[int, set[int]]:
    """The lines to write: those the person changed (every line posted without ``shown``).
    An untouched line is never written, so it never undoes someone else's change."""
    return {action_id: chosen for action_id, chosen in wanted.items()
            if shown.get(action_id) is None or chosen != shown[action_id]}


class ThemesConflict(Exception):
    """Lines changed by someone else since the page showed them: action id → current theme
    ids. Nothing was written."""

    def __init__(self, conflicts: dict[int, set[int]]):
        super().__init__(sorted(conflicts))
        self.conflicts = conflicts


def action_themes_save(*, plan, wanted: dict[int, set[int]],
                       shown: dict[int, set[int] | None], user) -> int:
    """Write the lines of ``plan``'s themes page the person changed, through
    ``indicators.services.action_themes_set``, after checking, with the plan's actions
    locked, that none of them moved since the page showed it (:class:`ThemesConflict`
    otherwise, nothing written). Returns the number of theme changes."""
    from indicators import services
    from indicators.models import Action

    with transaction.atomic():
        locked = list(Action.objects.select_for_update(of=("self",))
                      .filter(objective__orientation__plan=plan, pk__in=list(wanted))
                      .values_list("pk", flat=True))
        current: dict[int, set[int]] = {pk: set() for pk in locked}
        for action_id, theme_id in Action.themes.through.objects.filter(
                action_id__in=locked).values_list("action_id", "theme_id"):
            current[action_id].add(theme_id)
        conflicts = themes_conflicts(current=current, shown=shown, wanted=wanted)
        if conflicts:
            raise ThemesConflict(conflicts)
        touched = {action_id: chosen for action_id, chosen
                   in themes_touched(shown=shown, wanted=wanted).items()
                   if action_id in current}
        if not touched:
            return 0
        return services.action_themes_set(plan=plan, attachments=touched, user=user)


@dataclass
class ThemesLine:
    """One line of the page: the action, its checkboxes (theme, input id, checked), the
    hidden ``shown`` field, and the current themes when the line is in conflict."""

    action: object
    field: forms.BoundField
    boxes: list
    shown: forms.BoundField
    conflict: list | None = None


class ActionThemesForm(forms.Form):
    """One line per action of a plan: a checkbox per MES theme (none, one or several), and
    the themes the line showed (hidden)."""

    def __init__(self, data=None, *, actions, themes, **kwargs):
        super().__init__(data, **kwargs)
        self.actions, self.themes = actions, themes
        self.conflicts: dict[int, list] = {}
        choices = [(str(theme.pk), f"{theme.code} {theme.short_label}") for theme in themes]
        for action in actions:
            self.fields[self.key(action)] = forms.MultipleChoiceField(
                label=f"{action.code} {action.title}", choices=choices, required=False,
                widget=forms.CheckboxSelectMultiple,
                initial=[str(theme.pk) for theme in action.theme_list])
            self.fields[self.shown_key(action)] = forms.CharField(
                required=False, widget=forms.HiddenInput, strip=True,
                initial=shown_encode(theme.pk for theme in action.theme_list))

    @staticmethod
    def key(action) -> str:
        return f"action-{action.pk}"

    @staticmethod
    def shown_key(action) -> str:
        return f"shown-{action.pk}"

    def clean(self):
        data = super().clean()
        for action in self.actions:
            key = self.shown_key(action)
            if key not in self.data:  # a client that does not post it: not checked
                data[key] = None
                continue
            try:
                data[key] = shown_decode(data.get(key) or "")
            except ValueError:
                data[key] = None
                self.add_error(self.key(action), _("La page envoyée est incomplète : "
                                                   "rechargez-la."))
        return data

    def lines(self):
        """Each action's line (:class:`ThemesLine`)."""
        for action in self.actions:
            field = self[self.key(action)]
            chosen = {str(value) for value in (field.value() or [])}
            boxes = [(theme, f"{field.auto_id}_{theme.number}", str(theme.pk) in chosen)
                     for theme in self.themes]
            yield ThemesLine(action, field, boxes, self[self.shown_key(action)],
                             self.conflicts.get(action.pk))

    def attachments(self) -> dict[int, set[int]]:
        """The cleaned choice: action id → theme ids."""
        return {action.pk: {int(pk) for pk in self.cleaned_data[self.key(action)]}
                for action in self.actions}

    def shown(self) -> dict[int, set[int] | None]:
        """What each line showed: action id → theme ids (None when not posted)."""
        return {action.pk: self.cleaned_data.get(self.shown_key(action))
                for action in self.actions}

    def show_conflicts(self, conflicts: dict[int, set[int]]) -> None:
        """Re-render with the person's choice kept, each conflicting line showing its
        current themes and posting them as seen, so that saving again replaces them."""
        by_pk = {theme.pk: theme for theme in self.themes}
        self.conflicts = {action_id: [by_pk[pk] for pk in sorted(ids) if pk in by_pk]
                          for action_id, ids in conflicts.items()}
        self.data = self.data.copy()
        for action_id, ids in conflicts.items():
            self.data[f"shown-{action_id}"] = shown_encode(ids)
