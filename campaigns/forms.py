"""The campaigns' forms: every POST goes through one of them."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaigns.models import Campaign
from campaigns.services import PointAsked
from indicators.models import Action, Indicator, Plan, Pole, fiscal_year_label

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class _DueDates(forms.Form):
    submission_due = forms.DateField(label=gettext_lazy("Échéance de soumission"),
                                     widget=DATE_WIDGET)
    approval_due = forms.DateField(label=gettext_lazy("Échéance d'approbation"),
                                   widget=DATE_WIDGET)

    def clean(self):
        data = super().clean()
        submission, approval = data.get("submission_due"), data.get("approval_due")
        if submission and approval and approval < submission:
            self.add_error("approval_due", _(
                "L'échéance d'approbation (%(approval)s) précède celle de soumission "
                "(%(submission)s).") % {"approval": approval.isoformat(),
                                        "submission": submission.isoformat()})
        return data


class CampaignForm(_DueDates):
    year = forms.TypedChoiceField(label=gettext_lazy("Année de reddition"), coerce=int)
    field_order = ["year", "submission_due", "approval_due"]

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, fiscal_year_label(y)) for y in years]

    def clean_year(self):
        year = self.cleaned_data["year"]
        if Campaign.objects.filter(year=year).exists():
            raise forms.ValidationError(_("La campagne %(year)s est déjà ouverte.")
                                        % {"year": fiscal_year_label(year)})
        return year


class DueDatesForm(_DueDates):
    pass


class ExtensionForm(_DueDates):
    pole = forms.ModelChoiceField(label=gettext_lazy("Pôle"), queryset=Pole.objects.none())
    reason = forms.CharField(label=gettext_lazy("Motif de la prolongation"),
                             widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    field_order = ["pole", "submission_due", "approval_due", "reason"]

    def __init__(self, *args, poles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pole"].queryset = poles

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Donnez le motif de la prolongation."))
        return reason


class PointForm(forms.Form):
    subject = forms.ChoiceField(label=gettext_lazy("Objet"), required=False)
    message = forms.CharField(label=gettext_lazy("Correction demandée"), required=False,
                              max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, subjects: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].choices = [("", "—")] + subjects

    def clean(self):
        data = super().clean()
        if data.get("message", "").strip() and not data.get("subject"):
            self.add_error("subject", _("Choisissez ce que la correction concerne."))
        if data.get("subject") and not data.get("message", "").strip():
            self.add_error("message", _("Écrivez la correction demandée."))
        return data


class BasePointFormSet(forms.BaseFormSet):
    def __init__(self, *args, plan: Plan, subjects, **kwargs):
        self.plan, self.subjects = plan, subjects
        super().__init__(*args, form_kwargs={"subjects": subjects}, **kwargs)

    def clean(self):
        if any(self.errors):
            return
        self.points = self._points()
        if not self.points:
            raise forms.ValidationError(_("Indiquez au moins un point à corriger."))

    def _points(self) -> list[PointAsked]:
        """The points filled in, their subject read from the plan (one query for each of
        indicators and actions)."""
        filled = [(f.cleaned_data["subject"], f.cleaned_data["message"].strip())
                  for f in self.forms if f.cleaned_data.get("subject")]
        indicators = Indicator.objects.select_related("action").in_bulk(
            [int(s[1:]) for s, _m in filled if s.startswith("i")]) if filled else {}
        actions = Action.objects.in_bulk(
            [int(s[1:]) for s, _m in filled if s.startswith("a")]) if filled else {}
        points = []
        for subject, message in filled:
            if subject.startswith("i"):
                points.append(PointAsked(message, indicator=indicators[int(subject[1:])]))
            elif subject.startswith("a"):
                points.append(PointAsked(message, action=actions[int(subject[1:])]))
            else:
                points.append(PointAsked(message))
        return points


PointFormSet = forms.formset_factory(PointForm, formset=BasePointFormSet, extra=3,
                                     max_num=30, absolute_max=30)


class AnswerForm(forms.Form):
    answer = forms.CharField(label=gettext_lazy("Réponse"), max_length=4000,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": gettext_lazy("Écrivez la réponse.")})
