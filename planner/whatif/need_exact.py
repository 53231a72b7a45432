"""The exact staffing need: one CP-SAT model over the roster and potential recruits.

The solver's own model (every rule family, :func:`planner.solvers.cpsat.builder.build_model`)
is built for the scenario with up to ``U_k`` potential recruits of each pool k added. Then

- ``used_r`` is 1 iff recruit r works at all (``x_c <= used_r`` for each of their
  candidates), and within a pool recruit i+1 is used only if recruit i is
  (``used_i >= used_{i+1}``), which removes the symmetry of interchangeable people;
- ``short_s >= headcount_s - assigned_s`` per slot s, and
  ``sum(short_s) <= demand - ceil(target * demand)``;
- the objective is, lexicographically: fewest recruits; among those, categories listed
  first; then the least priority-weighted shortage.

At OPTIMAL the count is proven minimal: no smaller set of recruits from the pools admits
a plan that reaches the target under the scenario's hard rules.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from planner.model import Assignment, Scenario
from planner.solvers.cpsat.builder import build_model
from planner.solvers.cpsat.constraints.workload import windows
from planner.solvers.cpsat.context import ModelContext
from planner.solvers.index import build_index
from planner.whatif.edits import replace
from planner.whatif.need_pools import Pool

#: Share of the time limit spent proving the fewest recruits (the rest picks among equals).
PHASE1_SHARE = 0.7


@dataclass
class ExactOutcome:
    """What the exact model found: recruits per pool, and whether it is proven minimal."""

    counts: dict[str, int]
    optimal: bool
    feasible: bool
    bound: int | None
    shortage: int | None
    num_candidates: int
    assignments: list[Assignment] = field(default_factory=list)


def with_recruits(scenario: Scenario, pools: list[Pool], counts: dict[str, int]) -> Scenario:
    """The scenario with ``counts[pool.key]`` recruits of each pool appended to the roster."""
    extra = [p for pool in pools for p in pool.people(counts.get(pool.key, 0))]
    return replace(scenario, people=[*scenario.people, *extra]) if extra else scenario


def _shortage_vars(ctx: ModelContext) -> tuple[list[cp_model.IntVar], list[int]]:
    """One ``short_s >= headcount - assigned`` variable per slot, and the slot priorities."""
    model, index = ctx.model, ctx.index
    shorts, prios = [], []
    for s_idx, slot in enumerate(index.slots):
        hc = slot.headcount
        if hc == 0:
            continue
        short = model.new_int_var(0, hc, f"need_short_s{s_idx}")
        model.add(short >= hc - sum(ctx.x[c] for c in index.by_slot[s_idx]))
        shorts.append(short)
        prios.append(index.priority(s_idx))
    return shorts, prios


def _cuts(ctx: ModelContext, p: int, cands: list[int], used: cp_model.IntVar) -> None:
    """Redundant limits scaled by ``used``: they make the LP bound of the count strong.

    Per day, a recruit works at most ``max_shifts_per_day`` shifts (one per time, else),
    and per rolling 7-day window at most their hard minutes, but only if used at all.
    """
    index, model = ctx.index, ctx.model
    rules = ctx.rules[p]
    by_day: dict[int, list[int]] = {}
    for c in cands:
        by_day.setdefault(index.slots[index.cand_slot[c]].day, []).append(c)
    per_day = rules.max_shifts_per_day
    cap = per_day.value if per_day is not None and per_day.hard else None
    for cs in by_day.values():
        shifts = {index.slots[index.cand_slot[c]].shift_idx for c in cs}
        model.add(sum(ctx.x[c] for c in cs) <= (cap or len(shifts)) * used)
    week = rules.max_minutes_per_7_days
    if week is None or not week.hard:
        return
    for win in windows(ctx.num_days):
        inside = [c for d in win for c in by_day.get(d, [])]
        if inside:
            minutes = [ctx.durations[index.slots[index.cand_slot[c]].shift_idx] for c in inside]
            if sum(minutes) > week.value:
                model.add(
                    cp_model.LinearExpr.weighted_sum([ctx.x[c] for c in inside], minutes)
                    <= week.value * used
                )


def _used_vars(
    ctx: ModelContext, first_recruit: int, pools: list[Pool], bounds: dict[str, int]
) -> list[tuple[Pool, list[cp_model.IntVar]]]:
    """``used`` literals per pool, linked to the recruits' candidates, symmetry broken."""
    model, index = ctx.model, ctx.index
    by_person: dict[int, list[int]] = {}
    for c, p in enumerate(index.cand_person):
        if p >= first_recruit:
            by_person.setdefault(p, []).append(c)
    out = []
    p = first_recruit
    for pool in pools:
        lits: list[cp_model.IntVar] = []
        for n in range(bounds.get(pool.key, 0)):
            used = model.new_bool_var(f"used_{pool.key}_{n}")
            for c in by_person.get(p, []):
                model.add_implication(ctx.x[c], used)
            _cuts(ctx, p, by_person.get(p, []), used)
            if lits:
                model.add_implication(used, lits[-1])
            lits.append(used)
            p += 1
        out.append((pool, lits))
    return out


