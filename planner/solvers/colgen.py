"""A lower bound and a plan from whole rosters of one person (column generation).

The LP of :mod:`planner.solvers.lp_bound` holds each person's rules as linear rows, so it
may give a volunteer 6.7 six-hour shifts in a week of 2,400 minutes. Here a person's week
is a *column*: a whole roster that meets every hard rule of theirs (rest, nights, 7-day
minutes, consecutive days...), with its *cost*: what that person's own soft rules, requests
and preferences charge for it. The master LP chooses how many people of each group of
interchangeable people (the same slots, rules and wishes) work each column; a CP-SAT model
of one person of the group, built by the same constraint families as the full model, finds
the column that the LP's prices value most, less its cost (pricing). The master's bound is
the LP bound over the convex hull of each person's rosters, which is never weaker than the
row form and often clearly stronger.

Rows of the master, per group ``g`` of ``k`` people, class ``c`` of slots (see
:func:`planner.solvers.lp_bound._slot_classes`) and (day, shift) ``key``:

- coverage: ``sum_g x[g, c] + miss[c] - over[c] = need[c]`` where over-staffing is
  allowed, at its weight; elsewhere ``sum_g x[g, c] + miss[c] >= need[c]`` (a hard
  headcount cap is left to the plan: with it, measured on a district of 300 people, the
  rounds took 31 s to converge, against 16 s without);
- link: ``sum_{c at key} x[g, c] = sum of lam[g, r] over rosters r of g working key`` (a
  person on a shift holds one place of it). Where the group can be placed in only one
  class at the key, its rosters cover that class directly, with no link row and no ``x``
  (as GLOP's presolve would do, but the rounds solve without it, see
  :meth:`ColumnGeneration._build_master`). On Chongwen (7 days) 17,878 of 38,764 links
  go: 25,175 rows instead of 43,053, and the master solved 1.1 to 1.7 times faster in
  five rounds with the same columns, side by side in one process (25 s against 36 s at
  the first solve, 18 s against 31 s at the fifth);
  on Curtois instances every link goes (each shift of a day is one class);
- people: ``sum_r lam[g, r] = k`` (the empty roster is a roster too).

The objective is ``sum_c (w_c miss[c] + o_c over[c]) + sum_r cost_r lam[g, r]``: shortage,
over-staffing and every term that is a sum over people of their own shifts. Fatigue,
fairness, continuity and soft "at least" rules are left out; they are never negative, so
the bound holds for the whole objective.

Any prices give a valid bound (Lagrangian relaxation of coverage and link rows, with
``0 <= x[g, c] <= k``, ``0 <= miss[c] <= need[c]``, ``over[c] >= 0`` and coverage prices
at least ``-o_c``, or 0 where the row is an inequality)::

    sum_c (pi_c need_c + need_c min(0, w_c - pi_c)) + sum_{g, c} k min(0, rho_{g, key(c)} - pi_c)
      - sum_g k (best value of a roster r of g: rho_g . r - cost_r)

so the bound holds at every round, not only when no column is left to add; a pricing
solve cut short uses CP-SAT's upper bound on the best roster value.

The master over the columns found, with whole numbers, is solved by CP-SAT: its solution is
a plan (each person of a group works one chosen roster; each (day, shift) they work goes to
a slot of a class the solution fills), usually far better than a greedy one.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from ortools.linear_solver import linear_solver_pb2, pywraplp

from planner.solvers.bound import interchangeable_groups
from planner.solvers.colgen_plan import (
    MASTER_LP_PARAMS,
    dive_plan,
    guided_plan,
    integer_plan,
    support_plan,
)
from planner.solvers.index import ProblemIndex, restrict
from planner.solvers.lp_bound import LpResult, _slot_classes, whole_units
from planner.solvers.pricing import REDUCED_COST_EPS, Key, Pricer, by_wishes

#: Weight of the best bound's prices in the prices of the first round (0: the master's own;
#: it adapts after, see :meth:`ColumnGeneration._adapt`). Measured, fixed, on a district of
#: 1,000 people started without the row-form LP's prices: a bound of 22,507 after 15 s
#: without smoothing, 24,204 after 24 s with 0.5, 24,250 after 23 s with 0.8.
SMOOTHING = 0.8
#: Step by which the smoothing adapts (see :meth:`ColumnGeneration._adapt`).
SMOOTHING_STEP = 0.1
#: Step by which the smoothing moves towards the best bound's prices after a round whose
#: bound fell below the best (see :meth:`ColumnGeneration._adapt`). From the row-form LP's
#: prices the master's own duals, over its first few columns, are far off: on Curtois
#: Instance 13 the bound stayed below that at the LP's prices for the first 13 to 16
#: rounds, at every smoothing up to 0.99. Measured to convergence from the same start, one
#: run each: Instance 13 in 118 to 125 s (three runs) with 0.5, against 156 and 177 s (two
#: runs; a third reached the final bound at 138 s) with 0.1; 17 in 45 s against 55 s; 12
#: and 15 the same (38 s, 125 s). A district of 1,000 people (7 days) at 60 s, where the
#: rounds do not converge: 24.69e9 against 24.58e9 when their time ran out.
SMOOTHING_BACK_STEP = 0.5
#: Share of the time for a plan that the whole-number master takes, the rest going to the
#: whole model on the master's shifts (see :func:`planner.solvers.colgen_plan.support_plan`),
#: where people come in groups of 2 or more on average: the master's rounding then keeps
#: whole people together. Measured at 60 s on a district of 1,000 people (111 groups): 25.431e9
#: with 0.9, 25.588e9 with 0.35.
MASTER_PLAN_SHARE_GROUPS = 0.9
#: The same where most people are a group of their own. Measured at 60 s on Curtois
#: Instances 8 and 12: 1,400 and 4,172 with 0.35, 1,593 and 4,684 with 0.9.
MASTER_PLAN_SHARE_SINGLES = 0.35
#: Share of the time for a plan that a dive takes (see
#: :func:`planner.solvers.colgen_plan.dive_plan`), where each person is a group of their own
#: and the rounds converged; the plan on the master's shifts, from the dive's plan, has the
#: rest. Measured from converged masters with 100 s for the plans, one run each: Curtois
#: Instance 17 5,746 (the optimum) with 0.5, 5,850 and 5,750 with the dive alone, 5,746 with
#: the whole-number master first (0.35) as before; Instance 15 4,144, 4,045 and 4,537.
DIVE_PLAN_SHARE = 0.5
#: Rounds stop before they start if pricing every group once at the row-form LP's prices
#: takes more than their time over this. Measured at 60 s on Curtois Instances 13 and 17
#: (2.8 s and 2.9 s for that, 6.3 s and 16.6 s a round after): 6,735 and 7,861 with the
#: rounds, 6,210 and 6,705 without; 12, 14 and 15 (1.2 s, 0.5 s, 1.0 s) gained.
MIN_ROUNDS = 10
#: ...or more than their time over this many rounds per day of the horizon, if more (the
#: bound at those prices is then kept, with no plan): the rounds to converge grow with the
#: rosters' length (Curtois, from the row-form LP's prices: Instance 12, 28 days, 22
#: rounds; 14, 42 days, about 25; 15, 42 days, 57; 20, 182 days, not after 25 in 370 s).
#: Measured at 600 s: on Instance 20 pricing once took 6.8 s and a round 11 to 19 s; the
#: rounds ran to about 400 s, never raised the bound above the 77 of the LP's prices (best
#: known 4,769), and the solve ended at 9,620 to 10,405; without them, 5,653. Instance 21
#: (182 days): 24,434 without them, 28,900 with (best known 21,133).
ROUNDS_PER_DAY = 0.5
#: Share of a roster proposal's time (see :func:`roster_proposal`) for its rounds, the rest
#: going to the whole-number master.
PROPOSAL_ROUNDS_SHARE = 0.7
#: Relative tolerance of the master solved once by PDLP for a plan to follow, where GLOP
#: does not solve it in time (see :meth:`ColumnGeneration.solve_master_once`). Measured on
#: the masters of :func:`priced_once` (the guided plan's rosters and every group's best at
#: the row-form LP's prices), 2 threads: Chongwen 7 days (25,175 rows, 90,317 columns)
#: 1.6 s to a value of 96,746 against GLOP's exact 96,760 in 5.2 s (with presolve; CLP
#: 5.7 s, HiGHS 7.7 s); 14 days (46,842 rows, 161,970 columns) 5.2 s to 203,320 against
#: 203,329 in 53 s (CLP 61 s). At 1e-4: 3.2 s and 13 s. GLOP's vertex guides the greedy
#: plan better than PDLP's point: repaired and priced, 97.215e9 against 97.319e9 (97.371e9
#: at 1e-4) on 7 days, 203.813e9 against 203.947e9 (203.926e9) on 14.
APPROX_TOLERANCE = 1e-3
#: Share of the time left after pricing that :func:`priced_once`'s master may take (the
#: greedy plan following it has the rest): on Chongwen, 14 days, at 120 s, GLOP would need
#: 53 s of the 33 s left, PDLP 5 s, and the greedy plan 10 s.
MASTER_ONCE_SHARE = 0.5

#: A roster of a group, with its cost: (group, the (day, shift)s worked, cost).
Roster = tuple[int, frozenset[Key], int]


@dataclass
class ColumnResult:
    """What column generation found within its time."""

    #: best lower bound on the objective (None if no pricing round completed)
    bound: int | None
    #: the plan of the whole-number master, as candidates (None if none was found)
    chosen: list[int] | None
    #: True if no column could improve the master any more
    converged: bool = False
    #: the greedy plan following the master LP (see
    #: :func:`planner.solvers.colgen_plan.guided_plan`; None if not made)
    guided: list[int] | None = None


class ColumnGeneration:
    """The master LP over rosters, grown by pricing (its plans are made in
    :mod:`planner.solvers.colgen_plan`)."""

    def __init__(
        self,
        index: ProblemIndex,
        members: list[list[int]],
        workers: int = 1,
        split_wishes: bool = True,
        filled: dict[int, int] | None = None,
    ) -> None:
        """``members`` are groups of interchangeable people (see
        :func:`planner.solvers.bound.interchangeable_groups`). ``filled`` counts, per slot,
        the places that people outside ``members`` hold already (a sub-problem: see
        :func:`roster_proposal`); the master covers only what they leave. With
        ``split_wishes`` a group whose people wish differently is split, each part priced
        with its wishes; without, it is priced without them (each costs at least nothing):
        splitting measured worse on a district of 1,000 people whose preferences weigh
        little (161 groups for 111; slower rounds and a worse plan), and better on Curtois
        Instance 3, whose requests weigh much (bound 1,001, the optimum, against 1,000)."""
        self.index = index
        self._pool = ThreadPoolExecutor(max(1, workers))
        self.slot_class = _slot_classes(index, {group[0] for group in members})
        #: representative of each group -> that of its group in ``members``
        self.parent: dict[int, int] = {}
        self.members: list[list[int]] = []
        wishes: dict[int, bool] = {}
        for group in members:
            parts = by_wishes(index, group)
            for part in parts if split_wishes else [group]:
                self.parent[part[0]] = group[0]
                self.members.append(part)
                wishes[part[0]] = split_wishes or len(parts) == 1
        self.size = {group[0]: len(group) for group in self.members}
        shortage = index.scenario.objective.shortage
        #: the LP counts in units of one shortage at priority 1 (a street office's weights
        #: run to 10^9 in the objective's units, where GLOP loses its footing)
        self.unit = max(1, shortage)
        #: places per slot held by people outside the groups
        self.filled = filled or {}
        self.need: dict[int, int] = defaultdict(int)
        #: shortage and over-staffing weights per class, in the objective's units...
        self.weight: dict[int, int] = {}
        self.over: dict[int, int | None] = {}
        #: ...and in the LP's
        self.lp_weight: dict[int, float] = {}
        self.lp_over: dict[int, float | None] = {}
        for s, slot in enumerate(index.slots):
            cls = self.slot_class[s]
            self.need[cls] += max(0, slot.headcount - self.filled.get(s, 0))
            self.weight[cls] = shortage * index.priority(s)
            over = self.over[cls] = slot.role.overstaff_weight
            self.lp_weight[cls] = self.weight[cls] / self.unit
            self.lp_over[cls] = None if over is None else over / self.unit
        self.classes_at: dict[tuple[int, Key], list[int]] = {}
        for g in self.size:
            for key, cands in index.by_person_day_shift[g].items():
                self.classes_at[(g, key)] = sorted(
                    {self.slot_class[index.cand_slot[c]] for c in cands}
                )
        self.pricers = {g: Pricer(index, g, wishes[g]) for g in self.size}
        self.center: tuple[list[float], dict[tuple[int, Key], float]] | None = None
        self.center_bound: float | None = None
        #: weight of the best bound's prices in a round's (see :meth:`_adapt`)
        self.smoothing = SMOOTHING
        self.columns: list[tuple[int, frozenset[Key]]] = []
        self.costs: list[int] = []
        self.lam_vars: list[pywraplp.Variable] = []
        self._seen: set[tuple[int, frozenset[Key]]] = set()
        #: PDLP's values, where :meth:`solve_master_once` solved the master last by PDLP
        self.approx: list[float] | None = None
        self._build_master()

    def close(self) -> None:
        """Let the pricing threads go."""
        self._pool.shutdown()

    # ------------------------------------------------------------------ master LP
    def _build_master(self) -> None:
        lp = pywraplp.Solver.CreateSolver("GLOP")
        assert lp is not None  # GLOP ships with OR-Tools
        lp.SetSolverSpecificParametersAsString(MASTER_LP_PARAMS)
        self.lp = lp
        inf = lp.infinity()
        objective = lp.Objective()
        self.cover = []
        for cls in range(len(self.weight)):
            over = self.lp_over[cls]
            row = lp.Constraint(self.need[cls], inf if over is None else self.need[cls])
            miss = lp.NumVar(0, self.need[cls], "")
            objective.SetCoefficient(miss, self.lp_weight[cls])
            row.SetCoefficient(miss, 1)
            if over is not None:
                surplus = lp.NumVar(0, inf, "")
                objective.SetCoefficient(surplus, over)
                row.SetCoefficient(surplus, -1)
            self.cover.append(row)
        objective.SetMinimization()
        self.people_row = {g: lp.Constraint(k, k) for g, k in self.size.items()}
        self.link = {}
        #: (group, key) -> the one class a person of the group working the key can be
        #: placed in: the key's rosters cover that class directly, with no link row
        self.direct: dict[tuple[int, Key], int] = {}
        #: (group, key, class) -> person-shifts of the group at the key placed in the class
        self.x_vars: dict[tuple[int, Key, int], pywraplp.Variable] = {}
        for (g, key), classes in self.classes_at.items():
            if len(classes) == 1:
                self.direct[(g, key)] = classes[0]
                continue
            row = lp.Constraint(0, 0)
            self.link[(g, key)] = row
            for cls in classes:
                x = self.x_vars[(g, key, cls)] = lp.NumVar(0, self.size[g], "")
                row.SetCoefficient(x, 1)
                self.cover[cls].SetCoefficient(x, 1)
        top = max(self.lp_weight.values(), default=0.0) + max(
            (o for o in self.lp_over.values() if o is not None), default=0.0
        )
        groups = list(self.pricers)
        for g, empty in zip(groups, self._costs([(g, frozenset()) for g in groups]), strict=True):
            if empty is not None:
                self.add_column(g, frozenset(), empty)
                continue
            # people who cannot have an empty roster get an "idle" place, dearer than any
            # roster could be worth (one working every key, all uncovered) and left out of
            # the whole-number master: it keeps the master feasible until a roster is found
            idle = lp.NumVar(0, self.size[g], "")
            objective.SetCoefficient(idle, 1 + top * len(self.pricers[g].works))
            self.people_row[g].SetCoefficient(idle, 1)

    def _costs(self, rosters: list[tuple[int, frozenset[Key]]]) -> list[int | None]:
        """:meth:`Pricer.cost` of each (group, roster), side by side as in pricing."""
        return list(self._pool.map(lambda gr: self.pricers[gr[0]].cost(gr[1]), rosters))

    def add_column(self, g: int, roster: frozenset[Key], cost: int) -> bool:
        """Add roster ``roster`` of group ``g`` at ``cost``; False if it is there already."""
        if (g, roster) in self._seen:
            return False
        self._seen.add((g, roster))
        self.columns.append((g, roster))
        self.costs.append(cost)
        lam = self.lp.NumVar(0, self.lp.infinity(), "")
        self.lp.Objective().SetCoefficient(lam, cost / self.unit)
        self.lam_vars.append(lam)
        self.people_row[g].SetCoefficient(lam, 1)
        for key in roster:
            cls = self.direct.get((g, key))
            if cls is None:
                self.link[(g, key)].SetCoefficient(lam, -1)
            else:
                self.cover[cls].SetCoefficient(lam, 1)
        return True

    def add_plan(self, chosen: list[int]) -> None:
        """Add the roster of every person of the plan ``chosen`` as a column."""
        new = sorted(
            {(g, r) for g, rosters in self._rosters(chosen).items() for r in rosters} - self._seen,
            key=lambda gr: (gr[0], sorted(gr[1])),
        )
        for (g, roster), cost in zip(new, self._costs(new), strict=True):
            if cost is not None:
                self.add_column(g, roster, cost)

    def _rosters(self, chosen: list[int]) -> dict[int, list[frozenset[Key]]]:
        index = self.index
        worked: dict[int, set[Key]] = defaultdict(set)
        for c in chosen:
            slot = index.slots[index.cand_slot[c]]
            worked[index.cand_person[c]].add((slot.day, slot.shift_idx))
        out: dict[int, list[frozenset[Key]]] = defaultdict(list)
        for group in self.members:
            for p in group:
                out[group[0]].append(frozenset(worked.get(p, ())))
        return out

    def set_deadline(self, deadline: float) -> None:
        """Solves of the master from now on end by ``deadline`` (GLOP needs one: on Chongwen,
        7 days, 740 groups, the first solve from a start plan's 3,874 columns takes 21 s
        without presolve, and the rounds after took 8 to 26 s each, pricing included)."""
        self.lp.SetTimeLimit(max(1, int(1000 * (deadline - time.monotonic()))))

    def solve_master(self, deadline: float | None = None) -> bool:
        """Solve the master LP (by ``deadline``, if given, else by the last one set); True if
        solved to optimality."""
        self.approx = None
        if deadline is not None:
            self.set_deadline(deadline)
        return bool(self.lp.Solve() == pywraplp.Solver.OPTIMAL)

    def solve_master_once(self, deadline: float, workers: int) -> bool:
        """Solve the master LP once (no rounds after), by ``deadline``: by GLOP with
        presolve and, given two ``workers`` or more, beside it on the other thread a copy by
        the first-order method PDLP to a relative tolerance of ``APPROX_TOLERANCE``. GLOP's
        vertex is kept if it comes in time, else PDLP's solution (see :meth:`value`); True
        if either was solved."""
        self.approx = None
        pdlp = None
        if workers >= 2:
            copy = linear_solver_pb2.MPModelProto()
            self.lp.ExportModelToProto(copy)
            pdlp = pywraplp.Solver.CreateSolver("PDLP")
            assert pdlp is not None  # PDLP ships with OR-Tools
            pdlp.LoadModelFromProto(copy)
            pdlp.SetSolverSpecificParametersAsString(
                "termination_criteria { simple_optimality_criteria { "
                f"eps_optimal_relative: {APPROX_TOLERANCE} "
                f"eps_optimal_absolute: {APPROX_TOLERANCE} }} }} num_threads: {workers - 1}"
            )
            pdlp.SetTimeLimit(max(1, int(1000 * (deadline - time.monotonic()))))
        # solved once, the master is best presolved: on Chongwen 6 s, against 30 s
        self.lp.SetSolverSpecificParametersAsString("")
        self.set_deadline(deadline)
        if pdlp is None:
            return bool(self.lp.Solve() == pywraplp.Solver.OPTIMAL)
        beside = self._pool.submit(pdlp.Solve)  # both solvers let the interpreter go
        exact = self.lp.Solve() == pywraplp.Solver.OPTIMAL
        if exact:
            pdlp.InterruptSolve()
        approx = beside.result() == pywraplp.Solver.OPTIMAL
        if not exact and approx:
            self.approx = [var.solution_value() for var in pdlp.variables()]
        return exact or approx

    def value(self, var: pywraplp.Variable) -> float:
        """``var``'s value in the master's last solution (PDLP's, if that was the last)."""
        return var.solution_value() if self.approx is None else self.approx[var.index()]

    # ------------------------------------------------------------------ rounds
    def round(self, deadline: float) -> tuple[float | None, int]:
        """Solve the master, price every group; returns the round's bound (None if the
        deadline came first) and the number of columns added.

        Prices are smoothed towards those of the best bound so far (Wentges), by a weight
        that adapts (see :meth:`_adapt`): the master's own duals swing from round to round,
        and measured on a district of 1,000 people the bound climbs in fewer rounds this
        way. A round whose smoothed prices add no column is priced again at the master's
        own (projected, see :meth:`_project`, as the smoothed ones are)."""
        if not self.solve_master(deadline):
            return None, 0
        pi = [row.dual_value() for row in self.cover]
        rho = {gk: -row.dual_value() for gk, row in self.link.items()}
        rho.update((gk, pi[cls]) for gk, cls in self.direct.items())
        sigma = {g: -row.dual_value() for g, row in self.people_row.items()}
        smoothed = self.center is not None
        tries = [self.smoothing, 0.0] if smoothed and self.smoothing > 0 else [0.0]
        best: float | None = None
        out_pi, out_rho = self._project(pi, rho)
        for i, a in enumerate(tries):
            if a > 0 and self.center is not None:
                cpi, crho = self.center
                spi = [a * c + (1 - a) * v for c, v in zip(cpi, out_pi, strict=True)]
                srho = {gk: a * crho[gk] + (1 - a) * v for gk, v in out_rho.items()}
                spi, srho = self._project(spi, srho)
            else:
                spi, srho = out_pi, out_rho
            bound, rosters, others = self._lagrange(spi, srho, deadline)
            if bound is None:
                return best, 0
            if i == 0 and smoothed:
                below = self.center_bound is not None and bound < self.center_bound
                self._adapt(spi, srho, rosters, out_pi, out_rho, below)
            if self.center_bound is None or bound > self.center_bound:
                self.center, self.center_bound = (spi, srho), bound
            best = bound if best is None else max(best, bound)
            added = 0
            # the rosters pricing found before the best are columns too, where the
            # master's prices value them above the group's (see :meth:`Pricer.best`)
            for g, roster, cost in rosters + others:
                value = sum(rho[(g, key)] for key in roster) - cost / self.unit
                if value > sigma[g] + REDUCED_COST_EPS:
                    added += self.add_column(g, roster, cost)
            if added:
                return best, added
        return best, 0

    def _adapt(
        self,
        pi: list[float],
        rho: dict[tuple[int, Key], float],
        rosters: list[Roster],
        out_pi: list[float],
        out_rho: dict[tuple[int, Key], float],
        below: bool = False,
    ) -> None:
        """Adapt the smoothing after pricing at the smoothed prices ``pi``, ``rho`` (Pessoa,
        Sadykov, Uchoa and Vanderbeck, 2018): where the bound still rises from there towards
        the master's own prices ``out_pi``, ``out_rho`` (a subgradient points that way), the
        next round moves further towards them; else it stays nearer the best bound's, by a
        larger step if the bound at ``pi`` fell ``below`` the best."""
        assert self.center is not None
        cpi, crho = self.center
        slope = 0.0
        for cls, n in self.need.items():
            if pi[cls] < self.lp_weight[cls]:
                slope += n * (out_pi[cls] - cpi[cls])
        worked = {(g, key) for g, roster, _ in rosters for key in roster}
        for (g, key), classes in self.classes_at.items():
            k = self.size[g]
            gk = (g, key)
            d_rho = out_rho[gk] - crho[gk]
            for cls in classes:
                if rho[gk] < pi[cls]:  # the relaxation places k people there
                    slope += k * (d_rho - (out_pi[cls] - cpi[cls]))
            if gk in worked:
                slope -= k * d_rho
        if slope > 0:
            self.smoothing = max(0.0, self.smoothing - SMOOTHING_STEP)
        else:
            step = SMOOTHING_BACK_STEP if below else SMOOTHING_STEP
            self.smoothing += (1 - self.smoothing) * step

    def _project(
        self, pi: list[float], rho: dict[tuple[int, Key], float]
    ) -> tuple[list[float], dict[tuple[int, Key], float]]:
        """Prices at which the Lagrangian bound is at least as high as at ``pi`` and ``rho``.

        A coverage price is kept between minus the over-staffing weight, or 0 where there
        is none (below it the relaxation is unbounded), and the shortage weight (above it
        only makes the link prices dearer). A link price is kept between the least and the
        greatest coverage price of its classes: raising it from below the least gains ``k``
        per unit for each class and costs the pricing at most ``k``; lowering it from above
        the greatest gains in pricing and costs nothing. The master's duals are degenerate
        (a group worked by one roster leaves the prices of the shifts it does not work
        free): measured on Curtois Instance 8, the first round's bound rose from -54,213 to
        -791 with this."""
        lo = [0.0 if (o := self.lp_over[c]) is None else -o for c in range(len(pi))]
        pi = [min(self.lp_weight[c], max(v, lo[c])) for c, v in enumerate(pi)]
        out = {}
        for gk, v in rho.items():
            prices = [pi[c] for c in self.classes_at[gk]]
            out[gk] = min(max(v, min(prices)), max(prices))
        return pi, out

    def _lagrange(
        self, pi: list[float], rho: dict[tuple[int, Key], float], deadline: float
    ) -> tuple[float | None, list[Roster], list[Roster]]:
        """The Lagrangian bound at prices ``pi`` (coverage) and ``rho`` (links), each
        group's best roster at them and the other rosters pricing found on the way, with
        their costs (None, [], [] if the deadline came first)."""
        bound = 0.0
        for cls, n in self.need.items():
            bound += pi[cls] * n + n * min(0.0, self.lp_weight[cls] - pi[cls])
        for (g, key), classes in self.classes_at.items():
            for cls in classes:
                bound += self.size[g] * min(0.0, rho[(g, key)] - pi[cls])
        priced = self._price(list(self.size), rho, deadline)
        if priced is None:
            return None, [], []
        best: list[Roster] = []
        others: list[Roster] = []
        for g, (upper, rosters) in priced.items():
            bound -= self.size[g] * upper
            if rosters:  # the last is the best; the others, latest first
                *earlier, (roster, cost) = rosters
                best.append((g, frozenset(roster), cost))
                others.extend((g, frozenset(r), c) for r, c in reversed(earlier))
        return bound, best, others

    def _price(
        self, groups: list[int], rho: dict[tuple[int, Key], float], deadline: float
    ) -> dict[int, tuple[float, list[tuple[list[Key], int]]]] | None:
        """:meth:`Pricer.best` of each of ``groups`` at link prices ``rho`` (None if the
        deadline came first)."""

        def price(g: int) -> tuple[float, list[tuple[list[Key], int]]] | None:
            if time.monotonic() >= deadline:
                return None
            unit = self.unit
            prices = {key: unit * rho[(g, key)] for key in self.index.by_person_day_shift[g]}
            upper, rosters = self.pricers[g].best(prices)
            return upper / unit, rosters

        # each group's model is its own: they are priced side by side (CP-SAT releases
        # the interpreter while it solves)
        out = dict(zip(groups, self._pool.map(price, groups), strict=True))
        if any(best is None for best in out.values()):
            return None
        return {g: best for g, best in out.items() if best is not None}

    def start_from(
        self, pi: list[float], rho: dict[tuple[int, Key], float], deadline: float
    ) -> float | None:
        """Price every group at given prices (the row-form LP's, whose bound the Lagrangian
        bound at them is never below), add each best roster and centre the smoothing
        there; returns the bound (None if the deadline came first)."""
        pi, rho = self._project(pi, rho)
        bound, rosters, _ = self._lagrange(pi, rho, deadline)
        if bound is None:
            return None
        self.center, self.center_bound = (pi, rho), bound
        for g, roster, cost in rosters:
            self.add_column(g, roster, cost)
        return bound

    # ------------------------------------------------------------------ plan


def priced_once(
    index: ProblemIndex,
    members: list[list[int]],
    lp: LpResult,
    start: list[int],
    workers: int,
    deadline: float,
) -> ColumnResult:
    """Every group priced once at the row-form LP's prices, for the Lagrangian bound there
    (never below the LP's), and the greedy plan following the master over those rosters and
    the plan ``start``'s (see :func:`planner.solvers.colgen_plan.guided_plan`; where people
    come in groups, and if the master is solved by the deadline). Bound None if the deadline
    came first.

    Measured on Chongwen (7 days): a bound of 90.735e9 in about 5 s on 2 threads, against
    the LP's 89.883e9."""
    cg = ColumnGeneration(index, members, workers)
    try:
        if len(lp.cover_prices) != len(cg.cover):
            return ColumnResult(None, None)
        cg.add_plan(start)
        rho = {(g, key): lp.key_prices.get((cg.parent[g], key), 0.0) for g, key in cg.classes_at}
        bound = cg.start_from(list(lp.cover_prices), rho, deadline)
        if bound is None:
            return ColumnResult(None, None)
        grouped = sum(cg.size.values()) >= 2 * len(cg.size)
        guided = None
        if grouped and time.monotonic() < deadline:
            # the master's solve gets a share, the greedy plan following it the rest
            master_end = time.monotonic() + MASTER_ONCE_SHARE * (deadline - time.monotonic())
            guided = guided_plan(cg, master_end, workers)
        return ColumnResult(whole_units(bound * cg.unit), None, False, guided)
    finally:
        cg.close()


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
    split_wishes: bool = True,
) -> ColumnResult:
    """Bound the objective by column generation until ``deadline`` less ``plan_share`` of the
    time, then make a plan in what is left: the whole-number master's (or, where each
    person is a group of their own and the rounds converged, a dive's: see
    :func:`planner.solvers.colgen_plan.dive_plan`), improved on the shifts the master uses
    (see :func:`planner.solvers.colgen_plan.support_plan`).

    ``members`` is :func:`planner.solvers.bound.interchangeable_groups` of ``index``;
    ``start`` a plan whose rosters seed the master; ``prices`` the row-form LP's (see
    :class:`planner.solvers.lp_bound.LpResult`, per unit of priority-weighted shortage), to
    start from; ``on_bound`` is called with the bound (on the objective) after every round
    that raised it; ``split_wishes`` is :class:`ColumnGeneration`'s.
    """
    cg = ColumnGeneration(index, members, workers, split_wishes)
    try:
        return _generate(cg, index, start, deadline, plan_share, workers, seed, prices, on_bound)
    finally:
        cg.close()


