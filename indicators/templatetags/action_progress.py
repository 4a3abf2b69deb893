"""The entry page's action progress forms, found by action."""

from django import template

register = template.Library()


@register.filter
def progress_form(action_page, action):
    """The progress form of ``action`` on the page (None when the page does not show it)."""
    return action_page.form_for(action) if action_page is not None else None
