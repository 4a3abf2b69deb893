"""Getting register objects for a user, on top of ``indicators.access``'s role rules.

Same rules as results: the pôle's coordinator writes, its director reads, ministry staff read
every pôle. A pôle the user may not read answers 404 (its register's existence is not
disclosed); a read-only role trying to write gets 403.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from indicators import access
from indicators.models import Indicator, Pole
from register.models import Activity


def _check(user, pole: Pole, write: bool) -> None:
    if not access.can_read(user, pole):
        raise Http404
    if write and not access.can_enter(user, pole):
        raise PermissionDenied


def pole_for(user, pole_code: str, *, write: bool = False) -> Pole:
    pole = get_object_or_404(Pole, code=pole_code)
    _check(user, pole, write)
    return pole


def activity_for(user, activity_id: int, *, write: bool = False) -> Activity:
    activity = get_object_or_404(Activity.objects.select_related("pole", "kind"),
                                 pk=activity_id)
    _check(user, activity.pole, write)
    return activity


def computed_indicator_for(user, indicator_id: int, *, write: bool = False) -> Indicator:
    """A computed indicator with its plan and pôle; 404 when it has no register rule."""
    indicator = get_object_or_404(
        Indicator.objects.select_related("action__objective__orientation__plan__pole",
                                         "register_rule"),
        pk=indicator_id, register_rule__isnull=False)
    _check(user, indicator.action.objective.orientation.plan.pole, write)
    return indicator


def own_pole(user) -> Pole:
    """The pôle of the user's membership (the top navigation's « Registre »); 404 for a user
    with no pôle (ministry staff reach registers from a pôle's pages)."""
    membership = access.membership_of(user)
    if membership is None or membership.pole_id is None:
        raise Http404
    return get_object_or_404(Pole, pk=membership.pole_id)
