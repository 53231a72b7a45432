"""Speed and scale: plan synthetic districts and Chongwen, with model size, time, gap and memory.

Full run (about 70-80 minutes on 2 cores; run it on an otherwise idle machine)::

    python benchmarks/scale.py --sizes 300,1000,3742,10000 --days 7,14 --runs 3 \
        --time-limit 60 --limit synthetic-3742-14d=120 --limit synthetic-10000-7d=300 \
        --limit synthetic-10000-14d=300 --limit chongwen-14d=120 \
        --results benchmarks/RESULTS.md

Instances: synthetic districts of each ``--sizes`` people and ``--days`` days, and (unless
``--no-chongwen``) the shipped ``scenarios/chongwen/scenario.yaml`` (7 days) and
``scenario_14d.yaml`` (14 days). Each instance is solved ``--runs`` times with the same seed
and workers, every run in a fresh process whose peak resident memory (``ru_maxrss``, read
right after the solve, before checking) is reported; the table shows the median of the runs
and how many of them the checker accepted, priced equally and were no worse than greedy. The
greedy baseline (``greedy_plan`` priced exactly by ``decompose.price``) and the model size are
measured once per instance, in a process of their own.

Synthetic districts copy Chongwen's shape, scaled to the number of people: its mix of people
by category (:data:`CW_PEOPLE`), its number of posts of each type per person
(:data:`CW_POSTS`), one community per ~625 people with ~70 people per grid, and its demand
per day of each post type per person (:data:`CW_DEMAND`). ``planner.generate`` draws posts
with a few people each, so the headcount of each post's open-ended roles (template maximum
above 1) is multiplied by one factor per post type until that type's demand per day matches
Chongwen's per person. Demand then exceeds people about 1.35 times per day (5,895 positions
for 4,374 people in Chongwen), so shortage is structural, as in the real districts.

Output: progress lines on stderr; the table on stdout and in ``<out>/scale.md`` and
``<out>/scale.csv``; every run in ``<out>/scale_runs.csv``. With ``--results FILE`` the
markdown also replaces the scale section of that file (between its markers).
"""

from __future__ import annotations

import argparse
import csv
import os
import shlex
import statistics
import sys
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path
from typing import Any

# measure this checkout's code (and label it with its commit), whatever copy is installed
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from planner.model import Scenario
from planner.report.sections import replace_section

REPO = Path(__file__).resolve().parents[1]
BEGIN, END = "<!-- scale:begin -->", "<!-- scale:end -->"
#: The full run, as in the module docstring.
FULL_RUN = (
    "python benchmarks/scale.py --sizes 300,1000,3742,10000 --days 7,14 --runs 3 "
    "--time-limit 60 --limit synthetic-3742-14d=120 --limit synthetic-10000-7d=300 "
    "--limit synthetic-10000-14d=300 --limit chongwen-14d=120 --results benchmarks/RESULTS.md"
)
#: Chongwen (scenarios/chongwen/scenario.yaml): people by category (its 12 custom
#: market officers left out), posts by type, and positions per day by post type.
CW_SIZE = 4374
CW_PEOPLE = {"volunteer": 3414, "medical": 320, "seconded_cadre": 300, "assistant": 129,
             "street_cadre": 72, "group_leader": 58, "committee_member": 45,
             "community_worker": 24}  # fmt: skip
CW_POSTS = {"checkpoint": 69, "grid_duty": 64, "sampling_station": 38, "command": 21,
            "market": 16, "other": 14, "traffic": 7, "delivery": 7, "disinfection": 7,
            "transfer": 1}  # fmt: skip
CW_DEMAND = {"grid_duty": 2889, "sampling_station": 1725, "checkpoint": 544, "delivery": 245,
             "market": 208, "other": 83, "disinfection": 64, "traffic": 60, "command": 59,
             "transfer": 18}  # fmt: skip
COLUMNS = ("instance", "people", "days", "demand_per_day", "slots", "candidates", "runs",
           "first_plan_s", "final_s", "objective", "bound", "gap_pct", "greedy",
           "not_worse_than_greedy", "checker_ok", "objective_equal", "peak_rss_mb")  # fmt: skip
RUN_COLUMNS = ("instance", "run", "status", "first_plan_s", "final_s", "objective", "bound",
               "gap_pct", "checker_ok", "objective_equal", "peak_rss_mb", "error")  # fmt: skip


