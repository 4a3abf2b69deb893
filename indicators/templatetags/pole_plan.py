"""Display filters: French numbers and the status vocabulary. They format; they decide nothing."""

from django import template

from indicators import formatting
from indicators.progress import DEGREE_LABELS, STATUS_LABELS
from indicators.targets import Degree, Status

register = template.Library()

STATUS_SYMBOLS = {Status.MET: "✓", Status.NOT_MET: "✗", Status.IN_PROGRESS: "◔",
                  Status.NO_RESULT: "∅", Status.NOT_ASSESSABLE: "?"}


@register.filter
def fr_number(value):
    return formatting.format_number(value)


@register.filter
def fr_value(value, unit):
    return formatting.format_value(value, unit)


@register.filter
def fr_percent(fraction):
    return formatting.format_percent(fraction)


@register.filter
def achievement(value):
    """An achievement already in percent (98.5) → ``98,5 %``."""
    if value is None:
        return "—"
    return formatting.format_value(value, "percent")


@register.inclusion_tag("_status_badge.html")
def status_badge(status, detail=""):
    status = Status(status)
    return {"status": status.value, "label": STATUS_LABELS[status],
            "symbol": STATUS_SYMBOLS[status], "detail": detail}


@register.filter
def status_label(status):
    return STATUS_LABELS[Status(status)]


@register.filter
def degree_label(degree):
    return DEGREE_LABELS[Degree(degree)] if degree else ""
