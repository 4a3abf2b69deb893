"""``python -m benchmarks.browser``: the first visit of a chart page in headless Chromium,
with a cold cache and then warm, against gunicorn with the production settings (``DEBUG``
off, static files collected, hashed and compressed ahead of time and served by WhiteNoise
with far-future cache headers, pages gzipped) on loopback.

The pages: the pôle dashboard (a director's landing page) and the national dashboard (the
ministry's), whose status bars are inline SVG drawn on the server, and an indicator's page,
whose targets-against-results figure plotly.js still draws.

Each run starts Chromium on a new profile (an empty HTTP cache and code cache, the session
cookie of a login done beforehand) and visits the page (cold), then opens it again in a new
tab (warm: the second visit, static files from the browser's cache; a third visit is
recorded too, when Chromium also reuses the scripts' compiled code). Measured from the
Navigation Timing entry: navigation start → ``load`` event end, and navigation start → the
charts drawn: for a Plotly figure the last ``chart-drawn`` mark left by
``static/js/charts.js``; for a page without one (its charts are SVG in the HTML, drawn as
the page is parsed) the end of ``DOMContentLoaded``. The bytes are what came over the wire
(``transferSize``: 0 for a file read from the cache).

Uses SQLite (a file under benchmarks/results) or, with ``DATABASE_URL``, a dedicated
PostgreSQL database ``<its database>_browser`` on the same server (created and dropped
here).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.budgets import BUDGET_COLD_MS, BUDGET_WARM_MS
from benchmarks.load import environment as load_environment
from benchmarks.load import gunicorn, recreate_database
from benchmarks.machine import machine_ms

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage"]
PASSWORD = "Bench-2025-password"

# What the page's own timing says, once the load event has ended and every chart is drawn:
# plotly.js's figures by their "chart-drawn" marks, the server's SVG charts with the HTML
# (DOMContentLoaded's end).
TIMING = """() => {
  const nav = performance.getEntriesByType("navigation")[0];
  const drawn = performance.getEntriesByName("chart-drawn").map((m) => m.startTime);
  const svg = document.querySelectorAll("svg.bars").length;
  const resources = performance.getEntriesByType("resource");
  return {load_ms: nav.loadEventEnd, dcl_ms: nav.domContentLoadedEventEnd,
          html_ms: nav.responseEnd,
          chart_ms: drawn.length ? Math.max(...drawn) : (svg ? nav.domContentLoadedEventEnd
                                                              : null),
          charts: drawn.length + svg, drawn_by: drawn.length ? "plotly.js" : "SVG in the HTML",
          transferred: nav.transferSize + resources.reduce((s, r) => s + r.transferSize, 0),
          html_bytes: nav.transferSize, html_decoded: nav.decodedBodySize};
}"""


def environment() -> dict:
    """The load test's production settings, with hashed static files (as deployed)."""
    return load_environment("browser", HASHED_STATIC="true", AXES_ENABLED="false")


def prepare(env: dict) -> list[dict]:
    """Migrate, collect static files as deployed, load the seed plans with three years of
    results, and the accounts whose landing pages are chart pages."""
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from benchmarks.synthetic import results_fill
    from indicators.evaluations import evaluations_refresh
    from indicators.models import Indicator, Membership, Plan
    from indicators.seeding import seed_plans_load

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # hashed files, as deployed
    seed_plans_load()
    User = get_user_model()
    plan = Plan.objects.select_related("pole").get(pole__code="monteregie")
    director = User.objects.create_user("direction-monteregie", password=PASSWORD)
    Membership.objects.create(user=director, pole=plan.pole, role="director")
    ministry = User.objects.create_user("charge-ministere", password=PASSWORD)
    Membership.objects.create(user=ministry, role=Membership.Role.MINISTRY)
    results_fill(list(Plan.objects.all()))
    evaluations_refresh()  # bulk-created data bypasses the services that store them
    indicator = Indicator.objects.filter(action__objective__orientation__plan=plan).order_by(
        "action__objective__orientation__position", "action__objective__position",
        "action__position", "position").first()
    from django.db import connections

    connections.close_all()
    return [
        {"page": "pôle dashboard", "username": director.username,
         "url": f"/plans/{plan.pk}/tableau-de-bord/?annee=2025"},
        {"page": "national dashboard", "username": ministry.username,
         "url": "/national/?annee=2025"},
        {"page": "indicator page", "username": director.username,
         "url": f"/indicateurs/{indicator.pk}/"},
    ]