def solve_exact(
    scenario: Scenario,
    pools: list[Pool],
    bounds: dict[str, int],
    target: float,
    time_limit_s: float,
    workers: int,
    seed: int,
    max_recruits: int | None = None,
) -> ExactOutcome:
    """Fewest recruits (at most ``bounds[pool.key]`` per pool) reaching ``target`` coverage.

    With ``max_recruits`` the count is capped instead and the shortage minimised (used
    for the marginal value of one more person).
    """
    big = with_recruits(scenario, pools, bounds)
    index = build_index(big)
    ctx = build_model(index)
    model = ctx.model
    model.clear_objective()
    shorts, prios = _shortage_vars(ctx)
    demand = sum(slot.headcount for slot in index.slots)
    used = _used_vars(ctx, len(scenario.people), pools, bounds)
    every = [lit for _, lits in used for lit in lits]
    weighted = sum(p * s for p, s in zip(prios, shorts, strict=True))
    worst = 1 + sum(prios) * max((s.headcount for s in index.slots), default=1)
    if max_recruits is not None:
        if every:
            model.add(sum(every) <= max_recruits)
        model.minimize(worst * sum(shorts) + weighted)
        solver = _solver(workers, seed, time_limit_s)
        status = solver.solve(model)
        return _outcome(solver, status, used, shorts, ctx, None)
    allowed = demand - math.ceil(target * demand - 1e-9)
    model.add(sum(shorts) <= allowed)
    # phase 1: fewest recruits, proven if the solver closes the gap
    model.minimize(sum(every))
    solver = _solver(workers, seed, PHASE1_SHARE * time_limit_s)
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return _outcome(solver, status, used, shorts, ctx, None)
    count = round(solver.objective_value)
    bound = math.ceil(solver.best_objective_bound - 1e-6)
    first = _outcome(solver, status, used, shorts, ctx, bound)
    # phase 2: as many, categories listed first, then the least weighted shortage
    ranks = {cat: r for r, cat in enumerate(dict.fromkeys(pool.category for pool in pools))}
    for var in [*every, *shorts]:
        model.add_hint(var, solver.value(var))
    model.add(sum(every) == count)
    model.minimize(
        sum(ranks[pool.category] * worst * lit for pool, lits in used for lit in lits) + weighted
    )
    solver = _solver(workers, seed, (1 - PHASE1_SHARE) * time_limit_s)
    second = solver.solve(model)
    if second not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return first
    return _outcome(solver, status, used, shorts, ctx, bound)


def _solver(workers: int, seed: int, time_limit_s: float) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = max(1, workers)
    solver.parameters.random_seed = seed
    solver.parameters.max_time_in_seconds = max(0.1, time_limit_s)
    # the count's bound comes from the LP of the cuts above: keep it in the search
    solver.parameters.linearization_level = 2
    return solver


def _outcome(
    solver: cp_model.CpSolver,
    status: cp_model.CpSolverStatus,
    used: list[tuple[Pool, list[cp_model.IntVar]]],
    shorts: list[cp_model.IntVar],
    ctx: ModelContext,
    bound: int | None,
) -> ExactOutcome:
    num_candidates = ctx.index.num_candidates
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return ExactOutcome({}, False, False, None, None, num_candidates)
    counts = {pool.key: sum(solver.value(lit) for lit in lits) for pool, lits in used}
    return ExactOutcome(
        counts={k: v for k, v in counts.items() if v},
        optimal=status == cp_model.OPTIMAL,
        feasible=True,
        bound=bound,
        shortage=sum(solver.value(s) for s in shorts),
        num_candidates=num_candidates,
        assignments=_assignments(ctx, solver),
    )


def _assignments(ctx: ModelContext, solver: cp_model.CpSolver) -> list[Assignment]:
    """The roster of the solver's solution, with ids."""
    return ctx.index.assignments([c for c, var in enumerate(ctx.x) if solver.value(var)])
