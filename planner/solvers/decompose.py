"""Improving a plan by re-planning a few people at a time, on models of their own.

A plan is a set of chosen candidates; it is priced exactly by a model restricted to those
candidates (every rule and term sees exactly the plan's assignments), and improved by steps
that each build a model restricted to the plan plus every candidate of a group of freed
people on a window of days: the other people keep their assignments, so any solution of the
step is a complete plan of the whole district, and its objective is the whole objective.
Districts too large for one CP-SAT model never build the whole model; smaller ones use
these steps after the whole model's search, since a step's model stays small however long
the horizon.

Each step chooses a kind of group (see :data:`KINDS`) and a window length (see
:data:`SPANS`), both adaptively: those that improved the plan are chosen more often. The
number of freed candidates adapts per window length: it grows while steps are solved to
optimality and shrinks when they are not.

Rules over the whole horizon (least and most minutes, worked weekends) tie a person's
weeks together: where everyone works near their least minutes, a shift gained in one week
must be given up in another. From four weeks of horizon a step may therefore also free a
group on a few separate weeks (see :data:`BLOCKS`) or on the same two weekdays of every
week (see :data:`WEEKLY`).

Where people have homes (grids, communities), a step may also re-plan everyone of one home
over the whole horizon from column generation's proposal for them (:data:`ROSTERS`): the
others' places are fixed, the master over the home's rosters covers what they leave, and
CP-SAT chooses among the proposal's and the current assignments.
"""

from __future__ import annotations

import random
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TypeVar

from ortools.sat.python import cp_model

from planner.solvers.base import SolveParams
from planner.solvers.bound import person_caps
from planner.solvers.colgen import roster_proposal
from planner.solvers.cpsat.builder import build_model, terms_at
from planner.solvers.cpsat.context import External
from planner.solvers.cpsat.levels import level_values, minimise_level
from planner.solvers.cpsat.run import fix_decisions, solve_stoppable, solver_for
from planner.solvers.index import ProblemIndex, restrict

K = TypeVar("K")

KINDS = ("holes", "chain", "home", "category")
#: A step of this kind frees a group of people on the same two consecutive weekdays of every
#: week (the pair chosen adaptively), from ``BLOCK_LEAST_DAYS`` days of horizon. Measured on
#: Curtois Instance 20 (50 people, 182 days, at most 13 worked weekends each), from a plan
#: of 6,330 (51 holes): everyone on every Saturday and Sunday, one step of 4 s, 5,911 (47
#: holes); 25 people at a time, four steps of 1.5 s each, 6,015; everyone on four days of
#: every week, nothing found in 60 s.
WEEKLY = "weekly"
#: A step of this kind frees a group of people on a few separate blocks of ``BLOCK_DAYS``
#: days, chosen at random among the horizon's weeks, from ``BLOCK_LEAST_DAYS`` days of
#: horizon; how many blocks (of ``BLOCK_COUNTS``, those that leave days out) is chosen
#: adaptively. Measured on Curtois Instance 20 from a plan of 5,787 (46 holes) where every
#: window of 14 days with everyone freed was already optimal, 90 s each: 5,375 with two
#: blocks of 7 days (everyone freed, about 1 s a step), 5,370 with three, 5,457 with one of
#: the two centred on a hole, against 5,663 for the other kinds. On Instance 16 (20 people,
#: 56 days, 35 shifts each) from a plan of 3,326 where 589 steps of the other kinds had
#: found nothing: two blocks found nothing in 222 steps, four found 3,231 (one hole fewer)
#: in 10 s and 3,227 in 60 s (the optimum is 3,225).
BLOCKS = "blocks"
BLOCK_DAYS = 7
BLOCK_COUNTS = (2, 4)
BLOCK_LEAST_DAYS = 28
#: A step of this kind re-plans the people of one home (grid or community) over the whole
#: horizon from column generation's proposal (see :meth:`RestrictedLns.roster_step`).
ROSTERS = "rosters"
#: Seconds for a roster step's proposal (see :func:`planner.solvers.colgen.roster_proposal`)
#: and for CP-SAT's search from it after, among the proposal's and the current assignments.
#: Measured from Chongwen's 60 s plan (7 days, 97.17e9), eight grids in turn: 0.45e9 gained
#: in 25 s with 2.5 s and 0.3 s, 0.31e9 in 17 s with 1.5 s and 0.3 s, 0.45e9 in 28 s with
#: 2.5 s and 1 s; all 64 grids twice over, 3.37e9 in 355 s (to 93.80e9; the first round
#: gave 2.97e9 in 186 s).
ROSTER_PROPOSAL_S = 2.5
ROSTER_POLISH_S = 0.3
#: The roster steps' first score among the kinds' (1 each). Measured at 60 s on Chongwen
#: (7 days), three runs each: 6.28% to 6.41% with 1, 6.35% to 6.59% with 3 (5 or 6 roster
#: steps of 7 to 12 either way: the other kinds' steps improve the plan too).
ROSTER_SCORE = 1.0
#: Homes with more candidates a day than this are left to the other kinds of step. On
#: Chongwen (7 days) a grid's people have 615 to 3,918 a day, a community's staff 4,369 to
#: 8,288; one community's (6,800 a day) took 5 s for a proposal worse than their plan (its
#: master does not see the "at least" rules they keep).
ROSTER_MAX_CANDIDATES_A_DAY = 4_000
#: People who could take over each place of a freed person, freed with them in a "chain"
#: step (a sample when more could).
CHAIN_TAKERS = 3
#: Wall-clock limit of one step's search.
STEP_LIMIT_S = 4.0
#: Window lengths (days) a step may free, besides the whole horizon: short windows of many
#: people move shifts between people, long ones of a few move them across weeks. Measured on
#: Curtois Instance 16 (20 people, 56 days; 60 s from the greedy plan): 4,908 with 3 days
#: only, 3,744 with 28 only, 3,545 with these chosen adaptively.
SPANS = (3, 7, 14, 28)
#: Fewest candidates a step frees once its window's target has shrunk.
LEAST_TARGET = 500
#: Deterministic-time limit of one step in deterministic mode.
DETERMINISTIC_STEP = 5.0


