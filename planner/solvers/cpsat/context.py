"""The model under construction: decision variables, shared indicators, penalty terms.

Decision variables exist only for candidates (eligible, available person-slot pairs).
Indicators that rules read both ways (works a shift, works a day) are defined exactly.
Penalty variables (excess, deficit, breach, peak...) are only bounded from below by what
they measure: the minimisation pulls them down, and the LP relaxation stays strong. The
exact objective of a plan is obtained by re-solving with the decisions fixed
(:func:`planner.solvers.cpsat.run.tighten`), which sets every penalty to its true value.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from planner.model import Limit, WorkRules
from planner.solvers.index import ProblemIndex

Lit = cp_model.IntVar
Expr = cp_model.LinearExprT


@dataclass
class External:
    """What people outside a sub-problem contribute, as constants.

    A sub-problem models only some people; the others keep their assignments, which still
    count towards coverage, "at least" rules, and the category-wide fatigue and fairness
    terms. Their own per-person rules and terms are constant and left out, so a sub-model's
    objective equals the whole objective minus a constant.
    """

    slot_count: dict[int, int] = field(default_factory=dict)
    postshift_count: dict[int, int] = field(default_factory=dict)
    postshift_category_count: dict[tuple[int, str], int] = field(default_factory=dict)
    peak: dict[str, int] = field(default_factory=dict)
    full_high: dict[str, int] = field(default_factory=dict)
    full_low: dict[str, int] = field(default_factory=dict)
    full_count: dict[str, int] = field(default_factory=dict)


@dataclass
class PenaltyTerm:
    """A named part of the objective: ``sum(coef * var)``."""

    name: str
    coefs: list[int] = field(default_factory=list)
    exprs: list[Expr] = field(default_factory=list)

    def add(self, coef: int, expr: Expr) -> None:
        """Add ``coef * expr`` to this term (ignored when ``coef`` is 0)."""
        if coef:
            self.coefs.append(coef)
            self.exprs.append(expr)


class ModelContext:
    """Everything a constraint family needs to add its rule to the model.

    ``guards`` maps (family, person index or None) to an assumption literal when the model
    is built to explain infeasibility; hard constraints call :meth:`guard` and enforce
    themselves only if that literal holds.
    """

    def __init__(
        self,
        index: ProblemIndex,
        explain: bool = False,
        people: Sequence[int] | None = None,
        external: External | None = None,
    ) -> None:
        self.index = index
        self.scenario = index.scenario
        #: the people this model decides for (everyone unless it is a sub-problem)
        self.people: Sequence[int] = range(len(index.scenario.people)) if people is None else people
        self.external = external or External()
        self.model = cp_model.CpModel()
        self.explain = explain
        self.guards: dict[tuple[str, int | None], Lit] = {}
        self.terms: dict[str, PenaltyTerm] = {}
        self.x: list[Lit] = [
            self.model.new_bool_var(f"x_c{c}") for c in range(index.num_candidates)
        ]
        #: rules of the people decided here (a one-person pricing model of a district of
        #: 3,742 people spent 2.5 ms listing everyone's)
        people_all = self.scenario.people
        self.rules: dict[int, WorkRules] = {
            p: self.scenario.rules_for(people_all[p]) for p in self.people
        }
        self.num_days = self.scenario.horizon.days
        self.durations = [s.duration_min for s in self.scenario.shifts]
        self.nights = [s.night for s in self.scenario.shifts]
        self._w: dict[tuple[int, int, int], Lit] = {}
        self._work: dict[tuple[int, int], Lit | None] = {}
        self._days: dict[int, dict[int, list[int]]] = {}

    # ----------------------------------------------------------------- objective
    def term(self, name: str) -> PenaltyTerm:
        """The penalty term called ``name``, created on first use."""
        if name not in self.terms:
            self.terms[name] = PenaltyTerm(name)
        return self.terms[name]

    # ----------------------------------------------------------------- guards
    def guard(self, family: str, person_idx: int | None = None) -> list[Lit]:
        """Enforcement literals for a hard constraint (empty unless explaining)."""
        if not self.explain:
            return []
        key = (family, person_idx)
        if key not in self.guards:
            self.guards[key] = self.model.new_bool_var(f"assume_{family}_{person_idx}")
        return [self.guards[key]]

    # ----------------------------------------------------------------- indicators
    def shift_slots(self, p: int) -> Sequence[tuple[int, int]]:
        """(day, shift index) pairs on which person ``p`` has candidates, by start time."""
        keys = list(self.index.by_person_day_shift[p])
        shifts = self.scenario.shifts
        return sorted(keys, key=lambda k: shifts[k[1]].start_at(k[0]))

    def w(self, p: int, day: int, t: int) -> Lit:
        """1 iff person ``p`` works shift ``t`` starting on ``day`` (must have candidates)."""
        key = (p, day, t)
        var = self._w.get(key)
        if var is None:
            cands = self.index.by_person_day_shift[p][(day, t)]
            if len(cands) == 1:
                var = self.x[cands[0]]
            else:
                var = self.model.new_bool_var(f"w_p{p}_d{day}_t{t}")
                self.model.add(sum(self.x[c] for c in cands) == var)
            self._w[key] = var
        return var

    def shifts_on(self, p: int, day: int) -> list[tuple[int, Lit]]:
        """(shift index, indicator) for every shift person ``p`` could start on ``day``."""
        days = self._days.get(p)
        if days is None:
            days = self._days[p] = defaultdict(list)
            for d, t in self.index.by_person_day_shift[p]:
                days[d].append(t)
        return [(t, self.w(p, day, t)) for t in days.get(day, ())]

    def work(self, p: int, day: int) -> Lit | None:
        """1 iff person ``p`` works on ``day``; None if they cannot work that day."""
        key = (p, day)
        if key in self._work:
            return self._work[key]
        lits = [lit for _, lit in self.shifts_on(p, day)]
        var: Lit | None
        if not lits:
            var = None
        elif len(lits) == 1:
            var = lits[0]
        else:
            var = self.model.new_bool_var(f"work_p{p}_d{day}")
            self.model.add_max_equality(var, lits)
        self._work[key] = var
        return var

    def minutes(self, p: int, days: Iterable[int] | None = None) -> Expr:
        """Minutes worked by person ``p`` on ``days`` (the whole horizon if None)."""
        wanted = None if days is None else set(days)
        return sum(
            self.durations[t] * self.w(p, d, t)
            for (d, t) in self.index.by_person_day_shift[p]
            if wanted is None or d in wanted
        )

    def all_days_by_person(self) -> dict[int, set[int]]:
        """Person -> days on which they have any candidate."""
        out: dict[int, set[int]] = defaultdict(set)
        for p, keys in enumerate(self.index.by_person_day_shift):
            for d, _ in keys:
                out[p].add(d)
        return out

    # ----------------------------------------------------------------- limits
    def limit_at_most(
        self, limit: Limit, expr: Expr, ub: int, family: str, p: int | None, name: str
    ) -> None:
        """``expr <= limit.value``: hard, or soft with ``weight * max(0, expr - value)``.

        ``ub`` is an upper bound of ``expr``; nothing is added when it cannot break the limit.
        """
        if ub <= limit.value:
            return
        if limit.weight is None:
            self.model.add(expr <= limit.value).only_enforce_if(self.guard(family, p))
            return
        excess = self.model.new_int_var(0, ub - limit.value, f"excess_{name}")
        self.model.add(excess >= expr - limit.value)
        self.term(f"soft:{family}").add(limit.weight, excess)

    def limit_at_least(
        self, limit: Limit, expr: Expr, family: str, p: int | None, name: str
    ) -> None:
        """``expr >= limit.value``: hard, or soft with ``weight * max(0, value - expr)``."""
        if limit.value <= 0:
            return
        if limit.weight is None:
            self.model.add(expr >= limit.value).only_enforce_if(self.guard(family, p))
            return
        deficit = self.model.new_int_var(0, limit.value, f"deficit_{name}")
        self.model.add(deficit >= limit.value - expr)
        self.term(f"soft:{family}").add(limit.weight, deficit)

    def forbid_all(
        self,
        lits: Sequence[Lit],
        weight: int | None,
        family: str,
        p: int | None,
        name: str,
        coef: int = 1,
    ) -> None:
        """Not all of ``lits`` true: hard, or soft costing ``weight * coef`` when they are."""
        if weight is None:
            self.model.add_bool_or([lit.Not() for lit in lits]).only_enforce_if(
                self.guard(family, p)
            )
            return
        both = self.model.new_bool_var(f"breach_{name}")
        self.model.add_bool_or([lit.Not() for lit in lits] + [both])
        self.term(f"soft:{family}").add(weight * coef, both)
