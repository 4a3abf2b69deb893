"""The README's measured figures are generated from the benchmark's JSON, and say plainly
which budgets are met."""

import json

import pytest

from benchmarks import readme


def figure(measure, median_ms, *, scale=100, ratio=2.0, peak_mb=None):
    row = {"scale": scale, "measure": measure, "indicators": 480, "median_ms": median_ms,
           "p95_ms": median_ms * 1.2, "queries": 13, "floor_ms": median_ms / ratio,
           "ratio": ratio, "measured_on": "2026-12-02", "commit": "abc1234"}
    if peak_mb is not None:
        row["peak_mb"] = peak_mb
    return row


@pytest.mark.parametrize(("median_ms", "ratio", "expected"), [
    (120, 2.0, "≤ 150 ms: met; ≤ 5×: met"),
    (151, 2.0, "≤ 150 ms: **missed**; ≤ 5×: met"),
    (120, 5.5, "≤ 150 ms: met; ≤ 5×: **missed**"),
])
def test_budget_cell_says_met_or_missed_at_100x_on_postgresql(median_ms, ratio, expected):
    assert readme.budget_cell(figure("pôle dashboard", median_ms, ratio=ratio),
                              "postgresql") == expected


def test_budgets_are_only_judged_at_100x_on_postgresql():
    assert readme.budget_cell(figure("pôle dashboard", 900), "sqlite") == ""
    assert readme.budget_cell(figure("pôle dashboard", 900, scale=10), "postgresql") == ""


def test_national_workbook_budget_includes_peak_memory():
    cell = readme.budget_cell(figure("national xlsx export", 2500, peak_mb=160), "postgresql")
    assert cell == "≤ 3 000 ms: met; ≤ 5×: met; ≤ 150 MB: **missed**"


def test_tables_are_regenerated_between_the_markers_only(tmp_path, monkeypatch):
    results = tmp_path / "results"
    results.mkdir()
    (results / "benchmark-postgresql.json").write_text(json.dumps({
        "vendor": "postgresql", "cores": 2, "notes": ["national dashboard growth: …"],
        "figures": [figure("national dashboard", 1234.5)]}))
    page = tmp_path / "README.md"
    page.write_text(f"before\n{readme.START}\nold table\n{readme.END}\nafter\n")
    monkeypatch.setattr(readme, "RESULTS", results)
    monkeypatch.setattr(readme, "README", page)

    assert readme.main(["--check"]) == 1
    assert readme.main([]) == 0
    text = page.read_text()
    assert text.startswith("before\n") and text.endswith("\nafter\n")
    assert "old table" not in text
    assert "| 100x | national dashboard | 480 | 1 234 | 1 481 | 13 | 617 | 2.0 |" in text
    assert "2026-12-02 at `abc1234`" in text
    assert readme.main(["--check"]) == 0



def test_readme_tables_are_those_of_the_committed_figures():
    assert readme.main(["--check"]) == 0, "run python -m benchmarks.readme after a benchmark"


def test_chart_page_visits_are_judged_against_the_cold_and_warm_goals():
    run = {"database": "sqlite", "measured_on": "2026-12-03", "commit": "abc1234",
           "machine_ms": 400, "pages": [
               {"page": "pôle dashboard", "cold_load_ms": 950.4, "cold_chart_ms": 930.0,
                "cold_transferred": 320 * 1024, "warm_load_ms": 512.0,
                "warm_transferred": 7 * 1024, "third_load_ms": 300.0,
                "drawn_by": "plotly.js"},
               {"page": "national dashboard", "cold_load_ms": 400.0, "cold_chart_ms": 380.0,
                "cold_transferred": 30 * 1024, "warm_load_ms": 120.0,
                "warm_transferred": 5 * 1024, "third_load_ms": 110.0,
                "drawn_by": "SVG in the HTML"}]}
    plotly, svg = readme.browser_table([run])[-2:]
    assert plotly == ("| SQLite | 2026-12-03 at `abc1234` (machine: 400 ms) | pôle dashboard "
                      "| plotly.js | 950 | 930 | 320 | 512 | 7 | 300 | met | **missed** |")
    assert svg == ("| SQLite | 2026-12-03 at `abc1234` (machine: 400 ms) | national dashboard "
                   "| SVG in the HTML | 400 | 380 | 30 | 120 | 5 | 110 | met | met |")


def test_load_test_p95_is_judged_against_the_goal():
    load = {"database": "postgresql", "measured_on": "2026-12-03", "users": 20, "seconds": 60,
            "requests": 1400, "failures": 0, "throughput_rps": 23.3, "median_ms": 200,
            "p95_ms": 480, "per_request": {}, "acknowledged_saves": 300, "saves_lost": 0}
    assert readme.load_table([load])[-1] == "- p95 ≤ 500 ms (issue 24) on PostgreSQL 15: met"
    assert readme.load_table([dict(load, p95_ms=510)])[-1].endswith("**missed**")
