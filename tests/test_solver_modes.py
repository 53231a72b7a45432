"""Solver modes beyond a plain solve: early stop, deterministic search, large districts."""

from __future__ import annotations

import threading

import pytest
from ortools.sat.python import cp_model

import planner.solvers.facade as facade
from planner.check import check
from planner.generate import generate_district
from planner.model import Scenario, Status
from planner.solvers import SolveParams, solve


def small_district() -> Scenario:
    """A generated district with more demand than people, too big to prove optimal at once."""
    return generate_district(communities=1, grids_per_community=2, days=4, seed=3)


def assert_checked(scenario: Scenario, plan: object) -> None:
    result = check(scenario, plan)  # type: ignore[arg-type]
    assert result.feasible, result.summary()
    assert result.objective == plan.stats.objective  # type: ignore[attr-defined]


def test_stop_before_start_returns_a_checked_plan() -> None:
    """A stop asked for at once still returns the best plan so far (the greedy one), which
    the checker accepts with the same objective."""
    scenario = small_district()
    stop = threading.Event()
    stop.set()
    plan = solve(scenario, SolveParams(time_limit_s=30, stop=stop))
    assert plan.stats.status in (Status.FEASIBLE, Status.OPTIMAL)
    assert plan.assignments
    assert_checked(scenario, plan)


def test_deterministic_mode_repeats_the_plan() -> None:
    """With deterministic search, the same seed and workers give the same plan."""
    scenario = small_district()
    params = SolveParams(time_limit_s=2, seed=5, deterministic=True)
    first, second = solve(scenario, params), solve(scenario, params)
    assert first.assignments == second.assignments
    assert first.stats.objective == second.stats.objective
    assert_checked(scenario, first)


def test_large_district_path_plans_are_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    """The decomposition used for districts too large for one model (forced here on a small
    one) returns a plan the checker accepts with the same objective, and a valid bound."""
    monkeypatch.setattr(facade, "LARGE_CANDIDATES", 10)
    scenario = small_district()
    plan = solve(scenario, SolveParams(time_limit_s=8))
    assert "lns" in plan.stats.solver
    assert plan.stats.bound is not None and plan.stats.objective is not None
    assert plan.stats.bound <= plan.stats.objective
    assert_checked(scenario, plan)


def test_greedy_fallback_reports_done_with_its_objective(monkeypatch: pytest.MonkeyPatch) -> None:
    """When CP-SAT finds nothing in time (forced here) the greedy plan is returned, and the
    last progress report is ``done`` with that plan's objective and bound: a service showing
    the latest progress shows the plan it returned."""
    from ortools.sat.python import cp_model

    from planner.solvers.cpsat.run import RunResult

    nothing = RunResult(cp_model.UNKNOWN, None, None, None, 0.0, None)
    monkeypatch.setattr(facade, "run_cpsat", lambda *args, **kwargs: nothing)
    monkeypatch.setattr(facade, "fix_decisions", lambda *args, **kwargs: None)
    scenario = small_district()
    reports: list[object] = []
    plan = solve(scenario, SolveParams(time_limit_s=5, progress=reports.append))
    assert "greedy plan" in plan.stats.solver
    last = reports[-1]
    assert last.phase == "done"  # type: ignore[attr-defined]
    assert last.objective == plan.stats.objective  # type: ignore[attr-defined]
    assert last.bound == plan.stats.bound  # type: ignore[attr-defined]
    assert_checked(scenario, plan)


def test_search_ends_at_a_floor_of_the_model_objective() -> None:
    """A floor known to bound the model's objective (e.g. column generation's) ends the
    search at the first solution that reaches it, where CP-SAT's own bound may never get.
    A floor above every solution (not a real bound; it only shows the stop) ends it at the
    first solution, the hint; without the flag the same search improves on the hint."""
    from planner.solvers.cpsat.builder import build_model
    from planner.solvers.cpsat.run import fix_decisions, run_cpsat
    from planner.solvers.greedy import greedy_plan
    from planner.solvers.index import build_index

    index = build_index(generate_district(communities=1, grids_per_community=1, days=2, seed=3))
    ctx = build_model(index)
    params = SolveParams(time_limit_s=5, workers=1, deterministic=True)
    hint = fix_decisions(ctx, greedy_plan(index), 5.0, params)
    assert hint is not None
    hinted = facade._objective_from(ctx, hint)
    searched = run_cpsat(ctx, params, 5.0, hint, 0.0, 10**12)
    stopped = run_cpsat(ctx, params, 5.0, hint, 0.0, 10**12, floor_bounds_model=True)
    assert searched.objective is not None and searched.objective < hinted
    assert stopped.status == cp_model.FEASIBLE
    assert stopped.objective == hinted
