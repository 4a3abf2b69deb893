"""Forms for entering results, revising targets and moving a year through its workflow.

:class:`ResultForm` is the one place where an entered result is validated: the entry page
binds one per line (an indicator's total, or one breakdown member) and the spreadsheet upload
binds the very same form from each row, so both refuse exactly the same input.
"""

from __future__ import annotations

import datetime
import json
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from indicators import dates, widgets, workflow
from indicators import targets as tl
from indicators.formatting import display_number, format_value, input_number
from indicators.models import ActionProgress, BreakdownMember, Indicator, Result
from indicators.numbers import (
    NumberError,
    parse_number,
    target_text_problem,
    text_problem,
)

DONE_CHOICES = [("", gettext_lazy("—")), ("oui", gettext_lazy("Réalisé")),
                ("non", gettext_lazy("Non réalisé"))]



def evidence_file_check(upload):
    """Evidence files (results and register activities): allowed types and size only."""
    if not upload:
        return upload
    extension = Path(upload.name).suffix.lower().lstrip(".")
    if extension not in settings.EVIDENCE_EXTENSIONS:
        raise forms.ValidationError(
            _("Type de fichier refusé (.%(ext)s). Types acceptés : %(allowed)s.") % {
                "ext": extension, "allowed": ", ".join(settings.EVIDENCE_EXTENSIONS)})
    if upload.size > settings.EVIDENCE_MAX_BYTES:
        raise forms.ValidationError(_("Fichier trop volumineux (maximum %(max)s Mo).") % {
            "max": settings.EVIDENCE_MAX_BYTES // (1024 * 1024)})
    return upload

def _sentence(problem: str) -> str:
    """A rule's message (« ce texte contient … ») as the sentence shown under the field."""
    return problem[0].upper() + problem[1:] + "."


class FrenchDecimalField(forms.CharField):
    """A number typed the Québec way (``80 000``, ``12,5``), read by
    :func:`indicators.numbers.parse_number`; anything else is refused by name."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", widgets.TextInput(attrs={"inputmode": "decimal",
                                                             "maxlength": 30}))
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, Decimal):
            return value
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        try:
            number = parse_number(text)
        except NumberError as exc:
            if exc.code != "invalid":
                raise forms.ValidationError(exc.message, code=exc.code) from None
            raise forms.ValidationError(
                _("« %(value)s » n'est pas un nombre. Pour un résultat sans objet, cochez "
                  "« Non applicable » et indiquez le motif.") % {"value": text},
                code="invalid") from None
        if abs(number) >= Decimal("1e12"):
            raise forms.ValidationError(_("« %(value)s » est trop grand.") % {"value": text})
        return number

    def prepare_value(self, value):
        # Shown so that it reads back: 2 400 and 12,5 in French, 2400 and 12.5 in English.
        if isinstance(value, Decimal | int | float):
            return input_number(value)
        return value

    def has_changed(self, initial, data):
        if self.disabled:  # a value shown, not typed (computed from the register)
            return False
        try:
            return self.to_python(initial) != self.to_python(data)
        except forms.ValidationError:
            return True




class FreeTextField(forms.CharField):
    """Text a person writes (a comment, a reason): kept exactly, line breaks included, but
    with one line-break convention (browsers post ``\\r\\n``) so that the page, the sheet and
    the database hold the same text; control characters no spreadsheet can hold are refused."""

    def to_python(self, value):
        text = super().to_python(value)
        if isinstance(text, str):
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        return text

    def validate(self, value):
        super().validate(value)
        problem = text_problem(value)
        if problem:
            raise forms.ValidationError(_sentence(problem))


KEEP_MINE, KEEP_CURRENT = "mine", "current"
KEEP_CHOICES = [(KEEP_MINE, gettext_lazy("garder ma valeur")),
                (KEEP_CURRENT, gettext_lazy("garder la valeur actuelle"))]
# Fields that are bookkeeping, not something a person changes.
BOOKKEEPING = frozenset({"version", "shown", "keep"})


def _shown_encode(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _shown_decode(field: forms.Field, value):
    """A value of the ``shown`` record back as the field's Python value (what has_changed
    compares the posted value with)."""
    if value in (None, ""):
        return None
    try:
        if isinstance(field, FrenchDecimalField):
            return Decimal(str(value))
        if isinstance(field, forms.DateField):
            return datetime.date.fromisoformat(str(value))
    except (InvalidOperation, ValueError):
        return None
    if isinstance(field, forms.BooleanField):
        return bool(value)
    return str(value)


def shown_record(names, values: dict) -> str:
    """What a line showed (``values`` of its fields ``names``) as the JSON record of its hidden
    ``shown`` field."""
    return json.dumps({name: _shown_encode(values.get(name)) for name in names
                       if name not in BOOKKEEPING and name != "evidence_file"
                       and values.get(name) not in (None, "")},
                      ensure_ascii=False, sort_keys=True)


def describe_result(result: Result | None, indicator: Indicator) -> str:
    """A saved result in one line of French: its value (or deliverable), N/A and comment."""
    if result is None:
        return _("aucun résultat")
    parts = []
    if result.value is not None:
        parts.append(format_value(result.value, indicator.unit))
    if result.done is not None:
        parts.append(_("réalisé") if result.done else _("non réalisé"))
    if result.not_applicable:
        parts.append(_("non applicable : « %(reason)s »") % {
            "reason": result.not_applicable_reason})
    if result.comment:
        parts.append(_("commentaire : « %(comment)s »") % {"comment": result.comment})
    return " ; ".join(parts) or _("vide")


class ResultForm(forms.Form):
    value = FrenchDecimalField(label=gettext_lazy("Résultat"), required=False)
    numerator = FrenchDecimalField(label=gettext_lazy("Numérateur"), required=False)
    denominator = FrenchDecimalField(label=gettext_lazy("Dénominateur"), required=False)
    done = forms.ChoiceField(label=gettext_lazy("Livrable"), choices=DONE_CHOICES,
                             required=False, widget=widgets.Select)
    done_on = forms.DateField(label=gettext_lazy("Réalisé le"), required=False,
                              widget=widgets.DateInput(attrs={"type": "date"}))
    not_applicable = forms.BooleanField(label=gettext_lazy("Non applicable"), required=False,
                                        widget=widgets.CheckboxInput)
    not_applicable_reason = FreeTextField(label=gettext_lazy("Motif"), required=False,
                                          max_length=1000,
                                          widget=widgets.Textarea(attrs={"rows": 1}))
    comment = FreeTextField(label=gettext_lazy("Commentaire"), required=False,
                            max_length=4000, widget=widgets.Textarea(attrs={"rows": 2}))
    evidence_url = forms.URLField(label=gettext_lazy("Lien vers la pièce justificative"),
                                  required=False, max_length=500, assume_scheme="https",
                                  widget=widgets.URLInput)
    evidence_file = forms.FileField(label=gettext_lazy("Pièce justificative (fichier)"),
                                    required=False, widget=widgets.FileInput)
    version = forms.IntegerField(required=False, widget=widgets.HiddenInput)
    # What the page showed on this line (JSON): a save compares what was posted with it, so
    # only the lines the person changed are written, whatever others saved meanwhile.
    shown = forms.CharField(required=False, strip=False, widget=widgets.HiddenInput)

    def __init__(self, *args, indicator: Indicator, member: BreakdownMember | None = None,
                 result: Result | None = None, conflict: Result | None | bool = False,
                 computed: bool = False, **kwargs):
        self.indicator, self.member, self.result = indicator, member, result
        # A value computed from the activity register: shown, never typed (the override
        # with a reason is made on the register's page).
        self.computed = computed
        self._shown = None
        if result is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_from(result)
        # Only the line's own fields are copied from the class's (Django deep-copies every
        # field of every form: a tenth of the entry page's time before).
        dropped = set(self.hidden_fields_for(indicator, member, computed))
        self.base_fields = {name: form_field for name, form_field
                            in type(self).base_fields.items() if name not in dropped}
        super().__init__(*args, **kwargs)
        if computed and "value" in self.fields:
            self.fields["value"].disabled = True
        self.fields["version"].initial = result.version if result else None
        self.fields["shown"].initial = self.shown_record(self.initial)
        # A line in conflict (someone else saved it meanwhile): which value to keep.
        self.conflict = conflict
        if conflict is not False or (self.is_bound and self.add_prefix("keep") in self.data):
            self.fields["keep"] = forms.ChoiceField(
                label=gettext_lazy("Quelle valeur garder ?"), choices=KEEP_CHOICES,
                required=False, initial=KEEP_MINE, widget=forms.RadioSelect)
        self._shown = self._posted_shown() if self.is_bound else None

    def shown_record(self, values: dict) -> str:
        """The line's values as a JSON record (the hidden ``shown`` field)."""
        return shown_record(self.fields, values)

    def _posted_shown(self) -> dict | None:
        raw = self.data.get(self.add_prefix("shown"))
        if not raw:
            return None
        try:
            record = json.loads(raw)
        except ValueError:
            return None
        return record if isinstance(record, dict) else None

    def get_initial_for_field(self, field, field_name):
        """For a posted line that carries what its page showed, that is the initial value:
        a change is what the person did, not what someone else saved since."""
        if self._shown is not None and field_name not in BOOKKEEPING and (
                field_name != "evidence_file"):
            return _shown_decode(field, self._shown.get(field_name))
        return super().get_initial_for_field(field, field_name)

    @staticmethod
    def hidden_fields_for(indicator: Indicator, member: BreakdownMember | None,
                          computed: bool = False) -> list[str]:
        """Inputs that make no sense for this line (kept out of the page and the sheet).

        A computed line is never « non applicable » here: its value comes from the register,
        and replacing it (by another value or by nothing) is an override with a reason, made
        on the register's page."""
        drop = ["not_applicable", "not_applicable_reason"] if computed else []
        if indicator.is_deliverable:
            drop += ["value", "numerator", "denominator"]
        else:
            drop += ["done", "done_on"]
            if indicator.unit != Indicator.Unit.PERCENT:
                drop += ["numerator", "denominator"]
            if member is None and indicator.per_member:
                drop += ["value", "numerator", "denominator"]
        if member is not None:
            drop += ["not_applicable", "not_applicable_reason", "comment", "evidence_url",
                     "evidence_file", "done", "done_on"]
        return sorted(set(drop))

    @staticmethod
    def initial_from(result: Result) -> dict:
        return {
            "value": result.value,
            "numerator": result.numerator,
            "denominator": result.denominator,
            "done": {True: "oui", False: "non"}.get(result.done, ""),
            "done_on": result.done_on,
            "not_applicable": result.not_applicable,
            "not_applicable_reason": result.not_applicable_reason,
            "comment": result.comment,
            "evidence_url": result.evidence_url,
            "version": result.version,
        }

    def _check_amount(self, name: str, number: Decimal | None) -> Decimal | None:
        if number is None:
            return None
        if number < 0:
            raise forms.ValidationError(_("Un résultat ne peut pas être négatif (%(value)s).")
                                        % {"value": display_number(number)})
        if name == "value" and self.indicator.unit == Indicator.Unit.PERCENT and number > 100:
            raise forms.ValidationError(_("Un pourcentage ne peut pas dépasser 100 %% "
                                          "(%(value)s).") % {"value": display_number(number)})
        if (self.indicator.unit == Indicator.Unit.COUNT or name != "value") and (
                number != number.to_integral_value()):
            raise forms.ValidationError(_("Un nombre entier est attendu (%(value)s).")
                                        % {"value": display_number(number)})
        return number

    def clean_value(self):
        return self._check_amount("value", self.cleaned_data.get("value"))

    def clean_numerator(self):
        return self._check_amount("numerator", self.cleaned_data.get("numerator"))

    def clean_denominator(self):
        denominator = self._check_amount("denominator", self.cleaned_data.get("denominator"))
        if denominator == 0:
            raise forms.ValidationError(_("Le dénominateur doit être plus grand que zéro."))
        return denominator

    def clean_done_on(self):
        day = self.cleaned_data.get("done_on")
        if day and day > dates.today():
            raise forms.ValidationError(_("La date de réalisation ne peut pas être dans le "
                                          "futur."))
        return day

    def clean_evidence_file(self):
        return evidence_file_check(self.cleaned_data.get("evidence_file"))

    def clean(self):
        data = super().clean()
        numerator, denominator = data.get("numerator"), data.get("denominator")
        if (numerator is None) != (denominator is None) and not (
                self.has_error("numerator") or self.has_error("denominator")):
            self.add_error("denominator" if denominator is None else "numerator",
                           _("Indiquez le numérateur et le dénominateur, ou ni l'un ni l'autre."))
        elif numerator is not None and denominator:
            if numerator > denominator:
                self.add_error("numerator", _("Le numérateur (%(n)s) dépasse le dénominateur "
                                              "(%(d)s).") % {"n": display_number(numerator),
                                                             "d": display_number(denominator)})
            else:
                rate = (numerator / denominator * 100).quantize(Decimal("0.01"), ROUND_HALF_UP)
                typed = data.get("value")
                if typed is None:
                    data["value"] = rate
                elif abs(typed - rate) > Decimal("0.5"):
                    self.add_error("value", _(
                        "Le taux %(typed)s ne correspond pas à %(n)s / %(d)s (%(rate)s).") % {
                        "typed": format_value(typed, tl.Unit.PERCENT),
                        "n": display_number(numerator), "d": display_number(denominator),
                        "rate": format_value(rate, tl.Unit.PERCENT)})
        if data.get("not_applicable"):
            if not data.get("not_applicable_reason", "").strip():
                self.add_error("not_applicable_reason",
                               _("Indiquez pourquoi ce résultat est non applicable."))
            if data.get("value") is not None or data.get("done"):
                self.add_error("not_applicable", _("Un résultat non applicable ne porte pas de "
                                                   "valeur : videz le champ du résultat."))
        if data.get("done_on") and data.get("done") != "oui":
            self.add_error("done", _("Une date de réalisation suppose un livrable réalisé."))
        return data

    @property
    def in_conflict(self) -> bool:
        return self.conflict is not False

    @property
    def conflict_current_text(self) -> str:
        """The current saved values of a line in conflict, as a person reads them."""
        return describe_result(self.conflict if self.in_conflict else None, self.indicator)

    @property
    def mine_text(self) -> str:
        """What the person typed on a line in conflict, read the same way."""
        if not self.is_bound or not hasattr(self, "cleaned_data"):
            return ""
        fields = {k: v for k, v in self.result_fields().items() if k != "evidence_file"}
        return describe_result(Result(indicator=self.indicator, **fields), self.indicator)

    @property
    def unsaved_evidence_note(self) -> str:
        """What to tell when this bound line comes back on a refused page with a file chosen.

        A browser cannot put a file back into a file input, and a refused page saves nothing,
        so the chosen file is not kept: the line says so and names the file.
        """
        if not self.is_bound or "evidence_file" not in self.fields:
            return ""
        upload = self.files.get(self.add_prefix("evidence_file"))
        if not upload or self.has_error("evidence_file"):
            return ""
        return _("Le fichier « %(name)s » n'a pas été enregistré (rien n'a été enregistré sur "
                 "cette page) : choisissez-le de nouveau avant d'enregistrer.") % {
            "name": upload.name}

    @property
    def changed(self) -> bool:
        """True when the person changed something on this line (the version is bookkeeping)."""
        if self.is_bound and self.cleaned_data.get("keep") == KEEP_CURRENT:
            return False
        return any(name not in BOOKKEEPING for name in self.changed_data)

    def result_fields(self) -> dict:
        """The cleaned values, as Result model fields."""
        data = self.cleaned_data
        fields = {name: data[name] for name in
                  ("value", "numerator", "denominator", "done_on", "not_applicable",
                   "not_applicable_reason", "comment", "evidence_url") if name in data}
        if "done" in data:
            fields["done"] = {"oui": True, "non": False}.get(data["done"])
        for text in ("not_applicable_reason", "comment", "evidence_url"):
            if text in fields:
                fields[text] = fields[text] or ""
        if data.get("evidence_file"):
            fields["evidence_file"] = data["evidence_file"]
        if self.computed:
            fields.pop("value", None)  # the register writes it
        return fields


class TargetRevisionForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("Nouvelle cible"), max_length=500)
    reason = forms.CharField(label=gettext_lazy("Motif de la révision"), required=False,
                             widget=forms.Textarea(attrs={"rows": 2}), max_length=4000)

    def __init__(self, *args, indicator: Indicator, reason_required: bool, **kwargs):
        self.indicator, self.reason_required = indicator, reason_required
        super().__init__(*args, **kwargs)

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        problem = target_text_problem(text)
        if problem:
            raise forms.ValidationError(f"« {text} » : {problem}.")
        try:
            reading = tl.parse_target(text)
        except tl.TargetSyntaxError as exc:
            raise forms.ValidationError(str(exc)) from None
        problem = tl.reading_unit_error(reading, self.indicator.unit)
        if problem:
            raise forms.ValidationError(f"« {text} » : {problem}.")
        return text

    def clean_reason(self):
        reason = self.cleaned_data.get("reason", "").strip()
        problem = text_problem(reason)
        if problem:
            raise forms.ValidationError(_sentence(problem))
        if self.reason_required and not reason:
            raise forms.ValidationError(_("Cette année a déjà des résultats : indiquez le motif "
                                          "de la révision."))
        return reason


