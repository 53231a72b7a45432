"""A lower bound and a plan from whole rosters of one person (column generation).

The LP of :mod:`planner.solvers.lp_bound` holds each person's rules as linear rows, so it
may give a volunteer 6.7 six-hour shifts in a week of 2,400 minutes. Here a person's week
is a *column*: a whole roster that meets every hard rule of theirs (rest, nights, 7-day
minutes, consecutive days...). The master LP chooses how many people of each group of
interchangeable people work each column; a CP-SAT model of one person of the group, built
by the same constraint families as the full model, finds the column that the LP's prices
value most (pricing). The master's bound is the LP bound over the convex hull of each
person's rosters, which is never weaker than the row form and often clearly stronger.

Rows of the master, per group ``g`` of ``k`` people, class ``c`` of slots (see
:func:`planner.solvers.lp_bound._slot_classes`) and (day, shift) ``key``:

- coverage: ``sum_g x[g, c] + miss[c] >= need[c]``;
- link: ``sum_{c at key} x[g, c] <= sum of lam[g, r] over rosters r of g working key``;
- people: ``sum_r lam[g, r] <= k``.

Any duals give a valid bound (Lagrangian relaxation of coverage and link rows, with
``0 <= x[g, c] <= k`` and ``0 <= miss[c] <= need[c]``)::

    sum_c (pi_c need_c + need_c min(0, w_c - pi_c)) + sum_{g, c} k min(0, rho_{g, key(c)} - pi_c)
      - sum_g k max(0, best roster value of g under rho_g)

so the bound holds at every round, not only when no column is left to add; a pricing
solve cut short uses CP-SAT's upper bound on the best roster value.

The master over the columns found, with whole numbers, is solved by CP-SAT: its solution is
a plan (each person of a group works one chosen roster; each (day, shift) they work goes to
a slot of a class the solution fills), usually far better than a greedy one.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from ortools.linear_solver import pywraplp
from ortools.sat.python import cp_model

from planner.solvers.cpsat.constraints.sequences import add_sequences
from planner.solvers.cpsat.constraints.timing import add_timing
from planner.solvers.cpsat.constraints.workload import add_workload
from planner.solvers.cpsat.context import ModelContext
from planner.solvers.index import ProblemIndex, restrict
from planner.solvers.lp_bound import _slot_classes, whole_units

Key = tuple[int, int]
#: Largest integer price of one (day, shift) in a pricing model (prices are scaled to it).
PRICE_SCALE = 1_000_000
#: A column enters the master if it is worth more than this above the group's dual.
REDUCED_COST_EPS = 1e-6
#: Weight of the best bound's prices in the prices of a round (0: the master's own). Measured
#: on a district of 1,000 people, started without the row-form LP's prices: a bound of
#: 22,507 after 15 s without smoothing, 24,204 after 24 s with 0.5, 24,250 after 23 s with 0.8.
SMOOTHING = 0.8
#: Most seconds one pricing solve may take (then CP-SAT's upper bound is used).
PRICING_LIMIT_S = 2.0


@dataclass
class ColumnResult:
    """What column generation found within its time."""

    #: best lower bound on the objective (None if no pricing round completed)
    bound: int | None
    #: the plan of the whole-number master, as candidates (None if none was found)
    chosen: list[int] | None
    #: True if no column could improve the master any more
    converged: bool = False


class _Pricer:
    """A CP-SAT model of one person's hard rules over their (day, shift) keys."""

    def __init__(self, index: ProblemIndex, p: int) -> None:
        keys = index.by_person_day_shift[p]
        # the rules read only which (day, shift) is worked: one candidate per key is enough
        sub, _ = restrict(index, sorted(cands[0] for cands in keys.values()))
        ctx = ModelContext(sub, people=[p])
        for add in (add_timing, add_workload, add_sequences):
            add(ctx)
        self.model = ctx.model
        self.works = {key: ctx.w(p, *key) for key in keys}

    def best(self, prices: dict[Key, float]) -> tuple[float, list[Key]]:
        """An upper bound on the best roster's value under ``prices`` (all >= 0), and a
        roster reaching it up to the integer scaling (empty if the model found none)."""
        top = max(prices.values(), default=0.0)
        if top <= 0:
            return 0.0, []
        scale = PRICE_SCALE / top
        coefs = {key: math.ceil(v * scale) for key, v in prices.items() if v > 0}
        self.model.maximize(sum(c * self.works[key] for key, c in coefs.items()))
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.max_time_in_seconds = PRICING_LIMIT_S
        status = solver.solve(self.model)
        if status == cp_model.INFEASIBLE:  # no roster meets the rules: worth nothing
            return 0.0, []
        upper = solver.best_objective_bound / scale
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return upper, []
        return upper, [key for key in coefs if solver.value(self.works[key])]


