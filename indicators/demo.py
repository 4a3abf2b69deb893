"""Demo data for a new user's first look: accounts for every role and labelled 2024-2025
results. Real data never mixes with it: demo results carry ``is_demo`` (cleared as soon as a
person saves the result) and are only created where no result exists."""

from __future__ import annotations

import hashlib
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth import get_user_model

from indicators import boundary, hooks
from indicators import targets as tl
from indicators.evaluations import evaluations_refresh
from indicators.models import Indicator, Plan, Result
from indicators.services import demo_users_create, year_report, year_transition

DEMO_YEAR = 2024
DEMO_COMMENT = "Donnée de démonstration"


def demo_password(username: str) -> str:
    return f"Demo-{username}-2025"


def _factor(key: str) -> Decimal:
    """A stable pseudo-random factor between 0.55 and 1.35 for ``key``."""
    digest = int(hashlib.sha256(key.encode()).hexdigest()[:8], 16)
    return Decimal("0.55") + Decimal(digest % 81) / 100


def _value_for(indicator: Indicator, target, key: str, share: Decimal = Decimal(1)):
    base = target.value if target is not None and target.value is not None else Decimal(10)
    value = base * share * _factor(key)
    if indicator.unit == Indicator.Unit.PERCENT:
        value = min(value, Decimal(100))
    places = Decimal(1) if indicator.unit == Indicator.Unit.COUNT else Decimal("0.1")
    return value.quantize(places, rounding=ROUND_HALF_UP)


def demo_load(plans: list[Plan]) -> list[tuple[str, str, str]]:
    """Create the demo accounts and the 2024-2025 demo results; return the accounts.

    The demo writes through the services' boundary, in this order: results, then the records
    apps above keep (the register, :func:`indicators.hooks.demo_loaders`), then the workflow
    gestures, so that an approved year holds exactly what it was approved with. The workflow
    e-mails of the demo go nowhere: its gestures are made without notifying anyone.
    """
    with boundary.writes():
        return _load(plans)


def _load(plans: list[Plan]) -> list[tuple[str, str, str]]:
    accounts = demo_users_create([plan.pole for plan in plans], demo_password)
    for plan in plans:
        indicators = Indicator.objects.for_plan(plan)
        existing = set(Result.objects.for_plans([plan.pk]).filter(year=DEMO_YEAR)
                       .values_list("indicator_id", "member_id"))
        new = []
        for indicator in indicators:
            targets = {t.year: t for t in indicator.target_list}
            target = targets.get(DEMO_YEAR) or targets.get(None)
            share = Decimal(1) / len(plan.years) if (target and target.year is None
                                                     and indicator.cumulative) else Decimal(1)
            key = f"{plan.pole.code}-{indicator.action.code}-{indicator.label}"
            if (indicator.pk, None) not in existing:
                fields = {"comment": DEMO_COMMENT, "is_demo": True}
                if _factor(key) < Decimal("0.62"):
                    fields["evidence_url"] = ""
                else:
                    fields["evidence_url"] = f"https://exemple.org/preuves/{plan.pole.code}"
                if indicator.is_deliverable:
                    fields["done"] = _factor(key) > Decimal("0.7")
                elif not indicator.per_member and (target is None or target.kind != tl.Kind.TBD):
                    # A year without a target still gets a value: it is the reference of
                    # the next year's relative target (1.2.2's engagement time).
                    fields["value"] = _value_for(indicator, target, key, share)
                new.append(Result(indicator=indicator, year=DEMO_YEAR, **fields))
            for member in indicator.member_list:
                if (indicator.pk, member.pk) in existing:
                    continue
                new.append(Result(indicator=indicator, member=member, year=DEMO_YEAR,
                                  is_demo=True, value=_value_for(
                                      indicator, target, f"{key}-{member.label}", share)))
        coordinator = get_user_model().objects.get(username=f"coordo-{plan.pole.code}")
        for result in new:
            result._change_reason = DEMO_COMMENT
            result._history_user = coordinator
            result.save()
        evaluations_refresh(plan=plan)
    for loader in hooks.demo_loaders():
        loader(plans)
    _demo_workflow(plans)
    return accounts


def _demo_workflow(plans: list[Plan]) -> None:
    """Montérégie's 2024-2025 approved, Pôle Québec's submitted: a living national view."""
    User = get_user_model()
    for plan in plans:
        report = year_report(plan, DEMO_YEAR)
        if report.transitions.exists():
            continue
        coordinator = User.objects.get(username=f"coordo-{plan.pole.code}")
        director = User.objects.get(username=f"direction-{plan.pole.code}")
        _demo_action_progress(plan, coordinator)
        year_transition(plan=plan, year=DEMO_YEAR, action="submit", user=coordinator,
                        comment=DEMO_COMMENT, notify=False)
        if plan.pole.code == "monteregie":
            year_transition(plan=plan, year=DEMO_YEAR, action="approve", user=director,
                            comment=DEMO_COMMENT, notify=False)


def _demo_action_progress(plan: Plan, coordinator) -> None:
    """A state and a short narrative for each action of the demo year without one, written
    through the action progress service like any entry."""
    from indicators.action_progress import ActionEntry, action_progress_save
    from indicators.models import Action, ActionProgress

    states = list(ActionProgress.State)
    done = set(ActionProgress.objects.filter(action__objective__orientation__plan=plan,
                                             year=DEMO_YEAR).values_list("action_id", flat=True))
    entries = []
    for action in Action.objects.filter(objective__orientation__plan=plan).exclude(pk__in=done):
        factor = _factor(f"{plan.pole.code}-action-{action.code}")
        state = states[int(factor * len(states)) % len(states)]
        reason = (f"{DEMO_COMMENT} : motif fictif" if state in ActionProgress.REASON_STATES
                  else "")
        entries.append(ActionEntry(action=action, seen_version=None, fields={
            "state": state, "narrative": f"{DEMO_COMMENT} :\n- une rencontre\n- un bilan",
            "reason": reason}))
    action_progress_save(plan=plan, year=DEMO_YEAR, user=coordinator, entries=entries)
