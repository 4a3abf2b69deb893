"""The entry page's indicator lines as HTML, built in Python.

A line (an indicator's fieldset: its target, its status, its inputs and its members') was
some thirty template tags and variables, each resolved by the template engine, and one
Django form per line and member, rendered through bound fields: most of the page's time.
:func:`line_html` writes the same markup with plain strings, every text escaped as the
template's autoescaping does (:func:`indicators.widgets.escape`), the labels translated once
per page (:class:`Labels`).

An unbound line (a GET) is rendered from its results, without building its forms
(:func:`unbound_inputs`): the fields, labels and widgets are :class:`ResultForm`'s own, and
``tests/indicators/test_entry_html.py`` holds every kind of line to what the form renders. A
bound line (a refused save) renders its forms, errors and conflicts as before.
"""

from __future__ import annotations

from django.template.defaultfilters import linebreaksbr
from django.template.loader import render_to_string
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from indicators import formatting, widgets
from indicators import targets as tl
from indicators.action_entry import action_prefix
from indicators.entry import Line, line_prefix
from indicators.forms import ActionProgressForm, ResultForm, shown_record
from indicators.models import Target
from indicators.templatetags.pole_plan import (
    colon,
    entry_field,
    entry_hidden,
    entry_inputs,
    field_html,
    status_badge,
)
from indicators.widgets import escape


class Labels:
    """The words every line repeats, translated once per page (written as they are, like the
    template's ``{% translate %}``)."""

    def __init__(self):
        self.colon = colon()
        self.read_as = _("lue comme")
        self.no_target = _("aucune cible pour cette année")
        self.reading_note = _("Note de lecture")
        self.previous = _("Résultat de l'année précédente")
        self.not_entered = _("non saisi")
        self.detail = _("Détail et historique")
        self.per_member = _("la cible s'applique à chaque membre")
        self.deliverable = _("Livrable")
        self.done = _("réalisé")
        self.not_done = _("non réalisé")
        self.result = _("Résultat")
        self.not_applicable = _("Non applicable")
        self.comment = _("Commentaire")
        self.action_state = _("État de l'action")
        self.not_filled = _("non renseigné")
        self.narrative = _("Ce qui a été fait")
        self.reason = _("Motif")
        self._badges: dict = {}
        self._understood: dict = {}
        # A field's markup by field and value, for its prefix (:func:`_field_markup`).
        self.inputs: dict[tuple, str] = {}

    def understood(self, line: Line) -> str:
        """:attr:`Line.understood`, escaped, once per target reading (the target's stored
        reading fields), unit and resolved target: many lines share a target like « Min 2 »."""
        target = line.item.target
        key = (tuple(getattr(target, name) for name in Target.READING_FIELDS),
               line.item.indicator.unit, line.item.evaluation.resolved_target)
        if key not in self._understood:
            self._understood[key] = escape(line.understood)
        return self._understood[key]

    def badge(self, status, reason) -> str:
        """:func:`~indicators.templatetags.pole_plan.status_badge`, once per status and
        reason."""
        key = (status, reason)
        if key not in self._badges:
            self._badges[key] = status_badge(status, reason)
        return self._badges[key]


# Stand for a line's prefix and for a text value in the markup of a field remembered for the
# page (characters no value shown holds: text with control characters is refused on the way
# in).
PREFIX = "\x00"
VALUE = "\x01"
# Widgets whose markup holds a text value once, escaped, and nothing else of it.
TEXT_WIDGETS = (widgets.TextInput, widgets.URLInput, widgets.HiddenInput, widgets.Textarea)


def unbound_inputs(prefix: str, indicator, member, result, computed: bool,
                   labels: Labels) -> tuple[str, str]:
    """The inputs and the hidden inputs of a line that nobody posted: what
    ``entry_inputs`` and ``entry_hidden`` render for its unbound :class:`ResultForm`, read
    from the same fields (those the line shows, :meth:`ResultForm.hidden_fields_for`), the
    same initial values (:meth:`ResultForm.initial_from`) and the same widgets."""
    dropped = ResultForm.hidden_fields_for(indicator, member, computed)
    fields = {name: field for name, field in ResultForm.base_fields.items()
              if name not in dropped}
    initial = ResultForm.initial_from(result) if result is not None else {}
    inputs, hidden = [], []
    for name, field in fields.items():
        if name == "shown":
            value = shown_record(fields, initial)
        elif name == "version":
            value = result.version if result is not None else None
        else:
            if name == "value" and computed:
                continue  # shown by the computed value's box, not typed
            value = field.prepare_value(initial.get(name))
        (hidden if field.widget.is_hidden else inputs).append(
            _field_markup(prefix, name, field, value, labels, form_class=ResultForm))
    return "".join(inputs), "".join(hidden)


