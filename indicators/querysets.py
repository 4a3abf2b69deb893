"""Named reads across relations. Every page and export goes through one of these."""

from __future__ import annotations

from django.db import models
from django.db.models import Prefetch, Value
from django.db.models.functions import Coalesce, Concat, NullIf, Trim

from indicators import boundary

# Plans by pôle name, newest first (then by id): every read that goes plan by plan.
PLAN_ORDER = ("pole__name", "-first_year", "id")
# Indicators within one plan: orientation, objective, action, indicator.
WITHIN_PLAN = ("action__objective__orientation__position", "action__objective__orientation__code",
               "action__objective__position", "action__objective__code", "action__position",
               "action__code", "position", "id")

# What a stored judgement row holds (:meth:`StoredEvaluationQuerySet.judgements`), indicator
# id first: what :func:`indicators.evaluations.evaluation_of` reads, and the year.
JUDGEMENT_FIELDS = ("indicator_id", "year", "status", "reason", "over", "achievement",
                    "resolved_target", "measured", "members")


def plan_order(to_plan: str = "") -> list[str]:
    """:data:`PLAN_ORDER` for a model that reaches its plan through ``to_plan`` (a lookup
    path; empty for plans themselves)."""
    if not to_plan:
        return list(PLAN_ORDER)
    return [f"-{to_plan}__{field[1:]}" if field.startswith("-") else f"{to_plan}__{field}"
            for field in PLAN_ORDER]


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
            self.in_plan_order(plans)
            .select_related("action__objective__orientation__theme")
            .prefetch_related(
                Prefetch("targets", queryset=targets, to_attr="target_list"),
                Prefetch("members", queryset=BreakdownMember.objects.order_by("position", "id"),
                         to_attr="member_list"),
                Prefetch("action__themes", queryset=Theme.objects.order_by("number"),
                         to_attr="theme_list"),
            )
        )

    def in_plan_order(self, plans) -> IndicatorQuerySet:
        """Indicators of ``plans`` in plan order (pôle, orientation, objective, action,
        indicator), nothing joined or prefetched: :meth:`for_plans` adds those, and
        :func:`indicators.selectors.plain_indicators` reads ``values()`` rows from it."""
        plan = "action__objective__orientation__plan"
        return self.filter(**{f"{plan}__in": plans}).order_by(*plan_order(plan), *WITHIN_PLAN)

    def for_plan(self, plan) -> IndicatorQuerySet:
        """Indicators of one plan; see :meth:`for_plans`."""
        return self.for_plans([plan.pk])


class ResultQuerySet(boundary.GuardedQuerySet, models.QuerySet):
    years_of = staticmethod(boundary.result_years)

    def for_plans(self, plans, *, up_to: int | None = None,
                  years: list[int] | None = None) -> ResultQuerySet:
        """Every result of ``plans`` (only years up to ``up_to``, or only ``years``, when
        given), with the author's full name (the username when none is known) as
        ``updated_by_name``.

        One query. The caller groups them by indicator, year and member in Python: they come
        by indicator id, then year and member (position, id), each indicator's in the order
        the model's ordering gives them. Not in plan order, which sorts on text through five
        joins: at 100x, the 1 700 results a plan's workbook reads took 43 ms in PostgreSQL
        in plan order, 7 ms in this one.
        """
        qs = (self.filter(indicator__action__objective__orientation__plan__in=plans)
              .order_by("indicator_id", "year", "member__position", "member_id"))
        if up_to is not None:
            qs = qs.filter(year__lte=up_to)
        if years is not None:
            qs = qs.filter(year__in=years)
        full_name = NullIf(Trim(Concat("updated_by__first_name", Value(" "),
                                       "updated_by__last_name")), Value(""))
        return qs.annotate(updated_by_name=Coalesce(full_name, "updated_by__username"))


class TargetQuerySet(boundary.GuardedQuerySet, models.QuerySet):
    years_of = staticmethod(boundary.target_years)


