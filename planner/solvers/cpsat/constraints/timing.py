"""Overlap, rest between shifts, and forbidden successions.

Rules, per person, over their possible shifts a, b (b starting no earlier than a):
  overlap: if start_b < end_a, not both (hard, always, family ``overlap``);
  rest: if 0 <= start_b - end_a < min_rest_minutes, not both (hard, or soft: weight per
    such pair, family ``min_rest_minutes``);
  succession (first, then): not ``first`` on day d and ``then`` on day d+1 (hard, or soft:
    weight per pair, family ``forbidden_successions``).
"""

from __future__ import annotations

from planner.solvers.cpsat.context import ModelContext


def add_timing(ctx: ModelContext) -> None:
    """Add overlap, rest and succession rules for every person."""
    shifts = ctx.scenario.shifts
    shift_idx = {s.id: i for i, s in enumerate(shifts)}
    successions = [
        (shift_idx[s.first], shift_idx[s.then], s.weight)
        for s in ctx.scenario.rules.forbidden_successions
    ]
    for p in ctx.people:
        rest = ctx.rules[p].min_rest_minutes
        need = rest.value if rest is not None else 0
        keys = ctx.shift_slots(p)
        for i, (da, ta) in enumerate(keys):
            end_a = shifts[ta].end_at(da)
            for db, tb in keys[i + 1 :]:
                start_b = shifts[tb].start_at(db)
                if start_b >= end_a + need:
                    break
                pair = [ctx.w(p, da, ta), ctx.w(p, db, tb)]
                name = f"p{p}_d{da}t{ta}_d{db}t{tb}"
                if start_b < end_a:
                    ctx.forbid_all(pair, None, "overlap", p, name)
                elif rest is not None:
                    ctx.forbid_all(pair, rest.weight, "min_rest_minutes", p, name)
        if not successions:
            continue
        have = set(keys)
        for first, then, weight in successions:
            for day, t in keys:
                if t == first and (day + 1, then) in have:
                    ctx.forbid_all(
                        [ctx.w(p, day, first), ctx.w(p, day + 1, then)],
                        weight,
                        "forbidden_successions",
                        p,
                        f"succ_p{p}_d{day}_t{first}_t{then}",
                    )
