"""Solve Curtois & Qu benchmark instances and compare with the best-known bounds.

Usage (from the repository root)::

    python benchmarks/curtois.py --instances 1-3 --time-limit 60 --seed 0 --workers 2

Each instance is read from ``--data`` (default ``$PLANNER_CURTOIS_DIR`` or
``../shared/benchmarks/curtois``), solved once with the given limits, and re-verified by
the independent checker, each in its own process (killed if it overruns the limit by far,
see ``--kill-after``). The table (instance, staff, days, our objective and bound, the
best-known UB and LB, ratio to the UB, time to the best plan, status, checker verdict) is
printed and written to ``<out>/curtois.csv`` and ``<out>/curtois.md``; each plan goes to
``<out>/Instance<N>.plan.json``. With ``--results FILE`` the markdown table also replaces the
Curtois section of that file (between its markers), with the command that made it.

Best-known values come from ``best_known.csv``: the rows tagged ``curtois_qu_2014_table2``
and ``wssuite_nrp_yml_2023``; the smallest UB and the largest LB among them are shown.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import shlex
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

# measure this checkout's code (and label it with its commit), whatever copy is installed
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from planner.check import check
from planner.io.curtois import read_curtois
from planner.model import Plan, Scenario
from planner.report.sections import replace_section
from planner.solvers import Progress, SolveParams, solve

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = Path(
    os.environ.get("PLANNER_CURTOIS_DIR", REPO.parent / "shared" / "benchmarks" / "curtois")
)
SOURCES = ("curtois_qu_2014_table2", "wssuite_nrp_yml_2023")
#: A child still running after ``KILL_FACTOR * time limit + KILL_GRACE_S`` seconds is killed.
KILL_FACTOR, KILL_GRACE_S = 2.0, 120.0
BEGIN, END = "<!-- curtois:begin -->", "<!-- curtois:end -->"
COLUMNS = (
    "instance",
    "staff",
    "days",
    "objective",
    "bound",
    "best_ub",
    "best_lb",
    "ratio_to_ub",
    "time_to_best_s",
    "wall_s",
    "status",
    "checker",
    "max_rss_mb",
)


@dataclass
class Row:
    """One line of the table; None prints as a dash."""

    instance: str
    staff: int
    days: int
    objective: int | None
    bound: int | None
    best_ub: int | None
    best_lb: int | None
    ratio_to_ub: float | None
    time_to_best_s: float | None
    wall_s: float
    status: str
    checker: str
    max_rss_mb: int | None

    def cells(self, missing: str = "-") -> list[str]:
        """The row as text cells, in :data:`COLUMNS` order; None becomes ``missing``."""
        out = []
        for name in COLUMNS:
            value = getattr(self, name)
            if value is None:
                out.append(missing)
            elif isinstance(value, float):
                out.append(f"{value:.3f}" if name == "ratio_to_ub" else f"{value:.1f}")
            else:
                out.append(str(value))
        return out


def parse_instances(spec: str) -> list[int]:
    """``"1-3,7,10-12"`` -> ``[1, 2, 3, 7, 10, 11, 12]``; ``"all"`` -> 1..24."""
    if spec == "all":
        return list(range(1, 25))
    numbers: list[int] = []
    for part in spec.split(","):
        low, _, high = part.strip().partition("-")
        numbers.extend(range(int(low), int(high or low) + 1))
    return numbers


def best_known(path: Path) -> dict[str, tuple[int | None, int | None]]:
    """Instance -> (smallest UB, largest LB) over the trusted sources of ``best_known.csv``."""
    best: dict[str, tuple[int | None, int | None]] = {}
    with path.open(newline="") as handle:
        for rec in csv.DictReader(handle):
            if not rec["source"].startswith(SOURCES):
                continue
            ub = int(rec["best_known_ub"]) if rec["best_known_ub"] else None
            lb = int(rec["best_known_lb"]) if rec["best_known_lb"] else None
            old_ub, old_lb = best.get(rec["instance"], (None, None))
            ubs = [v for v in (ub, old_ub) if v is not None]
            lbs = [v for v in (lb, old_lb) if v is not None]
            best[rec["instance"]] = (min(ubs, default=None), max(lbs, default=None))
    return best


def verdict(plan: Plan, scenario: Scenario) -> str:
    """The checker's view: ``ok``, or what it disagrees with."""
    result = check(scenario, plan)
    if not result.feasible:
        return f"infeasible ({len(result.hard_violations)} hard)"
    if plan.stats.objective is not None and result.objective != plan.stats.objective:
        return f"objective {result.objective}"
    return "ok"


def run_one(
    number: int, args: argparse.Namespace, best: dict[str, tuple[int | None, int | None]]
) -> Row:
    """Solve one instance, save its plan and return its table row."""
    name = f"Instance{number}"
    path = args.data / f"{name}.txt"
    scenario = read_curtois(path)
    improvements: list[tuple[float, int]] = []

    def progress(p: Progress) -> None:
        if p.objective is not None and (not improvements or p.objective < improvements[-1][1]):
            improvements.append((p.elapsed_s, p.objective))

    params = SolveParams(
        time_limit_s=args.time_limit, workers=args.workers, seed=args.seed, progress=progress
    )
    started = time.perf_counter()
    plan = solve(scenario, params)
    wall = time.perf_counter() - started
    (args.out / f"{name}.plan.json").write_text(plan.model_dump_json(indent=1))
    stats = plan.stats
    to_best = next((t for t, obj in improvements if obj == stats.objective), stats.first_plan_s)
    ub, lb = best.get(name, (None, None))
    ratio = stats.objective / ub if stats.objective is not None and ub else None
    has_plan = stats.objective is not None
    return Row(
        instance=name,
        staff=len(scenario.people),
        days=scenario.horizon.days,
        objective=stats.objective,
        bound=stats.bound,
        best_ub=ub,
        best_lb=lb,
        ratio_to_ub=ratio,
        time_to_best_s=to_best,
        wall_s=wall,
        status=str(stats.status),
        checker=verdict(plan, scenario) if has_plan else "-",
        max_rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
    )


