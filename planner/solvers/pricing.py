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
        self, search: bool = True, callback: cp_model.CpSolverSolutionCallback | None = None
    ) -> tuple[cp_model.CpSolver, cp_model.CpSolverStatus]:
        """Solve the model as it stands; ``search`` False where every shift is fixed;
        ``callback`` hears of every solution."""
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
        return solver, solver.solve(self.model, callback)

    def _cost(self, solution: cp_model.CpSolver | cp_model.CpSolverSolutionCallback) -> int:
        return int(solution.value(self.cost_expr)) if self.costly else 0

    def best(self, prices: dict[Key, float]) -> tuple[float, list[tuple[list[Key], int]]]:
        """An upper bound on the best roster's value (``prices`` of the keys it works less
        its cost), and the rosters found on the way with their costs, the last reaching
        that bound up to the integer scaling (none if the model found none).

        The rosters before the best are columns too, where the master's prices value them
        above the group's: adding them, the rounds converged in 24 rounds (143 s) instead
        of 32 (174 s) on Curtois Instance 13, 38 (120 s) instead of 57 (174 s) on 15 and
        23 (45 s) instead of 32 (62 s) on 17.
        """
        top = max((abs(v) for v in prices.values()), default=0.0)
        if top <= 0 and not self.costly:
            return 0.0, []  # no roster is worth more than nothing
        scale = max(1, int(PRICE_SCALE / top)) if top > 0 else 1
        # rounding every price up makes the model's optimum an upper bound
        coefs = {key: math.ceil(v * scale) for key, v in prices.items()}
        value: cp_model.LinearExprT = sum(c * self.works[key] for key, c in coefs.items() if c)
        if self.costly:
            value = value - scale * self.cost_expr  # type: ignore[operator]
        self.model.maximize(value)
        found = _Found(self)
        solver, status = self._solve(callback=found)
        if status == cp_model.INFEASIBLE:  # no roster meets the rules: no plan has this person
            return 0.0, []
        return solver.best_objective_bound / scale, found.rosters

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


class _Found(cp_model.CpSolverSolutionCallback):
    """The rosters a pricing solve finds, in order, with their costs."""

    def __init__(self, pricer: Pricer):
        super().__init__()
        self.pricer = pricer
        self.rosters: list[tuple[list[Key], int]] = []

    def on_solution_callback(self) -> None:
        roster = [key for key, lit in self.pricer.works.items() if self.value(lit)]
        self.rosters.append((roster, self.pricer._cost(self)))


def by_wishes(index: ProblemIndex, group: list[int]) -> list[list[int]]:
    """``group`` split into people with the same requests and preferences."""
    people = index.scenario.people
    fields = {"requests", "preferred_shifts", "avoided_shifts"}
    parts: dict[str, list[int]] = {}
    for p in group:
        parts.setdefault(people[p].model_dump_json(include=fields), []).append(p)
    return list(parts.values())