class StoredEvaluationQuerySet(models.QuerySet):
    def with_status(self, today) -> StoredEvaluationQuerySet:
        """Annotate ``status``, ``degree`` and ``reason`` as they stand on ``today``, and
        ``over`` (the judged period is over on ``today``: per-member judgements are read on
        the same side).

        The one place the date enters a stored evaluation: the judgement "once the period is
        over" applies from the day after ``closes_on`` (the period's last day, as
        :meth:`Plan.is_year_closed` counts it), the one "while it runs" before.
        """
        over = models.Q(closes_on__lt=today)
        return self.annotate(
            status=models.Case(models.When(over, then=models.F("status_closed")),
                               default=models.F("status_open")),
            degree=models.Case(models.When(over, then=models.F("degree_closed")),
                               default=models.F("degree_open")),
            reason=models.Case(models.When(over, then=models.F("reason_closed")),
                               default=models.F("reason_open")),
            over=models.Case(models.When(over, then=models.Value(True)),
                             default=models.Value(False), output_field=models.BooleanField()),
        )

    def judgements(self, plans, years: list[int], today) -> StoredEvaluationQuerySet:
        """The stored rows of ``plans`` for ``years`` as dicts holding their ``year`` and what
        :func:`indicators.evaluations.evaluation_of` reads: ``status`` and ``reason`` as they
        stand on ``today``, ``over`` (the judged period is over on ``today``), the values and
        the per-member JSON. One query however many years; no model instance."""
        return (self.filter(plan__in=plans, year__in=years).with_status(today)
                .values(*JUDGEMENT_FIELDS))

    def standings(self, plan, year: int, today) -> StoredEvaluationQuerySet:
        """Every stored row of ``plan`` for ``year`` as a dict of what a plan's headline and
        jump list count: ``indicator_id`` (``indicator_label``, its action's ``action_id``,
        ``action_code`` and ``action_title``), its orientation (``orientation_id``, ``_code``,
        ``_title``), ``status`` on ``today``, ``has_result``, ``computed`` and
        ``computed_zero`` (the year's total was computed by the register, and is zero; not
        replaced by a person) and ``period_target`` (the year
        is judged against the indicator's whole-period target: it has no target of its own for
        the year, and one for the period). In plan order; one query, no model instance."""
        from indicators.models import Result, Target

        own = Target.objects.filter(indicator=models.OuterRef("indicator_id"), year=year)
        # The year's total as the register computed it (not replaced by a person).
        computed = Result.objects.filter(indicator=models.OuterRef("indicator_id"), year=year,
                                         member__isnull=True, computed_value__isnull=False,
                                         override_reason="")
        period = Target.objects.filter(indicator=models.OuterRef("indicator_id"),
                                       year__isnull=True)
        orientation = "indicator__action__objective__orientation"
        return (self.filter(plan=plan, year=year).with_status(today)
                .annotate(period_target=models.ExpressionWrapper(
                    models.Exists(period) & ~models.Exists(own),
                    output_field=models.BooleanField()),
                    computed=models.Exists(computed),
                    computed_zero=models.Exists(computed.filter(value=0)))
                .values("indicator_id", "status", "has_result", "period_target", "computed",
                        "computed_zero",
                        indicator_label=models.F("indicator__label"),
                        action_id=models.F("indicator__action_id"),
                        action_code=models.F("indicator__action__code"),
                        action_title=models.F("indicator__action__title"),
                        orientation_id=models.F(f"{orientation}_id"),
                        orientation_code=models.F(f"{orientation}__code"),
                        orientation_title=models.F(f"{orientation}__title"))
                .order_by(f"{orientation}__position", f"{orientation}__code",
                          "indicator__action__objective__position",
                          "indicator__action__objective__code",
                          "indicator__action__position", "indicator__action__code",
                          "indicator__position", "indicator_id"))

    def counts(self, year: int, today, *, by: tuple[str, ...], plans=None) -> list[dict]:
        """Status and degree counts for ``year`` as they stand on ``today``, grouped by ``by``.

        One aggregate query over the stored rows, never one row per indicator. ``by`` names
        the groups among ``plan`` (a pôle's plan), ``theme`` (an action's MES theme: an action
        attached to several counts once in each, an unattached one under ``None``) and
        ``orientation``. Each row holds the group's ids, then ``indicators``, ``actions``
        (distinct), ``entered`` (with a result), ``computed`` and ``computed_zero`` (of
        ``entered``: the year's total computed by the register, not replaced by a person, and
        zero), ``demo`` (with demo data), ``statuses`` ({Status: n}, every status) and
        ``degrees`` ({Degree: n}, every degree).
        """
        from indicators.models import Result
        from indicators.targets import Degree, Status

        groups = {"plan": "plan_id", "theme": "indicator__action__themes",
                  "orientation": "indicator__action__objective__orientation_id"}
        qs = self.filter(year=year)
        if plans is not None:
            qs = qs.filter(plan__in=plans)
        computed = Result.objects.filter(indicator=models.OuterRef("indicator_id"), year=year,
                                         member__isnull=True, computed_value__isnull=False,
                                         override_reason="")
        qs = qs.with_status(today).annotate(
            computed=models.Exists(computed), computed_zero=models.Exists(computed.filter(value=0)),
            **{f"group_{key}": models.F(groups[key]) for key in by})
        names = [f"group_{key}" for key in by]
        aggregates = {
            "indicators": models.Count("id"),
            "actions": models.Count("indicator__action", distinct=True),
            "entered": models.Count("id", filter=models.Q(has_result=True)),
            "computed": models.Count("id", filter=models.Q(has_result=True, computed=True)),
            "computed_zero": models.Count("id", filter=models.Q(has_result=True,
                                                                computed_zero=True)),
            "demo": models.Count("id", filter=models.Q(has_demo=True)),
            **{f"status_{s}": models.Count("id", filter=models.Q(status=s)) for s in Status},
            **{f"degree_{d}": models.Count("id", filter=models.Q(degree=d)) for d in Degree},
        }
        rows = []
        for row in qs.values(*names).annotate(**aggregates).order_by(*names):
            rows.append({
                **{key: row[f"group_{key}"] for key in by},
                **{key: row[key] for key in ("indicators", "actions", "entered", "computed",
                                             "computed_zero", "demo")},
                "statuses": {s: row[f"status_{s}"] for s in Status},
                "degrees": {d: row[f"degree_{d}"] for d in Degree},
            })
        return rows
