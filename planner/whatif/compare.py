"""Solve every variant of a what-if spec, check every plan, and measure it.

Variants run in separate processes (at most ``jobs`` at once), each with the same seed,
time limit and CP-SAT workers. A worker rebuilds its variant from the spec file, so only
file paths and plain results cross process boundaries.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from planner.model import Plan, Scenario
from planner.report.build import demand_cells, post_community

#: Most variants solved at once by default (the machine's cores, each solve on 1 worker).
DEFAULT_JOBS = 2


@dataclass
class VariantResult:
    """What one variant's plan achieves; plain data, so it crosses processes."""

    name: str
    label: str
    description: str = ""
    people: int = 0
    demand: int = 0
    covered: int = 0
    demand_hours: float = 0.0
    shortage_hours: float = 0.0
    coverage_pct: float = 0.0
    weighted_coverage_pct: float = 0.0
    shortage_by_post_type: dict[str, int] = field(default_factory=dict)
    shortage_by_community: dict[str, int] = field(default_factory=dict)
    shortage_by_day: dict[str, int] = field(default_factory=dict)
    coverage_by_day: dict[str, float] = field(default_factory=dict)
    minutes_mean: float = 0.0
    minutes_max: int = 0
    night_shifts: int = 0
    at_limit: int = 0
    status: str = ""
    objective: int | None = None
    gap: float | None = None
    solve_s: float = 0.0
    check_passed: bool = False
    hard_violations: int = 0
    community_names: dict[str, str] = field(default_factory=dict)
    error: str | None = None

    @property
    def shortage(self) -> int:
        """Person-shifts left uncovered."""
        return self.demand - self.covered

    @property
    def hours_coverage_pct(self) -> float:
        """Share of the demanded person-hours covered: fair across shift patterns."""
        if self.demand_hours == 0:
            return 100.0
        return round(100.0 * (1 - self.shortage_hours / self.demand_hours), 3)


def coverage_by_day(scenario: Scenario, plan: Plan) -> dict[str, float]:
    """Date (ISO) -> percentage of that day's person-shifts covered."""
    demand: Counter[str] = Counter()
    for (_, date, _, _), headcount, _ in demand_cells(scenario):
        demand[date.isoformat()] += headcount
    missing: Counter[str] = Counter()
    for s in plan.shortages:
        missing[s.date.isoformat()] += s.missing
    return {
        day: round(100.0 * (total - missing[day]) / total, 3) if total else 100.0
        for day, total in sorted(demand.items())
    }


def people_at_limit(scenario: Scenario, plan: Plan) -> int:
    """People whose 7-day or horizon minutes limit leaves no room for one more of their shifts.

    A person is at their limit if, in some rolling 7-day window (the horizon, if shorter),
    the minutes they work plus their shortest shift would exceed ``max_minutes_per_7_days``,
    or their horizon minutes plus it would exceed ``max_minutes_per_horizon``.
    """
    shifts = scenario.shift_by_id
    days = scenario.horizon.days
    by_person: dict[str, list[tuple[int, int]]] = {}
    for a in plan.assignments:
        day = scenario.horizon.day_index(a.date)
        by_person.setdefault(a.person, []).append((day, shifts[a.shift].duration_min))
    count = 0
    for pid, worked in by_person.items():
        person = scenario.person_by_id.get(pid)
        if person is None:
            continue
        rules = scenario.rules_for(person)
        shortest = min(m for _, m in worked)
        total = sum(m for _, m in worked)
        full = False
        if rules.max_minutes_per_horizon is not None:
            full = total + shortest > rules.max_minutes_per_horizon.value
        week = rules.max_minutes_per_7_days
        if week is not None and not full:
            starts = range(max(1, days - 6))
            width = min(7, days)
            full = any(
                sum(m for d, m in worked if s <= d < s + width) + shortest > week.value
                for s in starts
            )
        count += full
    return count