class TransitionForm(forms.Form):
    # A gesture made on its own page (``via``) is not posted here.
    action = forms.ChoiceField(choices=lambda: [(g.action, g.label)
                                                for g in workflow.gestures().values()
                                                if not g.via])
    comment = forms.CharField(label=gettext_lazy("Commentaire"), required=False,
                              widget=forms.Textarea(attrs={"rows": 2}), max_length=4000)
    # A gesture that asks for confirmation (submitting) is made only once this is posted.
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        gesture = workflow.gesture(data.get("action", ""))
        if gesture and gesture.comment_required and not data.get("comment", "").strip():
            self.add_error("comment", str(gesture.comment_required))
        return data


class EntrySheetUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Feuille de saisie remplie (xlsx)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() != ".xlsx":
            raise forms.ValidationError(_("Téléversez la feuille de saisie au format xlsx."))
        if upload.size > 10 * 1024 * 1024:
            raise forms.ValidationError(_("Fichier trop volumineux (maximum 10 Mo)."))
        return upload


class TargetPreviewForm(forms.Form):
    """A target to try (GET: nothing is saved), with the indicator's unit and direction and a
    sample result to judge."""

    text = forms.CharField(label=gettext_lazy("Cible"), max_length=500, required=False)
    unit = forms.ChoiceField(label=gettext_lazy("Unité de l'indicateur"),
                             choices=Indicator.Unit.choices, initial=Indicator.Unit.COUNT,
                             required=False)
    direction = forms.ChoiceField(label=gettext_lazy("Sens favorable"),
                                  choices=Indicator.Direction.choices,
                                  initial=Indicator.Direction.INCREASE, required=False)
    sample = forms.DecimalField(label=gettext_lazy("Résultat à juger (exemple)"),
                                required=False, max_digits=14, decimal_places=2,
                                localize=True)
    reference = forms.DecimalField(
        label=gettext_lazy("Valeur de référence d'une variation (résultat précédent, valeur "
                           "de départ ou de l'année nommée)"),
        required=False, max_digits=14, decimal_places=2, localize=True)

    def clean_unit(self):
        return self.cleaned_data.get("unit") or Indicator.Unit.COUNT

    def clean_direction(self):
        return self.cleaned_data.get("direction") or Indicator.Direction.INCREASE