@dataclass
class Priced:
    """A plan with its exact objective and terms."""

    chosen: list[int]
    objective: int
    terms: dict[str, int]


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
    terms = terms_at(ctx, values)
    return Priced(keep, sum(terms.values()), terms)


class RestrictedLns:
    """Improve a plan of a large district by re-planning groups of people."""

    def __init__(
        self, index: ProblemIndex, start: Priced, params: SolveParams, target_free: int = 4_000
    ) -> None:
        self.index = index
        self.best = start
        self.params = params
        self.rng = random.Random(params.seed)
        #: candidates a step tries to free, per shape of window (``target_free`` at first):
        #: a window length, ``WEEKLY``, or ``BLOCKS`` and the number of blocks
        self.first_target = target_free
        self.targets: dict[int | str, int] = {}
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
        self.category = [person.category for person in scenario.people]
        dates = scenario.horizon.dates()
        self.fully_available = [all(p.is_available(d) for d in dates) for p in scenario.people]
        self.durations = [t.duration_min for t in scenario.shifts]
        self.day_of = [index.slots[s].day for s in index.cand_slot]
        self.score = dict.fromkeys(KINDS, 1.0)
        days = scenario.horizon.days
        #: homes a roster step re-plans, in turn (none in deterministic mode: column
        #: generation's rounds read the clock; none if everyone shares one home)
        self.homes = [
            home
            for home, people in self.by_home.items()
            if sum(len(self.cands_of[p]) for p in people) <= ROSTER_MAX_CANDIDATES_A_DAY * days
        ]
        self.next_home = 0
        #: most minutes each person may work (see :func:`planner.solvers.bound.person_caps`)
        self.most_minutes: dict[int, int] = {}
        if len(self.by_home) >= 2 and self.homes and not params.deterministic:
            self.score[ROSTERS] = ROSTER_SCORE
        #: the weekday (0 is Monday) each day of the horizon falls on, the weekly steps'
        #: scores per first weekday of the pair they free, and the current step's; the
        #: block steps' scores per number of blocks, and the current step's
        self.weekday = [date.weekday() for date in dates]
        self.pair_score = dict.fromkeys(range(7), 1.0)
        self.pair = 0
        self.block_score = {n: 1.0 for n in BLOCK_COUNTS if n * BLOCK_DAYS < days}
        self.blocks = BLOCK_COUNTS[0]
        if days >= BLOCK_LEAST_DAYS:
            self.score[WEEKLY] = self.score[BLOCKS] = 1.0
        self.span_score = dict.fromkeys(sorted({min(days, s) for s in SPANS} | {days}), 1.0)
        #: the window length of the current step (of consecutive days), its shape (its
        #: key in ``targets``), and whether its people were picked up to the target (else
        #: the pool ran out first: its size says nothing of the target)
        self.span = min(days, SPANS[0])
        self.shape: int | str = self.span
        self.binding = False
        self.steps = 0
        self.improvements = 0
        #: roster steps taken, and those that improved the plan (counted in the above too)
        self.roster_steps = 0
        self.roster_improvements = 0
        #: proven lower bound, for stopping at ``params.target_gap``
        self.floor = 0
        #: lexicographic mode (see :mod:`planner.solvers.lexico`): the level minimised
        #: (None: the weighted objective), the caps of earlier levels and their values in
        #: the current plan (over-estimates after the first improvement of a level)
        self.level: int | None = None
        self.caps: dict[int, int] = {}
        self.totals: dict[int, int] = {}

    @property
    def target(self) -> int:
        """Candidates the current step tries to free."""
        return self.targets.get(self.shape, self.first_target)

    def _pick(self, pool: list[int], window: set[int]) -> list[int]:
        pool = list(pool)
        self.rng.shuffle(pool)
        out: list[int] = []
        size = 0
        self.binding = False
        for p in pool:
            out.append(p)
            size += sum(1 for c in self.cands_of[p] if self.day_of[c] in window)
            if size >= self.target:
                self.binding = True
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

    def _hole(self) -> tuple[list[int], set[int], int] | None:
        """A hole chosen at random, weighted by priority: the people who could fill it, the
        days around it and its own day (None if every place is filled)."""
        index = self.index
        holes = self._holes()
        if not holes:
            return None
        s_idx = self.rng.choices(holes, weights=[index.priority(s) for s in holes])[0]
        people = list({index.cand_person[c] for c in index.by_slot[s_idx]})
        day = index.slots[s_idx].day
        return people, self._window(day), day

    def _window(self, centre: int) -> set[int]:
        days, span = self.index.scenario.horizon.days, self.span
        lo = max(0, min(centre - span // 2, days - span))
        return set(range(lo, lo + span))

    def free_people(self, kind: str) -> tuple[set[int], set[int] | None]:
        """People to re-plan in one step of ``kind``, and the days freed (None: all)."""
        index, rng = self.index, self.rng
        days = index.scenario.horizon.days
        self.shape = self.span
        if kind in (WEEKLY, BLOCKS):  # everyone may be freed, on separate days
            pool = list(self.cands_of)
            window = self._separate_days(kind)
        elif kind == "holes":
            hole = self._hole()
            if hole is None:
                return set(), None
            pool, window, _ = hole
        elif kind == "chain":
            return self._chain()
        elif kind == "home":
            window = self._window(rng.randrange(days))
            pool = self.by_home[rng.choice(list(self.by_home))]
        else:
            window = self._window(rng.randrange(days))
            pool = self.by_category[rng.choice(list(self.by_category))]
        return set(self._pick(pool, window)), window

    def _separate_days(self, kind: str) -> set[int]:
        """The days a step of ``kind`` (``WEEKLY`` or ``BLOCKS``) frees; sets its shape and
        the pair of weekdays or the number of blocks drawn."""
        if kind == WEEKLY:
            self.shape = kind
            self.pair = _choose(self.rng, self.pair_score)
            return {d for d, w in enumerate(self.weekday) if (w - self.pair) % 7 < 2}
        self.blocks = _choose(self.rng, self.block_score)
        self.shape = f"{kind} {self.blocks}"
        weeks = range(0, self.index.scenario.horizon.days - BLOCK_DAYS + 1, BLOCK_DAYS)
        starts = self.rng.sample(weeks, self.blocks)
        return {d for start in starts for d in range(start, start + BLOCK_DAYS)}

    def _chain(self) -> tuple[set[int], set[int] | None]:
        """People who could fill a hole, and people who could take over their places.

        A hole is often filled only by a chain of moves: ``a`` leaves a long shift for the
        short one in the hole (which fits their minutes), ``b`` takes ``a``'s long shift.
        ``b`` need not be able to fill the hole, so the "holes" step, freeing only those
        who can, misses the chain; this step frees both links on the hole's days.
        """
        index, rng = self.index, self.rng
        hole = self._hole()
        if hole is None:
            return set(), None
        first, window, day = hole
        rng.shuffle(first)
        held: dict[int, list[int]] = defaultdict(list)
        for c in self.best.chosen:
            if self.day_of[c] in window:
                held[index.cand_person[c]].append(index.cand_slot[c])
        out: set[int] = set()
        size = 0
        self.binding = False
        for p in first:
            # the places nearest the hole first, their takers drawn one place at a time up
            # to the target (on a long window one person's places alone have takers enough
            # to free everyone); the window is clipped at the horizon's edges, so its middle
            # need not be the hole's day
            near = sorted(held.get(p, ()), key=lambda s: abs(index.slots[s].day - day))
            for q in self._links(p, near):
                if q not in out:
                    out.add(q)
                    size += sum(1 for c in self.cands_of[q] if self.day_of[c] in window)
                if size >= self.target:
                    self.binding = True
                    return out, window
        return out, window

    def _links(self, p: int, places: list[int]) -> Iterator[int]:
        """``p``, then up to ``CHAIN_TAKERS`` people drawn from those who could take each of
        ``places`` in turn (drawn only when reached)."""
        yield p
        for slot in places:
            takers = [self.index.cand_person[c] for c in self.index.by_slot[slot]]
            yield from self.rng.sample(takers, min(len(takers), CHAIN_TAKERS))

    def external(self, free: set[int], current: list[int]) -> External:
        """The constants that the people outside ``free`` contribute to a sub-model."""
        index = self.index
        ext = External()
        minutes: dict[int, int] = defaultdict(int)
        for c in current:
            p = index.cand_person[c]
            if p in free:
                continue
            s_idx = index.cand_slot[c]
            slot = index.slots[s_idx]
            q = slot.postshift_idx
            ext.slot_count[s_idx] = ext.slot_count.get(s_idx, 0) + 1
            ext.postshift_count[q] = ext.postshift_count.get(q, 0) + 1
            key = (q, self.category[p])
            ext.postshift_category_count[key] = ext.postshift_category_count.get(key, 0) + 1
            minutes[p] += self.durations[slot.shift_idx]
        for p, cat in enumerate(self.category):
            if p in free:
                continue
            m = minutes.get(p, 0)
            ext.peak[cat] = max(ext.peak.get(cat, 0), m)
            if self.fully_available[p]:
                ext.full_high[cat] = max(ext.full_high.get(cat, 0), m)
                ext.full_low[cat] = min(ext.full_low.get(cat, m), m)
                ext.full_count[cat] = ext.full_count.get(cat, 0) + 1
        return ext

    def step(self, deadline: float) -> bool:
        """One re-planning step; True if the plan improved."""
        kind = _choose(self.rng, self.score)
        if kind == ROSTERS:
            improved = self.roster_step(deadline)
            _reward(self.score, kind, improved)
            return improved
        if kind not in (WEEKLY, BLOCKS):
            self.span = _choose(self.rng, self.span_score)
        free, window = self.free_people(kind)
        if not free:
            self.score[kind] = max(0.05, self.score[kind] * 0.5)
            return False
        improved = self.replan(free, window, deadline) is True
        _reward(self.score, kind, improved)
        if kind == WEEKLY:
            _reward(self.pair_score, self.pair, improved)
        elif kind == BLOCKS:
            _reward(self.block_score, self.blocks, improved)
        else:
            _reward(self.span_score, self.span, improved)
        return improved

    def roster_step(self, deadline: float) -> bool:
        """Re-plan the people of the next home in turn over the whole horizon, starting from
        column generation's proposal for them (see
        :func:`planner.solvers.colgen.roster_proposal`); True if the plan improved."""
        if self.next_home % len(self.homes) == 0:
            self._order_homes()
        home = self.homes[self.next_home % len(self.homes)]
        self.next_home += 1
        free = set(self.by_home[home])
        keep = sorted(c for p in free for c in self.cands_of[p])
        end = min(deadline, time.monotonic() + ROSTER_PROPOSAL_S)
        proposal = roster_proposal(
            self.index, free, keep, self.best.chosen, end, self.params.workers, self.params.seed
        )
        self.roster_steps += 1
        if proposal is None or time.monotonic() >= deadline:
            self.steps += 1
            return False
        targets = dict(self.targets)  # a whole home says nothing of the steps' sizes
        changed = self.replan(free, None, deadline, proposal=proposal, limit_s=ROSTER_POLISH_S)
        self.targets = targets
        self.roster_improvements += changed is True
        return changed is True

    def summary(self) -> str:
        """Steps taken and improvements, for ``Stats.solver``."""
        text = f"{self.steps} steps, {self.improvements} improvements"
        if self.roster_steps:
            text += f"; {self.roster_improvements} of {self.roster_steps} home roster steps"
        return text

    def _order_homes(self) -> None:
        """Homes by the minutes their people could still work in the current plan, most
        first: where minutes are left over, shifts are badly mixed (or nothing is left to
        cover)."""
        index = self.index
        worked: dict[int, int] = defaultdict(int)
        for c in self.best.chosen:
            worked[index.cand_person[c]] += self.durations[
                index.slots[index.cand_slot[c]].shift_idx
            ]
        if not self.most_minutes:
            self.most_minutes = {p: person_caps(index, p).minutes for p in self.cands_of}

        def spare(home: str | None) -> int:
            return sum(self.most_minutes[p] - worked[p] for p in self.by_home[home])

        self.homes.sort(key=spare, reverse=True)

    def replan(
        self,
        free: set[int],
        window: set[int] | None,
        deadline: float,
        repair: bool = False,
        proposal: list[int] | None = None,
        limit_s: float = STEP_LIMIT_S,
    ) -> bool | None:
        """Re-plan the people ``free`` on the days ``window`` (all days if None), searching
        for at most ``limit_s`` seconds.

        Normally the step starts from the current plan and keeps the result only if it is
        better. With ``proposal`` (new assignments of the freed people, candidates) the
        freed people may take only those or keep their own, and the search starts from the
        proposal where it keeps every hard rule, still keeping the result only if better
        than the current plan. With ``repair`` the current plan may break the freed
        people's hard rules: any plan that satisfies them is kept. Returns True if the plan
        changed, False if not, None if the sub-problem is infeasible.
        """
        index = self.index
        current = set(self.best.chosen)
        offered = None if proposal is None else set(proposal)
        day_of = self.day_of
        keep = sorted(
            c
            for p in free
            for c in self.cands_of[p]
            if c in current
            or ((window is None or day_of[c] in window) and (offered is None or c in offered))
        )
        sub, old_of = restrict(index, keep)
        ctx = build_model(sub, people=sorted(free), external=self.external(free, self.best.chosen))
        for new, old in enumerate(old_of):
            if old in current and window is not None and day_of[old] not in window:
                ctx.model.proto.variables[ctx.x[new].index].domain[0] = 1
        deterministic = self.params.deterministic
        left = DETERMINISTIC_STEP if deterministic else deadline - time.monotonic()
        hint = [new for new, old in enumerate(old_of) if old in current]
        values = None
        if not repair:  # a repair starts from a plan that breaks the freed people's rules
            values = fix_decisions(ctx, hint, max(0.5, 0.2 * left), self.params)
            if values is None:
                return False  # cannot happen for a valid plan
        levels = level_values(terms_at(ctx, values)) if values is not None else None
        before = sum(levels) if levels is not None else None
        if self.level is not None and levels is not None and not repair:
            # a sub-model's level differs from the whole one's by a constant: what is left
            # of each cap is what its level may grow by here
            allowed = {j: levels[j] + cap - self.totals[j] for j, cap in self.caps.items()}
            if not minimise_level(ctx, self.level, allowed):
                return False
            before = levels[self.level]
        # the proposal, where it keeps every hard rule, and its value (as ``before``'s)
        offer: tuple[int, list[int]] | None = None
        if proposal is not None and values is not None:
            new_of = {old: new for new, old in enumerate(old_of)}
            picks = [new_of[c] for c in proposal if c in new_of]
            proposed = fix_decisions(ctx, picks, max(0.5, 0.2 * left), self.params)
            if proposed is not None:
                now = level_values(terms_at(ctx, proposed))
                offer = (now[self.level] if self.level is not None else sum(now), proposed)
                values = proposed
        if values is not None:
            for i, v in enumerate(values):
                ctx.model.add_hint(ctx.model.get_int_var_from_proto_index(i), v)
        else:
            picked = set(hint)
            for new, var in enumerate(ctx.x):
                ctx.model.add_hint(var, int(new in picked))
        if not deterministic:
            left = min(deadline - time.monotonic(), limit_s * (4 if repair else 1))
        solver = solver_for(self.params, max(0.5, left))
        if repair:
            # a repair needs any plan that keeps the rules; improving it is the steps' job
            solver.parameters.stop_after_first_solution = True
        status = solve_stoppable(solver, ctx.model, self.params)
        self.steps += 1
        if status == cp_model.INFEASIBLE:
            return None
        if not repair:  # a repair stops at its first plan: it says nothing of the size
            if status != cp_model.OPTIMAL:
                self.targets[self.shape] = max(LEAST_TARGET, int(self.target * 0.7))
            elif self.binding:
                self.targets[self.shape] = int(self.target * 1.2)
        solution = None
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            after = round(solver.objective_value)
            solution = list(solver.response_proto.solution)
        if offer is not None and (solution is None or offer[0] < after):
            # the search found nothing better than the proposal (it may not even have got
            # through presolve in its time)
            after, solution = offer
        if solution is None or (before is not None and after >= before):
            return False
        kept = [c for c in self.best.chosen if index.cand_person[c] not in free]
        kept += [old_of[new] for new, var in enumerate(ctx.x) if solution[var.index]]
        # a sub-model's objective is the whole one minus a constant, so the difference is
        # exact up to penalties left above their least value; the final plan is priced
        estimate = self.best.objective - (before - after) if before is not None else 0
        if self.level is not None and levels is not None and not repair:
            now = level_values(terms_at(ctx, solution))
            for j in self.caps:
                self.totals[j] += now[j] - levels[j]
            estimate = self.best.objective + sum(now[j] - levels[j] for j in range(self.level + 1))
        self.best = Priced(kept, estimate, {})
        self.improvements += 1
        return True

    def run(
        self,
        deadline: float,
        on_improve: Callable[[int], None] | None = None,
        reserve_s: float = 5.0,
        max_steps: int | None = None,
    ) -> Priced:
        """Step until ``deadline`` minus ``reserve_s`` (or ``max_steps``, in deterministic
        mode), or until a stop; returns the best plan."""
        while not self.params.stopped() and not self.params.close_enough(
            self.best.objective, self.floor
        ):
            if max_steps is not None and self.steps >= max_steps:
                break
            if max_steps is None and time.monotonic() >= deadline - reserve_s:
                break
            if self.step(deadline - reserve_s) and on_improve is not None:
                on_improve(self.best.objective)
        return self.best


def _choose(rng: random.Random, scores: dict[K, float]) -> K:
    """A key of ``scores`` drawn with probability proportional to its score."""
    keys = list(scores)
    return rng.choices(keys, weights=[scores[k] for k in keys])[0]


def _reward(scores: dict[K, float], key: K, improved: bool) -> None:
    """Raise the score of ``key`` if its step improved the plan, else lower it."""
    scores[key] = min(10.0, scores[key] * 1.5) if improved else max(0.05, scores[key] * 0.9)


def breaking_minimums(index: ProblemIndex, chosen: list[int]) -> set[int]:
    """People whose assignments in ``chosen`` break a hard minimum rule.

    The greedy plan respects every maximum; only minimum minutes and minimum runs of worked
    days or days off can still fail, so these are the people a repair must re-plan.
    """
    scenario = index.scenario
    num_days = scenario.horizon.days
    minutes: dict[int, int] = defaultdict(int)
    worked: dict[int, set[int]] = defaultdict(set)
    for c in chosen:
        p = index.cand_person[c]
        slot = index.slots[index.cand_slot[c]]
        minutes[p] += scenario.shifts[slot.shift_idx].duration_min
        worked[p].add(slot.day)
    out: set[int] = set()
    for p, person in enumerate(scenario.people):
        rules = scenario.rules_for(person)
        low = rules.min_minutes_per_horizon
        if low is not None and low.weight is None and minutes[p] < low.value:
            out.add(p)
            continue
        for limit, on in (
            (rules.min_consecutive_days, True),
            (rules.min_consecutive_days_off, False),
        ):
            if limit is None or limit.weight is not None or limit.value <= 1:
                continue
            flags = [(d in worked[p]) == on for d in range(num_days)]
            d = 0
            while d < num_days:
                if not flags[d]:
                    d += 1
                    continue
                end = d
                while end + 1 < num_days and flags[end + 1]:
                    end += 1
                if d > 0 and end < num_days - 1 and end - d + 1 < limit.value:
                    out.add(p)
                    break
                d = end + 1
    return out


def repair(lns: RestrictedLns, deadline: float) -> set[int] | None:
    """Re-plan the people breaking hard minimums, one at a time, until none do.

    One person at a time is fastest: measured on a year of 50 people (Curtois Instance 20),
    a repair takes 0.1-0.2 s for one person, 0.3-1.3 s for two and up to 10 s for four. A
    person whose sub-problem finds no plan cannot be repaired while the others keep theirs.
    Returns None when repaired, else the people still breaking their minimums.
    """
    broken = breaking_minimums(lns.index, lns.best.chosen)
    while broken and time.monotonic() < deadline and not lns.params.stopped():
        if lns.replan({min(broken)}, None, deadline, repair=True) is not True:
            return broken
        broken = breaking_minimums(lns.index, lns.best.chosen)
    return broken or None
