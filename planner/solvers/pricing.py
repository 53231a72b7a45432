"""One person's rosters for column generation (see :mod:`planner.solvers.colgen`): the
pricing model that finds the roster the master's prices value most less its cost, the cost
of a given roster, and which terms of the objective rosters price."""

from __future__ import annotations

import math

from ortools.sat.python import cp_model

from planner.solvers.cpsat.builder import objective_expr
from planner.solvers.cpsat.constraints.people_terms import add_wish_terms
from planner.solvers.cpsat.constraints.sequences import add_sequences
from planner.solvers.cpsat.constraints.timing import add_timing
from planner.solvers.cpsat.constraints.workload import add_workload
from planner.solvers.cpsat.context import ModelContext
from planner.solvers.index import ProblemIndex, restrict

Key = tuple[int, int]
#: A column enters the master if it is worth more than this above the group's dual.
REDUCED_COST_EPS = 1e-6
#: Largest integer price of one (day, shift) in a pricing model (prices are scaled to it).
PRICE_SCALE = 1_000_000
#: Most seconds one pricing solve may take (then CP-SAT's upper bound is used).
PRICING_LIMIT_S = 2.0
#: Share of the most a roster could gain over the group's current rosters (CP-SAT's bound
#: less the master's price of the group) that a pricing solve may leave while the rounds
#: are far from converging (see :class:`planner.solvers.colgen.ColumnGeneration`), within
#: ``LOOSE_LIMIT_S``: CP-SAT's bound still makes the round's bound valid, and a roster near
#: the best enters the master as well as the best. Measured from the row-form LP's prices:
#: on Curtois Instance 20 (50 people, 182 days) each exact solve found a roster within 5%
#: to 25% of its best value in 0.06 to 0.2 s and proved the best in 0.4 to 2 s; rounds took
#: 15 to 19 s exactly, 6 s loosely, and after 240 s the master's objective was 7,507 (15
#: rounds) against 5,690 (38). On Instance 12 (28 days) after 30 s: bound 3,842 and master
#: 4,101 exactly (22 rounds), 3,956 and 4,063 loosely (46). A gap on the roster's whole
#: value instead (CP-SAT's relative gap, 0.3) took 12 to 4,146 with no bound in 30 s.
LOOSE_GAP = 0.3
#: Most seconds such a loose pricing solve may take.
LOOSE_LIMIT_S = 0.25
#: Terms of the objective that are people's wishes...
WISH_TERMS = frozenset({"requests", "preference"})
#: ...and the share of the objective they must have for groups to be split by them (see
#: :class:`ColumnGeneration`).
WISH_SPLIT_SHARE = 0.01
#: Terms of the objective that the rosters do not price (see :mod:`planner.solvers.colgen`).
UNPRICED_TERMS = frozenset({"fatigue", "fairness", "continuity", "at_least"})


def term_share(terms: dict[str, int], names: frozenset[str]) -> float:
    """The share of an objective, given by its terms, in the terms called ``names``."""
    total = sum(terms.values())
    return sum(terms.get(name, 0) for name in names) / total if total > 0 else 0.0


def priced_share(terms: dict[str, int]) -> float:
    """The share of an objective, given by its terms, that column generation prices."""
    return 1.0 - term_share(terms, UNPRICED_TERMS)


def wishes_weigh(terms: dict[str, int]) -> bool:
    """True if people's wishes are at least ``WISH_SPLIT_SHARE`` of an objective, given by
    its terms."""
    return term_share(terms, WISH_TERMS) >= WISH_SPLIT_SHARE


