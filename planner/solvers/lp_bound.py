"""A lower bound on the objective from a linear relaxation of coverage and working time.

People who are interchangeable (the same slots on the same days and shifts, the same rules)
are one group of ``k``; slots of one day and shift with the same priority and the same
groups able to fill them are one class, wanting the sum of their headcounts. Any plan,
summed over a group and a class, is a solution, and by symmetry the LP loses nothing by
these sums. Variables: ``x`` in [0, k] per group and class it can fill; ``miss`` per class.
Rows, each group's right-hand sides times its ``k``:

- coverage: ``sum x + miss >= headcount`` per class;
- per (day, shift): ``y = sum x <= k`` (one person fills one place of a shift);
- per day: at most the hard shifts and minutes a day allow;
- per rolling 7-day window: at most the hard 7-day minutes;
- over the horizon: at most the shifts and the minutes the hard rules allow together
  (:func:`planner.solvers.bound.person_shift_cap` and the minutes reachable by whole shifts).

Holding the count of shifts and their minutes at once is what the two flow relaxations
cannot do (each keeps one). Whole shifts say more: a volunteer with 2,400 minutes, at most
6 shifts and shifts of 360, 420 and 540 minutes may work 5 5/7 shifts of 420 minutes by the
two rows, but 5 whole ones at most (``#420 + #540 <= 5``). Such rows (Chvatal-Gomory cuts of
the two, see :func:`working_time_cuts`) are added where the LP's solution breaks them.
Rest, nights and consecutive-day rows were measured to add nothing here and are left out.
The objective is the priority-weighted shortage; every other term is non-negative, so the
LP optimum (rounded up to a whole shortage unit, after a margin for the LP's tolerances) is
a lower bound on the objective of any plan.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction

from ortools.linear_solver import pywraplp

from planner.solvers.bound import hard_value, interchangeable_groups, person_caps
from planner.solvers.index import ProblemIndex

#: Relative margin taken off the LP optimum for the solver's tolerances.
MARGIN = 1e-7
#: Rounds of adding the working-time cuts the LP's solution breaks (see
#: :func:`working_time_cuts`), each followed by a solve. Measured (bound, LP seconds; none,
#: one and two rounds): Chongwen, 7 days, 89.694e9 (2.3 s), 89.833e9 (3.7 s), 89.883e9
#: (5.1 s); a synthetic district of 3,742 people, 7 days, 94.261e9 (1.0 s), 94.945e9,
#: 95.067e9 (1.9 s). A round re-solves from scratch: GLOP was slower still from the last
#: basis (without presolve, or with the dual simplex).
CUT_ROUNDS = 2
#: A round of cuts starts only while the LP has taken less than this share of its time
#: limit. Chongwen over 14 days takes 13.5 s for its first solve, a third of its time at
#: 120 s, and a round of cuts 7 s more for a bound 0.006% higher.
CUT_TIME_SHARE = 0.25
#: Cutting stops after a round that raised the LP by less than this share.
CUT_MIN_GAIN = 1e-3
#: How far a cut must be broken, per person of the group, to be added.
CUT_VIOLATION = 1e-4


@dataclass
class LpGuide:
    """How the LP optimum shares out the work: person-shifts per (group, slot class).

    A constructive plan that follows it (see :mod:`planner.solvers.greedy`) gives each
    group the mix of shifts the LP found best, e.g. shorter shifts to people whose minutes
    run out before their days do.
    """

    #: the class of each slot (see :func:`_slot_classes`)
    slot_class: list[int]
    #: person -> the representative of their group
    group_of: dict[int, int]
    #: (representative, class) -> person-shifts of the group in the class, summed over it
    share: dict[tuple[int, int], float]


@dataclass
class LpResult:
    """The LP lower bound on the objective and the solution it came from."""

    bound: int
    guide: LpGuide
    #: the LP's prices: per class of slots (coverage) and per (representative, (day,
    #: shift)) (one more person-shift of the group there), both >= 0
    cover_prices: list[float] = field(default_factory=list)
    key_prices: dict[tuple[int, tuple[int, int]], float] = field(default_factory=dict)
    #: seconds the LP took to build and solve
    seconds: float = 0.0


def lp_bound(
    index: ProblemIndex, time_limit_s: float, members: list[list[int]] | None = None
) -> int | None:
    """The LP lower bound on the objective, or None if GLOP did not finish in time.

    ``members`` is :func:`planner.solvers.bound.interchangeable_groups` of ``index``, if at
    hand.
    """
    result = solve_lp(index, time_limit_s, members)
    return None if result is None else result.bound


def solve_lp(
    index: ProblemIndex, time_limit_s: float, members: list[list[int]] | None = None
) -> LpResult | None:
    """The LP's bound and solution (None if GLOP did not finish in ``time_limit_s``)."""
    started = time.monotonic()
    scenario = index.scenario
    shifts = scenario.shifts
    days = scenario.horizon.days
    lp = pywraplp.Solver.CreateSolver("GLOP")
    if lp is None:  # pragma: no cover - GLOP ships with OR-Tools
        return None
    lp.SetTimeLimit(max(1, int(1000 * time_limit_s)))
    inf = lp.infinity()
    objective = lp.Objective()
    members = interchangeable_groups(index) if members is None else members
    groups = [(group[0], len(group)) for group in members]
    group_of = {p: group[0] for group in members for p in group}
    slot_class = _slot_classes(index, {p for p, _ in groups})
    need: dict[int, int] = defaultdict(int)
    priority: dict[int, int] = {}
    for s_idx, slot in enumerate(index.slots):
        need[slot_class[s_idx]] += slot.headcount
        priority[slot_class[s_idx]] = index.priority(s_idx)
    cover = []
    for cls in range(len(priority)):
        miss = lp.NumVar(0, need[cls], "")
        objective.SetCoefficient(miss, priority[cls])
        row = lp.Constraint(need[cls], inf)
        row.SetCoefficient(miss, 1)
        cover.append(row)
    if not cover:
        return LpResult(0, LpGuide(slot_class, group_of, {}))

    def at_most(cap: int, terms: list[tuple[pywraplp.Variable, int]]) -> None:
        row = lp.Constraint(-inf, cap)
        for var, coef in terms:
            row.SetCoefficient(var, coef)

    xs: dict[tuple[int, int], pywraplp.Variable] = {}
    links: dict[tuple[int, tuple[int, int]], pywraplp.Constraint] = {}
    working: list[_WorkingTime] = []
    for p, k in groups:
        keys = index.by_person_day_shift[p]
        rules = scenario.rules_for(scenario.people[p])
        y = {}
        for key, cands in keys.items():
            y[key] = lp.NumVar(0, k, "")
            link = links[(p, key)] = lp.Constraint(0, 0)
            link.SetCoefficient(y[key], -1)
            for cls in sorted({slot_class[index.cand_slot[c]] for c in cands}):
                x = lp.NumVar(0, k, "")
                link.SetCoefficient(x, 1)
                cover[cls].SetCoefficient(x, 1)
                xs[(p, cls)] = x
        caps = person_caps(index, p)
        for d, ts in caps.by_day.items():
            at_most(caps.day_shifts[d] * k, [(y[(d, t)], 1) for t in ts])
            day_minutes = [(y[(d, t)], shifts[t].duration_min) for t in ts]
            at_most(caps.day_minutes[d] * k, day_minutes)
        at_most(caps.shifts * k, [(v, 1) for v in y.values()])
        at_most(caps.minutes * k, [(v, shifts[t].duration_min) for (_, t), v in y.items()])
        by_length: dict[int, list[pywraplp.Variable]] = defaultdict(list)
        for (_, t), v in y.items():
            by_length[shifts[t].duration_min].append(v)
        cuts = working_time_cuts(sorted(by_length), caps.minutes, caps.shifts)
        if cuts:
            working.append(_WorkingTime(k, dict(by_length), cuts))
        week = hard_value(rules.max_minutes_per_7_days)
        if week is not None and days > 7:
            for first in range(days - 6):
                window = [
                    (v, shifts[t].duration_min) for (d, t), v in y.items() if first <= d < first + 7
                ]
                at_most(week * k, window)
    objective.SetMinimization()
    deadline = started + time_limit_s
    before = None
    for cut_round in range(CUT_ROUNDS + 1):
        lp.SetTimeLimit(max(1, int(1000 * (deadline - time.monotonic()))))
        if lp.Solve() != pywraplp.Solver.OPTIMAL:
            return None
        value = objective.Value()
        if before is not None and value - before < CUT_MIN_GAIN * max(1.0, abs(before)):
            break
        spent = time.monotonic() - started
        if cut_round == CUT_ROUNDS or spent > CUT_TIME_SHARE * time_limit_s:
            break
        if not _add_broken_cuts(working, at_most):
            break
        before = value
    units = whole_units(objective.Value())
    share = {key: x.solution_value() for key, x in xs.items()}
    guide = LpGuide(slot_class, group_of, {key: v for key, v in share.items() if v > 0})
    return LpResult(
        units * scenario.objective.shortage,
        guide,
        [max(0.0, row.dual_value()) for row in cover],
        {pk: max(0.0, -row.dual_value()) for pk, row in links.items()},
        time.monotonic() - started,
    )