def run_isolated(
    number: int, args: argparse.Namespace, best: dict[str, tuple[int | None, int | None]]
) -> Row:
    """Solve one instance in a child process, killed if it overruns its limit by far.

    A separate process gives each instance its own peak memory figure and keeps one
    instance that hangs or runs out of memory from stopping the table.
    """
    name = f"Instance{number}"
    row_file = args.out / f"{name}.row.json"
    row_file.unlink(missing_ok=True)
    cap = args.kill_after or args.time_limit * KILL_FACTOR + KILL_GRACE_S
    child = [
        sys.executable,
        __file__,
        "--child",
        "--instances",
        str(number),
        *("--time-limit", str(args.time_limit), "--seed", str(args.seed)),
        *("--workers", str(args.workers), "--data", str(args.data), "--out", str(args.out)),
    ]
    started = time.perf_counter()
    try:
        done = subprocess.run(child, timeout=cap, stdout=subprocess.DEVNULL)
        outcome = f"exit {done.returncode}"
    except subprocess.TimeoutExpired:
        outcome = f"killed after {cap:.0f} s"
    if row_file.is_file():
        return Row(**json.loads(row_file.read_text()))
    scenario = read_curtois(args.data / f"{name}.txt")
    ub, lb = best.get(name, (None, None))
    return Row(
        instance=name,
        staff=len(scenario.people),
        days=scenario.horizon.days,
        objective=None,
        bound=None,
        best_ub=ub,
        best_lb=lb,
        ratio_to_ub=None,
        time_to_best_s=None,
        wall_s=time.perf_counter() - started,
        status=f"no result ({outcome})",
        checker="-",
        max_rss_mb=None,
    )


def markdown(rows: list[Row], command: str, args: argparse.Namespace) -> str:
    """The table as markdown, with the command and the settings that made it."""
    lines = [f"Command: `{command}`", ""]
    if args.note:
        lines += [args.note, ""]
    lines += [
        f"Time limit {args.time_limit:g} s per instance, {args.workers} workers, seed "
        f"{args.seed}, commit {_commit()}, run {time.strftime('%Y-%m-%d')}, on a machine with "
        f"{os.cpu_count()} cores shared with other work. `max_rss_mb` is the peak resident "
        "memory of the solving process (each instance runs in its own process). `ratio_to_ub` is "
        "our objective over the best-known UB (below 1 would beat it).",
        "",
        "| " + " | ".join(COLUMNS) + " |",
        "|" + "---|" * len(COLUMNS),
    ]
    lines += ["| " + " | ".join(row.cells()) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def _commit() -> str:
    """The short hash of the checked-out commit (``+dirty`` if files differ), or ``?``."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no", "planner"],
            cwd=REPO,
            capture_output=True,
            text=True,
        ).stdout.strip()
    except OSError:
        return "?"
    return (head or "?") + ("+dirty" if dirty else "")


def update_results(path: Path, table: str) -> None:
    """Replace (or append) the Curtois section of ``path``, leaving other sections alone."""
    replace_section(path, BEGIN, END, "Curtois & Qu shift scheduling benchmark", table)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; return the process exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--instances", default="1-3", help="e.g. 1-3,7,10-12 or all")
    parser.add_argument("--time-limit", type=float, default=60.0, help="seconds per instance")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="instance directory")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "out" / "curtois")
    parser.add_argument(
        "--results", type=Path, help="markdown file whose Curtois section to replace"
    )
    parser.add_argument("--note", default="", help="a sentence to put above the table")
    parser.add_argument(
        "--kill-after",
        type=float,
        help="seconds before an instance's process is killed "
        f"(default {KILL_FACTOR:g} x time limit + {KILL_GRACE_S:g})",
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if not (args.data / "best_known.csv").is_file():
        print(
            f"no Curtois data in {args.data} (set --data or PLANNER_CURTOIS_DIR)", file=sys.stderr
        )
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    best = best_known(args.data / "best_known.csv")
    if args.child:
        for number in parse_instances(args.instances):
            row = run_one(number, args, best)
            (args.out / f"{row.instance}.row.json").write_text(json.dumps(asdict(row)))
        return 0
    command = "python benchmarks/curtois.py " + shlex.join(sys.argv[1:] if argv is None else argv)
    rows: list[Row] = []
    print("| " + " | ".join(COLUMNS) + " |", flush=True)
    for number in parse_instances(args.instances):
        row = run_isolated(number, args, best)
        rows.append(row)
        print("| " + " | ".join(row.cells()) + " |", flush=True)
        with (args.out / "curtois.csv").open("w", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(COLUMNS)
            writer.writerows(r.cells(missing="") for r in rows)
    table = markdown(rows, command, args)
    (args.out / "curtois.md").write_text(table)
    if args.results:
        update_results(args.results, table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
