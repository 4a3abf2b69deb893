"""Computing indicators from the activity register.

Two halves: :func:`register_facts` reads one pôle-year from the database in a fixed number of
aggregate queries (the number of activities changes the rows' sums, never the number of
queries); :func:`rules_compute` turns those facts and the rules into values with no database,
so the counting rules (distinct organisations, cumulative counts, category sums) are tested
table-driven.

An activity counts in the fiscal year of its end date (its start date when it has none) and
only once it is *réalisée*; an agreement counts in every year it is in force (signed —
*en cours* or *réalisée* — and running at some point of the year).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Case, Count, F, Q, Sum, When
from django.db.models.functions import Coalesce, ExtractYear

from indicators.models import Indicator, Plan
from register.models import Activity, IndicatorRule, Organisation

Kind = IndicatorRule.Kind
SUM_FIELDS = ("people_reached", "visitors") + tuple(
    name for name, _label in Activity.PARTICIPANT_FIELDS)
PARTICIPANT_NAMES = tuple(name for name, _label in Activity.PARTICIPANT_FIELDS)
SIGNED = (Activity.Status.ONGOING, Activity.Status.DONE)

ORGANISATION_KINDS: dict[str, frozenset[str] | None] = {
    Kind.ESTABLISHMENTS: frozenset(Organisation.ESTABLISHMENT_KINDS),
    Kind.PARTNERS: frozenset(set(Organisation.Kind.values)
                             - set(Organisation.ESTABLISHMENT_KINDS)),
    Kind.ORGANISATIONS: None,  # every kind
}

# Words of a breakdown member's label → the participant category that fills it
# (the Montérégie footnote: « Nb d'étudiants, Nb d'enseignants, Nb de CPE, SDG »).
CATEGORY_WORDS = (
    ("etudiant", "participants_students"),
    ("enseignant", "participants_teachers"),
    ("cpe", "participants_cpe"),
    ("sdg", "participants_sdg"),
    ("autre", "participants_other"),
)


@dataclass(frozen=True)
class RuleSpec:
    """What a rule needs to be computed, detached from the database."""

    indicator_id: int
    kind: str
    action_id: int
    activity_kind_ids: frozenset[int] = frozenset()  # empty: every kind
    cumulative: bool = False
    members: tuple[tuple[int, str], ...] = ()  # (member id, label)

    def takes(self, activity_kind_id: int) -> bool:
        return not self.activity_kind_ids or activity_kind_id in self.activity_kind_ids


@dataclass(frozen=True)
class Group:
    """The year's *réalisée* activities of one action and one activity kind, summed."""

    action_id: int
    kind_id: int
    count: int
    sums: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Link:
    """An organisation involved in a *réalisée* activity of an action, kind and year."""

    year: int
    action_id: int
    kind_id: int
    organisation_id: int
    organisation_kind: str


@dataclass
class Facts:
    year: int
    first_year: int
    groups: list[Group] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    agreements: list[Group] = field(default_factory=list)  # in force during the year


@dataclass(frozen=True)
class Computation:
    total: Decimal
    members: dict[int, Decimal] = field(default_factory=dict)
    activities: int = 0  # how many activities the value comes from (the drill-down's N)


def member_category(label: str) -> str | None:
    """The participant field a breakdown member's label names, if any."""
    from register.matching import normalize

    words = normalize(label)
    for word, name in CATEGORY_WORDS:
        if word in words.split() or f"{word}s" in words.split():
            return name
    return None


def distinct_organisations(links: Iterable[Link], spec: RuleSpec, years: Iterable[int]) -> set:
    """The organisations of ``spec``'s kinds involved in its activities in ``years``."""
    years = set(years)
    kinds = ORGANISATION_KINDS.get(spec.kind)
    return {link.organisation_id for link in links
            if link.year in years and link.action_id == spec.action_id
            and spec.takes(link.kind_id)
            and (kinds is None or link.organisation_kind in kinds)}