def whole_units(value: float) -> int:
    """An LP's lower bound ``value`` on a whole-numbered quantity (the priority-weighted
    shortage, or the objective), rounded up after a margin for the LP's tolerances."""
    return max(0, math.ceil(value - MARGIN * max(1.0, abs(value))))


def _slot_classes(index: ProblemIndex, representatives: set[int]) -> list[int]:
    """The class of each slot: slots of one day and shift, of the same priority and the same
    over-staffing weight, that the same groups (named by their representatives) can fill."""
    fillers: list[set[int]] = [set() for _ in index.slots]
    for c, p in enumerate(index.cand_person):
        if p in representatives:
            fillers[index.cand_slot[c]].add(p)
    ids: dict[tuple[object, ...], int] = {}
    out = []
    for s_idx, slot in enumerate(index.slots):
        key = (
            slot.day,
            slot.shift_idx,
            index.priority(s_idx),
            slot.role.overstaff_weight,
            frozenset(fillers[s_idx]),
        )
        out.append(ids.setdefault(key, len(ids)))
    return out


@dataclass
class _WorkingTime:
    """One group's shifts by length, and the cuts of its working-time rows."""

    k: int
    by_length: dict[int, list[pywraplp.Variable]]
    cuts: list[tuple[dict[int, int], int]]


