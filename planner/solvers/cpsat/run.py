"""Run CP-SAT on a built model: hint completion, progress reporting, parameters."""

from __future__ import annotations

import bisect
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from ortools.sat.python import cp_model

from planner.solvers.base import Progress, SolveParams
from planner.solvers.cpsat.context import ModelContext


@dataclass
class RunResult:
    """What one CP-SAT run produced."""

    status: int
    objective: int | None
    bound: int | None
    values: list[int] | None
    wall_time_s: float
    first_solution_s: float | None


def solver_for(params: SolveParams, time_limit_s: float) -> cp_model.CpSolver:
    """A CP-SAT solver with the scenario-independent parameters set."""
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = max(1, params.workers)
    if params.workers == 2:
        # Measured on the Curtois instances 2, 3 and 7 (2 cores): the LP-heavy worker
        # proves optima the default one cannot, and improves faster; see
        # benchmarks/RESULTS.md. With two workers CP-SAT runs only the first of these as a
        # full solver; the other thread is shared by its neighbourhood and local searches.
        # Instance 7 at 60 s, seeds 0-2: 1,075, 1,070 and 1,061 with this list, against
        # 1,177 and 1,281 (seeds 0-1) with the default and 1,091 and 1,180 with the
        # core-based worker first.
        solver.parameters.subsolvers.extend(["max_lp", "core"])
    solver.parameters.random_seed = params.seed
    if params.deterministic:
        solver.parameters.interleave_search = True
        solver.parameters.max_deterministic_time = max(0.05, time_limit_s)
        # the clock only guards against a runaway search
        solver.parameters.max_time_in_seconds = 10 * max(1.0, time_limit_s)
    else:
        solver.parameters.max_time_in_seconds = max(0.05, time_limit_s)
    if params.target_gap > 0:
        solver.parameters.relative_gap_limit = params.target_gap
    return solver


@dataclass(frozen=True)
class Stall:
    """When a search counts as stalled: no improvement of at least ``relative`` (a fraction
    of the objective) for ``fraction`` of its running time, and at least ``least_s``
    seconds, once it has run ``min_run_s`` seconds."""

    min_run_s: float
    least_s: float = 5.0
    fraction: float = 0.25
    relative: float = 0.005
    #: also stalled once it gains less than ``rate`` (a fraction of the objective a second)
    #: over the last ``rate_window_s`` seconds, once it has run ``rate_min_run_s`` seconds
    #: (0: no such test; see ``facade``'s probe)
    rate: float = 0.0
    rate_window_s: float = 0.0
    rate_min_run_s: float = 0.0

    def stalled(
        self, run_s: float, since_mark_s: float, history: list[tuple[float, int]], now: float
    ) -> bool:
        """True if a search that has run ``run_s`` seconds, with its last improvement that
        counted ``since_mark_s`` ago and solutions ``history`` ((time, objective), in
        order), has stalled at time ``now``."""
        if not history:
            return False
        if self.rate > 0 and self.rate_window_s > 0 and run_s >= self.rate_min_run_s:
            # the last solution at or before the window's start (checked every 0.1 s: no scan)
            i = bisect.bisect_right(history, now - self.rate_window_s, key=lambda h: h[0])
            if i:
                then = history[i - 1][1]
                if then - history[-1][1] < self.rate * self.rate_window_s * abs(then):
                    return True
        if run_s < self.min_run_s:
            return False
        return since_mark_s > max(self.least_s, self.fraction * run_s)


class _Progress(cp_model.CpSolverSolutionCallback):
    def __init__(
        self,
        report: Callable[[Progress], None] | None,
        started: float,
        floor: int,
        done: Callable[[int], bool] | None = None,
    ) -> None:
        super().__init__()
        self.report = report
        self.started = started
        self.floor = floor
        #: ends the search once it returns True for a solution's objective
        self.done = done
        self.first: float | None = None
        #: the objective at the last improvement that counted, and when it came
        self.marked: int | None = None
        self.marked_at = time.monotonic()
        self.relative = 0.0
        #: (time, objective) of every solution, in order
        self.history: list[tuple[float, int]] = []

    def on_solution_callback(self) -> None:
        now = time.monotonic()
        elapsed = now - self.started
        if self.first is None:
            self.first = elapsed
        objective = round(self.objective_value)
        self.history.append((now, objective))
        if self.marked is None or self.marked - objective >= self.relative * abs(self.marked):
            self.marked, self.marked_at = objective, now
        if self.done is not None and self.done(objective):
            self.stop_search()
        if self.report is None:
            return
        bound = max(self.floor, math.ceil(self.best_objective_bound - 1e-6))
        self.report(Progress(elapsed, "cp-sat", objective, bound, gap_of(objective, bound)))


