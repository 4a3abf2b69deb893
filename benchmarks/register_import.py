"""``python -m benchmarks.register_import``: importing a register file of ``--rows`` activities
(default 10 000) into Montérégie, checked (dry run) then imported, on SQLite or (with
``DATABASE_URL``) PostgreSQL.

The file is what a pôle exports from its own log: every row names an action of the plan and
one to three organisations of the shipped directory, written as people write them (full name,
acronym, without accents, « St- » for « Saint- »); half the rows carry a « Référence ». The
check is the whole service (reading, matching, duplicates, the year lock) with nothing written;
the import writes every activity, its links and history, and recomputes the pôle's computed
results. Goal (issue 24): the check ≤ 15 s. Figures go to
``benchmarks/results/register-import-<vendor>.json`` (README table: ``python -m
benchmarks.readme``). ``--profile`` prints the check's cProfile instead.
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import datetime
import io
import json
import os
import pstats
import subprocess
import time

from benchmarks.bootstrap import ROOT, django_setup  # noqa: E402

django_setup("bench_register_import")

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402

from benchmarks.budgets import REGISTER_IMPORT_GOAL_S  # noqa: E402
from benchmarks.machine import machine_ms  # noqa: E402
from indicators.models import Action, Membership, Plan  # noqa: E402
from indicators.plan_import import load_dataset  # noqa: E402
from indicators.seeding import seed_plans_load  # noqa: E402
from register.activity_import import activities_import  # noqa: E402
from register.directory import directory_load  # noqa: E402
from register.matching import normalize  # noqa: E402
from register.models import Activity, ActivityKind, Organisation  # noqa: E402
from register.seeding import seed_rules_map  # noqa: E402

YEAR_START = datetime.date(2025, 7, 1)  # 2025-2026: a draft year of the seed plan
HEADER = ["Référence", "Titre", "Type", "Statut", "Début", "Fin", "Actions",
          "Établissements et partenaires", "Étudiants", "Enseignants", "Personnes touchées",
          "Visiteurs", "Description"]


def spellings(organisation: Organisation) -> list[str]:
    """How people write ``organisation``: its name, its acronym, without accents, « St- »."""
    names = [organisation.name, normalize(organisation.name).title()]
    if organisation.abbreviation:
        names.append(organisation.abbreviation)
    if "Saint-" in organisation.name:
        names.append(organisation.name.replace("Saint-", "St-"))
    return names


def register_file(rows: int, pole) -> bytes:
    """A ``;``-separated register of ``rows`` activities, as a pôle would send it."""
    kinds = [k.name for k in ActivityKind.objects.all()]
    codes = sorted({a.code for a in Action.objects.filter(
        objective__orientation__plan__pole=pole)})
    names = [name for o in Organisation.objects.offered(pole) for name in spellings(o)]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(HEADER)
    for n in range(rows):
        start = YEAR_START + datetime.timedelta(days=n % 300)
        orgs = "; ".join(dict.fromkeys(names[(n * 7 + k * 13) % len(names)]
                                       for k in range(1 + n % 3)))
        writer.writerow([
            f"BENCH-{n:05d}" if n % 2 else "", f"Activité {n}", kinds[n % len(kinds)],
            "réalisée", start.isoformat(), "", codes[n % len(codes)], orgs, n % 9, n % 4,
            n % 50, n % 70, "Rencontre du comité" if n % 5 == 0 else ""])
    return out.getvalue().encode("utf-8")


def measure(content: bytes, pole, user, *, dry_run: bool) -> dict:
    dataset = load_dataset(content, "registre.csv")
    count = {"queries": 0}

    def counted(execute, sql, params, many, context):
        count["queries"] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counted):
        began = time.perf_counter()
        outcome = activities_import(pole=pole, dataset=dataset, user=user, dry_run=dry_run)
        seconds = time.perf_counter() - began
    assert outcome.ok, outcome.errors[:5]
    return {"seconds": seconds, "queries": count["queries"],
            "created": outcome.created, "activities": Activity.objects.count()}


def git_commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, check=True,
                              capture_output=True, text=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.register_import",
                                     description=__doc__)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--profile", action="store_true",
                        help="profile the check and the import (no figures written)")
    parser.add_argument("--json", default=None, help="where to write the figures")
    args = parser.parse_args(argv)
    commit, speed = git_commit(), machine_ms()
    old_config = setup_databases(verbosity=0, interactive=False, serialized_aliases=[])
    try:
        seed_plans_load()
        directory_load()
        seed_rules_map()
        plan = Plan.objects.select_related("pole").get(pole__code="monteregie")
        user = get_user_model().objects.create_user("bench-coordo", password="x-bench-1")
        Membership.objects.create(user=user, role=Membership.Role.COORDINATOR, pole=plan.pole)
        content = register_file(args.rows, plan.pole)
        if args.profile:
            for dry_run in (True, False):
                profile = cProfile.Profile()
                profile.enable()
                measure(content, plan.pole, user, dry_run=dry_run)
                profile.disable()
                pstats.Stats(profile).sort_stats("cumulative").print_stats(30)
            return 0
        check = measure(content, plan.pole, user, dry_run=True)
        print(f"check: {check['seconds']:.1f} s, {check['queries']} queries", flush=True)
        real = measure(content, plan.pole, user, dry_run=False)
        print(f"import: {real['seconds']:.1f} s, {real['queries']} queries, "
              f"{real['activities']} activities", flush=True)
    finally:
        teardown_databases(old_config, verbosity=0)
    vendor = connection.vendor
    stamp = {"measured_on": datetime.date.today().isoformat(), "commit": commit,
             "machine_ms": speed}
    figures = [dict(stamp, rows=args.rows, measure=name, seconds=row["seconds"],
                    queries=row["queries"], goal_s=goal)
               for name, row, goal in (("check (dry run)", check, REGISTER_IMPORT_GOAL_S),
                                       ("import", real, None))]
    out = args.json or ROOT / "benchmarks" / "results" / f"register-import-{vendor}.json"
    with open(out, "w") as handle:
        json.dump({"vendor": vendor, "cores": os.cpu_count(), "figures": figures}, handle,
                  indent=2, ensure_ascii=False)
        handle.write("\n")
    for row in figures:
        goal = (f", goal ≤ {row['goal_s']} s — "
                + ("met" if row["seconds"] <= row["goal_s"] else "MISSED")) if row[
            "goal_s"] else ""
        print(f"{row['rows']} rows, {row['measure']}: {row['seconds']:.1f} s{goal}")
    print(f"Figures written to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