def _generate(
    cg: ColumnGeneration,
    index: ProblemIndex,
    start: list[int],
    deadline: float,
    plan_share: float,
    workers: int,
    seed: int,
    prices: tuple[list[float], dict[tuple[int, Key], float]] | None,
    on_bound: Callable[[int], None] | None,
) -> ColumnResult:
    cg.add_plan(start)
    plan_time = plan_share * (deadline - time.monotonic())
    rounds_end = deadline - plan_time
    best: float | None = None

    def objective_bound(bound: float) -> int:  # the LP's units to the objective's
        return whole_units(bound * cg.unit)

    def raise_to(bound: float | None) -> None:
        nonlocal best
        if bound is None or (best is not None and bound <= best):
            return
        before = None if best is None else objective_bound(best)
        best = bound
        if on_bound is not None and objective_bound(bound) != before:
            on_bound(objective_bound(bound))

    if prices is not None and len(prices[0]) == len(cg.cover):
        # the row-form LP counts in the master's units; its groups are the master's before
        # any split by wishes
        rho = {(g, key): prices[1].get((cg.parent[g], key), 0.0) for g, key in cg.classes_at}
        priced = time.monotonic()
        rounds_s = rounds_end - priced
        first = cg.start_from(list(prices[0]), rho, priced + rounds_s / MIN_ROUNDS)
        if first is None:  # no time for rounds enough to pay
            return ColumnResult(None, None)
        raise_to(first)
        rounds = max(MIN_ROUNDS, ROUNDS_PER_DAY * index.scenario.horizon.days)
        if time.monotonic() - priced > rounds_s / rounds:
            # too slow for the rounds the horizon needs: the bound at the LP's prices stays
            return ColumnResult(objective_bound(first), None)
    converged = False
    while time.monotonic() < rounds_end:
        bound, added = cg.round(rounds_end)
        raise_to(bound)
        if added == 0:
            # no roster improves the master, unless pricing was cut short by the deadline
            converged = bound is not None and time.monotonic() < rounds_end
            break
    if converged:
        # the plans get their share, not what the rounds left: measured on Curtois Instance
        # 15 at 600 s, the rounds converged at 136 s and the plan on the master's shifts
        # then ran to 385 s (4,537), where the whole model and neighbourhood search took it
        # to 4,054 in the time after
        deadline = min(deadline, time.monotonic() + plan_time)
    chosen = None
    grouped = sum(cg.size.values()) >= 2 * len(cg.size)
    # the rosters leave pinned duties out: a whole-number master's plan would break them
    pinned = any(c is not None for c in index.fixed_cands)
    plan_s = deadline - time.monotonic()
    # the plans below solve the master again (columns came in since): by the deadline
    cg.set_deadline(deadline)
    guided = guided_plan(cg) if grouped else None
    share = MASTER_PLAN_SHARE_GROUPS if grouped else MASTER_PLAN_SHARE_SINGLES
    # where each person is a group of their own and the master is final, a dive; else the
    # whole-number master; then the plan on the master's shifts from either
    if plan_s > 0.1 and not pinned:
        if converged and not grouped:
            chosen = dive_plan(cg, DIVE_PLAN_SHARE * plan_s, workers, seed)
        else:
            chosen = integer_plan(cg, share * plan_s, workers, seed)
    if deadline - time.monotonic() > 0.1:
        chosen = support_plan(cg, chosen, deadline - time.monotonic(), workers, seed)
    bound = None if best is None else objective_bound(best)
    return ColumnResult(bound, chosen, converged, guided)


