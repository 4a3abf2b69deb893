"""``python -m benchmarks``: wall time, SQL queries and memory of every page and export at
1x (the two seed plans), 10x and 100x, on SQLite or (with ``DATABASE_URL``) PostgreSQL.

Each measure is also run as its *floor* (:mod:`benchmarks.floors`): the same rows read with
hand-written SQL, the same cells written with the same styles (exports), the same number of
rows rendered through a minimal template (pages), the same writes (entry POST). Our time is
printed as a ratio to it.
The benchmark builds its data in a throwaway database (like the tests) and drops it after.
"""

from __future__ import annotations

import argparse
import datetime
import itertools
import json
import os
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

from benchmarks.bootstrap import ROOT, django_setup  # noqa: E402

django_setup("bench_poleplan")

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_databases, teardown_databases  # noqa: E402
from django.urls import reverse  # noqa: E402

from benchmarks import floors  # noqa: E402
from benchmarks.budgets import (  # noqa: E402
    BUDGET_ENTRY_RATIO,
    BUDGET_PEAK_MB,
    BUDGET_RATIO,
    BUDGETS_MS,
    MEASURES,
)
from benchmarks.machine import machine_ms  # noqa: E402
from benchmarks.synthetic import results_fill, synthetic_poles_add  # noqa: E402
from indicators import dates  # noqa: E402
from indicators.entry import EntryPage, shown_orientation  # noqa: E402
from indicators.evaluations import evaluations_refresh  # noqa: E402
from indicators.models import Indicator, Membership, Plan, Pole, Result  # noqa: E402
from indicators.seeding import seed_plans_load  # noqa: E402
from indicators.selectors import plan_progress, plan_standings  # noqa: E402

YEAR = 2025  # a closed year with results everywhere
ENTRY_YEAR = 2026  # the current year: a draft that coordinators edit
# Extra pôles × indicators per pôle. 1000x (200 pôles: a Canada-wide or multi-ministry
# deployment) measures the national dashboard and workbook only: its largest plan is the same
# 480-indicator plan as at 100x, so the per-pôle pages would measure the same thing.
SCALES = {1: (0, 0), 10: (10, 88), 100: (20, 480), 1000: (200, 480)}
NATIONAL_ONLY_SCALES = {1000}


def timed(function, runs: int) -> tuple[list[float], int]:
    """Wall times in ms of ``runs`` calls (after one warm-up), and the queries of one call."""
    function()
    with CaptureQueriesContext(connection) as queries:
        function()
    count = len(queries.captured_queries)  # read now: later requests reset the log
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    return times, count


def peak_mb(function) -> float:
    tracemalloc.start()
    function()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1024 / 1024


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def entry_section(plan: Plan) -> int | None:
    """The orientation the entry page shows by default (None: the whole plan), as the view
    picks it."""
    return shown_orientation(plan_standings(plan, ENTRY_YEAR), None,
                             settings.ENTRY_SECTION_THRESHOLD)


def entry_post_data(plan: Plan, flip: int, section: int | None) -> dict:
    """The entry page's form as the page posts it (the section shown, or the whole plan),
    with 50 numeric results changed."""
    page = EntryPage(plan_progress(plan, ENTRY_YEAR, orientation=section))
    data, changed = page.post_data(), 0
    for line in page.lines:
        for form in line.forms:
            if changed < 50 and "value" in form.fields and form.member is None and (
                    line.item.indicator.unit == Indicator.Unit.COUNT):
                data[f"{form.prefix}-value"] = str(40 + flip + changed % 7)
                changed += 1
    assert changed == 50, f"the page shows {changed} numeric results to change, not 50"
    return data


