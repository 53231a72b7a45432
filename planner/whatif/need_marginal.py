"""Marginal value of one more person of each category: shortage removed per person.

Measured on the plan without recruits. Exact method: the exact model with at most one
recruit of the category (any home) against the same model with none, both minimising
the person-shifts short. Aggregate method: one recruit rostered by the solver on the
holes of the kept roster open to them, for each home, keeping the best; a home is
skipped when its open holes, or the most shifts one person may work, cannot beat the
best so far.
"""

from __future__ import annotations

from planner.model import Plan, Scenario
from planner.solvers import SolveParams, solve
from planner.whatif.need_aggregate import holes_of, holes_scenario
from planner.whatif.need_exact import solve_exact
from planner.whatif.need_pools import Pool, eligible_roles

#: Seconds for each one-person solve (aggregate method).
MARGINAL_LIMIT_S = 5.0


def marginal_values(
    scenario: Scenario,
    base: Plan,
    pools: list[Pool],
    categories: list[str],
    method: str,
    params: SolveParams,
) -> dict[str, int]:
    """Person-shifts of shortage one more person of each category removes."""
    assert base.kpis is not None
    out: dict[str, int] = {}
    if method == "exact":
        limit = params.time_limit_s
        args = (params.workers, params.seed)
        zero = solve_exact(scenario, [], {}, 1.0, limit, *args, max_recruits=0)
        for cat in categories:
            mine = [p for p in pools if p.category == cat]
            one = solve_exact(scenario, mine, {p.key: 1 for p in mine}, 1.0, limit, *args, 1)
            if zero.shortage is not None and one.shortage is not None:
                out[cat] = zero.shortage - one.shortage
        return out
    quick = SolveParams(
        time_limit_s=min(MARGINAL_LIMIT_S, params.time_limit_s),
        workers=params.workers,
        seed=params.seed,
    )
    holes = holes_of(scenario, base)
    for cat in categories:
        best = 0
        cap = _most_shifts(scenario, cat)
        for pool in [p for p in pools if p.category == cat]:
            roles = eligible_roles(scenario, pool)
            amounts = {
                h: hole.missing
                for h, hole in enumerate(holes)
                if (scenario.posts[hole.post_idx].id, hole.entry_idx, hole.role.role) in roles
            }
            if min(cap, sum(amounts.values())) <= best:
                continue
            sub = holes_scenario(scenario, holes, amounts, [pool.person(1)])
            best = max(best, len(solve(sub, quick).assignments))
        out[cat] = best
    return out


def _most_shifts(scenario: Scenario, category: str) -> int:
    """Most shifts one person of ``category`` could work under their hard limits."""
    from planner.solvers.bound import person_shift_cap

    rules = scenario.rules.effective(category, None)
    per_day = rules.max_shifts_per_day
    day_cap = per_day.value if per_day is not None and per_day.hard else len(scenario.shifts)
    durations = {s.id: s.duration_min for s in scenario.shifts}
    days = scenario.horizon.days
    return person_shift_cap(rules, days, durations, [day_cap] * days)
