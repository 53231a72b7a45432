"""Large neighbourhood search: re-optimise part of the plan at a time with CP-SAT.

Each step frees the decision variables of one neighbourhood and fixes all others to the
current plan (by narrowing their domains in place, so the model is never copied), then
lets CP-SAT improve it from the current plan as a complete hint. Neighbourhoods:

- ``holes``: the people who could fill a randomly chosen uncovered slot (weighted by
  priority), on the days around it;
- ``community``: everyone who can work at the posts of one community, on a window of days;
- ``days``: everyone on a window of days;
- ``people``: a random group of people of one category, over the whole horizon.

The kind is chosen adaptively (kinds that improved are chosen more often) and the size
adapts: it grows when sub-problems are solved to optimality and shrinks when they time out.
"""

from __future__ import annotations

import random
import time
from collections import defaultdict
from collections.abc import Callable

from ortools.sat.python import cp_model

from planner.solvers.base import SolveParams
from planner.solvers.cpsat.context import ModelContext
from planner.solvers.cpsat.run import solve_stoppable, solver_for
from planner.solvers.index import post_community

KINDS = ("holes", "community", "days", "people")
#: Deterministic-time limit of one step in deterministic mode.
DETERMINISTIC_STEP = 1.0


class Lns:
    """Improve a complete solution of ``ctx.model`` neighbourhood by neighbourhood."""

    def __init__(
        self, ctx: ModelContext, values: list[int], objective: int, params: SolveParams
    ) -> None:
        self.ctx = ctx
        self.values = list(values)
        self.objective = objective
        self.params = params
        self.rng = random.Random(params.seed)
        index = ctx.index
        scenario = ctx.scenario
        self.by_person: dict[int, list[int]] = defaultdict(list)
        self.by_day: dict[int, list[int]] = defaultdict(list)
        self.by_community: dict[str | None, set[int]] = defaultdict(set)
        for c, p in enumerate(index.cand_person):
            slot = index.slots[index.cand_slot[c]]
            self.by_person[p].append(c)
            self.by_day[slot.day].append(c)
            post = scenario.posts[slot.post_idx]
            self.by_community[post_community(scenario, post)].add(p)
        self.by_category: dict[str, list[int]] = defaultdict(list)
        for p in self.by_person:
            self.by_category[scenario.people[p].category].append(p)
        self.size = min(max(200, len(ctx.x) // 10), 4000)
        self.score = dict.fromkeys(KINDS, 1.0)
        self.steps = 0
        self.improvements = 0
        #: proven lower bound, for stopping at ``params.target_gap``
        self.floor = 0

    # ----------------------------------------------------------------- neighbourhoods
    def _choose_kind(self) -> str:
        kinds = list(self.score)
        return self.rng.choices(kinds, weights=[self.score[k] for k in kinds])[0]

    def _window(self, centre: int, span: int) -> set[int]:
        days = self.ctx.num_days
        lo = max(0, min(centre - span // 2, days - span))
        return set(range(lo, min(days, lo + span)))

    def _free_people_days(self, people: list[int], days: set[int]) -> list[int]:
        index = self.ctx.index
        out: list[int] = []
        for p in people:
            out.extend(c for c in self.by_person[p] if index.slots[index.cand_slot[c]].day in days)
            if len(out) >= self.size:
                break
        return out

    def neighbourhood(self, kind: str) -> list[int]:
        """Candidate indices to free for one step of ``kind``."""
        index, rng = self.ctx.index, self.rng
        num_days = self.ctx.num_days
        if kind == "holes":
            holes = self._holes()
            if not holes:
                return []
            s_idx = rng.choices(holes, weights=[index.priority(s) for s in holes])[0]
            slot = index.slots[s_idx]
            people = list({index.cand_person[c] for c in index.by_slot[s_idx]})
            rng.shuffle(people)
            return self._free_people_days(people, self._window(slot.day, 3))
        if kind == "community":
            key = rng.choice(list(self.by_community))
            people = list(self.by_community[key])
            rng.shuffle(people)
            return self._free_people_days(people, self._window(rng.randrange(num_days), 3))
        if kind == "days":
            days = self._window(rng.randrange(num_days), rng.choice((1, 2)))
            free = [c for d in days for c in self.by_day[d]]
            rng.shuffle(free)
            return free[: self.size]
        category = rng.choice(list(self.by_category))
        people = list(self.by_category[category])
        rng.shuffle(people)
        return self._free_people_days(people, set(range(num_days)))

    def _holes(self) -> list[int]:
        index, x, values = self.ctx.index, self.ctx.x, self.values
        return [
            s
            for s, slot in enumerate(index.slots)
            if sum(values[x[c].index] for c in index.by_slot[s]) < slot.headcount
        ]

    # ----------------------------------------------------------------- search
    def run(
        self,
        deadline: float,
        on_improve: Callable[[int], None] | None = None,
        max_steps: int | None = None,
    ) -> None:
        """Improve until ``deadline`` (a ``time.monotonic`` instant), a stop, or ``max_steps``.

        With ``max_steps`` (deterministic mode) each step is bounded by deterministic time
        and the clock is not read.
        """
        model = self.ctx.model
        proto_vars = model.proto.variables
        x_index = [var.index for var in self.ctx.x]
        while not self.params.stopped() and not self.params.close_enough(
            self.objective, self.floor
        ):
            if max_steps is not None:
                if self.steps >= max_steps:
                    return
                left = float("inf")
            else:
                left = deadline - time.monotonic()
                if left < 0.5:
                    return
            kind = self._choose_kind()
            free = set(self.neighbourhood(kind))
            if not free:
                self.score[kind] = max(0.05, self.score[kind] * 0.5)
                continue
            for c, i in enumerate(x_index):
                if c not in free:
                    v = self.values[i]
                    proto_vars[i].domain[0] = v
                    proto_vars[i].domain[1] = v
            model.clear_hints()
            for i, v in enumerate(self.values):
                model.add_hint(model.get_int_var_from_proto_index(i), v)
            if max_steps is not None:
                limit = DETERMINISTIC_STEP
            else:
                limit = min(left, max(1.0, 0.05 * (deadline - time.monotonic() + 1)), 10.0)
            solver = solver_for(self.params, limit)
            status = solve_stoppable(solver, model, self.params)
            for i in x_index:
                proto_vars[i].domain[0] = 0
                proto_vars[i].domain[1] = 1
            self.steps += 1
            if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                objective = round(solver.objective_value)
                if objective < self.objective:
                    self.values = list(solver.response_proto.solution)
                    self.objective = objective
                    self.improvements += 1
                    self.score[kind] = min(10.0, self.score[kind] * 1.5)
                    if on_improve is not None:
                        on_improve(objective)
                else:
                    self.score[kind] = max(0.05, self.score[kind] * 0.9)
            if status == cp_model.OPTIMAL:
                self.size = min(int(self.size * 1.3) + 1, len(x_index))
            else:
                self.size = max(50, int(self.size * 0.8))