class ActionProgressForm(forms.Form):
    """One action's progress for the year, on the entry page or from a row of the sheet's
    *Actions* table: the same form, so both refuse the same input."""

    # Widgets rendered without the template engine (indicators/widgets.py): one form per
    # action on the entry page.
    state = forms.ChoiceField(label=gettext_lazy("État de l'action"), required=False,
                              choices=lambda: [("", "—")] + list(
                                  ActionProgress.State.choices), widget=widgets.Select)
    narrative = FreeTextField(label=gettext_lazy("Ce qui a été fait"), required=False,
                              max_length=4000, strip=False,
                              widget=widgets.Textarea(attrs={"rows": 3}))
    reason = FreeTextField(label=gettext_lazy("Motif (reportée ou abandonnée)"),
                           required=False, max_length=2000, strip=False,
                           widget=widgets.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(required=False, min_value=1, widget=widgets.HiddenInput)

    def __init__(self, *args, action, progress: ActionProgress | None = None, **kwargs):
        self.action, self.progress = action, progress
        kwargs.setdefault("initial", self.initial_from(progress))
        super().__init__(*args, **kwargs)

    @staticmethod
    def initial_from(progress: ActionProgress | None) -> dict:
        if progress is None:
            return {"state": "", "narrative": "", "reason": "", "version": None}
        return {"state": progress.state, "narrative": progress.narrative,
                "reason": progress.reason, "version": progress.version}

    def clean(self):
        data = super().clean()
        state = data.get("state", "")
        if not state and self.progress is not None and "state" not in self.errors:
            self.add_error("state", _("Cette action a déjà un état pour l'année : choisissez-en "
                                      "un (il ne peut pas être retiré)."))
        elif not state and (data.get("narrative") or data.get("reason")):
            self.add_error("state", _("Choisissez l'état de l'action avant d'en décrire "
                                      "l'avancement."))
        elif state:
            problem = ActionProgress.reason_problem(state, data.get("reason", ""))
            if problem:
                self.add_error("reason", problem)
        return data

    @property
    def changed(self) -> bool:
        """True when the person changed the state, the narrative or the reason."""
        return any(name != "version" for name in self.changed_data)

    def progress_fields(self) -> dict:
        data = self.cleaned_data
        return {"state": data["state"], "narrative": data.get("narrative") or "",
                "reason": data.get("reason") or ""}
