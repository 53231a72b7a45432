"""Overlap, rest between shifts, and forbidden successions.

Rules, per person, over their possible shifts a, b (b starting no earlier than a):
  overlap: if start_b < end_a, not both (hard, always, family ``overlap``);
  rest: if 0 <= start_b - end_a < min_rest_minutes, not both (hard, or soft: weight per
    such pair, family ``min_rest_minutes``);
  succession (first, then): not ``first`` on day d and ``then`` on day d+1 (hard, or soft:
    weight per pair, family ``forbidden_successions``).

Overlap is posted as "at most one" over cliques rather than pair by pair. Shifts are
intervals, so every set of pairwise overlapping shifts shares a common instant, and the
overlap rule is exactly "at most one" over the shifts running at each start time (only
the maximal such sets are posted). A year of 32 shift types a day is 180,000 overlapping
pairs a person, and a few constraints a person-day this way.

Hard successions are posted pair by pair, unless a scenario has more than
``SUCCESSION_CLIQUES_FROM`` of them (Curtois Instance 24 has 461: 168,000 pairs a person).
Then a first shift and the shifts it may not be followed by are one "at most one" when
those shifts overlap each other, and first shifts with the same forbidden followers are
merged when they overlap too. Both forms allow the same plans, but CP-SAT searches them
differently: with the cliques Curtois Instance 9 ends at 449 with a bound of 179 in 60 s,
pair by pair at 439 (its best known) with a bound of 406.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from planner.model import ShiftTemplate
from planner.solvers.cpsat.context import Lit, ModelContext

#: More hard succession rules than this are posted as cliques (see the module docstring).
SUCCESSION_CLIQUES_FROM = 50


def add_timing(ctx: ModelContext) -> None:
    """Add overlap, rest and succession rules for every person."""
    shifts = ctx.scenario.shifts
    shift_idx = {s.id: i for i, s in enumerate(shifts)}
    rules = ctx.scenario.rules.forbidden_successions
    cliques = sum(s.weight is None for s in rules) > SUCCESSION_CLIQUES_FROM
    hard_after: dict[int, set[int]] = defaultdict(set)
    pairs: list[tuple[int, int, int | None]] = []
    for s in rules:
        first, then = shift_idx[s.first], shift_idx[s.then]
        if s.weight is None and cliques:
            hard_after[first].add(then)
        else:
            pairs.append((first, then, s.weight))
    for p in ctx.people:
        keys = ctx.shift_slots(p)
        for clique in _overlap_cliques(keys, shifts):
            _at_most_one(ctx, [ctx.w(p, d, t) for d, t in clique], "overlap", p)
        rest = ctx.rules[p].min_rest_minutes
        if rest is not None and rest.value > 0:
            for i, (da, ta) in enumerate(keys):
                end_a = shifts[ta].end_at(da)
                for db, tb in keys[i + 1 :]:
                    start_b = shifts[tb].start_at(db)
                    if start_b >= end_a + rest.value:
                        break
                    if start_b >= end_a:
                        ctx.forbid_all(
                            [ctx.w(p, da, ta), ctx.w(p, db, tb)],
                            rest.weight,
                            "min_rest_minutes",
                            p,
                            f"p{p}_d{da}t{ta}_d{db}t{tb}",
                        )
        have = set(keys)
        if hard_after:
            _hard_successions(ctx, p, keys, have, hard_after)
        for first, then, weight in pairs:
            for day, t in keys:
                if t == first and (day + 1, then) in have:
                    ctx.forbid_all(
                        [ctx.w(p, day, first), ctx.w(p, day + 1, then)],
                        weight,
                        "forbidden_successions",
                        p,
                        f"succ_p{p}_d{day}_t{first}_t{then}",
                    )


def _overlap_cliques(
    keys: Sequence[tuple[int, int]], shifts: Sequence[ShiftTemplate]
) -> list[list[tuple[int, int]]]:
    """The maximal sets of ``keys`` (sorted by start) running at one instant, of two or more.

    Sweeping the starts in order, the set running at a start time is maximal unless every
    shift in it still runs at the next start time.
    """
    out: list[list[tuple[int, int]]] = []
    active: list[tuple[int, tuple[int, int]]] = []  # (end, key)
    pending: list[tuple[int, int]] | None = None
    i = 0
    while i < len(keys):
        start = shifts[keys[i][1]].start_at(keys[i][0])
        running = [item for item in active if item[0] > start]
        if len(running) < len(active) and pending is not None and len(pending) > 1:
            out.append(pending)  # a shift ended: the set at the last start was maximal
        active = running
        while i < len(keys) and shifts[keys[i][1]].start_at(keys[i][0]) == start:
            day, t = keys[i]
            active.append((shifts[t].end_at(day), keys[i]))
            i += 1
        pending = [key for _, key in active]
    if pending is not None and len(pending) > 1:
        out.append(pending)
    return out


def _hard_successions(
    ctx: ModelContext,
    p: int,
    keys: Sequence[tuple[int, int]],
    have: set[tuple[int, int]],
    hard_after: dict[int, set[int]],
) -> None:
    """Hard successions of person ``p`` as "at most one" over cliques where possible."""
    shifts = ctx.scenario.shifts
    by_day: dict[int, dict[frozenset[int], list[int]]] = defaultdict(lambda: defaultdict(list))
    for day, first in keys:
        followers = frozenset(t for t in hard_after.get(first, ()) if (day + 1, t) in have)
        if followers:
            by_day[day][followers].append(first)
    for day, groups in sorted(by_day.items()):
        for followers, firsts in groups.items():
            after = [(day + 1, t) for t in sorted(followers)]
            if not _clique(after, shifts):
                for first in firsts:
                    for key in after:
                        ctx.forbid_all(
                            [ctx.w(p, day, first), ctx.w(p, *key)],
                            None,
                            "forbidden_successions",
                            p,
                            f"succ_p{p}_d{day}_t{first}_t{key[1]}",
                        )
                continue
            before = [(day, first) for first in firsts]
            chunks = [before] if _clique(before, shifts) else [[key] for key in before]
            for chunk in chunks:
                lits = [ctx.w(p, d, t) for d, t in chunk + after]
                _at_most_one(ctx, lits, "forbidden_successions", p)


def _clique(keys: Sequence[tuple[int, int]], shifts: Sequence[ShiftTemplate]) -> bool:
    """True if the shifts ``keys`` all run at one common instant (so pairwise overlap)."""
    latest_start = max(shifts[t].start_at(d) for d, t in keys)
    earliest_end = min(shifts[t].end_at(d) for d, t in keys)
    return latest_start < earliest_end


def _at_most_one(ctx: ModelContext, lits: list[Lit], family: str, p: int) -> None:
    """At most one of ``lits``: a hard rule of ``family`` (guarded when explaining)."""
    guard = ctx.guard(family, p)
    if guard:
        ctx.model.add(sum(lits) <= 1).only_enforce_if(guard)
    else:
        ctx.model.add_at_most_one(lits)
