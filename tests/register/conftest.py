"""Builders for the register: activities in a pôle, the shipped directory."""

import datetime

import pytest

from register.directory import directory_load
from register.models import Activity, ActivityKind, IndicatorRule, Organisation
from register.seeding import activity_kinds_ensure


@pytest.fixture
def directory(db):
    directory_load()
    return {o.name: o for o in Organisation.objects.filter(pole__isnull=True)}


def kind(code: str) -> ActivityKind:
    activity_kinds_ensure()  # a transactional test before this one flushed the migration's
    return ActivityKind.objects.get(code=code)


def make_org(name: str, org_kind=Organisation.Kind.CEGEP, **fields) -> Organisation:
    return Organisation.objects.create(name=name, kind=org_kind, **fields)


def make_activity(pole, *, actions=(), organisations=(), kind_code="projet-concertation",
                  start=datetime.date(2024, 6, 1), end=None, status=Activity.Status.DONE,
                  title="Activité", **fields) -> Activity:
    activity = Activity.objects.create(pole=pole, kind=kind(kind_code), title=title,
                                       start_date=start, end_date=end, status=status, **fields)
    activity.actions.set(actions)
    activity.organisations.set(organisations)
    return activity


def make_rule(indicator, rule_kind, kind_codes=()) -> IndicatorRule:
    rule = IndicatorRule.objects.create(indicator=indicator, kind=rule_kind)
    rule.activity_kinds.set([kind(code) for code in kind_codes])
    return rule


@pytest.fixture
def mont(seed):
    """Montérégie with 1.1.1's projects counted and its establishments counted distinct."""
    from tests.conftest import find_indicator

    plan = seed["monteregie"]
    projects = find_indicator(plan, "1.1.1", "Nb de projets")
    establishments = find_indicator(plan, "1.1.1", "Nb d'établissements")
    make_rule(projects, IndicatorRule.Kind.ACTIVITIES, ["projet-concertation"])
    make_rule(establishments, IndicatorRule.Kind.ESTABLISHMENTS)
    return {"plan": plan, "pole": plan.pole, "projects": projects,
            "establishments": establishments, "action": projects.action}