def solve_stoppable(
    solver: cp_model.CpSolver,
    model: cp_model.CpModel,
    params: SolveParams,
    callback: cp_model.CpSolverSolutionCallback | None = None,
    stalled: Callable[[], bool] | None = None,
) -> cp_model.CpSolverStatus:
    """``solver.solve`` that ends early (keeping its best solution) once ``params.stop`` is
    set or ``stalled()`` returns True."""
    if params.stop is None and stalled is None:
        return solver.solve(model, callback)
    done = threading.Event()

    def watch() -> None:
        while not done.wait(0.1):
            if params.stopped() or (stalled is not None and stalled()):
                solver.stop_search()
                return

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        return solver.solve(model, callback)
    finally:
        done.set()
        watcher.join()


def gap_of(objective: int | None, bound: int | None) -> float | None:
    """Relative gap ``(objective - bound) / max(1, |objective|)``."""
    if objective is None or bound is None:
        return None
    return max(0.0, (objective - bound) / max(1, abs(objective)))


def fix_decisions(
    ctx: ModelContext, chosen: list[int], time_limit_s: float, params: SolveParams
) -> list[int] | None:
    """Values of every model variable for the plan ``chosen``, or None if it is infeasible.

    The decision variables are fixed to the plan and CP-SAT only derives the indicators,
    which is fast: the result is a complete hint and a complete first plan.
    """
    model = ctx.model.clone()
    picked = set(chosen)
    for c in range(len(ctx.x)):
        var = model.get_bool_var_from_proto_index(ctx.x[c].index)
        model.add(var == int(c in picked))
    solver = solver_for(params, time_limit_s)
    solver.parameters.num_workers = 1
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return list(solver.response_proto.solution)


def run_cpsat(
    ctx: ModelContext,
    params: SolveParams,
    time_limit_s: float,
    hint: list[int] | None,
    started: float,
    floor: int,
    stall: Stall | None = None,
    floor_bounds_model: bool = False,
) -> RunResult:
    """Solve ``ctx.model`` from ``hint`` (values of all variables) within the time limit.

    With ``stall`` the search also ends once it stalls (never in deterministic mode, whose
    result must not depend on the clock). With ``floor_bounds_model`` (``floor`` is a proven
    lower bound of the model's own objective, e.g. from column generation) it also ends
    once a solution reaches ``floor`` or ``params.target_gap`` above it: CP-SAT's own bound
    may never get there.
    """
    model = ctx.model
    if hint is not None:
        model.clear_hints()
        for i, value in enumerate(hint):
            model.add_hint(model.get_int_var_from_proto_index(i), value)
    solver = solver_for(params, time_limit_s)
    done = None
    if floor_bounds_model:

        def done(objective: int) -> bool:
            return objective <= floor or params.close_enough(objective, floor)

    callback = _Progress(params.progress, started, floor, done)
    stalled = None
    if stall is not None and not params.deterministic:
        callback.relative = stall.relative
        begun = time.monotonic()

        def stalled() -> bool:
            now = time.monotonic()
            return stall.stalled(now - begun, now - callback.marked_at, callback.history, now)

    status = solve_stoppable(solver, model, params, callback, stalled)
    values = None
    objective = bound = None
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        values = list(solver.response_proto.solution)
        objective = round(solver.objective_value)
        bound = (
            objective
            if status == cp_model.OPTIMAL
            else math.ceil(solver.best_objective_bound - 1e-6)
        )
    return RunResult(int(status), objective, bound, values, solver.wall_time, callback.first)