def split(total: int, weights: Mapping[str, int]) -> dict[str, int]:
    """``total`` split in proportion to ``weights``, rounded so the parts sum to ``total``."""
    whole = sum(weights.values())
    raw = {k: total * w / whole for k, w in weights.items()}
    out = {k: int(v) for k, v in raw.items()}
    for k in sorted(raw, key=lambda k: out[k] - raw[k])[: total - sum(out.values())]:
        out[k] += 1
    return out


def synthetic(size: int, days: int, seed: int = 0) -> Scenario:
    """A Chongwen-shaped district of ``size`` people (see the module docstring)."""
    from planner.generate import POST_TEMPLATES, generate_district
    from planner.model import PostType

    posts = {k: max(1, round(n * size / CW_SIZE)) for k, n in CW_POSTS.items()}
    communities = max(1, round(size / 625))
    grids = max(2, min(10, round(size / communities / 70)))
    name = f"synthetic district ({size} people, {days} days, seed {seed})"
    data = generate_district(
        communities, grids, split(size, CW_PEOPLE), posts, days=days, seed=seed, name=name
    ).model_dump()
    for ptype, per_day in CW_DEMAND.items():
        crowd = {r.role for r in POST_TEMPLATES[PostType(ptype)].roles if r.high > 1}
        demand = [d for p in data["posts"] if p["type"] == ptype for d in p["demand"]]
        roles = [r for d in demand for r in d["roles"]]
        fixed = sum(r["headcount"] for r in roles if r["role"] not in crowd)
        open_ended = sum(r["headcount"] for r in roles if r["role"] in crowd)
        factor = max(1.0, (per_day * size / CW_SIZE - fixed) / open_ended) if open_ended else 1.0
        for r in roles:
            if r["role"] in crowd:
                r["headcount"] = max(1, round(r["headcount"] * factor))
    return Scenario.model_validate(data)


def load(instance: str, seed: int) -> Scenario:
    """The scenario of ``synthetic-<people>-<days>d`` or ``chongwen-7d`` / ``chongwen-14d``."""
    if instance.startswith("chongwen-"):
        from planner.io import load_scenario

        suffix = "" if instance == "chongwen-7d" else "_" + instance.split("-")[1]
        return load_scenario(REPO / "scenarios" / "chongwen" / f"scenario{suffix}.yaml")
    _, size, days = instance.split("-")
    return synthetic(int(size), int(days.rstrip("d")), seed)


def baseline(instance: str, seed: int, workers: int) -> dict[str, Any]:
    """Model size and the greedy plan's exact objective (run in a process of its own)."""
    from planner.solvers import SolveParams
    from planner.solvers.decompose import price
    from planner.solvers.greedy import greedy_plan
    from planner.solvers.index import build_index

    scenario = load(instance, seed)
    index = build_index(scenario)
    started = time.perf_counter()
    priced = price(index, greedy_plan(index), SolveParams(workers=workers, seed=seed), 60)
    return {
        "people": len(scenario.people),
        "days": scenario.horizon.days,
        "demand_per_day": round(sum(s.headcount for s in index.slots) / scenario.horizon.days),
        "slots": len(index.slots),
        "candidates": index.num_candidates,
        "greedy": priced.objective if priced is not None else None,
        "greedy_s": time.perf_counter() - started,
    }


def one_run(instance: str, label: str, limit: float, seed: int, workers: int) -> dict[str, Any]:
    """Solve once, read the peak memory, then check the plan (run in a fresh process)."""
    import resource

    from planner.check import check
    from planner.solvers import Progress, SolveParams, solve

    scenario = load(instance, seed)
    last: dict[str, Any] = {"phase": "", "at": -10.0}

    def progress(p: Progress) -> None:
        if p.phase != last["phase"] or p.elapsed_s - last["at"] >= 10:
            gap = "-" if p.gap is None else f"{100 * p.gap:.2f}%"
            print(f"  [{label}] {p.elapsed_s:7.1f} s {p.phase}: objective {p.objective} "
                  f"bound {p.bound} gap {gap}", file=sys.stderr, flush=True)  # fmt: skip
            last.update(phase=p.phase, at=p.elapsed_s)

    params = SolveParams(time_limit_s=limit, workers=workers, seed=seed, progress=progress)
    plan = solve(scenario, params)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    stats = plan.stats
    result = check(scenario, plan)
    return {
        "status": str(stats.status),
        "first_plan_s": stats.first_plan_s,
        "final_s": stats.wall_time_s,
        "objective": stats.objective,
        "bound": stats.bound,
        "gap_pct": None if stats.gap is None else 100 * stats.gap,
        "checker_ok": result.feasible,
        "objective_equal": result.objective == stats.objective,
        "peak_rss_mb": rss_mb,
    }