class ColumnGeneration:
    """The master LP over rosters, grown by pricing, and its whole-number plan."""

    def __init__(self, index: ProblemIndex, members: list[list[int]]) -> None:
        self.index = index
        self.members = members
        self.size = {group[0]: len(group) for group in self.members}
        reps = set(self.size)
        self.slot_class = _slot_classes(index, reps)
        self.need: dict[int, int] = defaultdict(int)
        self.weight: dict[int, int] = {}
        for s, slot in enumerate(index.slots):
            cls = self.slot_class[s]
            self.need[cls] += slot.headcount
            self.weight[cls] = index.priority(s)
        self.classes_at: dict[tuple[int, Key], list[int]] = {}
        for g in self.size:
            for key, cands in index.by_person_day_shift[g].items():
                self.classes_at[(g, key)] = sorted(
                    {self.slot_class[index.cand_slot[c]] for c in cands}
                )
        self.pricers: dict[int, _Pricer] = {}
        self.center: tuple[list[float], dict[tuple[int, Key], float]] | None = None
        self.center_bound: float | None = None
        self.columns: list[tuple[int, frozenset[Key]]] = []
        self.lam_vars: list[pywraplp.Variable] = []
        self._seen: set[tuple[int, frozenset[Key]]] = set()
        self._build_master()

    # ------------------------------------------------------------------ master LP
    def _build_master(self) -> None:
        lp = pywraplp.Solver.CreateSolver("GLOP")
        assert lp is not None  # GLOP ships with OR-Tools
        # without presolve GLOP starts each round from the last basis: measured on a
        # district of 1,000 people, 0.5 s a round throughout, against 0.4 s growing to 1.8 s
        # by the twelfth round with it
        lp.SetSolverSpecificParametersAsString("use_preprocessing: false")
        self.lp = lp
        inf = lp.infinity()
        objective = lp.Objective()
        self.cover = []
        for cls in range(len(self.weight)):
            miss = lp.NumVar(0, self.need[cls], "")
            objective.SetCoefficient(miss, self.weight[cls])
            row = lp.Constraint(self.need[cls], inf)
            row.SetCoefficient(miss, 1)
            self.cover.append(row)
        objective.SetMinimization()
        self.people_row = {g: lp.Constraint(-inf, k) for g, k in self.size.items()}
        self.link = {}
        for (g, key), classes in self.classes_at.items():
            row = lp.Constraint(-inf, 0)
            self.link[(g, key)] = row
            for cls in classes:
                x = lp.NumVar(0, self.size[g], "")
                row.SetCoefficient(x, 1)
                self.cover[cls].SetCoefficient(x, 1)

    def add_column(self, g: int, roster: frozenset[Key]) -> bool:
        """Add roster ``roster`` of group ``g`` (False if it is there already)."""
        if (g, roster) in self._seen:
            return False
        self._seen.add((g, roster))
        self.columns.append((g, roster))
        lam = self.lp.NumVar(0, self.lp.infinity(), "")
        self.lam_vars.append(lam)
        self.people_row[g].SetCoefficient(lam, 1)
        for key in roster:
            self.link[(g, key)].SetCoefficient(lam, -1)
        return True

    def add_plan(self, chosen: list[int]) -> None:
        """Add the roster of every person of the plan ``chosen`` as a column."""
        for g, roster in self._rosters(chosen).items():
            for r in roster:
                self.add_column(g, r)

    def _rosters(self, chosen: list[int]) -> dict[int, list[frozenset[Key]]]:
        index = self.index
        worked: dict[int, set[Key]] = defaultdict(set)
        for c in chosen:
            slot = index.slots[index.cand_slot[c]]
            worked[index.cand_person[c]].add((slot.day, slot.shift_idx))
        out: dict[int, list[frozenset[Key]]] = defaultdict(list)
        for group in self.members:
            for p in group:
                if worked.get(p):
                    out[group[0]].append(frozenset(worked[p]))
        return out

    def _solve_lp(self) -> bool:
        return bool(self.lp.Solve() == pywraplp.Solver.OPTIMAL)

    # ------------------------------------------------------------------ rounds
    def round(self, deadline: float) -> tuple[float | None, int]:
        """Solve the master, price every group; returns the round's bound in priority
        units (None if the deadline came first) and the number of columns added.

        Prices are smoothed towards those of the best bound so far (Wentges): the master's
        own duals swing from round to round, and measured on a district of 1,000 people the
        bound climbs in fewer rounds this way. A round whose smoothed prices add no column
        is priced again at the master's own."""
        if not self._solve_lp():
            return None, 0
        pi = [max(0.0, row.dual_value()) for row in self.cover]
        rho = {gk: max(0.0, -row.dual_value()) for gk, row in self.link.items()}
        sigma = {g: max(0.0, -row.dual_value()) for g, row in self.people_row.items()}
        tries = [SMOOTHING, 0.0] if self.center is not None else [0.0]
        best: float | None = None
        for a in tries:
            if a > 0 and self.center is not None:
                cpi, crho = self.center
                spi = [a * c + (1 - a) * v for c, v in zip(cpi, pi, strict=True)]
                srho = {gk: a * crho[gk] + (1 - a) * v for gk, v in rho.items()}
            else:
                spi, srho = pi, rho
            bound, rosters = self._lagrange(spi, srho, deadline)
            if bound is None:
                return best, 0
            if self.center_bound is None or bound > self.center_bound:
                self.center, self.center_bound = (spi, srho), bound
            best = bound if best is None else max(best, bound)
            added = 0
            for g, roster in rosters:
                value = sum(rho[(g, key)] for key in roster)
                if value > sigma[g] + REDUCED_COST_EPS:
                    added += self.add_column(g, roster)
            if added:
                return best, added
        return best, 0

    def _lagrange(
        self, pi: list[float], rho: dict[tuple[int, Key], float], deadline: float
    ) -> tuple[float | None, list[tuple[int, frozenset[Key]]]]:
        """The Lagrangian bound at prices ``pi`` (coverage) and ``rho`` (links), and each
        group's best roster at them (None, [] if the deadline came first)."""
        bound = 0.0
        for cls, n in self.need.items():
            bound += pi[cls] * n + n * min(0.0, self.weight[cls] - pi[cls])
        for (g, key), classes in self.classes_at.items():
            for cls in classes:
                bound += self.size[g] * min(0.0, rho[(g, key)] - pi[cls])
        found: list[tuple[int, frozenset[Key]]] = []
        for g, k in self.size.items():
            if time.monotonic() >= deadline:
                return None, []
            prices = {key: rho[(g, key)] for key in self.index.by_person_day_shift[g]}
            pricer = self.pricers.get(g)
            if pricer is None:
                pricer = self.pricers[g] = _Pricer(self.index, g)
            upper, roster = pricer.best(prices)
            bound -= k * max(0.0, upper)
            if roster:
                found.append((g, frozenset(roster)))
        return bound, found

    def start_from(
        self, pi: list[float], rho: dict[tuple[int, Key], float], deadline: float
    ) -> float | None:
        """Price every group at given prices (the row-form LP's, whose bound the Lagrangian
        bound at them is never below), add each best roster and centre the smoothing
        there; returns the bound (None if the deadline came first)."""
        bound, rosters = self._lagrange(pi, rho, deadline)
        if bound is None:
            return None
        self.center, self.center_bound = (pi, rho), bound
        for g, roster in rosters:
            self.add_column(g, roster)
        return bound

    # ------------------------------------------------------------------ plan
    def integer_plan(self, seconds: float, workers: int, seed: int) -> list[int] | None:
        """The master over the columns found, in whole numbers, as candidates (None if
        CP-SAT found none in ``seconds``).

        Each roster is worked by the LP's number of people rounded down or up: measured on
        a district of 300 people, the free whole-number master hinted with the greedy plan
        ended at 7,862 units short in 12 s, this one at 7,550 (LP bound 7,464).
        """
        if not self._solve_lp():
            return None
        model = cp_model.CpModel()
        lam = []
        for var in self.lam_vars:
            value = var.solution_value()
            lam.append(model.new_int_var(math.floor(value + 1e-6), math.ceil(value - 1e-6), ""))
        by_group: dict[int, list[cp_model.IntVar]] = defaultdict(list)
        working: dict[tuple[int, Key], list[cp_model.IntVar]] = defaultdict(list)
        for var, (g, roster) in zip(lam, self.columns, strict=True):
            by_group[g].append(var)
            for key in roster:
                working[(g, key)].append(var)
        for g, vars_ in by_group.items():
            model.add(sum(vars_) <= self.size[g])
        xs: dict[tuple[int, int], cp_model.IntVar] = {}
        covering: dict[int, list[cp_model.IntVar]] = defaultdict(list)
        for (g, key), classes in self.classes_at.items():
            if not working.get((g, key)):
                continue
            here = []
            for cls in classes:
                x = xs[(g, cls)] = model.new_int_var(0, self.size[g], "")
                here.append(x)
                covering[cls].append(x)
            model.add(sum(here) <= sum(working[(g, key)]))
        miss = []
        for cls, n in self.need.items():
            m = model.new_int_var(0, n, "")
            miss.append((cls, m))
            model.add(sum(covering[cls]) + m >= n)
        model.minimize(sum(self.weight[cls] * m for cls, m in miss))
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = workers
        solver.parameters.random_seed = seed
        solver.parameters.max_time_in_seconds = max(0.1, seconds)
        status = solver.solve(model)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return None
        counts = [solver.value(v) for v in lam]
        fill = {gc: solver.value(x) for gc, x in xs.items() if solver.value(x)}
        return self._assign(counts, fill)

    def _assign(self, counts: list[int], fill: dict[tuple[int, int], int]) -> list[int]:
        """People, slots and candidates for a whole-number master solution."""
        index = self.index
        open_slots: dict[int, list[int]] = defaultdict(list)  # class -> slots, with repeats
        for s, slot in enumerate(index.slots):
            open_slots[self.slot_class[s]].extend([s] * slot.headcount)
        left = dict(fill)
        rosters: dict[int, list[frozenset[Key]]] = defaultdict(list)
        for n, (g, roster) in zip(counts, self.columns, strict=True):
            rosters[g].extend([roster] * n)
        chosen: list[int] = []
        for group in self.members:
            g = group[0]
            for p, roster in zip(group, rosters.get(g, []), strict=False):
                keys = index.by_person_day_shift[p]
                for key in sorted(roster):
                    for cls in self.classes_at[(g, key)]:
                        if left.get((g, cls), 0) > 0 and open_slots[cls]:
                            left[(g, cls)] -= 1
                            s = open_slots[cls].pop()
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


