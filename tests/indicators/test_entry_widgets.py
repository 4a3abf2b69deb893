"""The entry page's inputs are built as plain strings for speed (indicators/widgets.py,
``entry_field``): they must be the HTML Django's own widget templates and ``_field.html``
give, escaping included."""

import pytest
from django import forms
from django.template.loader import render_to_string
from django.test.html import parse_html

from indicators import widgets
from indicators.forms import ActionProgressForm, ResultForm
from indicators.templatetags.pole_plan import entry_field, entry_hidden, entry_inputs
from tests.conftest import make_indicator

TRICKY = 'a "b" <c> & \'d\''


def django_render(widget, name, value, attrs):
    """What Django's own template-based widget class renders for the same widget."""
    stock = next(cls for cls in type(widget).__mro__ if cls.__module__ == "django.forms.widgets")
    return stock.render(widget, name, value, attrs)


@pytest.mark.parametrize(("widget", "value"), [
    (widgets.TextInput(attrs={"inputmode": "decimal", "maxlength": 30}), "2 400,5"),
    (widgets.TextInput(), TRICKY),
    (widgets.TextInput(), None),
    (widgets.HiddenInput(), '{"value": "<1>"}'),
    (widgets.URLInput(), "https://exemple.qc.ca/?a=1&b=2"),
    (widgets.DateInput(attrs={"type": "date"}), "2025-03-31"),
    (widgets.FileInput(), None),
    (widgets.CheckboxInput(), True),
    (widgets.CheckboxInput(), False),
    (widgets.Textarea(attrs={"rows": 2}), TRICKY + "\nligne 2"),
    (widgets.Textarea(), ""),
    (widgets.Select(choices=[("", "—"), ("oui", "réalisé"), ("x", TRICKY)]), "oui"),
])
def test_direct_widgets_render_what_djangos_templates_render(widget, value):
    attrs = {"id": "id_i1-x", "aria-invalid": "true", "disabled": True, "required": False}
    ours = widget.render("i1-x", value, attrs)
    assert parse_html(ours) == parse_html(django_render(widget, "i1-x", value, attrs))


def bound_forms(plan):
    indicator = make_indicator(plan, "Taux de <réussite> & \"suivi\"", targets={2024: "80 %"},
                               unit="percent")
    data = {"i1-value": "beaucoup", "i1-comment": TRICKY, "i1-version": "",
            "i1-numerator": "3", "i1-denominator": ""}
    return [ResultForm(prefix="i1", indicator=indicator),
            ResultForm(data, prefix="i1", indicator=indicator),
            ActionProgressForm({"a1-state": "done", "a1-narrative": TRICKY}, prefix="a1",
                               action=indicator.action)]


def test_entry_field_is_the_field_partial(db, plan):
    for form in bound_forms(plan):
        form.is_valid()
        for field in form.visible_fields():
            ours = entry_field(field)
            theirs = render_to_string("_field.html", {"field": field})
            assert parse_html(ours) == parse_html(theirs), field.name
        assert parse_html(entry_inputs(form)) == parse_html("".join(
            entry_field(field) for field in form.visible_fields()
            if field.name != "keep" and not field.field.disabled))
        assert parse_html(entry_hidden(form)) == parse_html(
            "".join(str(field) for field in form.hidden_fields()))


def test_a_result_form_holds_only_its_lines_fields_and_its_own_copies(db, plan):
    indicator = make_indicator(plan, "Nb de projets", targets={2024: "2"})
    first, second = (ResultForm(prefix=f"i{n}", indicator=indicator) for n in (1, 2))
    assert set(first.fields) == set(ResultForm.base_fields) - set(
        ResultForm.hidden_fields_for(indicator, None))
    assert first.fields["value"] is not second.fields["value"]
    assert first.fields["value"] is not ResultForm.base_fields["value"]
    assert isinstance(first.fields["value"], forms.CharField)
