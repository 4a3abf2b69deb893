"""The pôle dashboard's indicator list, rendered in Python: one tag per action instead of a
dozen template nodes per indicator (a plan has hundreds). Same markup as the template it
replaced; it formats, it decides nothing."""

from django import template
from django.template.loader import get_template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from indicators.templatetags.pole_plan import achievement, status_badge

register = template.Library()


@register.simple_tag
def indicator_items(items, computed, year) -> SafeString:
    """Each indicator of an action as a list item: its link, status badge (the reason on
    hover), achievement, and for a value computed from the register the link to its
    activities (``computed`` maps an indicator id to its source)."""
    link = get_template("reporting/_activities_link.html")
    # Reversed once: only the id (the path's last number) changes from one link to the next.
    before, after = reverse("reporting:indicator", args=[0]).rsplit("0", 1)
    parts = []
    for item in items:
        indicator, evaluation = item.indicator, item.evaluation
        parts.append(format_html(
            '<li><a href="{}">{}</a> {}', f"{before}{indicator.pk}{after}", indicator.label,
            status_badge(item.status, evaluation.reason)))
        if evaluation.achievement is not None:
            note = item.achievement_note
            if note:  # « En cours 160 % »: what the degree measures, on hover and in words
                parts.append(format_html(
                    ' <span class="achievement" title="{}">{}</span>'
                    ' <span class="note">({})</span>', note,
                    achievement(evaluation.achievement), note))
            else:
                parts.append(format_html(' <span class="achievement">{}</span>',
                                         achievement(evaluation.achievement)))
        elif item.is_period_target:
            parts.append(format_html(' <span class="note">({})</span>',
                                     item.target_heading.lower()))
        source = computed.get(indicator.pk) if computed else None
        if source:
            parts.append(" " + link.render({"indicator": indicator, "year": year,
                                            "count": source.activities}))
        parts.append("</li>")
    return mark_safe("".join(parts))  # every part above is escaped by format_html or a template
