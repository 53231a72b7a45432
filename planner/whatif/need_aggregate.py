"""The staffing need of a large scenario: an aggregate model over the plan's holes.

The roster found for the scenario is kept, and the holes it leaves (its shortages) are
what recruits must fill. People of one pool are interchangeable, so the model counts
them: ``n_k`` recruits of pool k and ``y_kc`` of them on hole c (a post, role, day and
shift with ``missing_c`` people missing). Every hard rule of a recruit becomes a limit on
the pool, ``n_k`` times the rule's value, which any real roster of the ``n_k`` people
satisfies (so the model is a relaxation):

- per day and shift: ``sum_c y_kc <= n_k``; per day: ``<= n_k * max_shifts_per_day``
  (and minutes ``<= n_k * max_minutes_per_day``);
- per rolling 7-day window: minutes ``<= n_k * max_minutes_per_7_days``, shifts of at
  least L minutes ``<= n_k * (max_minutes_per_7_days // L)`` (whole shifts), night shifts
  ``<= n_k * max_nights_per_7_days``; per horizon: minutes and shifts per template;
- per ``r+1`` consecutive days: shifts ``<= n_k * r * max_shifts_per_day`` (``r`` =
  ``max_consecutive_days``);
- two shifts too close for the rest rule, or a forbidden succession: their sum ``<= n_k``;
- holes: ``sum_k y_kc <= missing_c``; target: ``sum y >= ceil(target * demand) - covered``.

It minimises the number of recruits (then prefers categories listed first and
high-priority holes). Its optimum is a lower bound on the recruits needed to fill the
holes of this roster. The recruits are then rostered on their holes by the solver itself
(every rule, person by person), the roster is merged with the kept one and checked; holes
still open go through the same steps again (a further round).
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

from ortools.sat.python import cp_model

from planner.model import Demand, Plan, Post, Role, Scenario, WorkRules
from planner.solvers.cpsat.constraints.workload import windows
from planner.whatif.edits import replace
from planner.whatif.need_pools import Pool, eligible_roles


@dataclass(frozen=True)
class Hole:
    """Unmet demand: ``missing`` people for a role at a post on a day and shift."""

    post_idx: int
    entry_idx: int
    role: Role
    day: int
    shift_idx: int
    missing: int
    priority: int


def holes_of(scenario: Scenario, plan: Plan) -> list[Hole]:
    """The plan's shortages as holes (in the plan's order)."""
    post_idx = {p.id: i for i, p in enumerate(scenario.posts)}
    shift_idx = {s.id: i for i, s in enumerate(scenario.shifts)}
    out = []
    for s in plan.shortages:
        post = scenario.posts[post_idx[s.post]]
        entry = post.demand_on(s.date, s.shift)
        assert entry is not None
        role = next(r for r in entry.roles if r.role == s.role)
        out.append(
            Hole(
                post_idx[s.post],
                post.demand.index(entry),
                role,
                scenario.horizon.day_index(s.date),
                shift_idx[s.shift],
                s.missing,
                s.priority,
            )
        )
    return out


def _hard(limit: object) -> int | None:
    value = getattr(limit, "value", None)
    return value if limit is not None and getattr(limit, "weight", 1) is None else None


def _conflict(scenario: Scenario, rules: WorkRules, a: tuple[int, int], b: tuple[int, int]) -> bool:
    """True if one person may not work both (day, shift) ``a`` and ``b`` (a starts first)."""
    sa, sb = scenario.shifts[a[1]], scenario.shifts[b[1]]
    end_a = sa.end_at(a[0])
    start_b = sb.start_at(b[0])
    if start_b < end_a:
        return True
    rest = _hard(rules.min_rest_minutes)
    if rest is not None and start_b - end_a < rest:
        return True
    return b[0] == a[0] + 1 and any(
        f.weight is None and f.first == sa.id and f.then == sb.id
        for f in scenario.rules.forbidden_successions
    )


def fillable(scenario: Scenario, holes: list[Hole], pools: list[Pool]) -> set[int]:
    """Indices of the holes some pool's recruits may fill."""
    roles: set[tuple[str, int, str]] = set()
    for pool in pools:
        roles |= eligible_roles(scenario, pool)
    return {
        h
        for h, hole in enumerate(holes)
        if (scenario.posts[hole.post_idx].id, hole.entry_idx, hole.role.role) in roles
    }


