"""Form widgets that render their HTML directly instead of through the template engine.

The entry page shows several hundred inputs; Django's template-based widget rendering costs
about half a millisecond each. These produce the same markup (attributes as Django's
``flatatt`` writes them, text escaped as ``conditional_escape`` does) for the handful of
input types the entry form uses, with plain string building: Django's ``format_html`` and
lazy-aware ``escape`` cost more than the rest of an input's rendering.
"""

import html

from django import forms
from django.utils.safestring import SafeString, mark_safe


def escape(value) -> str:
    """``django.utils.html.conditional_escape`` without its lazy-string wrapper."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def flatatt(attrs: dict) -> SafeString:
    """Django's ``flatatt``: valued attributes sorted, then boolean ones sorted."""
    valued = sorted((name, value) for name, value in attrs.items()
                    if value is not None and not isinstance(value, bool))
    flags = sorted(name for name, value in attrs.items() if value is True)
    return mark_safe("".join(f' {name}="{escape(value)}"' for name, value in valued)
                     + "".join(f" {name}" for name in flags))


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
        return mark_safe(f"<input{flatatt(attributes)}>")


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
        return mark_safe(f'<input type="file" name="{escape(name)}"{flatatt(_attrs(context))}>')


class CheckboxInput(forms.CheckboxInput):
    def render(self, name, value, attrs=None, renderer=None):
        context = self.get_context(name, value, attrs)
        return mark_safe(f'<input type="checkbox" name="{escape(name)}"'
                         f"{flatatt(_attrs(context))}>")


class Textarea(forms.Textarea):
    def render(self, name, value, attrs=None, renderer=None):
        context = self.get_context(name, value, attrs)
        text = escape(context["widget"]["value"] or "")
        return mark_safe(f'<textarea name="{escape(name)}"{flatatt(_attrs(context))}>\n'
                         f"{text}</textarea>")


class Select(forms.Select):
    def render(self, name, value, attrs=None, renderer=None):
        context = self.get_context(name, value, attrs)
        options = "".join(
            f'<option value="{escape(option["value"])}"'
            f'{" selected" if option["selected"] else ""}>{escape(option["label"])}</option>'
            for _group, group_options, _index in context["widget"]["optgroups"]
            for option in group_options)
        return mark_safe(f'<select name="{escape(name)}"{flatatt(_attrs(context))}>{options}'
                         "</select>")