def _add_broken_cuts(
    working: list[_WorkingTime],
    at_most: Callable[[int, list[tuple[pywraplp.Variable, int]]], None],
) -> int:
    """Add every cut the LP's current solution breaks (and drop it from the candidates);
    returns how many."""
    # every value is read before any row is added: adding one discards the solution
    all_totals = [
        {d: sum(v.solution_value() for v in vs) for d, vs in group.by_length.items()}
        for group in working
    ]
    added = 0
    for group, totals in zip(working, all_totals, strict=True):
        kept = []
        for coefs, rhs in group.cuts:
            lhs = sum(coefs[d] * total for d, total in totals.items())
            if lhs <= group.k * (rhs + CUT_VIOLATION):
                kept.append((coefs, rhs))
                continue
            terms = [(v, coefs[d]) for d, vs in group.by_length.items() for v in vs]
            at_most(rhs * group.k, [(v, c) for v, c in terms if c])
            added += 1
        group.cuts = kept
    return added


def working_time_cuts(
    lengths: list[int], minutes: int, most: int
) -> list[tuple[dict[int, int], int]]:
    """Rows ``sum(coef[length] * shifts of that length) <= rhs`` that every whole number of
    shifts within ``minutes`` and ``most`` shifts keeps, and that the two rows alone do not.

    Each is the two rows times ``a`` and ``b`` (``a`` = j / length for j = 1 to 3,
    ``b`` = 0, 1/3, 1/2 or 2/3), coefficients and right-hand side rounded down
    (Chvatal-Gomory: the left side is a whole number). Rows another row implies, or the
    shift count implies, are left out.
    """
    if len(lengths) == 0 or most <= 0:
        return []
    found: dict[tuple[int, ...], int] = {}
    for length in lengths:
        for j in (1, 2, 3):
            a = Fraction(j, length)
            for b in (Fraction(0), Fraction(1, 3), Fraction(1, 2), Fraction(2, 3)):
                coefs = tuple(math.floor(a * d + b) for d in lengths)
                rhs = math.floor(a * minutes + b * most)
                if not any(coefs) or max(coefs) * most <= rhs:
                    continue  # nothing, or no more than the shift count says
                found[coefs] = min(rhs, found.get(coefs, rhs))

    def implied(coefs: tuple[int, ...], rhs: int) -> bool:
        return any(
            other != coefs and all(o >= c for o, c in zip(other, coefs, strict=True)) and r <= rhs
            for other, r in found.items()
        )

    return [
        (dict(zip(lengths, coefs, strict=True)), rhs)
        for coefs, rhs in sorted(found.items())
        if not implied(coefs, rhs)
    ]
