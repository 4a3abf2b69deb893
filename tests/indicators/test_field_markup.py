"""Every form field's markup (``entry_field``, ``_field.html``) and the error summary's links:
help texts and the date format shown and linked to their input, errors linked and flagged."""

import datetime

from django import forms

from indicators.templatetags.pole_plan import entry_field, error_links


class SampleForm(forms.Form):
    name = forms.CharField(label="Nom", help_text="Tel qu'au répertoire.")
    start = forms.DateField(label="Début", required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
    count = forms.IntegerField(label="Nombre", required=False)

    def clean(self):
        if self.cleaned_data.get("count") == 0:
            raise forms.ValidationError("Zéro n'est pas permis ici.")
        return self.cleaned_data


def test_help_text_and_date_format_are_shown_and_linked_to_their_input():
    form = SampleForm()
    name = str(entry_field(form["name"]))
    assert '<div class="help" id="id_name_helptext">Tel qu\'au répertoire.</div>' in name
    assert 'aria-describedby="id_name_helptext"' in name
    start = str(entry_field(form["start"]))
    assert "Format : AAAA-MM-JJ" in start and 'aria-describedby="id_start_helptext"' in start
    assert "aria-describedby" not in str(entry_field(form["count"]))


def test_an_error_is_shown_once_linked_and_flags_its_input():
    form = SampleForm({"name": "", "start": "30/06/2025", "count": ""})
    assert not form.is_valid()
    start = str(entry_field(form["start"]))
    assert 'aria-invalid="true"' in start
    assert 'aria-describedby="id_start_helptext id_start_error"' in start
    assert start.count('id="id_start_error"') == 1


def test_the_error_summary_links_each_error_to_its_input():
    form = SampleForm({"name": "", "start": "30/06/2025", "count": "0"})
    assert not form.is_valid()
    links = error_links(form)
    assert [link["target"] for link in links] == ["id_name", "id_name", "id_start"]
    assert links[0]["text"] == "Zéro n'est pas permis ici."  # the form's own: its first input
    assert links[1]["text"].startswith("Nom : ")
    assert links[2]["text"].startswith("Début : ")


def test_an_unbound_or_valid_form_has_no_summary_and_a_page_names_its_lines():
    assert error_links(SampleForm()) == []
    valid = SampleForm({"name": "Cégep", "start": datetime.date(2025, 6, 30), "count": "3"})
    assert valid.is_valid() and error_links(valid) == []

    class Page:
        def labelled_forms(self):
            return [(SampleForm({"name": ""}), "Nb de rencontres")]

    [link] = error_links(Page(), None)
    assert link == {"target": "id_name",
                    "text": "Nb de rencontres — Nom : Ce champ est obligatoire."}


def test_a_formset_error_of_its_own_is_listed_without_a_link():
    FormSet = forms.formset_factory(SampleForm, min_num=1, validate_min=True, extra=0)
    formset = FormSet({"form-TOTAL_FORMS": "0", "form-INITIAL_FORMS": "0"})
    assert not formset.is_valid()
    links = error_links(formset)
    assert links and links[0]["target"] == ""
