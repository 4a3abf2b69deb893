"""The four themes the MES asks every pôle to attach its actions to (one shared list), and the
form that attaches a plan's actions to them."""

from django import forms

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


class ActionThemesForm(forms.Form):
    """One line per action of a plan: a checkbox per MES theme (none, one or several)."""

    def __init__(self, data=None, *, actions, themes, **kwargs):
        super().__init__(data, **kwargs)
        self.actions, self.themes = actions, themes
        choices = [(str(theme.pk), f"{theme.code} {theme.short_label}") for theme in themes]
        for action in actions:
            self.fields[self.key(action)] = forms.MultipleChoiceField(
                label=f"{action.code} {action.title}", choices=choices, required=False,
                widget=forms.CheckboxSelectMultiple,
                initial=[str(theme.pk) for theme in action.theme_list])

    @staticmethod
    def key(action) -> str:
        return f"action-{action.pk}"

    def lines(self):
        """Each action with its checkboxes: (action, field, [(theme, input id, checked)])."""
        for action in self.actions:
            field = self[self.key(action)]
            chosen = {str(value) for value in (field.value() or [])}
            boxes = [(theme, f"{field.auto_id}_{theme.number}", str(theme.pk) in chosen)
                     for theme in self.themes]
            yield action, field, boxes

    def attachments(self) -> dict[int, set[int]]:
        """The cleaned choice: action id → theme ids."""
        return {action.pk: {int(pk) for pk in self.cleaned_data[self.key(action)]}
                for action in self.actions}