@dataclass
class AggregateOutcome:
    """Recruits per pool, their allocation to holes, and whether the count is proven least."""

    counts: dict[str, int]
    allocation: dict[int, dict[str, int]]  # hole index -> pool key -> people
    optimal: bool
    bound: int | None


def _pool_limits(
    scenario: Scenario,
    model: cp_model.CpModel,
    pool: Pool,
    n: cp_model.IntVar,
    groups: dict[tuple[int, int], list[cp_model.IntVar]],
) -> None:
    """Every hard rule of one recruit, times ``n``, on the pool's allocation ``groups``."""
    rules = scenario.rules.effective(pool.category, None)
    dur = [s.duration_min for s in scenario.shifts]
    night = [s.night for s in scenario.shifts]
    g = {key: sum(vs) for key, vs in groups.items()}
    for expr in g.values():
        model.add(expr <= n)
    by_day: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for key in g:
        by_day[key[0]].append(key)
    per_day = _hard(rules.max_shifts_per_day)
    day_cap = per_day if per_day is not None else max(len(k) for k in by_day.values())
    mpd = _hard(rules.max_minutes_per_day)
    for keys in by_day.values():
        if len(keys) > 1:
            model.add(sum(g[k] for k in keys) <= day_cap * n)
        if mpd is not None:
            model.add(sum(dur[k[1]] * g[k] for k in keys) <= mpd * n)
    m7, n7 = _hard(rules.max_minutes_per_7_days), _hard(rules.max_nights_per_7_days)
    for win in windows(scenario.horizon.days):
        keys = [k for d in win for k in by_day.get(d, [])]
        if m7 is not None and keys:
            model.add(sum(dur[k[1]] * g[k] for k in keys) <= m7 * n)
            # whole shifts: one person works at most m7 // L shifts of L minutes or more
            for length in sorted({dur[k[1]] for k in keys}):
                longer = [k for k in keys if dur[k[1]] >= length]
                model.add(sum(g[k] for k in longer) <= (m7 // length) * n)
        nights = [k for k in keys if night[k[1]]]
        if n7 is not None and nights:
            model.add(sum(g[k] for k in nights) <= n7 * n)
    mh = _hard(rules.max_minutes_per_horizon)
    if mh is not None:
        model.add(sum(dur[k[1]] * e for k, e in g.items()) <= mh * n)
    for tid, limit in rules.max_shifts_per_template.items():
        value = _hard(limit)
        keys = [k for k in g if scenario.shifts[k[1]].id == tid]
        if value is not None and keys:
            model.add(sum(g[k] for k in keys) <= value * n)
    run = _hard(rules.max_consecutive_days)
    if run is not None:
        for first in range(scenario.horizon.days - run):
            keys = [k for d in range(first, first + run + 1) for k in by_day.get(d, [])]
            if keys:
                model.add(sum(g[k] for k in keys) <= run * day_cap * n)
    ordered = sorted(g, key=lambda k: scenario.shifts[k[1]].start_at(k[0]))
    for i, a in enumerate(ordered):
        for b in ordered[i + 1 :]:
            if b[0] > a[0] + 2:
                break
            if a[0] == b[0] and day_cap == 1:
                continue  # already covered by the per-day limit
            if _conflict(scenario, rules, a, b):
                model.add(g[a] + g[b] <= n)


def solve_aggregate(
    scenario: Scenario,
    holes: list[Hole],
    pools: list[Pool],
    needed: int,
    time_limit_s: float,
    workers: int,
    seed: int,
) -> AggregateOutcome | None:
    """Fewest recruits filling at least ``needed`` of the holes (None if impossible)."""
    model = cp_model.CpModel()
    ranks = {cat: r for r, cat in enumerate(dict.fromkeys(p.category for p in pools))}
    y: dict[tuple[int, str], cp_model.IntVar] = {}
    counts: dict[str, cp_model.IntVar] = {}
    for pool in pools:
        roles = eligible_roles(scenario, pool)
        mine = [
            h
            for h, hole in enumerate(holes)
            if (scenario.posts[hole.post_idx].id, hole.entry_idx, hole.role.role) in roles
        ]
        if not mine:
            continue
        most = sum(holes[h].missing for h in mine)
        n = model.new_int_var(0, most, f"n_{pool.key}")
        counts[pool.key] = n
        groups: dict[tuple[int, int], list[cp_model.IntVar]] = defaultdict(list)
        for h in mine:
            var = model.new_int_var(0, holes[h].missing, f"y_{pool.key}_{h}")
            y[(h, pool.key)] = var
            groups[(holes[h].day, holes[h].shift_idx)].append(var)
        _pool_limits(scenario, model, pool, n, groups)
    by_hole: dict[int, list[cp_model.IntVar]] = defaultdict(list)
    for (h, _), var in y.items():
        by_hole[h].append(var)
    for h, vars_ in by_hole.items():
        if len(vars_) > 1:
            model.add(sum(vars_) <= holes[h].missing)
    if sum(holes[h].missing for h in by_hole) < needed:
        return None
    model.add(sum(y.values()) >= needed)
    model.minimize(sum(counts.values()))
    solver = _solver(workers, seed, 0.7 * time_limit_s)
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    total = round(solver.objective_value)
    bound = math.ceil(solver.best_objective_bound - 1e-6)
    optimal = status == cp_model.OPTIMAL
    for var in [*counts.values(), *y.values()]:
        model.add_hint(var, solver.value(var))
    first = _read(solver, counts, y, optimal, bound)
    model.add(sum(counts.values()) == total)
    worst = 1 + sum(h.priority * h.missing for h in holes)
    pool_cat = {p.key: p.category for p in pools}
    model.minimize(
        sum(ranks[pool_cat[k]] * worst * n for k, n in counts.items())
        - sum(holes[h].priority * var for (h, _), var in y.items())
    )
    solver = _solver(workers, seed, 0.3 * time_limit_s)
    if solver.solve(model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return first
    return _read(solver, counts, y, optimal, bound)


def _solver(workers: int, seed: int, time_limit_s: float) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = max(1, workers)
    solver.parameters.random_seed = seed
    solver.parameters.max_time_in_seconds = max(0.5, time_limit_s)
    return solver


def _read(
    solver: cp_model.CpSolver,
    counts: dict[str, cp_model.IntVar],
    y: dict[tuple[int, str], cp_model.IntVar],
    optimal: bool,
    bound: int,
) -> AggregateOutcome:
    allocation: dict[int, dict[str, int]] = defaultdict(dict)
    for (h, key), var in y.items():
        value = solver.value(var)
        if value:
            allocation[h][key] = value
    chosen = {k: solver.value(n) for k, n in counts.items() if solver.value(n)}
    return AggregateOutcome(chosen, dict(allocation), optimal, bound)


def holes_scenario(
    scenario: Scenario, holes: list[Hole], amounts: dict[int, int], people: list
) -> Scenario:
    """A scenario of ``amounts[h]`` people wanted at hole h, for ``people`` alone.

    Posts keep their ids, places, exposure and priority; their demand is the holes only,
    with no "at least" rules and no over-staffing; pins are dropped, and so are the
    objective's workload-shaping terms (only coverage matters to a need).
    """
    dates = scenario.horizon.dates()
    by_post: dict[int, dict[tuple[str, int], list[Role]]] = defaultdict(lambda: defaultdict(list))
    for h, amount in amounts.items():
        if amount <= 0:
            continue
        hole = holes[h]
        fields = {name: getattr(hole.role, name) for name in Role.model_fields}
        fields.update(headcount=amount, overstaff_weight=None)
        key = (scenario.shifts[hole.shift_idx].id, hole.day)
        by_post[hole.post_idx][key].append(Role(**fields))
    posts = []
    for p_idx, entries in sorted(by_post.items()):
        post = scenario.posts[p_idx]
        fields = {name: getattr(post, name) for name in Post.model_fields}
        fields["demand"] = [
            Demand(shift=shift, days=[dates[day]], roles=roles)
            for (shift, day), roles in sorted(entries.items())
        ]
        posts.append(Post(**fields))
    # only coverage matters here: no workload-shaping terms, so a full roster is optimal
    objective = scenario.objective.model_copy(
        update={"fatigue": 0, "fairness": 0, "preference": 0, "continuity": 0}
    )
    return replace(
        scenario, posts=posts, people=people, fixed=[], forbidden=[], objective=objective
    )