def visit(context, url: str) -> dict:
    page = context.new_page()
    page.goto(url, wait_until="load")
    if page.locator("[data-chart]").count():  # a Plotly figure: wait until it is drawn
        page.wait_for_selector("[data-rendered=true] svg.main-svg", timeout=30000)
    else:
        page.wait_for_selector("svg.bars", timeout=30000)
    figures = page.evaluate(TIMING)
    page.close()
    return figures


def measure(playwright, base: str, target: dict, runs: int) -> dict:
    """``runs`` first visits, each in a new browser profile (empty disk cache, empty code
    cache), followed by a second and a third visit in the same profile, as a person's own
    browser would keep them (a Playwright incognito context keeps no code cache)."""
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
    login = browser.new_context(locale="fr-CA")
    page = login.new_page()
    page.goto(f"{base}/compte/login/")
    page.fill("#id_username", target["username"])
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state("load")
    cookies = login.cookies()
    browser.close()
    visits: list[list[dict]] = [[], [], []]
    for run in range(runs + 1):  # the first profile warms the server (its workers' imports)
        with tempfile.TemporaryDirectory(prefix="poleplan-browser-") as profile:
            context = playwright.chromium.launch_persistent_context(
                profile, executable_path=CHROMIUM, args=ARGS, locale="fr-CA",
                viewport={"width": 1280, "height": 900})
            context.add_cookies(cookies)
            figures = [visit(context, base + target["url"]) for _visit in range(3)]
            context.close()
        if run:
            for n, figure in enumerate(figures):
                visits[n].append(figure)

    def median(rows, key):
        values = [row[key] for row in rows if row[key] is not None]
        return statistics.median(values) if values else None

    keys = ("load_ms", "chart_ms", "dcl_ms", "html_ms", "transferred")
    cold, warm, third = visits
    return {"page": target["page"], "runs": runs, "charts": cold[-1]["charts"],
            "drawn_by": cold[-1]["drawn_by"],
            **{f"cold_{key}": median(cold, key) for key in keys + ("html_bytes",
                                                                    "html_decoded")},
            **{f"warm_{key}": median(warm, key) for key in keys},
            **{f"third_{key}": median(third, key) for key in keys}}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.browser", description=__doc__)
    parser.add_argument("--runs", type=int, default=7, help="cold + warm visit pairs per page")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--label", default="", help="a note recorded with the run")
    args = parser.parse_args(argv)
    RESULTS.mkdir(parents=True, exist_ok=True)
    speed = machine_ms()
    print(f"Machine speed: {speed} ms for the fixed Python loop", flush=True)
    env = environment()
    recreate_database(env)
    targets = prepare(env)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                            capture_output=True, text=True).stdout.strip()

    from playwright.sync_api import sync_playwright

    rows = []
    try:
        with gunicorn(env, args.workers) as base, sync_playwright() as playwright:
            rows = [measure(playwright, base, target, args.runs) for target in targets]
    finally:
        recreate_database(env, drop_only=True)
    vendor = "postgresql" if "ADMIN_DATABASE_URL" in env else "sqlite"
    figures = {"database": vendor, "measured_on": datetime.date.today().isoformat(),
               "commit": commit, "machine_ms": speed, "workers": args.workers,
               "label": args.label, "pages": rows}
    out = RESULTS / f"browser-{vendor}.json"
    out.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n")
    print(f"\nFirst visit of a chart page — Chromium headless, gunicorn {args.workers} workers, "
          f"{vendor}, median of {args.runs} (goals: cold ≤ {BUDGET_COLD_MS} ms, "
          f"warm ≤ {BUDGET_WARM_MS} ms, to the load event)")
    for row in rows:
        print(f"  {row['page']:<20} ({row['drawn_by']}) "
              f"cold: load {row['cold_load_ms']:.0f} ms, charts drawn "
              f"{row['cold_chart_ms']:.0f} ms, {row['cold_transferred'] / 1024:.0f} KB "
              f"({'met' if row['cold_load_ms'] <= BUDGET_COLD_MS else 'MISSED'}); "
              f"warm: load {row['warm_load_ms']:.0f} ms, charts drawn "
              f"{row['warm_chart_ms']:.0f} ms, {row['warm_transferred'] / 1024:.0f} KB "
              f"({'met' if row['warm_load_ms'] <= BUDGET_WARM_MS else 'MISSED'}); "
              f"third visit: load {row['third_load_ms']:.0f} ms")
    print(f"\nFigures written to {out} (README table: python -m benchmarks.readme)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