def _field_markup(prefix: str, name: str, field, value, labels: Labels, *, form_class) -> str:
    """One field of an unbound form (``form_class``) as ``entry_field`` (a hidden one as its
    widget) renders it. The markup of a field is built once per page with :data:`PREFIX` for
    the line's prefix: for each value shown (most fields show the same value on many lines,
    empty mostly), or, for a text input holding some text, once with :data:`VALUE` for the
    text, escaped as its widget escapes it."""
    if isinstance(value, str) and (PREFIX in value or VALUE in value):
        return _field_render(prefix, name, field, value)
    as_text = bool(value) and isinstance(value, str) and type(field.widget) in TEXT_WIDGETS
    key = (form_class, name, str, VALUE) if as_text else (form_class, name, type(value), value)
    markup = labels.inputs.get(key)
    if markup is None:
        markup = labels.inputs[key] = _field_render(PREFIX, name, field,
                                                    VALUE if as_text else value)
    markup = markup.replace(PREFIX, prefix)
    return markup.replace(VALUE, escape(value)) if as_text else markup


def _field_render(prefix: str, name: str, field, value) -> str:
    html_name = f"{prefix}-{name}"
    auto_id = f"id_{html_name}"
    widget = field.widget
    if widget.is_hidden:
        return widget.render(html_name, value, {"id": auto_id})
    return field_html(
        auto_id=auto_id, id_for_label=auto_id, label=field.label,
        render_input=lambda attrs: widget.render(html_name, value,
                                                 {**(attrs or {}), "id": auto_id}),
        form_field=field)


def _line_inputs(line: Line, form, member, result, computed: bool, labels: Labels, *,
                 bound: bool) -> tuple[str, str]:
    if bound:
        return entry_inputs(form), entry_hidden(form)
    indicator = line.item.indicator
    prefix = line_prefix(indicator.pk, member.pk if member is not None else None)
    return unbound_inputs(prefix, indicator, member, result, computed, labels)


def _form_notes(form) -> str:
    """A bound form's own errors and its conflict box (a refused save)."""
    html = "".join(f'<p class="error" role="alert">{escape(error)}</p>'
                   for error in form.non_field_errors())
    if form.in_conflict:
        html += render_to_string("indicators/_conflict.html", {"form": form})
    return html


def _computed_box(form, result, indicator, year: int, source, *, link: bool,
                  editable: bool) -> str:
    return render_to_string("indicators/_computed_value.html", {
        "form": form, "result": result, "indicator": indicator, "year": year,
        "source": source, "link": link, "editable": editable})


def _readonly(line: Line, labels: Labels) -> str:
    """What a person who cannot enter results reads instead of the inputs."""
    item, indicator = line.item, line.item.indicator
    result = item.result
    if result is None:
        return f"<dt>{labels.result}</dt><dd>—</dd>"
    html = ""
    if indicator.is_deliverable:
        if result.done:
            done = labels.done + (f" ({result.done_on.isoformat()})" if result.done_on else "")
        elif result.done is False:
            done = labels.not_done
        else:
            done = "—"
        html += f"<dt>{labels.deliverable}</dt><dd>{done}</dd>"
    elif not line.computed:
        value = formatting.format_value(result.value, indicator.unit) or "—"
        html += f"<dt>{labels.result}</dt><dd>{escape(value)}</dd>"
    if result.not_applicable:
        html += (f"<dt>{labels.not_applicable}</dt>"
                 f"<dd>{escape(result.not_applicable_reason)}</dd>")
    if result.comment:
        html += f"<dt>{labels.comment}</dt><dd>{escape(result.comment)}</dd>"
    return html


def _head(line: Line, labels: Labels) -> str:
    """The target as written and as read, the previous result, the status and the link."""
    item, indicator = line.item, line.item.indicator
    pk = str(indicator.pk)
    target, evaluation = item.target, item.evaluation
    if target is not None:
        shown = (f"<q>{escape(target.text)}</q> <span class=\"understood\">({labels.read_as}"
                 f"{labels.colon} {labels.understood(line)})</span>")
    else:
        shown = f"<em>{labels.no_target}</em>"
    html = [f'<div class="indicator-head">\n<div>\n<p class="target" data-testid="target-{pk}">'
            f"{escape(item.target_heading)}{labels.colon} {shown}</p>\n"]
    if target is not None and target.note:
        html.append(f'<details class="note"><summary>{labels.reading_note}</summary>'
                    f"{escape(target.note)}</details>\n")
    if target is not None and target.kind == "relative":
        previous = item.previous_result.value if item.previous_result is not None else None
        value = (escape(formatting.format_value(previous, indicator.unit))
                 if previous is not None else f"<em>{labels.not_entered}</em>")
        html.append(f'<p class="previous">{labels.previous}{labels.colon} {value}</p>\n')
    html.append(f'</div>\n<div class="outcome" data-testid="status-{pk}">\n'
                f"{labels.badge(item.status, evaluation.reason)}\n")
    note = item.achievement_note
    if evaluation.achievement is not None:
        title = f' title="{escape(note)}"' if note else ""
        achieved = formatting.format_value(evaluation.achievement, tl.Unit.PERCENT)
        html.append(f'<span class="achievement"{title}>{escape(achieved)}</span>\n')
    if note:
        html.append(f'<p class="note" data-testid="achievement-note">{escape(capfirst(note))}.'
                    "</p>\n")
    html.append(f'<p class="reason">{escape(evaluation.reason)}</p>\n'
                f'<a href="{escape(line.detail_href)}">{labels.detail}</a>\n</div>\n</div>\n')
    return "".join(html)


