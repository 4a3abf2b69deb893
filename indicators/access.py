"""Who may do what, checked on the server by every view.

Coordinators enter their own pôle's results; directors read their pôle, approve or return
its year and revise its targets; ministry staff read every pôle and change nothing; Django
staff administer (and may reopen an approved year). Another pôle's objects answer 404 (they
do not exist for that user); a role that may read but not do answers 403.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from indicators.models import Indicator, Membership, Plan, Pole, Result

Role = Membership.Role


def membership_of(user) -> Membership | None:
    if not user.is_authenticated:
        return None
    try:
        return user.membership
    except Membership.DoesNotExist:
        return None


def _role_in(user, pole: Pole) -> str | None:
    membership = membership_of(user)
    if membership is None:
        return None
    if membership.role == Role.MINISTRY:
        return Role.MINISTRY
    return membership.role if membership.pole_id == pole.pk else None


def can_read(user, pole: Pole) -> bool:
    return user.is_staff or _role_in(user, pole) is not None


def can_read_all(user) -> bool:
    """Ministry staff and Django staff see every pôle."""
    membership = membership_of(user)
    return user.is_staff or (membership is not None and membership.role == Role.MINISTRY)


def can_enter(user, pole: Pole) -> bool:
    return user.is_staff or _role_in(user, pole) == Role.COORDINATOR


def can_approve(user, pole: Pole) -> bool:
    return _role_in(user, pole) == Role.DIRECTOR


def can_revise_targets(user, pole: Pole) -> bool:
    return user.is_staff or _role_in(user, pole) == Role.DIRECTOR


def can_publish(user, pole: Pole) -> bool:
    """The pôle's director (and Django staff) choose whether its public page is published."""
    return user.is_staff or _role_in(user, pole) == Role.DIRECTOR


def can_reopen(user) -> bool:
    return user.is_staff


def can_ask_corrections(user) -> bool:
    """Ministry staff ask a pôle for corrections on a filed year (Django staff reopen it)."""
    membership = membership_of(user)
    return membership is not None and membership.role == Role.MINISTRY


def readable_poles(user):
    """The pôles ``user`` may read (a queryset)."""
    if can_read_all(user):
        return Pole.objects.all()
    membership = membership_of(user)
    if membership is None:
        return Pole.objects.none()
    return Pole.objects.filter(pk=membership.pole_id)


def _checked(user, pole: Pole, check) -> None:
    """404 when the user may not even see the pôle (another pôle's objects do not exist for
    them), 403 when they see it but ``check`` refuses (a read-only role asking to write)."""
    if not can_read(user, pole):
        raise Http404
    if not check(user, pole):
        raise PermissionDenied


def plan_for(user, plan_id: int, *, check=can_read) -> Plan:
    """The plan, or 404 when it does not exist or belongs to another pôle, or 403 when
    ``check`` refuses the user."""
    plan = get_object_or_404(Plan.objects.select_related("pole"), pk=plan_id)
    _checked(user, plan.pole, check)
    return plan


def pole_for(user, code: str, *, check=can_read) -> Pole:
    """The pôle of ``code``, or 404 when it does not exist or the user may not read it, or 403
    when ``check`` refuses the user."""
    pole = get_object_or_404(Pole, code=code)
    _checked(user, pole, check)
    return pole


def indicator_for(user, indicator_id: int, *, check=can_read) -> Indicator:
    indicator = get_object_or_404(
        Indicator.objects.select_related("action__objective__orientation__plan__pole"),
        pk=indicator_id)
    _checked(user, indicator.action.objective.orientation.plan.pole, check)
    return indicator


def result_for(user, result_id: int, *, check=can_read) -> Result:
    """The result with its plan's pôle, or 404 (missing or another pôle's), or 403 when
    ``check`` refuses the user."""
    result = get_object_or_404(
        Result.objects.select_related("indicator__action__objective__orientation__plan__pole"),
        pk=result_id)
    _checked(user, result.indicator.action.objective.orientation.plan.pole, check)
    return result


def can_attach_themes(user, pole: Pole) -> bool:
    """Directors (and Django staff) attach their pôle's actions to the MES themes."""
    return user.is_staff or _role_in(user, pole) == Role.DIRECTOR


def can_preview_targets(user) -> bool:
    """Coordinators and directors of a pôle (and Django staff) try target texts."""
    membership = membership_of(user)
    return user.is_staff or (membership is not None and membership.role in (
        Role.COORDINATOR, Role.DIRECTOR))


def require_target_preview(user) -> None:
    """403 for a signed-in user without a pôle role (ministry staff, no membership)."""
    if not can_preview_targets(user):
        raise PermissionDenied
