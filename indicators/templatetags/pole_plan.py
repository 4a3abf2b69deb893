"""Display filters: French numbers and the status vocabulary. They format; they decide nothing."""

from django import template
from django.utils.html import format_html

from indicators import formatting
from indicators import targets as tl
from indicators.models import fiscal_year_label
from indicators.progress import DEGREE_LABELS, STATUS_LABELS
from indicators.targets import Degree, Status

register = template.Library()

STATUS_SYMBOLS = {Status.MET: "✓", Status.NOT_MET: "✗", Status.IN_PROGRESS: "◔",
                  Status.NO_RESULT: "∅", Status.NOT_ASSESSABLE: "?"}


@register.simple_tag
def colon():
    """A label's colon: « État : brouillon » in French (a space before it), "State: draft" in
    English."""
    return ":" if formatting.in_english() else " :"


@register.filter
def fr_value(value, unit):
    return formatting.format_value(value, unit)


@register.filter
def year_label(year):
    """``2024`` → ``2024-2025``, never with a thousands separator."""
    return fiscal_year_label(year) if year is not None else ""


@register.filter
def person(user):
    """Who did something, by full name where one is known (``Dora Tremblay``), else username."""
    return formatting.person_name(user)


@register.filter
def fr_percent(fraction):
    return formatting.format_percent(fraction)


@register.filter
def achievement(value):
    """An achievement already in percent (98.5) → ``98,5 %``."""
    if value is None:
        return "—"
    return formatting.format_value(value, tl.Unit.PERCENT)


@register.simple_tag
def status_badge(status, detail=""):
    """A status badge: symbol and label, the reason on hover. Built without a template include
    (the pôle dashboard shows hundreds)."""
    status = Status(status)
    title = format_html(' title="{}"', detail) if detail else ""
    # Ends with a line break, as the template it replaces did: the same markup byte for byte.
    return format_html('<span class="badge status-{}"{}><span aria-hidden="true">{}</span> {}'
                       "</span>\n", status.value, title, STATUS_SYMBOLS[status],
                       STATUS_LABELS[status])


@register.filter
def status_label(status):
    return STATUS_LABELS[Status(status)]


@register.filter
def degree_label(degree):
    return DEGREE_LABELS[Degree(degree)] if degree else ""


@register.simple_tag
def entry_field(field):
    """One entry input with its label and errors, rendered without a template include (the
    entry page has hundreds). Same markup as ``_field.html``, built as a plain string
    (``format_html`` costs more than the input itself here)."""
    from django.utils.safestring import mark_safe

    from indicators.widgets import escape

    classes = "field"
    errors = field.errors
    if errors:
        classes += " has-error"
    if getattr(field.field.widget, "input_type", "") == "checkbox":
        classes += " checkbox"
    auto_id = escape(field.auto_id)
    messages = "".join(f'<p class="error" id="{auto_id}_error">{escape(error)}</p>'
                       for error in errors)
    if field.name == "evidence_file" and getattr(field.form, "unsaved_evidence_note", ""):
        messages += (f'<p class="error" id="{auto_id}_unsaved" role="alert">'
                     f"{escape(field.form.unsaved_evidence_note)}</p>")
    return mark_safe(f'<div class="{classes}"><label for="{escape(field.id_for_label)}">'
                     f"{escape(field.label)}</label>{field.as_widget()}{messages}</div>")


@register.simple_tag
def entry_inputs(form):
    """A line's inputs (:func:`entry_field` each), but the conflict's choice (shown with the
    conflict) and disabled fields (a value computed from the register)."""
    from django.utils.safestring import mark_safe

    return mark_safe("".join(entry_field(field) for field in form.visible_fields()
                             if field.name != "keep" and not field.field.disabled))


@register.simple_tag
def entry_hidden(form):
    """A line's hidden inputs (its version and what the page showed)."""
    from django.utils.safestring import mark_safe

    return mark_safe("".join(str(field) for field in form.hidden_fields()))


@register.filter
def orientation_anchor(orientation):
    """The entry page's anchor of an orientation section (the jump list links to it)."""
    from indicators.entry import orientation_anchor as anchor

    return anchor(orientation)


@register.simple_tag
def confirm_text(gesture, year_label):
    """What a gesture that asks for confirmation locks, for the year shown."""
    return gesture.confirm % {"year": year_label}


@register.filter
def lookup(mapping, key):
    """``mapping[key]``, or None: a dict the view built (computed sources by indicator id)."""
    return mapping.get(key) if mapping else None