def organisations_count(links: list[Link], spec: RuleSpec, *, year: int, first_year: int) -> int:
    """Each organisation once in the year; for a cumulative indicator, once over the plan:
    the year then counts only the organisations not reached in an earlier plan year, so the
    yearly results add up to the plan's distinct count."""
    if not spec.cumulative:
        return len(distinct_organisations(links, spec, [year]))
    before = distinct_organisations(links, spec, range(first_year, year))
    return len(distinct_organisations(links, spec, range(first_year, year + 1)) - before)


def _summed(groups: Iterable[Group], spec: RuleSpec) -> tuple[int, dict[str, int]]:
    count, sums = 0, defaultdict(int)
    for group in groups:
        if group.action_id == spec.action_id and spec.takes(group.kind_id):
            count += group.count
            for name, value in group.sums.items():
                sums[name] += value or 0
    return count, sums


def rule_compute(spec: RuleSpec, facts: Facts) -> Computation:
    """One indicator's value (and breakdown members') from the pôle-year's facts."""
    count, sums = _summed(facts.groups, spec)
    if spec.kind == Kind.ACTIVITIES:
        total = count
    elif spec.kind in ORGANISATION_KINDS:
        total = organisations_count(facts.links, spec, year=facts.year,
                                    first_year=facts.first_year)
    elif spec.kind == Kind.PEOPLE_REACHED:
        total = sums["people_reached"]
    elif spec.kind == Kind.VISITORS:
        total = sums["visitors"]
    elif spec.kind == Kind.PARTICIPANTS:
        total = sum(sums[name] for name in PARTICIPANT_NAMES)
    elif spec.kind == Kind.AGREEMENTS:
        count, _sums = _summed(facts.agreements, spec)
        total = count
    else:  # pragma: no cover - the choices are closed
        raise ValueError(spec.kind)
    members = {}
    for member_id, label in spec.members:
        category = member_category(label)
        if category is not None:
            members[member_id] = Decimal(sums[category])
    return Computation(total=Decimal(total), members=members, activities=count)


def rules_compute(specs: Iterable[RuleSpec], facts: Facts) -> dict[int, Computation]:
    return {spec.indicator_id: rule_compute(spec, facts) for spec in specs}


# --- database -------------------------------------------------------------------------------

def _reference_date(prefix: str = ""):
    return Coalesce(f"{prefix}end_date", f"{prefix}start_date")


def _fiscal_year(start_month: int):
    """The fiscal year (its starting calendar year) of the annotated ``ref`` date."""
    return Case(When(ref__month__lt=start_month, then=ExtractYear("ref") - 1),
                default=ExtractYear("ref"))


def rule_specs(plan: Plan) -> list[RuleSpec]:
    """The rules of ``plan``'s indicators. Three queries."""
    rules = (IndicatorRule.objects
             .filter(indicator__action__objective__orientation__plan=plan)
             .select_related("indicator")
             .prefetch_related("activity_kinds", "indicator__members"))
    return [
        RuleSpec(indicator_id=rule.indicator_id, kind=rule.kind,
                 action_id=rule.indicator.action_id,
                 activity_kind_ids=frozenset(k.pk for k in rule.activity_kinds.all()),
                 cumulative=rule.indicator.cumulative,
                 members=tuple((m.pk, m.label) for m in rule.indicator.members.all()))
        for rule in rules
    ]


