"""``python -m benchmarks.register``: the register at scale.

Montérégie's seed plan with its register rules, and one pôle-year holding ``--activities``
activities (default 5 000) linked to ``--links`` organisation links (default 20 000) from the
shipped directory. Measures computing every indicator of the plan for the year (queries and
time), writing the results, the activity list page and the pôle dashboard. Builds its data in
a throwaway database and drops it after.
"""

from __future__ import annotations

import argparse
import datetime
import statistics
import time

from benchmarks.bootstrap import ROOT, django_setup  # noqa: E402

django_setup("bench_register")

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_databases, teardown_databases  # noqa: E402

from indicators.models import Action, Membership, Plan  # noqa: E402
from indicators.seeding import seed_plans_load  # noqa: E402
from register.directory import directory_load  # noqa: E402
from register.models import Activity, ActivityKind, Organisation  # noqa: E402
from register.rules import plan_year_compute  # noqa: E402
from register.seeding import seed_rules_map  # noqa: E402
from register.services import results_recompute  # noqa: E402

YEAR = 2025


def register_fill(plan: Plan, activities: int, links: int) -> None:
    kinds = list(ActivityKind.objects.all())
    actions = list(Action.objects.filter(objective__orientation__plan=plan))
    organisations = list(Organisation.objects.values_list("pk", flat=True))
    start = datetime.date(YEAR, 4, 1)
    rows = [Activity(pole=plan.pole, kind=kinds[n % len(kinds)], title=f"Activité {n}",
                     start_date=start + datetime.timedelta(days=n % 360),
                     status=Activity.Status.DONE, people_reached=n % 50, visitors=n % 70,
                     participants_students=n % 9, participants_teachers=n % 4)
            for n in range(activities)]
    created = Activity.objects.bulk_create(rows, batch_size=1000)
    ActionLink = Activity.actions.through
    ActionLink.objects.bulk_create(
        [ActionLink(activity_id=a.pk, action_id=actions[n % len(actions)].pk)
         for n, a in enumerate(created)], batch_size=2000)
    OrgLink = Activity.organisations.through
    per = max(1, links // activities)
    OrgLink.objects.bulk_create(
        [OrgLink(activity_id=a.pk, organisation_id=organisations[(n * 7 + k) % len(
            organisations)]) for n, a in enumerate(created) for k in range(per)],
        batch_size=5000)


def timed(fn, runs: int) -> tuple[float, int]:
    durations, queries = [], 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            began = time.perf_counter()
            fn()
            durations.append((time.perf_counter() - began) * 1000)
        queries = len(captured)
    return statistics.median(durations), queries


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.register", description=__doc__)
    parser.add_argument("--activities", type=int, default=5000)
    parser.add_argument("--links", type=int, default=20000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    (ROOT / "benchmarks" / "results").mkdir(exist_ok=True)
    old_config = setup_databases(verbosity=0, interactive=False, serialized_aliases=[])
    try:
        seed_plans_load()
        directory_load()
        seed_rules_map()
        plan = Plan.objects.get(pole__code="monteregie")
        user = get_user_model().objects.create_user("bench-coordo", password="x-bench-1")
        Membership.objects.create(user=user, role=Membership.Role.COORDINATOR, pole=plan.pole)
        figures = []
        client = Client()
        client.force_login(user)
        for count, links in ((100, 400), (args.activities, args.links)):
            Activity.objects.all().delete()
            register_fill(plan, count, links)
            measures = {
                "compute every rule of the pôle-year": lambda: plan_year_compute(plan, YEAR),
                "write the results of the pôle-year": lambda: results_recompute(
                    plan=plan, year=YEAR, user=user),
                "pôle dashboard": lambda: client.get(f"/plans/{plan.pk}/tableau-de-bord/"),
                "activity list, one year and one action": lambda: client.get(
                    f"/registre/{plan.pole.code}/?year={YEAR}&action="
                    f"{Action.objects.filter(objective__orientation__plan=plan).first().pk}"),
            }
            for name, fn in measures.items():
                median, queries = timed(fn, args.runs)
                figures.append((count, Activity.organisations.through.objects.count(), name,
                                median, queries))
    finally:
        teardown_databases(old_config, verbosity=0)
    print(f"{connection.vendor}:")
    print("| activities | organisation links | measure | median ms | queries |")
    print("| ---: | ---: | --- | ---: | ---: |")
    for count, links, name, median, queries in figures:
        print(f"| {count} | {links} | {name} | {median:.0f} | {queries} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