def measure(name: str, label: str, scenario: Scenario, plan: Plan) -> VariantResult:
    """The comparison figures of one variant's plan, with the plan checked from scratch."""
    from planner.check import check

    result = check(scenario, plan)
    kpis = plan.kpis
    assert kpis is not None
    loads = plan.workload
    minutes = [w.minutes for w in loads]
    by_community: Counter[str] = Counter()
    for s in plan.shortages:
        by_community[post_community(scenario, scenario.post_by_id[s.post])] += s.missing
    stated = plan.stats.objective
    length = {t.id: t.duration_min for t in scenario.shifts}
    demand_min = sum(h * length[cell[2]] for cell, h, _ in demand_cells(scenario))
    short_min = sum(s.missing * length[s.shift] for s in plan.shortages)
    return VariantResult(
        name=name,
        label=label,
        people=len(scenario.people),
        demand=kpis.demand,
        covered=kpis.covered,
        demand_hours=round(demand_min / 60, 1),
        shortage_hours=round(short_min / 60, 1),
        coverage_pct=kpis.coverage_pct,
        weighted_coverage_pct=kpis.weighted_coverage_pct,
        shortage_by_post_type=dict(kpis.shortage_by_post_type),
        shortage_by_community=dict(by_community),
        shortage_by_day=dict(kpis.shortage_by_day),
        coverage_by_day=coverage_by_day(scenario, plan),
        minutes_mean=round(sum(minutes) / len(minutes), 1) if minutes else 0.0,
        minutes_max=max(minutes, default=0),
        night_shifts=sum(w.nights for w in loads),
        at_limit=people_at_limit(scenario, plan),
        status=plan.stats.status.value,
        objective=stated,
        gap=plan.stats.gap,
        solve_s=plan.stats.wall_time_s,
        check_passed=result.feasible and (stated is None or stated == result.objective),
        hard_violations=sum(1 for v in result.violations if v.hard),
        community_names={c.id: c.name or c.id for c in scenario.communities},
    )


def run_variant(
    spec_path: str,
    name: str,
    time_limit_s: float,
    workers: int,
    seed: int,
    plans_dir: str | None = None,
) -> VariantResult:
    """Build, solve and measure one variant of the spec at ``spec_path`` (a process's job).

    With ``plans_dir`` the variant's plan is also written there as ``<name>.json``.
    """
    from planner.io import load_scenario, write_plan
    from planner.solvers import SolveParams, solve
    from planner.whatif.edits import apply_variant
    from planner.whatif.spec import base_path, load_spec

    spec = load_spec(spec_path)
    variant = spec.variant(name)
    started = time.monotonic()
    try:
        scenario = apply_variant(load_scenario(base_path(spec, spec_path)), variant, spec.seed)
        plan = solve(scenario, SolveParams(time_limit_s=time_limit_s, workers=workers, seed=seed))
    except ValueError as exc:
        return VariantResult(name, variant.title, variant.description, error=str(exc))
    if plan.stats.status.value == "infeasible" or plan.kpis is None:
        reason = "; ".join(plan.stats.conflicts) or "no plan"
        return VariantResult(name, variant.title, variant.description, error=reason)
    if plans_dir is not None:
        Path(plans_dir).mkdir(parents=True, exist_ok=True)
        write_plan(plan, scenario, Path(plans_dir) / f"{name}.json")
    out = measure(name, variant.title, scenario, plan)
    out.description = variant.description
    out.solve_s = round(plan.stats.wall_time_s or time.monotonic() - started, 1)
    return out


def compare(
    spec_path: str | Path,
    time_limit_s: float,
    workers: int = 1,
    jobs: int = DEFAULT_JOBS,
    seed: int = 0,
    on_done: Callable[[VariantResult], None] | None = None,
    plans_dir: Path | None = None,
) -> list[VariantResult]:
    """Solve and measure every variant of a spec, ``jobs`` at a time, in spec order.

    Parameters
    ----------
    spec_path
        The what-if spec file.
    time_limit_s, workers, seed
        The same for every variant's solve.
    jobs
        Most processes at once; 1 runs every variant in this process.
    on_done
        Called with each result as it completes (in completion order).
    plans_dir
        If given, every variant's plan is written there as ``<name>.json``.
    """
    from planner.whatif.spec import load_spec

    spec = load_spec(spec_path)
    names = [v.name for v in spec.all_variants()]
    path = str(Path(spec_path).resolve())
    plans = None if plans_dir is None else str(Path(plans_dir).resolve())
    results: dict[str, VariantResult] = {}
    if jobs <= 1 or len(names) == 1:
        for name in names:
            results[name] = run_variant(path, name, time_limit_s, workers, seed, plans)
            if on_done is not None:
                on_done(results[name])
    else:
        with ProcessPoolExecutor(max_workers=min(jobs, len(names))) as pool:
            futures = {
                pool.submit(run_variant, path, name, time_limit_s, workers, seed, plans): name
                for name in names
            }
            for future in as_completed(futures):
                result = future.result()
                results[futures[future]] = result
                if on_done is not None:
                    on_done(result)
    return [results[name] for name in names]


def horizon_dates(results: list[VariantResult]) -> list[dt.date]:
    """Every date any variant reports a coverage for, in order."""
    days = {day for r in results for day in r.coverage_by_day}
    return [dt.date.fromisoformat(d) for d in sorted(days)]
