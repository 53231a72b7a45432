"""Plans from column generation's master (see :mod:`planner.solvers.colgen`): the greedy
plan following the master LP, the master in whole numbers, the whole model restricted
to the shifts the master uses, and a dive that fixes most people's rosters from the master
and leaves the rest to the whole model."""

from __future__ import annotations

import math
import time
from collections import defaultdict
from typing import TYPE_CHECKING

from ortools.sat.python import cp_model

from planner.solvers.base import SolveParams
from planner.solvers.cpsat.builder import build_model, terms_at
from planner.solvers.cpsat.run import fix_decisions
from planner.solvers.greedy import greedy_plan
from planner.solvers.index import ProblemIndex, restrict
from planner.solvers.lp_bound import LpGuide
from planner.solvers.pricing import REDUCED_COST_EPS, Key

if TYPE_CHECKING:
    from planner.solvers.colgen import ColumnGeneration

#: GLOP's parameters for the master's rounds. Without presolve GLOP starts each round from
#: the last basis: measured on a district of 1,000 people, 0.5 s a round throughout,
#: against 0.4 s growing to 1.8 s by the twelfth round with it.
MASTER_LP_PARAMS = "use_preprocessing: false"
#: Share of the people a dive (see :func:`dive_plan`) leaves free. Measured on Curtois
#: Instance 15 (45 nurses), from its converged master, one run each with 60 s for the whole
#: model after: 4,156 with 10 left free, 4,048 with 15 and 4,143 with 22.
DIVE_FREE_SHARE = 1 / 3
#: Steps a dive takes to fix the others (fixing as many rosters at each).
DIVE_STEPS = 60
#: GLOP's parameters for a dive's steps: after a bound changes, the dual simplex goes on
#: from the last basis. Measured on Curtois Instance 13's converged master (11,000 rosters),
#: fixing four rosters a step: 0.15 to 0.5 s a step, against 3.7 to 4.2 s with the primal
#: simplex that suits the rounds (where columns come in).
DIVE_LP_PARAMS = MASTER_LP_PARAMS + " use_dual_simplex: true"
#: Shares of a dive's time for its steps and for the whole-number master that hints the
#: whole model after (which has the rest).
DIVE_STEPS_SHARE = 0.3
DIVE_HINT_SHARE = 0.15


def guided_plan(
    cg: ColumnGeneration, once_by: float | None = None, workers: int = 1
) -> list[int] | None:
    """The greedy plan that follows the master LP's solution: its person-shifts per group
    and class of slots (see :class:`planner.solvers.lp_bound.LpGuide`), None if the master
    has no solution. The master is solved from GLOP's last basis, or with ``once_by`` by
    :meth:`ColumnGeneration.solve_master_once` by that time, on ``workers`` threads.

    Measured on Chongwen (7 days, 4,374 people in 738 groups), repaired and priced: after
    40 s of rounds 96.97e9, against 102.59e9 for the whole-number master (15 s) and 97.78e9
    for the greedy plan guided by the row-form LP; after 100 s, 96.64e9 against 105.50e9.
    """
    solved = cg.solve_master() if once_by is None else cg.solve_master_once(once_by, workers)
    if not solved:
        return None
    group_of = {p: group[0] for group in cg.members for p in group}
    return greedy_plan(cg.index, LpGuide(cg.slot_class, group_of, master_share(cg)))


def master_share(cg: ColumnGeneration) -> dict[tuple[int, int], float]:
    """Person-shifts per (group, class of slots) in the master LP's solution (solved last):
    placed by its ``x`` where the group may take several classes at a key, else by the
    rosters working the key (see ``ColumnGeneration.direct``)."""
    share: dict[tuple[int, int], float] = defaultdict(float)
    for (g, _, cls), x in cg.x_vars.items():
        value = cg.value(x)
        if value > 0:
            share[(g, cls)] += value
    for (g, roster), lam in zip(cg.columns, cg.lam_vars, strict=True):
        value = cg.value(lam)
        if value > 0:
            for key in roster:
                only = cg.direct.get((g, key))
                if only is not None:
                    share[(g, only)] += value
    return dict(share)