def register_facts(plan: Plan, year: int, action_ids: Iterable[int]) -> Facts:
    """What the register holds for ``plan``'s pôle in ``year``, for ``action_ids``.

    Three aggregate queries whatever the number of activities: sums per action and activity
    kind; distinct (year, action, kind, organisation) links since the plan's first year; and
    agreements in force per action and kind.
    """
    action_ids = list(action_ids)
    start, end = plan.year_bounds(year)
    plan_start = plan.year_bounds(plan.first_year)[0]
    through = Activity.actions.through
    done = through.objects.filter(action_id__in=action_ids, activity__pole_id=plan.pole_id,
                                  activity__status=Activity.Status.DONE)
    rows = (done.annotate(ref=_reference_date("activity__"))
            .filter(ref__range=(start, end))
            .values("action_id", "activity__kind_id")
            .annotate(n=Count("activity_id", distinct=True),
                      **{name: Sum(f"activity__{name}") for name in SUM_FIELDS})
            .order_by())
    groups = [Group(action_id=r["action_id"], kind_id=r["activity__kind_id"], count=r["n"],
                    sums={name: r[name] or 0 for name in SUM_FIELDS}) for r in rows]

    org_through = Activity.organisations.through
    link_rows = (org_through.objects
                 .filter(activity__pole_id=plan.pole_id, activity__status=Activity.Status.DONE,
                         activity__actions__in=action_ids)
                 .annotate(ref=_reference_date("activity__"))
                 .filter(ref__range=(plan_start, end))
                 .annotate(fy=_fiscal_year(plan.year_start_month),
                           action=F("activity__actions"), okind=F("organisation__kind"))
                 .values_list("fy", "action", "activity__kind_id", "organisation_id", "okind")
                 .distinct().order_by())
    links = [Link(*row) for row in link_rows]

    agreement_rows = (through.objects
                      .filter(action_id__in=action_ids, activity__pole_id=plan.pole_id,
                              activity__kind__is_agreement=True,
                              activity__status__in=SIGNED, activity__start_date__lte=end)
                      .filter(Q(activity__end_date__isnull=True)
                              | Q(activity__end_date__gte=start))
                      .values("action_id", "activity__kind_id")
                      .annotate(n=Count("activity_id", distinct=True))
                      .order_by())
    agreements = [Group(action_id=r["action_id"], kind_id=r["activity__kind_id"], count=r["n"])
                  for r in agreement_rows]
    return Facts(year=year, first_year=plan.first_year, groups=groups, links=links,
                 agreements=agreements)


def plan_year_compute(plan: Plan, year: int) -> dict[int, Computation]:
    """Every computed indicator of ``plan`` for ``year``, keyed by indicator id.

    Six queries whatever the number of activities, organisation links or rules.
    """
    specs = rule_specs(plan)
    if not specs:
        return {}
    facts = register_facts(plan, year, {spec.action_id for spec in specs})
    return rules_compute(specs, facts)


def rule_activities(indicator: Indicator, plan: Plan, year: int):
    """The activities behind a computed indicator's value for ``year`` (the drill-down): the
    activities the rule examines, so that their number is :attr:`Computation.activities`.
    A queryset.
    """
    rule = indicator.register_rule
    qs = Activity.objects.filter(pole_id=plan.pole_id, actions=indicator.action_id)
    kinds = list(rule.activity_kinds.all())
    if kinds:
        qs = qs.filter(kind__in=kinds)
    start, end = plan.year_bounds(year)
    if rule.kind == Kind.AGREEMENTS:
        qs = qs.filter(kind__is_agreement=True, status__in=SIGNED).in_force(start, end)
    else:
        qs = qs.filter(status=Activity.Status.DONE).in_period(start, end)
    return qs.distinct()


def activity_years(activity: Activity, plan: Plan) -> set[int]:
    """The plan years ``activity`` feeds: the year of its reference date, or every year an
    agreement runs in."""
    if activity.kind.is_agreement:
        last = activity.end_date or plan.year_bounds(plan.last_year)[1]
        return {y for y in plan.years
                if activity.start_date <= plan.year_bounds(y)[1]
                and last >= plan.year_bounds(y)[0]}
    year = _year_of(activity.reference_date, plan)
    return {year} if year in plan.years else set()


def _year_of(day: datetime.date, plan: Plan) -> int:
    return day.year if day.month >= plan.year_start_month else day.year - 1


def computed_sources(plan: Plan, year: int) -> dict:
    """``indicators.hooks``' reader: each computed indicator of ``plan`` with the number of
    activities its ``year`` value comes from and the breakdown members the rule fills. Six
    queries (one when the plan has no rule)."""
    from indicators.hooks import ComputedSource

    return {indicator_id: ComputedSource(activities=computation.activities,
                                         members=frozenset(computation.members))
            for indicator_id, computation in plan_year_compute(plan, year).items()}