def line_html(line: Line, labels: Labels, *, editable: bool, bound: bool, year: int,
              notices=None) -> str:
    """One indicator's fieldset on the entry page: its head (:func:`_head`), the corrections
    asked on it, then its inputs and its members' (``editable``, or a ``bound`` page coming
    back refused), or what it holds, read only."""
    item, indicator = line.item, line.item.indicator
    prefix = line_prefix(indicator.pk)
    html = [f'<fieldset class="indicator{" has-error" if line.has_errors else ""}" '
            f'id="{prefix}" data-indicator="{indicator.pk}">\n'
            f"<legend>{escape(indicator.label)}</legend>\n"]
    points = (getattr(notices, "by_indicator", None) or {}).get(indicator.pk)
    if points:
        html.append(render_to_string("_correction_points.html", {
            "points": points, "url": notices.corrections_url}))
    html.append(_head(line, labels))
    if bound:
        html.append(_form_notes(line.form))
    if line.computed:
        html.append(_computed_box(line.form, item.result, indicator, year, line.computed,
                                  link=True, editable=editable))
    if not (editable or bound):
        html.append(f'<dl class="readonly">\n{_readonly(line, labels)}\n</dl>\n</fieldset>\n')
        return "".join(html)
    inputs, hidden = _line_inputs(line, line.form if bound else None, None, item.result,
                                  line.computed is not None, labels, bound=bound)
    html.append(f'<div class="inputs">\n{inputs}\n{hidden}\n</div>\n')
    members = indicator.member_list
    if members:
        caption = escape(indicator.breakdown_label) + (
            f" — {labels.per_member}" if indicator.per_member else "")
        html.append(f'<table class="members"><caption>{caption}</caption>\n<tbody>')
        source = line.computed
        member_forms = dict(line.member_forms) if bound else {}
        for member in members:
            form = member_forms.get(member)
            result = item.member_results.get(member.pk, {}).get(item.year)
            computed = source is not None and member.pk in source.members
            html.append(f'<tr><th scope="row">{escape(member.label)}</th><td>\n')
            if bound:
                html.append(_form_notes(form))
            if computed:
                html.append(_computed_box(form if bound else _member_form(line, member),
                                          result, indicator, year, source, link=False,
                                          editable=editable))
            inputs, hidden = _line_inputs(line, form, member, result, computed, labels,
                                          bound=bound)
            html.append(f"{inputs}{hidden}\n</td></tr>")
        html.append("</tbody>\n</table>\n")
    html.append("</fieldset>\n")
    return "".join(html)


def _member_form(line: Line, member):
    """A member's form (built with the line's forms: a computed member's box names it)."""
    return dict(line.member_forms)[member]


def action_html(action, progress, labels: Labels, *, editable: bool,
                form: ActionProgressForm | None = None) -> str:
    """An action's progress above its indicators: its inputs (``editable``, or a bound
    ``form`` coming back refused), or what it holds (``progress``, None when nothing is
    recorded), read only. Without a form (a GET) the fields are rendered from
    ``progress`` as its unbound form renders them (:func:`_field_markup`); a bound form's
    through its bound fields, errors included."""
    prefix = action_prefix(action.pk)
    bound = form is not None and form.is_bound
    html = [f'<div class="action-progress{" has-error" if bound and form.errors else ""}" '
            f'id="{prefix}" data-testid="action-{prefix}">\n']
    if editable or bound:
        legend = _("Avancement de l'action %(code)s") % {"code": escape(action.code)}
        html.append(f"<fieldset>\n<legend>{legend}</legend>\n")
        if bound:
            html += [f'<p class="error" role="alert">{escape(error)}</p>'
                     for error in form.non_field_errors()]
            html += [entry_field(form[name]) for name in ("state", "narrative", "reason")]
            html.append(f"\n{form['version']}\n")
        else:
            initial = ActionProgressForm.initial_from(progress)
            fields = ActionProgressForm.base_fields
            markup = {name: _field_markup(prefix, name, fields[name],
                                          fields[name].prepare_value(initial[name]), labels,
                                          form_class=ActionProgressForm)
                      for name in ("state", "narrative", "reason", "version")}
            html.append(f'{markup["state"]}{markup["narrative"]}{markup["reason"]}\n'
                        f'{markup["version"]}\n')
        html.append("</fieldset>\n</div>\n")
        return "".join(html)
    state = escape(progress.get_state_display()) if progress else labels.not_filled
    html.append(f'<dl class="readonly">\n<dt>{labels.action_state}</dt>'
                f'<dd data-testid="action-state">{state}</dd>\n')
    if progress and progress.narrative:
        html.append(f"<dt>{labels.narrative}</dt><dd>{linebreaksbr(progress.narrative)}</dd>\n")
    if progress and progress.reason:
        html.append(f"<dt>{labels.reason}</dt><dd>{linebreaksbr(progress.reason)}</dd>\n")
    html.append("</dl>\n</div>\n")
    return "".join(html)
