"""Plans for districts too large for one CP-SAT model.

The whole model is never built. A plan is a set of chosen candidates; it is priced exactly
by a model restricted to those candidates (every rule and term sees exactly the plan's
assignments), and improved by steps that each build a model restricted to the plan plus
every candidate of a group of freed people: the other people keep their assignments, so any
solution of the step is a complete plan of the whole district, and its objective is the
whole objective.
"""

from __future__ import annotations

import random
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from ortools.sat.python import cp_model

from planner.solvers.base import SolveParams
from planner.solvers.cpsat.builder import build_model, term_values
from planner.solvers.cpsat.context import ModelContext
from planner.solvers.cpsat.run import fix_decisions, solve_stoppable, solver_for
from planner.solvers.index import ProblemIndex, restrict

KINDS = ("holes", "home", "category")
#: Deterministic-time limit of one step in deterministic mode.
DETERMINISTIC_STEP = 5.0


@dataclass
class Priced:
    """A plan with its exact objective and terms."""

    chosen: list[int]
    objective: int
    terms: dict[str, int]


def _evaluate(ctx: ModelContext, values: list[int]) -> dict[str, int]:
    from ortools.sat.python import cp_model_helper

    def value(expr: object) -> int:
        if isinstance(expr, int):
            return expr
        flat = cp_model_helper.FlatIntExpr(expr)  # type: ignore[arg-type]
        return int(flat.offset) + sum(
            coef * values[var.index] for var, coef in zip(flat.vars, flat.coeffs, strict=True)
        )

    return term_values(ctx, value)


def price(
    index: ProblemIndex, chosen: list[int], params: SolveParams, time_limit_s: float
) -> Priced | None:
    """The exact objective of the plan ``chosen`` (None if it breaks a hard rule)."""
    keep = sorted(set(chosen))
    sub, _ = restrict(index, keep)
    ctx = build_model(sub)
    values = fix_decisions(ctx, list(range(len(keep))), time_limit_s, params)
    if values is None:
        return None
    terms = _evaluate(ctx, values)
    return Priced(keep, sum(terms.values()), terms)


class RestrictedLns:
    """Improve a plan of a large district by re-planning groups of people."""

    def __init__(
        self, index: ProblemIndex, start: Priced, params: SolveParams, target_free: int = 15_000
    ) -> None:
        self.index = index
        self.best = start
        self.params = params
        self.rng = random.Random(params.seed)
        self.target = target_free
        scenario = index.scenario
        self.cands_of: dict[int, list[int]] = defaultdict(list)
        for c, p in enumerate(index.cand_person):
            self.cands_of[p].append(c)
        self.by_home: dict[str | None, list[int]] = defaultdict(list)
        self.by_category: dict[str, list[int]] = defaultdict(list)
        for p in self.cands_of:
            person = scenario.people[p]
            self.by_home[person.grid or person.community].append(p)
            self.by_category[person.category].append(p)
        self.score = dict.fromkeys(KINDS, 1.0)
        self.steps = 0
        self.improvements = 0
        #: proven lower bound, for stopping at ``params.target_gap``
        self.floor = 0

    def _pick(self, pool: list[int]) -> list[int]:
        pool = list(pool)
        self.rng.shuffle(pool)
        out: list[int] = []
        size = 0
        for p in pool:
            out.append(p)
            size += len(self.cands_of[p])
            if size >= self.target:
                break
        return out

    def _holes(self) -> list[int]:
        filled: dict[int, int] = defaultdict(int)
        for c in self.best.chosen:
            filled[self.index.cand_slot[c]] += 1
        return [
            s
            for s, slot in enumerate(self.index.slots)
            if filled[s] < slot.headcount and self.index.by_slot[s]
        ]

    def free_people(self, kind: str) -> list[int]:
        """People to re-plan in one step of ``kind``."""
        index, rng = self.index, self.rng
        if kind == "holes":
            holes = self._holes()
            if not holes:
                return []
            s_idx = rng.choices(holes, weights=[index.priority(s) for s in holes])[0]
            return self._pick(list({index.cand_person[c] for c in index.by_slot[s_idx]}))
        if kind == "home":
            return self._pick(self.by_home[rng.choice(list(self.by_home))])
        return self._pick(self.by_category[rng.choice(list(self.by_category))])

    def step(self, deadline: float) -> bool:
        """One re-planning step; True if the plan improved."""
        kind = self.rng.choices(list(self.score), weights=list(self.score.values()))[0]
        free = set(self.free_people(kind))
        if not free:
            self.score[kind] = max(0.05, self.score[kind] * 0.5)
            return False
        index = self.index
        current = set(self.best.chosen)
        keep = sorted(current.union(*(self.cands_of[p] for p in free)))
        sub, old_of = restrict(index, keep)
        ctx = build_model(sub)
        for new, old in enumerate(old_of):
            if old in current and index.cand_person[old] not in free:
                var = ctx.model.proto.variables[ctx.x[new].index]
                var.domain[0] = 1
        deterministic = self.params.deterministic
        left = DETERMINISTIC_STEP if deterministic else deadline - time.monotonic()
        hint = [new for new, old in enumerate(old_of) if old in current]
        values = fix_decisions(ctx, hint, max(0.5, 0.2 * left), self.params)
        if values is not None:
            for i, v in enumerate(values):
                ctx.model.add_hint(ctx.model.get_int_var_from_proto_index(i), v)
        if not deterministic:
            left = min(deadline - time.monotonic(), 20.0)
        solver = solver_for(self.params, max(0.5, left))
        status = solve_stoppable(solver, ctx.model, self.params)
        self.steps += 1
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            self.target = max(2_000, int(self.target * 0.7))
            return False
        if status == cp_model.OPTIMAL:
            self.target = int(self.target * 1.2)
        solution = list(solver.response_proto.solution)
        if round(solver.objective_value) >= self.best.objective:
            self.score[kind] = max(0.05, self.score[kind] * 0.9)
            return False
        chosen = [old_of[new] for new, var in enumerate(ctx.x) if solution[var.index]]
        # The step's objective is the whole objective, possibly above the exact price (the
        # penalties are bounded from below only); the final plan is priced exactly.
        self.best = Priced(chosen, round(solver.objective_value), {})
        self.improvements += 1
        self.score[kind] = min(10.0, self.score[kind] * 1.5)
        return True

    def _close_enough(self) -> bool:
        target = self.params.target_gap
        current = self.best.objective
        return target > 0 and current - self.floor <= target * max(1, abs(current))

    def run(
        self,
        deadline: float,
        on_improve: Callable[[int], None] | None = None,
        reserve_s: float = 5.0,
        max_steps: int | None = None,
    ) -> Priced:
        """Step until ``deadline`` minus ``reserve_s`` (or ``max_steps``, in deterministic
        mode), or until a stop; returns the best plan."""
        while not self.params.stopped() and not self._close_enough():
            if max_steps is not None and self.steps >= max_steps:
                break
            if max_steps is None and time.monotonic() >= deadline - reserve_s:
                break
            if self.step(deadline - reserve_s) and on_improve is not None:
                on_improve(self.best.objective)
        return self.best
