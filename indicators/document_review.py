"""The review of a plan read from its document: forms, corrections, differences, the write.

The proposal (``plan_documents.ProposedRow``) waits in the session between pages; nothing is
written before the person confirms, and the write is ``plan_import``, the spreadsheet
import's service, fed with the reviewed rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from indicators import plan_documents as pd
from indicators import targets as tl
from indicators.models import Indicator, Plan, fiscal_year_label
from indicators.plan_import import ImportOutcome, plan_import, split_code

SESSION_KEY = "plan_document_%s"


class DocumentUploadForm(forms.Form):
    """A Word or PDF document, or a table pasted from Word, Excel or a PDF viewer."""

    document = forms.FileField(label=gettext_lazy("Document (.docx ou .pdf)"), required=False)
    pasted = forms.CharField(
        label=gettext_lazy("Ou collez le tableau du plan"), required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=gettext_lazy("Copiez le tableau depuis Word, Excel ou un lecteur PDF : une "
                               "ligne par action, les colonnes séparées par des tabulations, "
                               "l'en-tête compris (Objectifs, Actions, Indicateurs, 24-25…)."))

    def clean(self):
        data = super().clean()
        upload, pasted = data.get("document"), (data.get("pasted") or "").strip()
        if bool(upload) == bool(pasted):
            raise forms.ValidationError(_("Joignez un document ou collez un tableau (l'un des "
                                          "deux)."))
        try:
            if upload:
                rows, years = pd.read_document(upload.read(), upload.name)
                data["source_name"] = upload.name
            else:
                rows, years = pd.read_pasted(pasted)
                data["source_name"] = _("tableau collé")
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc
        data["rows"], data["years"] = rows, years
        return data


class ReviewRowForm(forms.Form):
    """One indicator of the proposal: its label, whether to drop it, its target each year."""

    label = forms.CharField(label=gettext_lazy("Indicateur"), max_length=300)
    drop = forms.BooleanField(label=gettext_lazy("Écarter"), required=False)

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.years = years
        for year in years:
            self.fields[f"target_{year}"] = forms.CharField(
                label=fiscal_year_label(year), required=False, max_length=200)

    def target_fields(self):
        return [self[f"target_{year}"] for year in self.years]


class BaseReviewFormSet(forms.BaseFormSet):
    rows: list[pd.ProposedRow] = []

    def labelled_forms(self) -> list[tuple]:
        """Each row's form named by its line in the document, for the error summary."""
        return ([(None, error) for error in self.non_form_errors()]
                + [(form, _("Ligne %(line)s") % {"line": row.line})
                   for row, form in zip(self.rows, self.forms, strict=False)])


ReviewFormSet = forms.formset_factory(ReviewRowForm, formset=BaseReviewFormSet, extra=0)


def review_formset(rows: list[pd.ProposedRow], years: list[int], data=None):
    initial = [{"label": row.label, "drop": row.dropped,
                **{f"target_{t.year}": "" if t.flagged else t.text for t in row.targets}}
               for row in rows]
    formset = ReviewFormSet(data, initial=initial, form_kwargs={"years": years},
                            prefix="rows")
    formset.rows = rows
    return formset


def review_apply(rows: list[pd.ProposedRow], cleaned: list[dict]) -> list[pd.ProposedRow]:
    """The rows with a person's corrections: a label, a dropped row, a target typed in.

    A target typed in a flagged cell settles it (``—`` for no target); a text the grammar
    cannot read stays flagged with the grammar's reason."""
    for row, data in zip(rows, cleaned, strict=True):
        row.label = data["label"].strip()
        row.dropped = bool(data.get("drop"))
        for target in row.targets:
            typed = (data.get(f"target_{target.year}") or "").strip()
            if target.flagged and not typed:
                continue
            if not target.flagged and typed == target.text:
                continue
            text = "" if pd.is_empty_mark(typed) else typed
            problem = ""
            if text:
                try:
                    tl.parse_target(text)
                except tl.TargetSyntaxError as exc:
                    problem = _("« %(text)s » n'est pas lisible : %(reason)s") % {
                        "text": text, "reason": exc.reason}
            target.text, target.problem = ("" if problem else text), problem
            target.reading = "" if problem else pd.describe(text)
    return rows


@dataclass
class Differences:
    """What a document changes in a plan that already has indicators."""

    added: list[str] = field(default_factory=list)
    absent: list[str] = field(default_factory=list)
    renamed: list[tuple[str, str]] = field(default_factory=list)

    @property
    def any(self) -> bool:
        return bool(self.added or self.absent or self.renamed)


def plan_differences(plan: Plan, rows: list[pd.ProposedRow]) -> Differences:
    """Indicators the document adds, leaves out (the import keeps them), or renames (same
    action, same place in its list, another label), by action code."""
    existing: dict[str, list[str]] = {}
    for action_code, label in Indicator.objects.filter(
            action__objective__orientation__plan=plan).order_by(
            "action__code", "position", "pk").values_list("action__code", "label"):
        existing.setdefault(action_code, []).append(label)
    proposed: dict[str, list[str]] = {}
    for row in rows:
        if not row.dropped:
            proposed.setdefault(split_code(row.action)[0], []).append(row.label)
    differences = Differences()
    for code in sorted(set(existing) | set(proposed)):
        old, new = existing.get(code, []), proposed.get(code, [])
        gone = [label for label in old if label not in new]
        came = [label for label in new if label not in old]
        for before, after in zip(gone, came, strict=False):
            if len(old) == len(new) and old.index(before) == new.index(after):
                differences.renamed.append((f"{code} {before}", f"{code} {after}"))
                gone.remove(before)
                came.remove(after)
        differences.absent += [f"{code} {label}" for label in gone]
        differences.added += [f"{code} {label}" for label in came]
    return differences


def document_import(*, plan: Plan, rows: list[pd.ProposedRow], years: list[int], user=None,
                    dry_run: bool) -> ImportOutcome:
    """The reviewed rows through the spreadsheet import (all or nothing).

    The dry run writes undecided targets « À déterminer » so that every other refusal shows;
    the real import refuses while any target awaits a decision."""
    dataset = pd.proposal_dataset(rows, years, accept_flagged=dry_run)
    return plan_import(plan=plan, dataset=dataset, dry_run=dry_run, user=user)


def proposal_store(session, plan: Plan, *, rows, years, source_name: str) -> None:
    session[SESSION_KEY % plan.pk] = {"rows": pd.rows_to_json(rows), "years": years,
                                      "source_name": source_name}


def proposal_load(session, plan: Plan):
    """(rows, years, source name) waiting for ``plan``, or None."""
    stored = session.get(SESSION_KEY % plan.pk)
    if not stored:
        return None
    return pd.rows_from_json(stored["rows"]), stored["years"], stored["source_name"]


def proposal_clear(session, plan: Plan) -> None:
    session.pop(SESSION_KEY % plan.pk, None)