def measure_scale(scale: int, runs: int, measures=MEASURES) -> list[dict]:
    plans = list(Plan.objects.select_related("pole"))
    sizes = {p.pk: Indicator.objects.filter(action__objective__orientation__plan=p).count()
             for p in plans}
    biggest = max(plans, key=lambda p: sizes[p.pk])
    all_ids = [p.pk for p in plans]
    coordinator = Membership.objects.filter(pole=biggest.pole, role="coordinator").first().user
    ministry = get_user_model().objects.get(username="bench-ministere")
    as_coordinator, as_ministry = Client(), Client()
    as_coordinator.force_login(coordinator)
    as_ministry.force_login(ministry)

    def get(client, url):
        def call():
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            return response
        return call

    flip = {"n": 0}
    section = entry_section(biggest)
    entry_url = reverse("indicators:entry", args=[biggest.pk, ENTRY_YEAR]) + (
        "" if section is None else f"?orientation={section}")

    def post_entry():
        flip["n"] += 1
        data = entry_post_data(biggest, flip["n"] % 2, section)
        url = entry_url
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            response = as_coordinator.post(url, data)
        elapsed = (time.perf_counter() - start) * 1000
        if response.status_code != 302:
            page = response.context["page"]
            errors = [form.errors for line in page.lines for form in line.forms if form.errors]
            raise AssertionError(f"entry save answered {response.status_code}: {errors[:3]}")
        return elapsed, len(queries.captured_queries)

    today = dates.today()
    years = biggest.years
    pages = [
        ("entry page GET", get(as_coordinator, entry_url),
         lambda: floors.floor_entry_page(biggest.pk, ENTRY_YEAR, today, section), False),
        ("pôle dashboard", get(as_ministry, reverse("reporting:pole", args=[biggest.pk])
                               + f"?annee={YEAR}"),
         lambda: floors.floor_pole_page(biggest.pk, YEAR, today), False),
        ("national dashboard", get(as_ministry, reverse("reporting:national") + f"?annee={YEAR}"),
         lambda: floors.floor_national_page(all_ids, YEAR, today), False),
        ("one-pôle xlsx export", get(as_ministry, reverse("reporting:pole_export", args=[
            biggest.pk]) + f"?annee={YEAR}"),
         lambda: floors.floor_pole_export(biggest.pk, years, YEAR, today), True),
        ("national xlsx export", get(as_ministry, reverse("reporting:national_export")
                                     + f"?annee={YEAR}"),
         lambda: floors.floor_national_export(all_ids, YEAR, today), True),
    ]
    figures = []
    for name, call, floor, is_export in pages:
        if name not in measures:
            continue
        # At least 3 timed runs per export, but at 1000x (a minute per national workbook)
        # as many as asked.
        export_runs = (runs if scale in NATIONAL_ONLY_SCALES else max(3, runs // 2)
                       ) if is_export else runs
        times, queries = timed(call, export_runs)
        floor_times, _ = timed(floor, export_runs)
        row = {"scale": scale, "measure": name, "indicators": sizes[biggest.pk]
               if "national" not in name else sum(sizes.values()),
               "median_ms": statistics.median(times), "p95_ms": p95(times), "queries": queries,
               "floor_ms": statistics.median(floor_times)}
        row["ratio"] = row["median_ms"] / row["floor_ms"] if row["floor_ms"] else None
        if is_export:
            row["peak_mb"] = peak_mb(call)
            row["floor_peak_mb"] = peak_mb(floor)
        figures.append(row)

    if "entry page POST (50 changes)" not in measures:
        return figures
    post_entry()  # warm-up
    samples = [post_entry() for _ in range(runs)]
    times = [t for t, _q in samples]
    # After the page's saves: the floor's writes bump versions the page's form would carry.
    floor_times, _ = timed(lambda: floors.floor_entry_post(biggest.pk, ENTRY_YEAR,
                                                           orientation=section), runs)
    changed = floors.floor_entry_post(biggest.pk, ENTRY_YEAR, orientation=section)
    assert changed == 50, f"the POST floor changed {changed} results, not 50"
    figures.insert(1, {
        "scale": scale, "measure": "entry page POST (50 changes)",
        "indicators": sizes[biggest.pk], "median_ms": statistics.median(times),
        "p95_ms": p95(times), "queries": samples[-1][1],
        "floor_ms": statistics.median(floor_times),
        "ratio": statistics.median(times) / statistics.median(floor_times)})
    return figures


def print_table(figures: list[dict], vendor: str) -> None:
    print(f"\nPôle Plan benchmark — {vendor}, {os.cpu_count()} cores "
          f"(median and p95 of repeated runs, through the full Django stack)\n")
    head = (f"{'scale':>5}  {'measure':<30} {'indic.':>6} {'median ms':>10} {'p95 ms':>9} "
            f"{'queries':>7} {'floor ms':>9} {'ratio':>6} {'peak MB':>8}")
    print(head)
    print("-" * len(head))
    for f in figures:
        peak = f"{f['peak_mb']:.1f}" if "peak_mb" in f else ""
        ratio = f"{f['ratio']:.1f}" if f.get("ratio") else ""
        print(f"{f['scale']:>4}x  {f['measure']:<30} {f['indicators']:>6} {f['median_ms']:>10.1f} "
              f"{f['p95_ms']:>9.1f} {f['queries']:>7} {f['floor_ms']:>9.1f} {ratio:>6} {peak:>8}")


def check(figures: list[dict]) -> list[str]:
    """Issue 16's budgets, as plain sentences (printed, never asserted)."""
    notes = []
    by_measure: dict[str, set[int]] = {}
    for f in figures:
        if f["measure"] != "entry page POST (50 changes)":
            by_measure.setdefault(f["measure"], set()).add(f["queries"])
    for measure, counts in by_measure.items():
        notes.append(f"{measure}: query counts across scales {sorted(counts)} — "
                     + ("identical" if len(counts) == 1 else "NOT identical"))
    # The budgets are set at 100x (the largest scale run when 100x is not).
    scales = {f["scale"] for f in figures}
    budgeted = 100 if 100 in scales else max(scales)
    growth = sorted({f["scale"] for f in figures})
    for measure in ("national dashboard", "national xlsx export"):
        series = {f["scale"]: f for f in figures if f["measure"] == measure}
        steps = [f"{series[a]['median_ms']:.0f} ms ({a}x) → {series[b]['median_ms']:.0f} ms "
                 f"({b}x): ×{series[b]['median_ms'] / series[a]['median_ms']:.1f} for "
                 f"×{series[b]['indicators'] / series[a]['indicators']:.1f} indicators"
                 for a, b in itertools.pairwise(growth) if a in series and b in series]
        if steps:
            notes.append(f"{measure} growth: " + "; ".join(steps))
    for f in figures:
        if f["measure"] == "entry page GET" and f.get("ratio"):
            notes.append(f"entry page GET at {f['scale']}x: {f['ratio']:.1f}× its floor, goal "
                         f"{BUDGET_ENTRY_RATIO}× (issue 24) — "
                         + ("met" if f["ratio"] <= BUDGET_ENTRY_RATIO else "MISSED"))
    for f in figures:
        if f["scale"] != budgeted:
            continue
        budget = BUDGETS_MS[f["measure"]]
        notes.append(f"{budgeted}x {f['measure']}: {f['median_ms']:.0f} ms, budget {budget} ms — "
                     + ("met" if f["median_ms"] <= budget else "MISSED"))
        if f.get("ratio"):
            notes.append(f"{budgeted}x {f['measure']}: {f['ratio']:.1f}× its floor, budget "
                         f"{BUDGET_RATIO}× — "
                         + ("met" if f["ratio"] <= BUDGET_RATIO else "MISSED"))
        if f["measure"] == "national xlsx export" and "peak_mb" in f:
            notes.append(f"{budgeted}x national export peak {f['peak_mb']:.0f} MB, budget "
                         f"{BUDGET_PEAK_MB} MB — "
                         + ("met" if f["peak_mb"] <= BUDGET_PEAK_MB else "MISSED"))
    return notes


def git_commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, check=True,
                              capture_output=True, text=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def figures_merged(path: Path, figures: list[dict]) -> list[dict]:
    """The figures already in ``path``, with those of this run replacing the same measures."""
    kept = json.loads(path.read_text())["figures"] if path.exists() else []
    fresh = {(f["scale"], f["measure"]) for f in figures}
    merged = [f for f in kept if (f["scale"], f["measure"]) not in fresh] + figures
    return sorted(merged, key=lambda f: (f["scale"], MEASURES.index(f["measure"])))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--scales", default="1,10,100", help="comma-separated: 1,10,100,1000")
    parser.add_argument("--runs", type=int, default=7, help="timed runs per measure")
    parser.add_argument("--measures", default=",".join(MEASURES),
                        help="comma-separated measures to run (default: all)")
    parser.add_argument("--json", type=Path, default=None, help="where to write the figures")
    args = parser.parse_args(argv)
    scales = [int(s) for s in args.scales.split(",")]
    wanted = [m.strip() for m in args.measures.split(",")]
    unknown = set(wanted) - set(MEASURES)
    if unknown:
        parser.error(f"unknown measures {sorted(unknown)}; choose among {list(MEASURES)}")
    vendor = connection.vendor
    out = args.json or ROOT / "benchmarks" / "results" / f"benchmark-{vendor}.json"
    out.parent.mkdir(parents=True, exist_ok=True)

    commit = git_commit()  # the code measured: read before the run, not after it
    speed = machine_ms()
    print(f"Machine speed: {speed} ms for the fixed Python loop", flush=True)
    old_config = setup_databases(verbosity=0, interactive=False, serialized_aliases=[])
    figures = []
    try:
        seed_plans_load()
        ministry = get_user_model().objects.create_user("bench-ministere", password="x-bench-1")
        Membership.objects.create(user=ministry, role=Membership.Role.MINISTRY)
        for plan in Plan.objects.all():
            user = get_user_model().objects.create_user(f"bench-coordo-{plan.pole.code}",
                                                        password="x-bench-1")
            Membership.objects.create(user=user, pole=plan.pole, role="coordinator")
        results_fill(list(Plan.objects.all()))
        evaluations_refresh()  # bulk-created data bypasses the services that store them
        built, built_size = 0, 0
        for scale in scales:
            extra, per_pole = SCALES[scale]
            start = time.perf_counter()
            if extra > built and per_pole == built_size:
                # Same plan size (100x → 1000x): add the missing pôles only.
                for plan in synthetic_poles_add(extra - built, per_pole, start=built):
                    evaluations_refresh(plan=plan)
                built = extra
            elif extra > built:
                # Larger scales replace the smaller synthetic pôles' size: rebuild from zero.
                Plan.objects.filter(pole__code__startswith="synthetique-").delete()
                Pole.objects.filter(code__startswith="synthetique-").delete()
                get_user_model().objects.filter(username__startswith="coordo-synthetique-").delete()
                synthetic_poles_add(extra, per_pole)
                evaluations_refresh()
                built, built_size = extra, per_pole
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")  # fresh planner statistics after bulk inserts
            results = Result.objects.count()
            print(f"{scale}x: {Indicator.objects.count()} indicators, {results} results "
                  f"(built in {time.perf_counter() - start:.1f} s)", flush=True)
            measures = [m for m in wanted if scale not in NATIONAL_ONLY_SCALES or "national" in m]
            figures += measure_scale(scale, args.runs, measures)
    finally:
        teardown_databases(old_config, verbosity=0)
    stamp = {"measured_on": datetime.date.today().isoformat(), "commit": commit,
             "runs": args.runs, "machine_ms": speed}
    figures = [dict(f, **stamp) for f in figures]
    print_table(figures, vendor)
    # Later runs (another scale, a subset of measures) replace their own rows in the JSON and
    # keep the others, so that the README table is regenerated from every measure's last run.
    figures = figures_merged(out, figures)
    notes = check(figures)
    print("\n" + "\n".join(notes))
    out.write_text(json.dumps({"vendor": vendor, "cores": os.cpu_count(), "figures": figures,
                               "notes": notes}, indent=2, ensure_ascii=False) + "\n")
    print(f"\nFigures written to {out} (README table: python -m benchmarks.readme)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
