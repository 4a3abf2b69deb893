"""Computing indicators from the register: distinct counts, sums, agreements, query budget."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from register.models import Activity, IndicatorRule, Organisation
from register.rules import (
    Facts,
    Group,
    Link,
    RuleSpec,
    member_category,
    plan_year_compute,
    rule_activities,
    rule_compute,
)
from tests.conftest import make_indicator
from tests.register.conftest import make_activity, make_org, make_rule

Kind = IndicatorRule.Kind
CEGEP, CPE = Organisation.Kind.CEGEP, Organisation.Kind.CPE


def link(year, org, action=1, kind_id=1, org_kind=CEGEP):
    return Link(year=year, action_id=action, kind_id=kind_id, organisation_id=org,
                organisation_kind=org_kind)


LINKS = [
    link(2024, 10), link(2024, 11), link(2024, 10, kind_id=2),  # 10 again, another project
    link(2024, 12, org_kind=CPE),
    link(2025, 10), link(2025, 13),
    link(2024, 14, action=2),  # another action
]


@pytest.mark.parametrize(("rule", "year", "cumulative", "expected"), [
    (Kind.ESTABLISHMENTS, 2024, False, 2),  # 10 and 11; 10 counted once, the CPE is a partner
    (Kind.PARTNERS, 2024, False, 1),
    (Kind.ORGANISATIONS, 2024, False, 3),
    (Kind.ESTABLISHMENTS, 2025, False, 2),  # 10 again in a new year, and 13
    (Kind.ESTABLISHMENTS, 2025, True, 1),  # over the plan: only 13 is new
    (Kind.ESTABLISHMENTS, 2026, True, 0),
])
def test_distinct_organisations_counted_once_per_year_or_once_over_the_plan(
        rule, year, cumulative, expected):
    spec = RuleSpec(indicator_id=1, kind=rule, action_id=1, cumulative=cumulative)
    facts = Facts(year=year, first_year=2024, links=LINKS)
    assert rule_compute(spec, facts).total == expected


def test_distinct_count_keeps_only_the_rule_s_activity_kinds():
    spec = RuleSpec(indicator_id=1, kind=Kind.ESTABLISHMENTS, action_id=1,
                    activity_kind_ids=frozenset({2}))
    assert rule_compute(spec, Facts(year=2024, first_year=2024, links=LINKS)).total == 1


GROUPS = [
    Group(action_id=1, kind_id=1, count=3,
          sums={"people_reached": 120, "visitors": 40, "participants_students": 30,
                "participants_teachers": 5, "participants_cpe": 2, "participants_sdg": 1,
                "participants_other": 0}),
    Group(action_id=1, kind_id=2, count=2,
          sums={"people_reached": 80, "visitors": 0, "participants_students": 10,
                "participants_teachers": 1, "participants_cpe": 0, "participants_sdg": 0,
                "participants_other": 4}),
    Group(action_id=2, kind_id=1, count=9, sums={"people_reached": 999}),
]


@pytest.mark.parametrize(("rule", "kinds", "expected"), [
    (Kind.ACTIVITIES, frozenset(), 5),
    (Kind.ACTIVITIES, frozenset({2}), 2),
    (Kind.PEOPLE_REACHED, frozenset(), 200),
    (Kind.PEOPLE_REACHED, frozenset({1}), 120),
    (Kind.VISITORS, frozenset(), 40),
    (Kind.PARTICIPANTS, frozenset(), 53),
])
def test_counts_and_sums_over_the_action_s_activities(rule, kinds, expected):
    spec = RuleSpec(indicator_id=1, kind=rule, action_id=1, activity_kind_ids=kinds)
    assert rule_compute(spec, Facts(year=2024, first_year=2024, groups=GROUPS)).total == expected


def test_breakdown_members_get_their_participant_category_sums():
    spec = RuleSpec(indicator_id=1, kind=Kind.ESTABLISHMENTS, action_id=1,
                    members=((1, "Nb d'étudiants"), (2, "Nb d'enseignants"), (3, "Nb de CPE"),
                             (4, "SDG"), (5, "Secteur TI")))
    computation = rule_compute(spec, Facts(year=2024, first_year=2024, groups=GROUPS,
                                           links=LINKS))
    assert computation.total == 2
    assert computation.members == {1: Decimal(40), 2: Decimal(6), 3: Decimal(2), 4: Decimal(1)}


@pytest.mark.parametrize(("label", "field"), [
    ("Nb d'étudiants", "participants_students"), ("Enseignants", "participants_teachers"),
    ("Nb de CPE", "participants_cpe"), ("SDG", "participants_sdg"), ("TI", None),
])
def test_member_category_is_read_from_the_label(label, field):
    assert member_category(label) == field


# --- against the database -----------------------------------------------------------------

def test_a_pole_year_is_computed_from_its_done_activities(plan):
    projects = make_indicator(plan, "Nb de projets")
    establishments = make_indicator(plan, "Nb d'établissements",
                                    members=["Nb d'étudiants", "Nb d'enseignants"])
    agreements = make_indicator(plan, "Nb d'ententes actives")
    make_rule(projects, Kind.ACTIVITIES, ["projet-concertation"])
    make_rule(establishments, Kind.ESTABLISHMENTS)
    make_rule(agreements, Kind.AGREEMENTS)
    action = projects.action
    a, b, c = make_org("Cégep A"), make_org("Cégep B"), make_org("CPE C", CPE)
    make_activity(plan.pole, actions=[action], organisations=[a, b, c],
                  participants_students=12, participants_teachers=2)
    make_activity(plan.pole, actions=[action], organisations=[a], end=datetime.date(2025, 3, 31),
                  participants_students=8)
    # Not counted: planned, next fiscal year (April 1), another pôle's, cancelled.
    make_activity(plan.pole, actions=[action], organisations=[a],
                  status=Activity.Status.PLANNED)
    make_activity(plan.pole, actions=[action], start=datetime.date(2025, 4, 1))
    make_activity(plan.pole, actions=[action], status=Activity.Status.CANCELLED)
    # An agreement signed in 2023 with no end is in force in 2024.
    make_activity(plan.pole, actions=[action], kind_code="entente-partenariat",
                  start=datetime.date(2023, 5, 1), status=Activity.Status.ONGOING)

    values = plan_year_compute(plan, 2024)

    assert values[projects.pk].total == 2
    assert values[establishments.pk].total == 2  # A and B, A once; the CPE is a partner
    members = {m.label: m.pk for m in establishments.members.all()}
    assert values[establishments.pk].members == {members["Nb d'étudiants"]: 20,
                                                  members["Nb d'enseignants"]: 2}
    assert values[agreements.pk].total == 1
    assert plan_year_compute(plan, 2025)[projects.pk].total == 1
    assert rule_activities(projects, plan, 2024).count() == 2


def test_computing_a_pole_year_costs_the_same_queries_with_many_activities(plan):
    indicators = []
    for rule in Kind.values:
        indicator = make_indicator(plan, f"Indicateur {rule}")
        make_rule(indicator, rule)
        indicators.append(indicator)
    action = indicators[0].action
    orgs = [make_org(f"Cégep {n}") for n in range(30)]

    def add(count):
        for n in range(count):
            make_activity(plan.pole, actions=[action], organisations=orgs[n % 30: n % 30 + 3],
                          people_reached=n, visitors=1)

    add(3)
    with CaptureQueriesContext(connection) as few:
        plan_year_compute(plan, 2024)
    add(60)
    with CaptureQueriesContext(connection) as many:
        values = plan_year_compute(plan, 2024)
    assert values[indicators[0].pk].total == 63  # the counts changed, the queries did not
    assert len(few) == len(many) == 6


def test_only_a_count_indicator_can_be_computed(plan):
    from django.core.exceptions import ValidationError

    rate = make_indicator(plan, "Taux de satisfaction", unit="percent")
    with pytest.raises(ValidationError, match="exprimé en nombre"):
        IndicatorRule(indicator=rate, kind=Kind.ACTIVITIES).full_clean()
