"""The register's side of the write boundary (``indicators.boundary``): an activity, or its
links to actions and organisations, saved or deleted outside ``register.services`` may not
touch a submitted or approved year — neither the years it fed nor the years it would feed."""

from __future__ import annotations

from django.db.models.signals import m2m_changed, pre_delete, pre_save
from django.utils.translation import gettext as _

from indicators import boundary
from register.models import Activity


def _feeds(activity: Activity) -> set[tuple[int, int]]:
    from register.services import pole_plans

    if activity.pole_id is None or activity.kind_id is None or activity.start_date is None:
        return set()
    return activity_feeds_unsaved(activity, pole_plans(activity.pole))


def activity_feeds_unsaved(activity: Activity, plans) -> set[tuple[int, int]]:
    """(plan id, year) pairs ``activity`` counts in, saved or not."""
    from register.rules import activity_years

    return {(plan.pk, year) for plan in plans for year in activity_years(activity, plan)}


def guard_activity(sender, instance: Activity, **kwargs) -> None:
    if boundary.inside():
        return
    pairs = _feeds(instance)
    if instance.pk is not None:
        stored = Activity.objects.filter(pk=instance.pk).select_related("kind", "pole").first()
        if stored is not None:
            pairs |= _feeds(stored)
    boundary.refuse_locked(_("Activité « %(title)s »") % {"title": instance.title}, pairs)


def guard_links(sender, instance, action: str, reverse: bool, pk_set, **kwargs) -> None:
    """An activity's actions or organisations changed outside the services."""
    if boundary.inside() or action not in {"pre_add", "pre_remove", "pre_clear"}:
        return
    if reverse:  # organisation.activities… or action.activities…: every activity concerned
        activities = (Activity.objects.filter(pk__in=pk_set) if pk_set is not None
                      else instance.activities.all())
        activities = list(activities.select_related("kind", "pole"))
    else:
        activities = [instance]
    pairs = set()
    for activity in activities:
        pairs |= _feeds(activity)
    boundary.refuse_locked(_("Liens d'une activité"), pairs)


def connect() -> None:
    pre_save.connect(guard_activity, sender=Activity, dispatch_uid="boundary-activity-save")
    pre_delete.connect(guard_activity, sender=Activity, dispatch_uid="boundary-activity-delete")
    for through in (Activity.actions.through, Activity.organisations.through):
        m2m_changed.connect(guard_links, sender=through,
                            dispatch_uid=f"boundary-links-{through.__name__}")