def in_fresh_process(fn: Callable[..., dict[str, Any]], *args: Any) -> dict[str, Any]:
    """``fn(*args)`` in a newly spawned process; an error becomes ``{"error": ...}``."""
    try:
        with ProcessPoolExecutor(1, mp_context=get_context("spawn")) as pool:
            return pool.submit(fn, *args).result()
    except Exception as exc:  # a crash or a killed worker is a result to report
        return {"error": f"{type(exc).__name__}: {exc}"[:200]}


def summarise(instance: str, base: dict[str, Any], runs: list[dict[str, Any]]) -> dict[str, Any]:
    """One table row: the median of the runs that finished, and counts of what held."""
    done = [r for r in runs if "error" not in r and r["objective"] is not None]
    row: dict[str, Any] = {"instance": instance, **{k: base.get(k) for k in COLUMNS[1:6]}}
    row["greedy"] = base.get("greedy")
    row["runs"] = f"{len(done)}/{len(runs)}"

    def median(key: str) -> Any:
        values = [r[key] for r in done if r[key] is not None]
        if not values:
            return None
        if isinstance(values[0], int):
            return statistics.median_low(values)
        return statistics.median(values)

    for key in ("first_plan_s", "final_s", "objective", "bound", "gap_pct", "peak_rss_mb"):
        row[key] = median(key)
    greedy = row["greedy"]
    not_worse = [r["objective"] <= greedy for r in done] if greedy is not None else []
    row["not_worse_than_greedy"] = f"{sum(not_worse)}/{len(done)}" if not_worse else None
    for key in ("checker_ok", "objective_equal"):
        row[key] = f"{sum(bool(r[key]) for r in done)}/{len(done)}" if done else None
    return row


def cell(value: Any, missing: str = "-") -> str:
    """A value as table text: None as ``missing``, floats with one or two decimals."""
    if value is None:
        return missing
    if isinstance(value, float):
        return f"{value:.2f}" if value < 10 else f"{value:.1f}"
    return str(value)


def machine() -> str:
    """Cores, memory and CPU model of this machine, from ``/proc``."""
    model, mem_gb = "unknown CPU", 0.0
    try:
        names = [ln for ln in Path("/proc/cpuinfo").read_text().splitlines() if "model name" in ln]
        model = names[0].split(":", 1)[1].strip() if names else model
        meminfo = Path("/proc/meminfo").read_text().split()
        mem_gb = int(meminfo[meminfo.index("MemTotal:") + 1]) / 1024**2
    except (OSError, ValueError):
        pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    return f"{os.cpu_count()} cores, {mem_gb:.1f} GB RAM, {model}; load average {load:.2f} at start"