def column_generation(
    index: ProblemIndex,
    members: list[list[int]],
    start: list[int],
    deadline: float,
    plan_share: float,
    workers: int,
    seed: int,
    prices: tuple[list[float], dict[tuple[int, Key], float]] | None = None,
    on_bound: Callable[[int], None] | None = None,
) -> ColumnResult:
    """Bound the objective by column generation until ``deadline`` less ``plan_share`` of the
    time, then solve the whole-number master for a plan in what is left.

    ``members`` is :func:`planner.solvers.bound.interchangeable_groups` of ``index``;
    ``start`` a plan whose rosters seed the master; ``prices`` the row-form LP's (see
    :class:`planner.solvers.lp_bound.LpResult`), to start from; ``on_bound`` is called with
    the bound (on the objective) after every round that raised it.
    """
    shortage = index.scenario.objective.shortage
    cg = ColumnGeneration(index, members)
    cg.add_plan(start)
    rounds_end = deadline - plan_share * (deadline - time.monotonic())
    best: float | None = None

    def raise_to(bound: float | None) -> None:
        nonlocal best
        if bound is None or (best is not None and bound <= best):
            return
        before = None if best is None else whole_units(best)
        best = bound
        if on_bound is not None and whole_units(bound) != before:
            on_bound(whole_units(bound) * shortage)

    if prices is not None:
        raise_to(cg.start_from(*prices, rounds_end))
    converged = False
    while time.monotonic() < rounds_end:
        bound, added = cg.round(rounds_end)
        raise_to(bound)
        if added == 0:
            # no roster improves the master, unless pricing was cut short by the deadline
            converged = bound is not None and time.monotonic() < rounds_end
            break
    plan_started = time.monotonic()
    chosen = None
    # the rosters leave pinned duties out: a plan would break them
    pinned = any(c is not None for c in index.fixed_cands)
    if deadline - plan_started > 0.1 and not pinned:
        chosen = cg.integer_plan(deadline - plan_started, workers, seed)
    return ColumnResult(None if best is None else whole_units(best) * shortage, chosen, converged)