def integer_plan(cg: ColumnGeneration, seconds: float, workers: int, seed: int) -> list[int] | None:
    """The master over the columns found, in whole numbers, as candidates (None if
    CP-SAT found none in ``seconds``).

    Each roster is worked by the LP's number of people rounded down or up: measured on
    a district of 300 people, the free whole-number master hinted with the greedy plan
    ended at 7,862 units short in 12 s, this one at 7,550 (LP bound 7,464).
    """
    if not cg.solve_master():
        return None
    model = cp_model.CpModel()
    lam = []
    for var, (g, roster) in zip(cg.lam_vars, cg.columns, strict=True):
        value = var.solution_value()
        if not roster:  # anyone may be left without shifts
            lam.append(model.new_int_var(0, cg.size[g], ""))
            continue
        lam.append(model.new_int_var(math.floor(value + 1e-6), math.ceil(value - 1e-6), ""))
    by_group: dict[int, list[cp_model.IntVar]] = defaultdict(list)
    working: dict[tuple[int, Key], list[cp_model.IntVar]] = defaultdict(list)
    for var, (g, roster) in zip(lam, cg.columns, strict=True):
        by_group[g].append(var)
        for key in roster:
            working[(g, key)].append(var)
    for g, k in cg.size.items():
        model.add(sum(by_group[g]) == k)
    xs: dict[tuple[int, int], cp_model.IntVar] = {}
    covering: dict[int, list[cp_model.IntVar]] = defaultdict(list)
    for (g, key), classes in cg.classes_at.items():
        if not working.get((g, key)):
            continue
        here = []
        for cls in classes:
            x = xs[(g, cls)] = model.new_int_var(0, cg.size[g], "")
            here.append(x)
            covering[cls].append(x)
        if all(cg.over[cls] is not None for cls in classes):
            # every shift worked is placed, over-staffing if need be, so that each person
            # works a whole roster and keeps their hard rules: measured on Curtois
            # Instance 13 (converged master, 39 s), 12,259 against 25,188 once repaired,
            # and the plan on the master's shifts from it 2,048 against 2,550
            model.add(sum(here) == sum(working[(g, key)]))
        else:
            # a shift worked need not be placed (the plan then leaves it out): with places
            # for every shift worked, rounding a roster up past a hard headcount cap leaves
            # no solution, as measured on a district of 300 people
            model.add(sum(here) <= sum(working[(g, key)]))
    total = sum(cg.size.values())
    costs = []
    for cls, n in cg.need.items():
        miss = model.new_int_var(0, n, "")
        costs.append(cg.weight[cls] * miss)
        over = cg.over[cls]
        if over is None:
            model.add(sum(covering[cls]) + miss == n)
            continue
        surplus = model.new_int_var(0, total, "")
        costs.append(over * surplus)
        model.add(sum(covering[cls]) + miss - surplus == n)
    costs.extend(cost * var for cost, var in zip(cg.costs, lam, strict=True) if cost)
    model.minimize(sum(costs))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    solver.parameters.max_time_in_seconds = max(0.1, seconds)
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    counts = [solver.value(v) for v in lam]
    fill = {gc: solver.value(x) for gc, x in xs.items() if solver.value(x)}
    return _assign(cg, counts, fill)


def dive_plan(cg: ColumnGeneration, seconds: float, workers: int, seed: int) -> list[int] | None:
    """A plan in ``seconds`` that works the master LP's likeliest rosters (None if the
    master has no solution).

    The dive fixes the rosters the master works most, a few at each step, solving the master
    again over the columns it has, until ``DIVE_FREE_SHARE`` of the people are left; the
    whole-number master then gives a plan, and CP-SAT improves it on the whole model
    restricted to the fixed rosters' shifts and every candidate of the people left (see
    :func:`support_plan`). The master's solution is fractional nearly throughout (Curtois
    Instance 13: 566 of its 568 rosters in use), and rounding it costs much; fixing rosters
    a few at a time lets the master move the others around them.

    Measured on Curtois Instance 15's converged master (bound 3,823.6, best known 3,829),
    15 of its 45 nurses left free and 60 s for the whole model: 4,048, in 76 s in all,
    against 4,537 for the whole-number master and the plan on the master's shifts in
    250 s; pricing new rosters after each step (three rounds) gave 4,032, but took 223 s.
    """
    deadline = time.monotonic() + seconds
    if not cg.solve_master():
        return None
    total = sum(cg.size.values())
    per_step = max(1, math.ceil((1 - DIVE_FREE_SHARE) * total / DIVE_STEPS))
    fixed: dict[int, int] = defaultdict(int)  # group -> people whose roster is fixed
    lower: dict[int, int] = {}  # column -> people fixed to work it
    steps_end = time.monotonic() + DIVE_STEPS_SHARE * seconds
    cg.lp.SetSolverSpecificParametersAsString(DIVE_LP_PARAMS)
    try:
        while total - sum(fixed.values()) > DIVE_FREE_SHARE * total:
            values = [var.solution_value() for var in cg.lam_vars]
            likeliest = sorted(
                (
                    (v, j)
                    for j, v in enumerate(values)
                    if v > lower.get(j, 0) + 1e-6 and abs(v - round(v)) > 1e-6
                ),
                reverse=True,
            )
            stepped: set[int] = set()
            for v, j in likeliest:
                g = cg.columns[j][0]
                if g in stepped:
                    continue
                more = min(math.ceil(v - 1e-6) - lower.get(j, 0), cg.size[g] - fixed[g])
                if more <= 0:
                    continue
                stepped.add(g)
                fixed[g] += more
                lower[j] = lower.get(j, 0) + more
                cg.lam_vars[j].SetLb(lower[j])
                if len(stepped) >= per_step:
                    break
            if not stepped or time.monotonic() >= steps_end:
                break  # the master is whole, or the steps' time is up
            cg.set_deadline(deadline)
            if not cg.solve_master():
                return None
        free = {g for g, k in cg.size.items() if fixed[g] < k}
        cg.set_deadline(deadline)
        hint = integer_plan(cg, DIVE_HINT_SHARE * seconds, workers, seed)
        left = deadline - time.monotonic()
        return support_plan(cg, hint, left, workers, seed, free) if left > 0.1 else hint
    finally:
        for j in lower:
            cg.lam_vars[j].SetLb(0)
        cg.lp.SetSolverSpecificParametersAsString(MASTER_LP_PARAMS)


