"""Named reads across relations. Every page and export goes through one of these."""

from __future__ import annotations

from django.db import models
from django.db.models import Prefetch, Value
from django.db.models.functions import Coalesce, Concat, NullIf, Trim


class IndicatorQuerySet(models.QuerySet):
    def for_plans(self, plans, *, target_years=None) -> IndicatorQuerySet:
        """Indicators of ``plans`` in plan order, with their hierarchy, targets and members.

        Costs four queries whatever the number of indicators: the indicators joined to their
        action, objective, orientation and theme (not the plan: callers hold their plans);
        then targets (only ``target_years`` and whole-period ones when given), members and
        action themes, prefetched into plain lists (``target_list``, ``member_list``,
        ``action.theme_list``) so that reading them never builds a queryset.
        """
        from indicators.models import BreakdownMember, Target, Theme

        targets = Target.objects.order_by("year")
        if target_years is not None:
            targets = targets.filter(models.Q(year__in=target_years) | models.Q(year__isnull=True))
        return (
            self.filter(action__objective__orientation__plan__in=plans)
            .select_related("action__objective__orientation__theme")
            .prefetch_related(
                Prefetch("targets", queryset=targets, to_attr="target_list"),
                Prefetch("members", queryset=BreakdownMember.objects.order_by("position", "id"),
                         to_attr="member_list"),
                Prefetch("action__themes", queryset=Theme.objects.order_by("number"),
                         to_attr="theme_list"),
            )
            .order_by(
                "action__objective__orientation__plan__pole__name",
                "action__objective__orientation__position",
                "action__objective__orientation__code",
                "action__objective__position",
                "action__objective__code",
                "action__position",
                "action__code",
                "position",
                "id",
            )
        )

    def for_plan(self, plan) -> IndicatorQuerySet:
        """Indicators of one plan; see :meth:`for_plans`."""
        return self.for_plans([plan.pk])


class ResultQuerySet(models.QuerySet):
    def for_plans(self, plans, *, up_to: int | None = None) -> ResultQuerySet:
        """Every result of ``plans`` (only years up to ``up_to`` when given), with the author's
        full name (the username when none is known) as ``updated_by_name``.

        One query. The caller groups them by indicator, year and member in Python.
        """
        qs = self.filter(indicator__action__objective__orientation__plan__in=plans)
        if up_to is not None:
            qs = qs.filter(year__lte=up_to)
        full_name = NullIf(Trim(Concat("updated_by__first_name", Value(" "),
                                       "updated_by__last_name")), Value(""))
        return qs.annotate(updated_by_name=Coalesce(full_name, "updated_by__username"))
