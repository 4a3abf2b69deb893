"""``python -m benchmarks.readme``: rewrite the README's measured-figures tables from the JSON
that ``python -m benchmarks`` and ``python -m benchmarks.load`` write under
``benchmarks/results/`` (committed with the README, so every figure there can be traced to a
run: its date and commit are in the JSON).

Only the text between ``<!-- benchmark:start -->`` and ``<!-- benchmark:end -->`` is replaced;
``--check`` exits 1 when the README is not what the JSON gives (nothing written).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from benchmarks.budgets import (
    BUDGET_COLD_MS,
    BUDGET_LOAD_P95_MS,
    BUDGET_PEAK_MB,
    BUDGET_RATIO,
    BUDGET_SCALE,
    BUDGET_WARM_MS,
    BUDGETS_MS,
    REGISTER_IMPORT_GOAL_S,
)

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
README = ROOT / "README.md"
START, END = "<!-- benchmark:start -->", "<!-- benchmark:end -->"
VENDORS = {"postgresql": "PostgreSQL 15", "sqlite": "SQLite"}


def number(value: float | int | None, digits: int = 0) -> str:
    """``1 174``, ``2.8``: a thin-spaced thousands separator, as in the rest of the README."""
    if value is None:
        return ""
    if digits == 0 or abs(value) >= 100:
        return f"{round(value):,}".replace(",", " ")
    return f"{value:.{digits}f}"


def budget_cell(row: dict, vendor: str) -> str:
    if vendor != "postgresql" or row["scale"] != BUDGET_SCALE:
        return ""
    parts = []
    budget = BUDGETS_MS[row["measure"]]
    parts.append(f"≤ {number(budget)} ms: {'met' if row['median_ms'] <= budget else '**missed**'}")
    if row.get("ratio") is not None:
        parts.append(f"≤ {BUDGET_RATIO}×: "
                     f"{'met' if row['ratio'] <= BUDGET_RATIO else '**missed**'}")
    if row["measure"] == "national xlsx export" and row.get("peak_mb") is not None:
        parts.append(f"≤ {BUDGET_PEAK_MB} MB: "
                     f"{'met' if row['peak_mb'] <= BUDGET_PEAK_MB else '**missed**'}")
    return "; ".join(parts)


def benchmark_table(data: dict) -> list[str]:
    vendor = data["vendor"]
    runs = sorted({(f.get("measured_on", "?"), f.get("commit", "?"), f.get("machine_ms"))
                   for f in data["figures"]}, key=str)
    lines = [
        f"**{VENDORS.get(vendor, vendor)}** ({data['cores']} cores; runs: "
        + ", ".join(f"{day} at `{commit}`"
                    + (f" (machine: {number(speed)} ms for the fixed loop)" if speed else "")
                    for day, commit, speed in runs) + "):",
        "",
        "| scale | measure | indicators | median ms | p95 ms | queries | floor ms | ratio "
        "| peak MB | budget (100x, PostgreSQL) |",
        "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for row in data["figures"]:
        ratio = row.get("ratio")
        lines.append(
            f"| {row['scale']}x | {row['measure']} | {number(row['indicators'])} "
            f"| {number(row['median_ms'], 1)} | {number(row['p95_ms'], 1)} | {row['queries']} "
            f"| {number(row['floor_ms'], 1)} | {number(ratio, 1) if ratio else ''} "
            f"| {number(row.get('peak_mb'), 1)} | {budget_cell(row, vendor)} |")
    notes = [note for note in data.get("notes", [])
             if "growth" in note or "identical" in note or "issue 24" in note]
    if notes:
        lines.append("")
        lines += [f"- {note}" for note in notes]
    return lines


def load_table(loads: list[dict]) -> list[str]:
    lines = [
        "| database | run | users × s | requests | errors | req/s | median ms | p95 ms "
        "| save p95 ms | saves acknowledged / lost |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for load in loads:
        saves = [row["p95_ms"] for name, row in load["per_request"].items() if "save" in name]
        lines.append(
            f"| {VENDORS.get(load['database'], load['database'])} "
            f"| {load.get('measured_on', '')}"
            + (f" (machine: {number(load['machine_ms'])} ms)" if load.get("machine_ms") else "")
            + f" | {load['users']} × {load['seconds']} | {number(load['requests'])} "
            f"| {load['failures']} | {load['throughput_rps']:.1f} | {number(load['median_ms'])} "
            f"| {number(load['p95_ms'])} | {number(max(saves)) if saves else ''} "
            f"| {load['acknowledged_saves']} / {load['saves_lost']} |")
    lines.append("")
    lines += [f"- p95 ≤ {number(BUDGET_LOAD_P95_MS)} ms (issue 24) on "
              f"{VENDORS.get(load['database'], load['database'])}: "
              + ("met" if load["p95_ms"] <= BUDGET_LOAD_P95_MS else "**missed**")
              for load in loads]
    return lines


def met(value: float | None, budget: float) -> str:
    return "" if value is None else ("met" if value <= budget else "**missed**")


def browser_table(runs: list[dict]) -> list[str]:
    """The first visit of a chart page (``python -m benchmarks.browser``): medians per page,
    cold (a new browser profile), warm (the second visit) and the third visit, with what
    draws its charts (plotly.js, or the server as SVG in the HTML: then « charts drawn » is
    the end of DOMContentLoaded)."""
    lines = [
        "| database | run | page | charts drawn by | cold: load ms | cold: charts drawn ms "
        "| cold: KB received "
        f"| warm: load ms | warm: KB received | third visit: load ms "
        f"| cold ≤ {number(BUDGET_COLD_MS)} ms | warm ≤ {number(BUDGET_WARM_MS)} ms |",
        "| --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    for run in runs:
        stamp = (f"{run.get('measured_on', '')} at `{run.get('commit', '')}`"
                 + (f" (machine: {number(run['machine_ms'])} ms)" if run.get("machine_ms")
                    else ""))
        for page in run["pages"]:
            lines.append(
                f"| {VENDORS.get(run['database'], run['database'])} | {stamp} | {page['page']} "
                f"| {page.get('drawn_by', 'plotly.js')} | {number(page['cold_load_ms'])} "
                f"| {number(page['cold_chart_ms'])} "
                f"| {number(page['cold_transferred'] / 1024)} | {number(page['warm_load_ms'])} "
                f"| {number(page['warm_transferred'] / 1024)} "
                f"| {number(page.get('third_load_ms'))} "
                f"| {met(page['cold_load_ms'], BUDGET_COLD_MS)} "
                f"| {met(page['warm_load_ms'], BUDGET_WARM_MS)} |")
    return lines


def register_import_table(imports: list[dict]) -> list[str]:
    """``python -m benchmarks.register_import``: the 10 000-row file, checked and imported."""
    lines = [
        "| database | run | rows | measure | seconds | queries "
        f"| goal (check ≤ {REGISTER_IMPORT_GOAL_S} s) |",
        "| --- | --- | ---: | --- | ---: | ---: | --- |",
    ]
    for data in imports:
        for row in data["figures"]:
            goal = row.get("goal_s")
            verdict = (f"≤ {goal} s: {'met' if row['seconds'] <= goal else '**missed**'}"
                       if goal else "")
            lines.append(
                f"| {VENDORS.get(data['vendor'], data['vendor'])} "
                f"| {row['measured_on']} at `{row['commit']}`"
                + (f" (machine: {number(row['machine_ms'])} ms)" if row.get("machine_ms")
                   else "")
                + f" | {number(row['rows'])} | {row['measure']} | {row['seconds']:.1f} "
                f"| {number(row['queries'])} | {verdict} |")
    return lines


def generated() -> str:
    lines = ["<!-- generated by python -m benchmarks.readme from benchmarks/results/*.json: "
             "edit the JSON by running the benchmark, not this table -->", ""]
    for vendor in VENDORS:
        path = RESULTS / f"benchmark-{vendor}.json"
        if path.exists():
            lines += benchmark_table(json.loads(path.read_text())) + [""]
    loads = [json.loads((RESULTS / f"load-{vendor}.json").read_text()) for vendor in VENDORS
             if (RESULTS / f"load-{vendor}.json").exists()]
    if loads:
        lines += ["Load test (`python -m benchmarks.load`):", ""] + load_table(loads) + [""]
    browsers = [json.loads((RESULTS / f"browser-{vendor}.json").read_text())
                for vendor in VENDORS if (RESULTS / f"browser-{vendor}.json").exists()]
    if browsers:
        lines += ["First visit of a chart page in Chromium (`python -m benchmarks.browser`, "
                  "medians):", ""] + browser_table(browsers) + [""]
    imports = [json.loads((RESULTS / f"register-import-{vendor}.json").read_text())
               for vendor in VENDORS if (RESULTS / f"register-import-{vendor}.json").exists()]
    if imports:
        lines += ["Register import (`python -m benchmarks.register_import`):", ""]
        lines += register_import_table(imports) + [""]
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.readme", description=__doc__)
    parser.add_argument("--check", action="store_true", help="only say whether it is current")
    args = parser.parse_args(argv)
    text = README.read_text()
    if START not in text or END not in text:
        print(f"README.md has no {START} … {END} block", file=sys.stderr)
        return 2
    head, rest = text.split(START, 1)
    _old, tail = rest.split(END, 1)
    new = f"{head}{START}\n{generated()}\n{END}{tail}"
    if args.check:
        current = new == text
        print("README tables are current" if current else "README tables are out of date")
        return 0 if current else 1
    README.write_text(new)
    print("README tables regenerated from benchmarks/results/*.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
