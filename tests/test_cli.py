"""The ``planner`` command, run in-process through ``main([...])``: exit codes and outputs.

See ``tests/planhelpers.py`` for the scenario and the roster.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from planhelpers import D1, D2, asg, scenario, scenario_data

from planner.cli import EXIT_FAILED, EXIT_INPUT, EXIT_OK, main
from planner.io import load_plan, write_plan
from planner.model import Stats, Status
from planner.report import build_plan


@pytest.fixture
def scenario_file(tmp_path: Path) -> Path:
    """The tiny scenario as a YAML file."""
    path = tmp_path / "tiny.yaml"
    path.write_text(yaml.safe_dump(scenario_data(), allow_unicode=True), encoding="utf-8")
    return path


def _feasible_roster():
    # Every assignment is allowed: nobody twice on one day, p3 (medical) swabs on day 2
    # when available, headcounts are not exceeded.
    return [
        asg("p1", "k1", "guard", D1, "day"),
        asg("p2", "k1", "guard", D1, "day"),
        asg("p1", "k1", "guard", D2, "day"),
        asg("p2", "k1", "guard", D2, "night"),
        asg("p3", "s1", "swab", D2, "day"),
    ]


def _write_plan(tmp_path: Path, assignments, objective: int | None) -> Path:
    plan = build_plan(scenario(), assignments, Stats(status=Status.FEASIBLE, objective=objective))
    return write_plan(plan, scenario(), tmp_path / "plan.json")


def _checker_objective(assignments) -> int:
    from planner.check import check

    return check(scenario(), assignments).objective


def test_validate_ok(scenario_file, capsys):
    """A valid scenario: exit 0 and a count of people, posts and days."""
    assert main(["validate", str(scenario_file)]) == EXIT_OK
    assert capsys.readouterr().out.startswith("OK: 4 people, 2 posts, 2 days")


def test_validate_errors_exit_2(tmp_path, capsys):
    """An invalid scenario: exit 2, one ``error: <file>: <field>`` line per error, no traceback."""
    data = scenario_data()
    data["people"][0]["category"] = "alien"
    data["posts"][0]["demand"][0]["roles"][0]["headcount"] = -1
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert main(["validate", str(path)]) == EXIT_INPUT
    err = capsys.readouterr().err
    assert f"error: {path}: posts[0].demand[0].roles[0].headcount" in err
    assert "Traceback" not in err


def test_python_dash_m_runs_the_command(scenario_file):
    """``python -m planner`` is the same command."""
    done = subprocess.run(
        [sys.executable, "-m", "planner", "validate", str(scenario_file)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == EXIT_OK
    assert done.stdout.startswith("OK:")


def test_missing_file_exit_2(tmp_path):
    """A scenario file that does not exist is an input error."""
    assert main(["validate", str(tmp_path / "none.yaml")]) == EXIT_INPUT


@pytest.mark.parametrize(("flag", "field"), [([], "people"), (["--plan"], "assignments")])
def test_schema(capsys, flag, field):
    """``schema`` prints a JSON Schema of the scenario, ``schema --plan`` of the plan."""
    assert main(["schema", *flag]) == EXIT_OK
    schema = json.loads(capsys.readouterr().out)
    assert field in schema["properties"]


def test_check_passes_a_feasible_plan_with_the_right_objective(tmp_path, scenario_file):
    """A feasible plan stating the objective the checker recomputes: exit 0."""
    roster = _feasible_roster()
    plan_file = _write_plan(tmp_path, roster, _checker_objective(roster))
    assert main(["check", str(scenario_file), str(plan_file)]) == EXIT_OK


def test_check_fails_a_wrong_objective(tmp_path, scenario_file):
    """A feasible plan stating another objective than the recomputed one: exit 1."""
    roster = _feasible_roster()
    plan_file = _write_plan(tmp_path, roster, _checker_objective(roster) + 1)
    assert main(["check", str(scenario_file), str(plan_file)]) == EXIT_FAILED


def test_check_fails_a_hard_violation(tmp_path, scenario_file, capsys):
    """p3 is unavailable on day 1: putting them on a post that day is a hard violation, exit 1."""
    roster = [*_feasible_roster(), asg("p3", "k1", "guard", D1, "night")]
    plan_file = _write_plan(tmp_path, roster, _checker_objective(roster))
    assert main(["check", str(scenario_file), str(plan_file)]) == EXIT_FAILED
    assert "person=p3" in capsys.readouterr().out


def _overbooked_roster():
    # p3 (unavailable on day 1) twice on day 1 at k1, whose day shift then has 3 guards
    # for 2 places: availability twice (same person, post and date), headcount once and
    # max_shifts_per_day once, all hard.
    return [
        asg("p1", "k1", "guard", D1, "day"),
        asg("p2", "k1", "guard", D1, "day"),
        asg("p3", "k1", "guard", D1, "night"),
        asg("p3", "k1", "guard", D1, "day"),
    ]


def test_check_groups_violations_beyond_the_listed_number(
    tmp_path, scenario_file, capsys, monkeypatch
):
    """With more violations than ``CHECK_LISTED``, ``check`` prints one line per rule and
    post or person (the two availability breaches of p3 at k1 become one line of 2), at most
    ``CHECK_LISTED`` of them, and how many are left; ``--all`` lists each."""
    import planner.cli as cli

    plan_file = _write_plan(tmp_path, _overbooked_roster(), None)
    monkeypatch.setattr(cli, "CHECK_LISTED", 2)
    assert main(["check", str(scenario_file), str(plan_file)]) == EXIT_FAILED
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "[硬 hard] availability person=p3 post=k1: 2 次 times, amount=2"
    assert out[1].startswith("[硬 hard] ")
    assert out[2] == "… 另有 1 组 more groups (1 violations)"
    assert main(["check", str(scenario_file), str(plan_file), "--all"]) == EXIT_FAILED
    listed = capsys.readouterr().out.splitlines()
    assert sum(line.startswith("[硬 hard] availability person=p3 post=k1 ") for line in listed) == 2
    assert sum(line.startswith("[") for line in listed) == 4


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_check_writes_every_violation(tmp_path, scenario_file, suffix):
    """``check --out`` writes one row per violation under bilingual headers, names beside
    ids, whatever the terminal shows."""
    plan_file = _write_plan(tmp_path, _overbooked_roster(), None)
    out = tmp_path / f"violations{suffix}"
    assert main(["check", str(scenario_file), str(plan_file), "--out", str(out)]) == EXIT_FAILED
    if suffix == ".csv":
        import csv

        with out.open(encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.reader(fh))
        head, body = rows[0], rows[1:]
    else:
        from openpyxl import load_workbook

        sheet = load_workbook(out).active
        values = [[c.value for c in row] for row in sheet.iter_rows()]
        head, body = values[0], values[2:]  # Chinese headers, then English ones
    expected = ["类型(kind)", "规则(rule)", "人员(person)"]
    if suffix == ".xlsx":
        expected = ["类型", "规则", "人员"]
    assert head[:3] == expected
    assert len(body) == 4
    assert sorted(row[1] for row in body) == [
        "availability",
        "availability",
        "headcount",
        "max_shifts_per_day",
    ]
    p3_rows = [row for row in body if row[2] == "p3"]
    assert p3_rows and all(row[3] == "王五" for row in p3_rows)


def test_check_rejects_an_unknown_output_suffix(tmp_path, scenario_file):
    """``check --out`` of a type it cannot write is an input error, before any checking."""
    plan_file = _write_plan(tmp_path, _feasible_roster(), None)
    args = ["check", str(scenario_file), str(plan_file), "--out", str(tmp_path / "v.txt")]
    assert main(args) == EXIT_INPUT


def test_check_bad_plan_file_exit_2(tmp_path, scenario_file):
    """A plan file that is not a plan is an input error."""
    bad = tmp_path / "plan.json"
    bad.write_text("[]", encoding="utf-8")
    assert main(["check", str(scenario_file), str(bad)]) == EXIT_INPUT


def test_solve_rejects_unknown_output_suffix_before_solving(scenario_file):
    """An --out file of unknown type is an input error, found before any solving."""
    assert main(["solve", str(scenario_file), "--out", "plan.txt", "--quiet"]) == EXIT_INPUT


@pytest.mark.skipif(
    importlib.util.find_spec("planner.solvers.facade") is None, reason="solver not available"
)
def test_solve_writes_outputs_that_check(tmp_path, scenario_file):
    """Solving the tiny scenario writes JSON, CSV and XLSX, and the plan passes ``check``."""
    outs = [tmp_path / name for name in ("plan.json", "plan.csv", "plan.xlsx")]
    args = ["solve", str(scenario_file), "--time-limit", "5", "--workers", "1", "--out"]
    assert main([*args, *map(str, outs)]) == EXIT_OK
    assert all(out.is_file() for out in outs)
    assert load_plan(outs[0]).scenario == "tiny"
    assert main(["check", str(scenario_file), str(outs[0])]) == EXIT_OK


def test_solve_lexicographic_plan_checks(tmp_path, scenario_file):
    """--lexicographic with a tolerance solves in that mode, and the plan passes ``check``
    against the scenario file (the objective is the same weighted sum)."""
    out = tmp_path / "plan.json"
    args = ["solve", str(scenario_file), "--time-limit", "3", "--quiet", "--out", str(out)]
    assert main([*args, "--lexicographic", "--tolerance", "0.01"]) == EXIT_OK
    assert "lexicographic" in load_plan(out).stats.solver
    assert main(["check", str(scenario_file), str(out)]) == EXIT_OK


def test_solve_rejects_a_tolerance_outside_0_1(scenario_file, capsys):
    """A tolerance above 1 is an input error naming the option, found before solving."""
    args = ["solve", str(scenario_file), "--quiet", "--lexicographic", "--tolerance", "1.5"]
    assert main(args) == EXIT_INPUT
    assert "--tolerance" in capsys.readouterr().err


@pytest.mark.skipif(
    importlib.util.find_spec("planner.solvers.facade") is None, reason="solver not available"
)
def test_solve_infeasible_prints_conflicts_and_exits_1(tmp_path, capsys):
    """A duty pinned on a day its person is unavailable cannot be met: exit 1, conflicts shown."""
    data = scenario_data()
    data["fixed"] = [
        {"person": "p3", "post": "k1", "role": "guard", "date": "2022-03-01", "shift": "day"}
    ]
    path = tmp_path / "infeasible.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    args = ["solve", str(path), "--time-limit", "5", "--workers", "1", "--quiet"]
    assert main(args) == EXIT_FAILED
    assert "fixed[0]" in capsys.readouterr().err


def test_progress_lines_are_throttled_per_phase(capsys):
    """Within one interval only the first report of a phase is printed; a new phase always is."""
    from planner.cli import _ProgressPrinter
    from planner.solvers import Progress

    printer = _ProgressPrinter(interval_s=1e9)
    for objective in (30, 20, 10):
        printer(Progress(elapsed_s=0.1, phase="search", objective=objective))
    printer(Progress(elapsed_s=0.2, phase="done", objective=10, bound=10, gap=0.0))
    assert len(capsys.readouterr().err.splitlines()) == 2