class Pricer:
    """A CP-SAT model of one person's hard rules over their (day, shift) keys, and the cost
    of a roster to them."""

    def __init__(self, index: ProblemIndex, p: int, wishes: bool = True) -> None:
        keys = index.by_person_day_shift[p]
        # the rules read only which (day, shift) is worked: one candidate per key is enough
        sub, _ = restrict(index, sorted(cands[0] for cands in keys.values()))
        ctx = ModelContext(sub, people=[p])
        for add in (add_timing, add_workload, add_sequences):
            add(ctx)
        if wishes:
            add_wish_terms(ctx)
        self.model = ctx.model
        self.works = {key: ctx.w(p, *key) for key in keys}
        self.cost_expr = objective_expr(ctx)
        self.costly = any(term.coefs for term in ctx.terms.values())

    def _solve(
        self, search: bool = True, near: _NearBest | None = None
    ) -> tuple[cp_model.CpSolver, cp_model.CpSolverStatus]:
        """Solve the model as it stands, stopping where ``near`` says; ``search`` False where
        every shift is fixed."""
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.max_time_in_seconds = PRICING_LIMIT_S
        if search:
            # the full LP relaxation of the rules (runs, minutes, per-template caps) prunes
            # the search: measured on the first round's prices of Curtois Instance 17, six
            # pricing solves took 1.8 s at the default level and 0.2 s at this one; the bound
            # reached 5,746 in 63 s where it stayed below 0 for 200 s (a district of 1,000
            # people: no change)
            solver.parameters.linearization_level = 2
        else:
            # every shift is fixed: presolve has nothing to find (measured on 300 rosters of
            # a district of 3,742 people: 0.24 s without it, 0.38 s with it)
            solver.parameters.cp_model_presolve = False
        if near is None:
            return solver, solver.solve(self.model)
        near.solver = solver
        solver.parameters.max_time_in_seconds = LOOSE_LIMIT_S
        solver.best_bound_callback = near.on_bound
        return solver, solver.solve(self.model, near)

    def _cost(self, solver: cp_model.CpSolver) -> int:
        return int(solver.value(self.cost_expr)) if self.costly else 0

    def best(
        self, prices: dict[Key, float], floor: float | None = None, gap: float = 0.0
    ) -> tuple[float, list[Key] | None, int]:
        """An upper bound on the best roster's value (``prices`` of the keys it works less
        its cost), a roster reaching it up to the integer scaling, and that roster's cost;
        the roster is None if the model found none. With ``floor`` (the value of the
        person's rosters so far) and ``gap``, the search may stop at a roster whose value
        above ``floor`` is within ``gap`` of the most that any could have."""
        top = max((abs(v) for v in prices.values()), default=0.0)
        if top <= 0 and not self.costly:
            return 0.0, None, 0  # no roster is worth more than nothing
        scale = max(1, int(PRICE_SCALE / top)) if top > 0 else 1
        # rounding every price up makes the model's optimum an upper bound
        coefs = {key: math.ceil(v * scale) for key, v in prices.items()}
        value: cp_model.LinearExprT = sum(c * self.works[key] for key, c in coefs.items() if c)
        if self.costly:
            value = value - scale * self.cost_expr  # type: ignore[operator]
        self.model.maximize(value)
        near = None if floor is None or gap <= 0 else _NearBest(floor * scale, gap)
        solver, status = self._solve(near=near)
        if status == cp_model.INFEASIBLE:  # no roster meets the rules: no plan has this person
            return 0.0, None, 0
        upper = solver.best_objective_bound / scale
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return upper, None, 0
        return upper, [key for key in coefs if solver.value(self.works[key])], self._cost(solver)

    def cost(self, roster: frozenset[Key]) -> int | None:
        """The least cost of ``roster`` to the person (None if it breaks a hard rule)."""
        self.model.clear_assumptions()
        self.model.add_assumptions(
            [lit if key in roster else lit.Not() for key, lit in self.works.items()]
        )
        if self.costly:
            self.model.minimize(self.cost_expr)
        else:
            self.model.clear_objective()
        solver, status = self._solve(search=False)
        self.model.clear_assumptions()
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return None
        return self._cost(solver)


class _NearBest(cp_model.CpSolverSolutionCallback):
    """Stops a pricing solve once the best roster found gains, above ``floor``, at least
    ``1 - gap`` of what CP-SAT's bound says any roster could."""

    def __init__(self, floor: float, gap: float) -> None:
        super().__init__()
        self.floor = floor
        self.gap = gap
        self.found: float | None = None
        self.bound = math.inf
        self.solver: cp_model.CpSolver | None = None

    def on_solution_callback(self) -> None:
        self.found = self.objective_value
        self.on_bound(self.best_objective_bound)

    def on_bound(self, bound: float) -> None:
        self.bound = min(self.bound, bound)
        value = self.found
        if (
            value is not None
            and value > self.floor
            and self.bound - value <= self.gap * (self.bound - self.floor)
            and self.solver is not None
        ):
            self.solver.stop_search()


def by_wishes(index: ProblemIndex, group: list[int]) -> list[list[int]]:
    """``group`` split into people with the same requests and preferences."""
    people = index.scenario.people
    fields = {"requests", "preferred_shifts", "avoided_shifts"}
    parts: dict[str, list[int]] = {}
    for p in group:
        parts.setdefault(people[p].model_dump_json(include=fields), []).append(p)
    return list(parts.values())