def support_plan(
    cg: ColumnGeneration,
    start: list[int] | None,
    seconds: float,
    workers: int,
    seed: int,
    free: set[int] | None = None,
) -> list[int] | None:
    """The best plan CP-SAT finds in ``seconds`` with the whole model restricted to the
    (day, shift)s the master LP gives each group and those of ``start`` (a plan, the
    hint), or ``start`` if it finds none; the groups ``free`` keep every (day, shift).

    Rosters of the master combine only as wholes; here each person may work any mix of
    those shifts. Measured on Curtois Instance 8 (LP bound 1,297, best known 1,300):
    1,396 in 10 s on 722 of its 3,120 candidates, against 2,097 for the whole-number
    master in 5 s, and 1,511 for the whole model at 60 s.
    """
    if not cg.solve_master():
        return start
    index = cg.index
    support: dict[int, set[Key]] = defaultdict(set)
    for (g, roster), var in zip(cg.columns, cg.lam_vars, strict=True):
        if var.solution_value() > REDUCED_COST_EPS:
            support[g].update(roster)
    keep = set(start or ()) | {c for c in index.fixed_cands if c is not None}
    for group in cg.members:
        every = free is not None and group[0] in free
        for p in group:
            for key, cands in index.by_person_day_shift[p].items():
                if every or key in support[group[0]]:
                    keep.update(cands)
    old = sorted(keep)
    sub, _ = restrict(index, old)
    ctx = build_model(sub)
    deadline = time.monotonic() + seconds
    hint_objective = None
    if start is not None:
        # a complete hint, so that CP-SAT starts from the plan rather than near it
        new_of = {c: new for new, c in enumerate(old)}
        params = SolveParams(time_limit_s=seconds, workers=workers, seed=seed)
        values = fix_decisions(ctx, [new_of[c] for c in start], 0.5 * seconds, params)
        if values is not None:
            hint_objective = sum(terms_at(ctx, values).values())
            model = ctx.model
            for i, v in enumerate(values):
                model.add_hint(model.get_int_var_from_proto_index(i), v)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    solver.parameters.max_time_in_seconds = max(0.1, deadline - time.monotonic())
    status = solver.solve(ctx.model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return start
    if hint_objective is not None and solver.objective_value >= hint_objective:
        return start
    return [c for c, x in zip(old, ctx.x, strict=True) if solver.value(x)]


def _assign(cg: ColumnGeneration, counts: list[int], fill: dict[tuple[int, int], int]) -> list[int]:
    """People, slots and candidates for a whole-number master solution."""
    index = cg.index
    open_slots: dict[int, list[int]] = defaultdict(list)  # class -> slots, with repeats
    slots_of: dict[int, list[int]] = defaultdict(list)
    for s, slot in enumerate(index.slots):
        open_slots[cg.slot_class[s]].extend([s] * max(0, slot.headcount - cg.filled.get(s, 0)))
        slots_of[cg.slot_class[s]].append(s)
    extra: dict[int, int] = defaultdict(int)  # class -> places over-staffed so far
    left = dict(fill)
    rosters: dict[int, list[frozenset[Key]]] = defaultdict(list)
    for n, (g, roster) in zip(counts, cg.columns, strict=True):
        rosters[g].extend([roster] * n)
    chosen: list[int] = []
    for group in cg.members:
        g = group[0]
        for p, roster in zip(group, rosters.get(g, []), strict=False):
            keys = index.by_person_day_shift[p]
            for key in sorted(roster):
                for cls in cg.classes_at[(g, key)]:
                    if left.get((g, cls), 0) <= 0:
                        continue
                    left[(g, cls)] -= 1
                    if open_slots[cls]:
                        s = open_slots[cls].pop()
                    else:  # over-staffed: spread over the class's slots
                        s = slots_of[cls][extra[cls] % len(slots_of[cls])]
                        extra[cls] += 1
                    chosen.append(next(c for c in keys[key] if index.cand_slot[c] == s))
                    break
    return sorted(_without_unmet_at_least(index, chosen))


def _without_unmet_at_least(index: ProblemIndex, chosen: list[int]) -> list[int]:
    """``chosen`` less every post-shift whose hard "at least k of these categories" rule
    it breaks: rosters are priced one person at a time, so they cannot see such rules, and
    a post-shift left empty keeps them."""
    scenario = index.scenario
    taken = set(chosen)
    for ps in index.postshifts:
        demand = scenario.posts[ps.post_idx].demand[ps.demand_idx]
        hard = [r for r in demand.at_least if r.weight is None]
        if not hard:
            continue
        here = [c for s in ps.slot_idxs for c in index.by_slot[s] if c in taken]
        categories = [scenario.people[index.cand_person[c]].category for c in here]
        if any(sum(cat in r.categories for cat in categories) < r.count for r in hard):
            taken.difference_update(here)
    return [c for c in chosen if c in taken]
