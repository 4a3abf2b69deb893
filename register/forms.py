"""Forms of the register: an activity (with a quick local partner), the list's filters and
the override of a computed value."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import django_filters
from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from indicators.forms import (
    FreeTextField,
    FrenchDecimalField,
    evidence_file_check,
)
from indicators.models import Action, Plan, Pole
from indicators.numbers import CONTROL_CHARACTERS
from register.matching import match_organisation
from register.models import Activity, ActivityKind, Organisation


def pole_actions(pole: Pole):
    """The actions of ``pole``'s plans, in plan order, with their plan for the label."""
    return (Action.objects.filter(objective__orientation__plan__pole=pole)
            .select_related("objective__orientation")
            .order_by("objective__orientation__plan__first_year",
                      "objective__orientation__position", "objective__orientation__code",
                      "objective__position", "objective__code", "position", "code"))


class ActionChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Action) -> str:
        title = obj.title if len(obj.title) <= 90 else obj.title[:89] + "…"
        return f"{obj.code} {title}"


class OrganisationChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Organisation) -> str:
        return obj.display_name


class ActivityForm(forms.ModelForm):
    actions = ActionChoiceField(queryset=Action.objects.none(), required=False,
                                label=gettext_lazy("Actions du plan"),
                                widget=forms.SelectMultiple(attrs={"size": 8}))
    organisations = OrganisationChoiceField(
        queryset=Organisation.objects.none(), required=False,
        label=gettext_lazy("Établissements et partenaires"),
        help_text=gettext_lazy("Tapez quelques lettres pour trouver une organisation ; Entrée "
                               "l'ajoute, Retour arrière retire la dernière choisie. Sans "
                               "JavaScript : Ctrl (ou ⌘) pour en choisir plusieurs."),
        widget=forms.SelectMultiple(attrs={"size": 10, "data-searchable": "true"}))
    evidence_url = forms.URLField(label=gettext_lazy("Lien vers la pièce justificative"),
                                  required=False, max_length=500, assume_scheme="https")
    new_partner_name = forms.CharField(
        label=gettext_lazy("Nouveau partenaire local (absent du répertoire)"), required=False,
        max_length=250)
    new_partner_kind = forms.ChoiceField(
        label=gettext_lazy("Type du nouveau partenaire"), required=False,
        choices=[("", "—"), *Organisation.Kind.choices])
    # The version the page showed: a save over a newer one is a conflict, not an overwrite.
    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    class Meta:
        model = Activity
        fields = ["kind", "title", "reference", "status", "start_date", "end_date", "actions",
                  "organisations", "participants_students", "participants_teachers",
                  "participants_cpe", "participants_sdg", "participants_other",
                  "people_reached", "visitors", "evidence_url", "evidence_file",
                  "description"]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, pole: Pole, **kwargs):
        super().__init__(*args, **kwargs)
        self.pole = pole
        self.fields["actions"].queryset = pole_actions(pole)
        # Inactive organisations are no longer offered, but stay on the activities they are on.
        keep = ([o.pk for o in self.instance.organisations.all()] if self.instance.pk else [])
        self.fields["organisations"].queryset = Organisation.objects.offered(pole, keep=keep)
        self.fields["kind"].queryset = ActivityKind.objects.all()
        if self.instance.pk:
            self.fields["seen_version"].initial = self.instance.version

    def show_version(self, version: int) -> None:
        """Make the re-rendered page post ``version``: after a conflict, saving again
        deliberately replaces the newer version the person has now seen."""
        self.data = self.data.copy()
        self.data[self.add_prefix("seen_version")] = str(version)

    def clean_evidence_file(self):
        return evidence_file_check(self.cleaned_data.get("evidence_file"))

    def clean_reference(self):
        # The database holds it unique per pôle; the pôle is not a field of the form, so
        # the ModelForm would not check that constraint itself.
        reference = (self.cleaned_data.get("reference") or "").strip()
        if CONTROL_CHARACTERS.search(reference):
            raise forms.ValidationError(_("Ce texte contient un caractère de contrôle invisible "
                                          "qui ne peut pas être enregistré : retirez-le."))
        if reference and (Activity.objects.filter(pole=self.pole, reference=reference)
                          .exclude(pk=self.instance.pk).exists()):
            raise forms.ValidationError(_("La référence « %(reference)s » est déjà celle d'une "
                                          "autre activité du pôle.") % {"reference": reference})
        return reference

    def clean(self):
        data = super().clean()
        # Dates in order: Activity.clean(), which the ModelForm runs after this.
        name = (data.get("new_partner_name") or "").strip()
        self.new_partner = None
        self.known_partner = None
        if name:
            directory = list(Organisation.objects.offered(self.pole))
            match = match_organisation(name, directory)
            if match.is_sure:
                self.known_partner = match.organisation
            elif match.is_ambiguous:
                self.add_error("new_partner_name", _(
                    "« %(name)s » ressemble à : %(candidates)s. Choisissez-le dans la liste "
                    "ci-dessus, ou précisez le nom.") % {
                        "name": name,
                        "candidates": " ; ".join(c.display_name for c in match.candidates)})
            elif not data.get("new_partner_kind"):
                self.add_error("new_partner_kind",
                               _("Choisissez le type de « %(name)s ».") % {"name": name})
            else:
                self.new_partner = (name, data["new_partner_kind"])
        return data