def markdown(rows: list[dict[str, Any]], command: str, settings: str, note: str = "") -> str:
    """The table as markdown, with the command, the settings and a legend."""
    lines = ["Command:", "", "```", command, "```", ""] + ([note, ""] if note else [])
    if command != FULL_RUN:
        lines += ["The full run:", "", "```", FULL_RUN, "```", ""]
    lines += [
        settings,
        "",
        "Each row is the median over the runs that finished (`runs`). `demand_per_day` is "
        "positions per day; `slots` and `candidates` (eligible person-slot pairs) give the model "
        "size; `first_plan_s` is the time to the first complete plan, `final_s` the whole solve; "
        "`gap_pct` is (objective - bound) / objective; `greedy` is the greedy plan's exact "
        "objective; the last columns count runs never worse than greedy, accepted by the "
        "checker, and whose checker objective equals the solver's; `peak_rss_mb` is the solving "
        "process's peak resident memory.",
        "",
        "| " + " | ".join(COLUMNS) + " |",
        "|" + "---|" * len(COLUMNS),
    ]
    lines += ["| " + " | ".join(cell(row.get(k)) for k in COLUMNS) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def update_results(path: Path, table: str) -> None:
    """Replace (or append) the scale section of ``path``, leaving other sections alone."""
    replace_section(path, BEGIN, END, "Speed and scale", table)


def write_csv(path: Path, columns: tuple[str, ...], rows: list[dict[str, Any]]) -> None:
    """``rows`` as CSV with ``columns``; None becomes an empty cell."""
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        writer.writerows([cell(r.get(k), "") for k in columns] for r in rows)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; return the process exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="300,1000,3742,10000", help="people, comma-separated")
    parser.add_argument("--days", default="7,14", help="horizons of the synthetic districts")
    parser.add_argument("--runs", type=int, default=3, help="runs per instance (median shown)")
    parser.add_argument("--time-limit", type=float, default=60.0, help="seconds per run")
    parser.add_argument("--limit", action="append", default=[], metavar="INSTANCE=SECONDS",
                        help="time limit for one instance, e.g. chongwen-14d=120")  # fmt: skip
    parser.add_argument("--include-chongwen", dest="chongwen", action="store_true", default=True)
    parser.add_argument("--no-chongwen", dest="chongwen", action="store_false")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "out" / "scale")
    parser.add_argument("--results", type=Path, help="markdown file whose scale section to replace")
    parser.add_argument("--note", default="", help="a sentence to put above the table")
    args = parser.parse_args(argv)
    try:
        limits = {k: float(v) for k, _, v in (item.partition("=") for item in args.limit)}
    except ValueError:
        parser.error("--limit takes INSTANCE=SECONDS, e.g. chongwen-14d=120")
    instances = [f"synthetic-{int(n)}-{int(d)}d" for n in args.sizes.split(",") if n.strip()
                 for d in args.days.split(",") if d.strip()]  # fmt: skip
    instances += ["chongwen-7d", "chongwen-14d"] if args.chongwen else []
    unknown = set(limits) - set(instances)
    if unknown:
        parser.error(f"--limit for an instance not in this run: {', '.join(sorted(unknown))}")
    args.out.mkdir(parents=True, exist_ok=True)
    command = "python benchmarks/scale.py " + shlex.join(sys.argv[1:] if argv is None else argv)
    host = machine()
    print(f"machine: {host}", file=sys.stderr, flush=True)
    rows: list[dict[str, Any]] = []
    all_runs: list[dict[str, Any]] = []
    for instance in instances:
        limit = limits.get(instance, args.time_limit)
        print(f"{instance}: model size and greedy baseline", file=sys.stderr, flush=True)
        base = in_fresh_process(baseline, instance, args.seed, args.workers)
        print(f"{instance}: {base}", file=sys.stderr, flush=True)
        runs = []
        for k in range(1, args.runs + 1):
            label = f"{instance} run {k}/{args.runs}, {limit:g} s"
            print(f"{label}: solving", file=sys.stderr, flush=True)
            run = in_fresh_process(one_run, instance, label, limit, args.seed, args.workers)
            print(f"{label}: {run}", file=sys.stderr, flush=True)
            runs.append(run)
            all_runs.append({"instance": instance, "run": k, **run})
        rows.append(summarise(instance, base, runs))
        if "error" in base:
            rows[-1]["instance"] += f" (baseline failed: {base['error']})"
        print("| " + " | ".join(cell(rows[-1].get(k)) for k in COLUMNS) + " |", flush=True)
        write_csv(args.out / "scale.csv", COLUMNS, rows)
        write_csv(args.out / "scale_runs.csv", RUN_COLUMNS, all_runs)
    overrides = ", ".join(f"{k} {v:g} s" for k, v in limits.items())
    settings = (
        f"Time limit {args.time_limit:g} s per run{f' ({overrides})' if overrides else ''}, "
        f"{args.runs} run(s) per instance, each in a fresh process, {args.workers} workers, seed "
        f"{args.seed}, commit {_commit()}, run {time.strftime('%Y-%m-%d')}. Machine: {host}."
    )
    table = markdown(rows, command, settings, args.note)
    (args.out / "scale.md").write_text(table)
    print(table)
    if args.results:
        update_results(args.results, table)
    return 0


def _commit() -> str:
    """The short hash of the checked-out commit (``+dirty`` if planner/ differs), or ``?``."""
    import subprocess

    def git(*cmd: str) -> str:
        return subprocess.run(["git", *cmd], cwd=REPO, capture_output=True, text=True).stdout

    try:
        dirty = git("status", "--porcelain", "--untracked-files=no", "planner").strip()
        return (git("rev-parse", "--short", "HEAD").strip() or "?") + ("+dirty" if dirty else "")
    except OSError:
        return "?"


if __name__ == "__main__":
    sys.exit(main())
