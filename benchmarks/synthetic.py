"""Synthetic plans for the benchmark: pôles × indicators × years, with results and history.

Rows are bulk-inserted (with their django-simple-history rows) so that the 100x scale builds
in seconds; targets get their structured reading exactly as ``Target.save()`` would."""

from __future__ import annotations

import itertools
from decimal import Decimal

from django.contrib.auth import get_user_model
from simple_history.utils import bulk_create_with_history

from indicators import targets as tl
from indicators.models import (
    Action,
    BreakdownMember,
    Indicator,
    Membership,
    Objective,
    Orientation,
    Plan,
    Pole,
    Result,
    Target,
    Theme,
)

TARGET_FORMS = ["2", "Min 3", "80 % et plus", "+10%", "Plus de 500", "Mise à jour", "5"]
UNITS = {"80 % et plus": Indicator.Unit.PERCENT, "Mise à jour": Indicator.Unit.DELIVERABLE}


def synthetic_poles_add(count: int, indicators_per_pole: int, *, start: int = 0,
                        years=(2024, 2025, 2026)) -> list[Plan]:
    """Add ``count`` pôles, each with one plan of ``indicators_per_pole`` indicators,
    targets for every year, results for every year (members for one in ten) and history."""
    themes = list(Theme.objects.order_by("number"))
    plans = []
    for n in range(start, start + count):
        pole = Pole.objects.create(code=f"synthetique-{n:03d}", name=f"Pôle synthétique {n:03d}",
                                   region=f"Région {n:03d}")
        plan = Plan.objects.create(pole=pole, title=f"Plan synthétique {n:03d}",
                                   first_year=years[0], last_year=years[-1])
        plans.append(plan)
        user = get_user_model().objects.create_user(f"coordo-synthetique-{n:03d}",
                                                    password="Bench-2025-password")
        Membership.objects.create(user=user, pole=pole, role=Membership.Role.COORDINATOR)
        orientations = Orientation.objects.bulk_create(
            Orientation(plan=plan, code=str(o + 1), title=f"Orientation {o + 1}", position=o)
            for o in range(4))
        objectives = Objective.objects.bulk_create(
            Objective(orientation=orientation, code=f"{orientation.code}.{b + 1}",
                      title=f"Objectif {orientation.code}.{b + 1}", position=b)
            for orientation in orientations for b in range(3))
        per_objective = max(1, indicators_per_pole // (len(objectives) * 4))
        actions = Action.objects.bulk_create(
            Action(objective=objective, code=f"{objective.code}.{a + 1}",
                   title=f"Action {objective.code}.{a + 1}", position=a)
            for objective in objectives for a in range(per_objective))
        Action.themes.through.objects.bulk_create(
            Action.themes.through(action_id=action.pk, theme_id=themes[i % 4].pk)
            for i, action in enumerate(actions))
        forms = itertools.cycle(TARGET_FORMS)
        specs = []
        for i in range(indicators_per_pole):
            form = next(forms)
            specs.append((actions[i % len(actions)], i, form))
        indicators = Indicator.objects.bulk_create(
            Indicator(action=action, position=i, label=f"Indicateur {i + 1}",
                      unit=UNITS.get(form, Indicator.Unit.COUNT),
                      breakdown_label="Secteur" if i % 10 == 0 else "",
                      breakdown_additive=i % 10 == 0)
            for action, i, form in specs)
        members = BreakdownMember.objects.bulk_create(
            BreakdownMember(indicator=indicator, label=label, position=p)
            for indicator in indicators if indicator.breakdown_label
            for p, label in enumerate(["TI", "Santé"]))
        targets = []
        for indicator, (_action, _i, form) in zip(indicators, specs, strict=True):
            for year in years:
                text = form if (form != "+10%" or year != years[0]) else "100"
                target = Target(indicator=indicator, year=year, text=text)
                target.apply_reading(tl.parse_target(text))
                targets.append(target)
        bulk_create_with_history(targets, Target, batch_size=2000)
        results = []
        for indicator, (_action, i, _form) in zip(indicators, specs, strict=True):
            for year in years:
                value = Decimal((i * 7 + year) % 120)
                if indicator.breakdown_additive:
                    value += 20  # members (10 each) never exceed their total
                if indicator.unit == Indicator.Unit.DELIVERABLE:
                    results.append(Result(indicator=indicator, year=year, done=i % 3 != 0,
                                          updated_by=user))
                else:
                    results.append(Result(
                        indicator=indicator, year=year, value=min(value, Decimal(100)),
                        comment=f"Résultat {year}", updated_by=user,
                        evidence_url="https://exemple.org/preuve" if i % 2 else ""))
        for member in members:
            for year in years:
                results.append(Result(indicator_id=member.indicator_id, member=member,
                                      year=year, value=Decimal(10), updated_by=user))
        bulk_create_with_history(results, Result, batch_size=2000, default_user=user)
    return plans


def results_fill(plans, years=(2024, 2025, 2026)) -> int:
    """Give every indicator (and member) of ``plans`` a result per year, with history."""
    user = get_user_model().objects.filter(is_superuser=False).first()
    results = []
    for indicator in Indicator.objects.for_plans([p.pk for p in plans]):
        for year in years:
            if indicator.is_deliverable:
                results.append(Result(indicator=indicator, year=year, done=year % 2 == 0))
            elif not indicator.per_member:
                value = Decimal((indicator.pk * 13 + year) % 90 + 1)
                results.append(Result(indicator=indicator, year=year, value=value,
                                      comment=f"Résultat {year}"))
            for member in indicator.member_list:
                results.append(Result(indicator=indicator, member=member, year=year,
                                      value=Decimal(30 + year % 20)))
    bulk_create_with_history(results, Result, batch_size=2000, default_user=user)
    return len(results)
