"""``staffing_need``: the fewest additional people, by category and home, reaching a coverage.

Two methods, one answer format (:class:`NeedResult`):

- ``exact`` (small scenarios): one CP-SAT model over the roster and potential recruits
  with every rule (:mod:`planner.whatif.need_exact`); at OPTIMAL the count is proven
  least, so removing any recruit makes the target unreachable.
- ``aggregate`` (large scenarios): the solver's roster is kept and its holes are filled
  by counted, interchangeable recruits (:mod:`planner.whatif.need_aggregate`).

Either way the recruits' roster is merged into one plan and checked from scratch, so the
reported coverage is that of a real, checked plan. Recruits are assumed as described in
:mod:`planner.whatif.need_pools`.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Literal

from planner.model import Assignment, Person, Plan, Scenario, Stats, Status
from planner.solvers import SolveParams, solve
from planner.whatif.need_aggregate import (
    Hole,
    fillable,
    holes_of,
    holes_scenario,
    solve_aggregate,
)
from planner.whatif.need_exact import solve_exact, with_recruits
from planner.whatif.need_marginal import marginal_values
from planner.whatif.need_pools import Pool, default_categories, recruit_pools

#: Above this many (person, slot) candidates with recruits, ``auto`` aggregates.
EXACT_MAX_CANDIDATES = 40_000

#: Seconds for rostering one pool's recruits on their holes (aggregate method).
POOL_LIMIT_S = 10.0

#: Most rounds of the aggregate method (each fills the holes the previous one left).
MAX_ROUNDS = 3

Method = Literal["auto", "exact", "aggregate"]


@dataclass
class NeedResult:
    """The staffing need and how sure it is.

    ``counts`` maps pool keys (``category@home``) to recruits; ``pools`` describes them.
    ``proven`` is True when the count is proven least (exact method at OPTIMAL);
    ``lower_bound`` is a proven lower bound on the recruits needed (for the aggregate
    method: given the kept roster). ``coverage_pct`` and ``covered`` (person-shifts) are
    the checked plan's coverage with the recruits; ``marginal`` maps each category to the
    person-shifts of shortage one more person of it removes from the plan without
    recruits (placed at the best home).
    """

    scenario: str
    target: float
    method: str
    categories: list[str]
    demand: int
    base_covered: int
    counts: dict[str, int]
    pools: dict[str, Pool]
    proven: bool
    lower_bound: int | None
    coverage_pct: float | None
    check_passed: bool | None
    marginal: dict[str, int] = field(default_factory=dict)
    covered: int | None = None
    rounds: int = 1
    wall_time_s: float = 0.0
    notes: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        """All recruits."""
        return sum(self.counts.values())

    @property
    def reached(self) -> bool:
        """True if the checked plan with the recruits reaches the target."""
        return self.covered is not None and self.covered >= _needed(self.demand, self.target)


def _needed(demand: int, target: float) -> int:
    return math.ceil(target * demand - 1e-9)


def _checked(scenario: Scenario, assignments: list[Assignment]) -> tuple[Plan, bool]:
    from planner.check import check
    from planner.report.build import build_plan

    plan = build_plan(scenario, assignments, Stats(status=Status.FEASIBLE, solver="need"))
    return plan, check(scenario, plan).feasible


def staffing_need(
    scenario: Scenario,
    target: float = 1.0,
    categories: list[str] | None = None,
    time_limit_s: float = 60.0,
    workers: int = 1,
    seed: int = 0,
    method: Method = "auto",
    marginal: bool = True,
) -> NeedResult:
    """The fewest additional people by category and home reaching ``target`` coverage.

    Parameters
    ----------
    scenario
        The scenario as it is.
    target
        Share of demanded person-shifts to cover, in (0, 1].
    categories
        Categories recruits may be of, preferred in this order among equal counts
        (default: every category on the roster, volunteers first).
    time_limit_s, workers, seed
        For each solve; the whole run takes a few times the limit.
    method
        ``exact``, ``aggregate`` or ``auto`` (exact while the model stays small).
    marginal
        Also compute the marginal value of one more person of each category.

    Raises
    ------
    ValueError
        If the target is out of range or a category is unknown.
    """
    if not 0 < target <= 1:
        raise ValueError(f"target: {target} is not in (0, 1]")
    started = time.monotonic()
    cats = list(categories) if categories else default_categories(scenario)
    pools = recruit_pools(scenario, cats)
    params = SolveParams(time_limit_s=time_limit_s, workers=workers, seed=seed)
    base = solve(scenario, params)
    if base.kpis is None or base.stats.status is Status.INFEASIBLE:
        raise ValueError("the scenario has no plan: " + "; ".join(base.stats.conflicts))
    demand, covered = base.kpis.demand, base.kpis.covered
    missing = max(0, _needed(demand, target) - covered)
    bounds = {p.key: missing for p in pools}
    chosen = method
    if method == "auto":
        size = _candidates_with(scenario, pools, bounds)
        chosen = "exact" if size <= EXACT_MAX_CANDIDATES else "aggregate"
    result = NeedResult(
        scenario=scenario.name,
        target=target,
        method=chosen,
        categories=cats,
        demand=demand,
        base_covered=covered,
        counts={},
        pools={p.key: p for p in pools},
        proven=False,
        lower_bound=None,
        coverage_pct=None,
        check_passed=None,
    )
    if missing == 0:
        result.proven, result.lower_bound = True, 0
        result.coverage_pct, result.check_passed = base.kpis.coverage_pct, True
        result.covered = covered
    elif chosen == "exact":
        _exact(scenario, pools, bounds, target, params, result)
    else:
        _aggregate(scenario, base, pools, target, params, result)
    if marginal:
        result.marginal = marginal_values(scenario, base, pools, cats, chosen, params)
    result.wall_time_s = round(time.monotonic() - started, 1)
    return result


def _candidates_with(scenario: Scenario, pools: list[Pool], bounds: dict[str, int]) -> int:
    from planner.solvers.index import build_index

    one = build_index(with_recruits(scenario, pools, dict.fromkeys(bounds, 1)))
    none = build_index(scenario).num_candidates
    return none + (one.num_candidates - none) * max(bounds.values(), default=0)


def _exact(
    scenario: Scenario,
    pools: list[Pool],
    bounds: dict[str, int],
    target: float,
    params: SolveParams,
    result: NeedResult,
) -> None:
    out = solve_exact(
        scenario, pools, bounds, target, params.time_limit_s, params.workers, params.seed
    )
    if not out.feasible:
        result.notes.append("目标在所选类别下不可达 target unreachable with these categories")
        return
    result.counts, result.proven, result.lower_bound = out.counts, out.optimal, out.bound
    # A smaller total would use fewer than it from every pool, so the caps cut no better
    # plan unless the total exceeds the smallest cap by more than one.
    if sum(out.counts.values()) > min(bounds.values(), default=0) + 1:
        result.proven = False
        result.notes.append("候选人数上限可能限制了结果 the caps on potential recruits may bind")
    final = with_recruits(scenario, pools, out.counts)
    plan, ok = _checked(final, out.assignments)
    result.coverage_pct = plan.kpis.coverage_pct if plan.kpis else None
    result.covered = plan.kpis.covered if plan.kpis else None
    result.check_passed = ok


def _aggregate(
    scenario: Scenario,
    base: Plan,
    pools: list[Pool],
    target: float,
    params: SolveParams,
    result: NeedResult,
) -> None:
    counts: dict[str, int] = {}
    current, plan = scenario, base
    for round_no in range(1, MAX_ROUNDS + 1):
        assert plan.kpis is not None
        needed = _needed(plan.kpis.demand, target) - plan.kpis.covered
        if needed <= 0:
            break
        result.rounds = round_no
        holes = holes_of(current, plan)
        can = fillable(current, holes, pools)
        open_to_all = sum(holes[h].missing for h in can)
        if open_to_all < needed:
            if round_no == 1:
                result.notes.append(_unfillable_note(current, holes, can))
            needed = open_to_all
            if needed == 0:
                break
        out = solve_aggregate(
            current, holes, pools, needed, params.time_limit_s, params.workers, params.seed
        )
        if out is None:
            result.notes.append("目标在所选类别下不可达 target unreachable with these categories")
            break
        if round_no == 1:
            result.lower_bound, result.proven = out.bound, False
        added = {k: counts.get(k, 0) for k in out.counts}
        new = {
            pool.key: [pool.person(added[pool.key] + n) for n in range(1, out.counts[pool.key] + 1)]
            for pool in pools
            if out.counts.get(pool.key)
        }
        people = [person for mine in new.values() for person in mine]
        for k, v in out.counts.items():
            counts[k] = counts.get(k, 0) + v
        filled = _fill(current, holes, out.allocation, new, params)
        current = replace_people(current, people)
        plan, ok = _checked(current, [*plan.assignments, *filled])
        result.check_passed = ok
    result.counts = counts
    result.coverage_pct = plan.kpis.coverage_pct if plan.kpis else None
    result.covered = plan.kpis.covered if plan.kpis else None


def _fill(
    scenario: Scenario,
    holes: list[Hole],
    allocation: dict[int, dict[str, int]],
    by_pool: dict[str, list[Person]],
    params: SolveParams,
) -> list[Assignment]:
    """Roster each pool's recruits on the holes allocated to it, pool by pool.

    Pools share no recruit and no hole-share, so each is its own small problem.
    """
    limit = min(POOL_LIMIT_S, params.time_limit_s)
    quick = SolveParams(time_limit_s=limit, workers=params.workers, seed=params.seed)
    out: list[Assignment] = []
    for key, mine in by_pool.items():
        amounts = {h: shares[key] for h, shares in allocation.items() if shares.get(key)}
        if amounts:
            out += solve(holes_scenario(scenario, holes, amounts, mine), quick).assignments
    return out


def _unfillable_note(scenario: Scenario, holes: list[Hole], can: set[int]) -> str:
    """Which roles' holes no recruit of the chosen categories may fill, largest first."""
    from collections import Counter

    left: Counter[str] = Counter()
    for h, hole in enumerate(holes):
        if h not in can:
            left[hole.role.name_zh or hole.role.role] += hole.missing
    parts = "，".join(f"{role} {n}" for role, n in left.most_common(8))
    return (
        f"所选类别无法填补的缺口 holes no recruit of these categories may fill "
        f"({sum(left.values())} 人次 person-shifts): {parts}；目标不可达，按可填补部分计算 "
        f"target unreachable, the need covers the rest"
    )


def replace_people(scenario: Scenario, extra: list[Person]) -> Scenario:
    """The scenario with ``extra`` people appended to the roster."""
    from planner.whatif.edits import replace

    return replace(scenario, people=[*scenario.people, *extra])
