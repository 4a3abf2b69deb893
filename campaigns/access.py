"""Who may see and run the campaigns (checked by every view, as in ``indicators.access``).

The campaigns, their board and extensions are the ministry's (ministry staff and Django
staff): a pôle's coordinators and directors are refused (403). A pôle's own pages (its
corrections, its calendar) follow the pôle's rules: 404 for another pôle.
"""

from __future__ import annotations

from django.core import signing
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from campaigns.models import Campaign, CorrectionPoint
from indicators import access

CALENDAR_SALT = "campaigns.calendar"


def can_manage(user) -> bool:
    return access.can_read_all(user)


def manage_check(user) -> None:
    """403 unless ``user`` runs the campaigns (anonymous users are sent to log in first)."""
    if not can_manage(user):
        raise PermissionDenied


def campaign_for(user, campaign_id: int) -> Campaign:
    """The campaign (403 for a pôle's people, 404 when it does not exist)."""
    manage_check(user)
    return get_object_or_404(Campaign, pk=campaign_id)


def point_for(user, point_id: int, *, check=access.can_read) -> CorrectionPoint:
    """A correction asked, with its year's plan and pôle: 404 for another pôle, 403 when
    ``check`` refuses the user."""
    point = get_object_or_404(CorrectionPoint.objects.select_related("report__plan__pole"),
                              pk=point_id)
    pole = point.report.plan.pole
    if not access.can_read(user, pole):
        raise Http404
    if not check(user, pole):
        raise PermissionDenied
    return point


def calendar_token(user, pole) -> str:
    """The secret part of a person's calendar address for a pôle (signed, no expiry: a
    calendar application keeps the address; it stops working when the person loses access
    to the pôle)."""
    return signing.dumps({"u": user.pk, "p": pole.pk}, salt=CALENDAR_SALT, compress=True)


def calendar_pole(token: str):
    """The pôle of a calendar address, or 404 when the token is forged or its person may no
    longer read the pôle."""
    from django.contrib.auth import get_user_model

    from indicators.models import Pole

    try:
        data = signing.loads(token, salt=CALENDAR_SALT)
        user = get_user_model().objects.select_related("membership").get(pk=data["u"],
                                                                          is_active=True)
        pole = Pole.objects.get(pk=data["p"])
    except (signing.BadSignature, KeyError, TypeError, ObjectDoesNotExist):
        raise Http404 from None
    if not access.can_read(user, pole):
        raise Http404
    return pole
