"""The scale benchmark's own code: synthetic districts, medians and the results section."""

from __future__ import annotations

import importlib.util
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("scale_bench", REPO / "benchmarks" / "scale.py")
assert _spec is not None and _spec.loader is not None
scale = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(scale)


def test_split_keeps_the_total():
    """Proportional parts are rounded so they add up to the total."""
    # 10 in proportion 1:1:1 is 3.33 each; one part takes the leftover unit
    parts = scale.split(10, {"a": 1, "b": 1, "c": 1})
    assert sum(parts.values()) == 10
    assert sorted(parts.values()) == [3, 3, 4]


def test_synthetic_district_has_more_demand_than_people():
    """A 300-person synthetic district has exactly 300 people and more positions a day."""
    scenario = scale.synthetic(300, 3)
    assert len(scenario.people) == 300
    positions = sum(
        role.headcount for post in scenario.posts for d in post.demand for role in d.roles
    )
    assert positions > 300  # Chongwen's ratio is about 1.35 positions per person


def test_summary_takes_medians_and_counts():
    """Medians over finished runs; failed runs count in ``runs`` only."""
    base = {"people": 5, "days": 7, "demand_per_day": 9, "slots": 3, "candidates": 12, "greedy": 10}
    good = {"first_plan_s": 1.0, "final_s": 4.0, "bound": 5, "gap_pct": 10.0, "peak_rss_mb": 100}
    runs = [
        {**good, "objective": 9, "checker_ok": True, "objective_equal": True},
        {**good, "objective": 11, "checker_ok": True, "objective_equal": False, "final_s": 6.0},
        {"error": "BrokenProcessPool: killed"},
    ]
    row = scale.summarise("x", base, runs)
    assert row["runs"] == "2/3"
    assert row["objective"] == 9  # median_low of [9, 11]
    assert row["final_s"] == 5.0  # median of [4.0, 6.0]
    assert row["not_worse_than_greedy"] == "1/2"  # 9 <= 10, 11 > 10
    assert row["checker_ok"] == "2/2"
    assert row["objective_equal"] == "1/2"


def test_results_section_is_replaced_and_others_kept(tmp_path):
    """Writing the section twice keeps one copy of it and leaves other sections intact."""
    path = tmp_path / "RESULTS.md"
    path.write_text("# Benchmark results\n\n<!-- other:begin -->\nkeep me\n<!-- other:end -->\n")
    row = {"instance": "synthetic-300-7d", "people": 300, "objective": None}
    scale.update_results(path, scale.markdown([row], "cmd one", "settings"))
    scale.update_results(path, scale.markdown([row], "cmd two", "settings", note="tiny"))
    text = path.read_text()
    assert "keep me" in text
    assert text.count(scale.BEGIN) == 1 and text.count(scale.END) == 1
    assert "cmd two" in text and "cmd one" not in text
    assert "| synthetic-300-7d | 300 | - |" in text  # missing values print as a dash


def test_documented_full_run_is_the_constant():
    """The full-run command at the top of the script is the one the results section shows."""
    documented = " ".join(scale.__doc__.replace("\\\n", " ").split())
    assert scale.FULL_RUN in documented


def test_bounds_table_compares_the_lp_with_the_flows(capsys):
    """``benchmarks/bounds.py`` prints one row per instance; on a 300-person district the LP
    bound is at least both flow bounds."""
    spec = importlib.util.spec_from_file_location("bounds_bench", REPO / "benchmarks" / "bounds.py")
    assert spec is not None and spec.loader is not None
    bounds = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bounds)
    assert bounds.main(["--instances", "synthetic-300-7d", "--runs", "1"]) == 0
    row = next(ln for ln in capsys.readouterr().out.splitlines() if "synthetic-300-7d" in ln)
    cells = [c.strip() for c in row.strip("|").split("|")]
    shift, minutes, lp = int(cells[2]), int(cells[3]), int(cells[5])
    assert lp >= max(shift, minutes)
