"""Display filters: French numbers and the status vocabulary. They format; they decide nothing."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext_lazy

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


# Shown under every date input: browsers render their own picker, but the format typed or read
# aloud is the ISO one the whole application writes (2025-06-30).
DATE_FORMAT_HINT = gettext_lazy("Format : AAAA-MM-JJ")


@register.simple_tag
def entry_field(field):
    """One input with its label, its help text and its errors: the markup of every form field
    (``_field.html`` calls it), built as a plain string without a template include (the entry
    page has hundreds, and ``format_html`` costs more than the input itself here). The help
    text and the errors are shown and linked to the input (``aria-describedby``); an input in
    error carries ``aria-invalid`` (Django's own)."""
    return field_html(
        auto_id=field.auto_id, id_for_label=field.id_for_label, label=field.label,
        render_input=lambda attrs: field.as_widget(attrs=attrs), form_field=field.field,
        errors=field.errors, help_text=field.help_text,
        unsaved_note=(getattr(field.form, "unsaved_evidence_note", "")
                      if field.name == "evidence_file" else ""))


def field_html(*, auto_id: str, id_for_label: str, label, render_input, form_field,
               errors=(), help_text="", unsaved_note: str = ""):
    """:func:`entry_field`'s markup from its parts: ``render_input(attrs)`` renders the input
    with the extra attributes given (None or ``aria-describedby``); the entry page also calls
    it for the inputs of its unbound lines, without a bound field
    (:mod:`indicators.entry_html`)."""
    from django import forms
    from django.utils.safestring import mark_safe

    from indicators.widgets import escape

    classes = "field"
    if errors:
        classes += " has-error"
    if getattr(form_field.widget, "input_type", "") == "checkbox":
        classes += " checkbox"
    escaped_id = escape(auto_id)
    # Help texts are written by developers and may hold markup (Django's password rules are a
    # list): shown unescaped, as Django's own form templates do.
    hints = [str(help_text)] if help_text else []
    if isinstance(form_field, forms.DateField):
        hints.append(escape(DATE_FORMAT_HINT))
    described = []
    help_html = ""
    if hints:
        described.append(f"{auto_id}_helptext")
        help_html = f'<div class="help" id="{escaped_id}_helptext">{" ".join(hints)}</div>'
    messages = ""
    if errors:
        described.append(f"{auto_id}_error")
        messages = (f'<div class="error" id="{escaped_id}_error">'
                    + "".join(f"<p>{escape(error)}</p>" for error in errors) + "</div>")
    if unsaved_note:
        described.append(f"{auto_id}_unsaved")
        messages += (f'<p class="error" id="{escaped_id}_unsaved" role="alert">'
                     f"{escape(unsaved_note)}</p>")
    attrs = {"aria-describedby": " ".join(described)} if described and auto_id else None
    return mark_safe(f'<div class="{classes}"><label for="{escape(id_for_label)}">'
                     f"{escape(label)}</label>{render_input(attrs)}"
                     f"{help_html}{messages}</div>")


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


@register.simple_tag(takes_context=True)
def entry_line(context, line):
    """One indicator's fieldset on the entry page (:func:`indicators.entry_html.line_html`),
    its words translated once per page."""
    from django.utils.safestring import mark_safe

    from indicators.entry_html import line_html

    return mark_safe(line_html(line, _entry_labels(context), editable=context["editable"],
                               bound=context["page"].is_bound, year=context["year"],
                               notices=context.get("notices")))


@register.simple_tag(takes_context=True)
def entry_action(context, action):
    """An action's progress on the entry page (:func:`indicators.entry_html.action_html`),
    nothing when the page does not show its form."""
    from django.utils.safestring import mark_safe

    from indicators.entry_html import action_html

    action_page = context.get("action_page")
    if action_page is None:
        return ""
    form = None
    if action_page.is_bound:
        form = action_page.form_for(action)
        if form is None:  # an action the refused page did not post
            return ""
    return mark_safe(action_html(action, action_page.progress.get(action.pk),
                                 _entry_labels(context), editable=context["editable"],
                                 form=form))


def _entry_labels(context):
    """The entry page's words (:class:`indicators.entry_html.Labels`), once per render."""
    from indicators.entry_html import Labels

    labels = context.render_context.get(Labels)
    if labels is None:
        labels = context.render_context[Labels] = Labels()
    return labels


@register.filter
def orientation_anchor(orientation):
    """The entry page's anchor of an orientation section (the jump list links to it)."""
    from indicators.entry import orientation_anchor as anchor

    return anchor(orientation)


@register.simple_tag
def entry_line_url(entry_url: str, orientation_id, kind: str, pk) -> str:
    """:func:`indicators.entry.line_url`: a line's address on the entry page."""
    from indicators.entry import line_url

    return line_url(entry_url, orientation_id, kind, pk)


@register.simple_tag
def confirm_text(gesture, year_label):
    """What a gesture that asks for confirmation locks, for the year shown."""
    return gesture.confirm % {"year": year_label}


@register.filter
def lookup(mapping, key):
    """``mapping[key]``, or None: a dict the view built (computed sources by indicator id)."""
    return mapping.get(key) if mapping else None


@register.simple_tag
def error_links(*sources) -> list[dict]:
    """The error summary of a refused form: one link per error, to the input in error (for an
    error of the whole form, to its first input), reading « where — field : error ». A source
    is a form, a formset, or a page with ``labelled_forms()`` (pairs of a form and the name
    of what it edits)."""
    pairs = []
    for source in sources:
        if source is None:
            continue
        if hasattr(source, "labelled_forms"):
            pairs += source.labelled_forms()
        elif hasattr(source, "non_form_errors"):
            pairs += [(None, error) for error in source.non_form_errors()]
            pairs += [(form, "") for form in source.forms]
        else:
            pairs.append((source, ""))
    links = []
    for form, title in pairs:
        if form is None:  # a formset's own error: no input of its own
            links.append({"target": "", "text": title})
            continue
        if not form.errors:
            continue
        fields = [field for field in form.visible_fields() if not field.field.disabled]
        box = fields[0].id_for_label if fields else ""
        for error in form.non_field_errors():
            links.append({"target": box, "text": f"{title} : {error}" if title else error})
        for field in fields:
            for error in field.errors:
                where = f"{title} — {field.label}" if title else field.label
                links.append({"target": field.id_for_label, "text": f"{where} : {error}"})
    return links