def roster_proposal(
    index: ProblemIndex,
    free: set[int],
    keep: list[int],
    current: list[int],
    deadline: float,
    workers: int,
    seed: int,
) -> list[int] | None:
    """New assignments for the people ``free`` over the whole horizon, by column generation
    on the places the others leave them in the plan ``current``: the rounds until no roster
    improves the master (or ``PROPOSAL_ROUNDS_SHARE`` of the time), then the whole-number
    master. ``keep`` are the free people's candidates (ascending). None if there is no
    proposal by ``deadline``, or if a free person has a pinned duty (rosters leave those
    out).

    This is what a re-planning step of CP-SAT finds hard: people whose minutes, not their
    days, run out must mix long and short shifts so that their weeks fill up (Chongwen's
    volunteers have 2,400 minutes: four 540-minute grid duties leave 240 unused, where three
    of them, a 360-minute checkpoint shift and a 420-minute sampling shift fill all 2,400
    with five shifts). Measured on Chongwen's 60 s plan (7 days), the volunteers of one grid
    (69 to 87 people, 5 or 6 groups) re-planned this way gained 45 to 73 units of
    priority-weighted shortage in 1.3 to 7 s; CP-SAT on the same people and week from the
    plan gained 12 to 29 in 5 s, 37 to 42 in 20 s and 58 in 60 s.
    """
    sub, old_of = restrict(index, keep)
    if any(c is not None for c in sub.fixed_cands):
        return None
    filled: dict[int, int] = defaultdict(int)
    for c in current:
        if index.cand_person[c] not in free:
            filled[index.cand_slot[c]] += 1
    members = interchangeable_groups(sub)
    if not members:
        return None
    cg = ColumnGeneration(sub, members, workers, filled=filled)
    try:
        new_of = {old: new for new, old in enumerate(old_of)}
        cg.add_plan([new_of[c] for c in current if index.cand_person[c] in free])
        rounds_end = time.monotonic() + PROPOSAL_ROUNDS_SHARE * (deadline - time.monotonic())
        while time.monotonic() < rounds_end:
            _, added = cg.round(rounds_end)
            if not added:
                break
        cg.set_deadline(deadline)
        chosen = integer_plan(cg, deadline - time.monotonic(), workers, seed)
    finally:
        cg.close()
    return None if chosen is None else [old_of[c] for c in chosen]
