"""Form widgets that render their HTML directly instead of through the template engine.

The entry page shows several hundred inputs; Django's template-based widget rendering costs
about half a millisecond each. These produce the same markup (attributes escaped by
``flatatt``/``format_html``) for the handful of input types the entry form uses.
"""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join


def _attrs(context: dict) -> dict:
    widget = context["widget"]
    attrs = {key: value for key, value in widget["attrs"].items() if value is not False}
    return {key: ("" if value is True else value) for key, value in attrs.items()}


class DirectInputMixin:
    def render(self, name, value, attrs=None, renderer=None):
        context = self.get_context(name, value, attrs)
        widget = context["widget"]
        value_attr = {"value": widget["value"]} if widget["value"] is not None else {}
        attributes = {"type": widget["type"], "name": widget["name"], **value_attr,
                      **_attrs(context)}
        return format_html("<input{}>", flatatt(attributes))


class TextInput(DirectInputMixin, forms.TextInput):
    pass


class URLInput(DirectInputMixin, forms.URLInput):
    pass


class DateInput(DirectInputMixin, forms.DateInput):
    pass


class HiddenInput(DirectInputMixin, forms.HiddenInput):
    pass


class FileInput(forms.FileInput):
    """A file input (it never shows a value back, as Django's), attributes in Django's order."""

    def render(self, name, value, attrs=None, renderer=None):
        context = self.get_context(name, value, attrs)
        return format_html('<input type="file" name="{}"{}>', name, flatatt(_attrs(context)))


class CheckboxInput(forms.CheckboxInput):
    def render(self, name, value, attrs=None, renderer=None):
        context = self.get_context(name, value, attrs)
        return format_html('<input type="checkbox" name="{}"{}>', name,
                           flatatt(_attrs(context)))


class Textarea(forms.Textarea):
    def render(self, name, value, attrs=None, renderer=None):
        context = self.get_context(name, value, attrs)
        return format_html('<textarea name="{}"{}>\n{}</textarea>', name,
                           flatatt(_attrs(context)), context["widget"]["value"] or "")


class Select(forms.Select):
    def render(self, name, value, attrs=None, renderer=None):
        context = self.get_context(name, value, attrs)
        options = [option for _group, group_options, _index in context["widget"]["optgroups"]
                   for option in group_options]
        rendered = format_html_join(
            "", '<option value="{}"{}>{}</option>',
            ((option["value"], " selected" if option["selected"] else "", option["label"])
             for option in options))
        return format_html('<select name="{}"{}>{}</select>', name, flatatt(_attrs(context)),
                           rendered)