class ActivityFilter(django_filters.FilterSet):
    """The list's filters: year, kind, action, organisation and status."""

    year = django_filters.ChoiceFilter(label=gettext_lazy("Exercice"), method="filter_year",
                                       empty_label=gettext_lazy("Tous"))
    kind = django_filters.ModelChoiceFilter(label=gettext_lazy("Type"),
                                            queryset=ActivityKind.objects.all(),
                                            empty_label=gettext_lazy("Tous"))
    action = django_filters.ModelChoiceFilter(label=gettext_lazy("Action"),
                                              field_name="actions",
                                              queryset=Action.objects.none(),
                                              empty_label=gettext_lazy("Toutes"))
    # Several at once: an activity with any of them is listed.
    organisation = django_filters.ModelMultipleChoiceFilter(
        label=gettext_lazy("Établissements ou partenaires"), field_name="organisations",
        queryset=Organisation.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 4, "data-searchable": "true"}))
    status = django_filters.ChoiceFilter(label=gettext_lazy("Statut"),
                                         choices=Activity.Status.choices,
                                         empty_label=gettext_lazy("Tous"))

    class Meta:
        model = Activity
        fields: list[str] = []

    def __init__(self, data=None, *args, pole: Pole, plans: list[Plan], **kwargs):
        super().__init__(data, *args, **kwargs)
        self.plans = plans
        years = sorted({year for plan in plans for year in plan.years})
        self.filters["year"].extra["choices"] = [(str(y), f"{y}-{y + 1}") for y in years]
        self.filters["action"].queryset = pole_actions(pole)
        self.filters["action"].field.label_from_instance = (
            lambda a: f"{a.code} {a.title[:70]}")
        # Only the organisations this pôle's register names: a filter never offers a choice
        # that can only give an empty list.
        self.filters["organisation"].queryset = (
            Organisation.objects.filter(activities__pole=pole).distinct().order_by("name"))
        self.filters["organisation"].field.label_from_instance = lambda o: o.display_name

    def filter_year(self, queryset, name, value):
        year = int(value)
        month = self.plans[0].year_start_month if self.plans else 4
        plan = Plan(first_year=year, last_year=year, year_start_month=month)
        start, end = plan.year_bounds(year)
        return queryset.in_period(start, end)

    @property
    def qs(self):
        return super().qs.distinct()


class OverrideValueField(FrenchDecimalField):
    """The entry page's strict number reader, without its « Non applicable » advice (an
    override always has a value)."""

    def to_python(self, value):
        try:
            return super().to_python(value)
        except forms.ValidationError as exc:
            if exc.code == "invalid":
                raise forms.ValidationError(_("« %(value)s » n'est pas un nombre.")
                                            % {"value": str(value).strip()},
                                            code="invalid") from None
            raise


class OverrideForm(forms.Form):
    value = OverrideValueField(label=gettext_lazy("Valeur retenue"),
                               error_messages={"required": gettext_lazy(
                                   "Indiquez la valeur retenue.")})
    reason = FreeTextField(label=gettext_lazy("Motif du remplacement"),
                             error_messages={"required": gettext_lazy("Le motif est "
                                                                      "obligatoire.")},
                             widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=gettext_lazy("Conservé dans l'historique et signalé "
                                                    "dans les exports."))

    def clean_value(self):
        value = self.cleaned_data["value"]
        if value is not None and value < 0:
            raise forms.ValidationError(_("« %(value)s » : la valeur ne peut pas être "
                                          "négative.") % {"value": self.data.get("value")})
        if value is not None and value != value.quantize(Decimal("0.01")):
            raise forms.ValidationError(_("« %(value)s » : deux décimales au plus.")
                                        % {"value": self.data.get("value")})
        return value

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Le motif est obligatoire."))
        return reason


class ActivityImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Fichier du registre (xlsx ou csv)"))
    dry_run = forms.BooleanField(label=gettext_lazy("Vérifier seulement (rien n'est "
                                                    "enregistré)"), required=False)
    keep_duplicates = forms.BooleanField(
        label=gettext_lazy("Importer quand même les doublons"), required=False,
        help_text=gettext_lazy("Une ligne identique à une activité déjà au registre est "
                               "ignorée, sauf si vous cochez cette case."))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in {".xlsx", ".csv", ".txt"}:
            raise forms.ValidationError(_("Format non pris en charge : « %(name)s » (xlsx ou "
                                          "csv).") % {"name": upload.name})
        if upload.size > 10 * 1024 * 1024:
            raise forms.ValidationError(_("Fichier trop volumineux (maximum 10 Mo)."))
        return upload
