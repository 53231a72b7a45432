"""Coverage: demand of every slot, shortage and over-staffing.

Rule, per slot s (post, day, shift, role) with headcount h_s and assigned n_s = sum x:
  shortage_s = max(0, h_s - n_s), costing ``weights.shortage * priority(post)`` each (soft);
  without an overstaff weight, n_s <= h_s (hard, family ``headcount``);
  with one, over_s = max(0, n_s - h_s) costs ``overstaff_weight`` each (soft).
"""

from __future__ import annotations

from planner.solvers.cpsat.context import ModelContext


def add_coverage(ctx: ModelContext) -> None:
    """Add headcount caps and the ``shortage`` / ``overstaff`` terms."""
    model, index = ctx.model, ctx.index
    weight = ctx.scenario.objective.shortage
    shortage, overstaff = ctx.term("shortage"), ctx.term("overstaff")
    outside = ctx.external.slot_count
    for s_idx, slot in enumerate(index.slots):
        cands = index.by_slot[s_idx]
        # people outside a sub-problem already hold some places: they count as constants
        taken = outside.get(s_idx, 0)
        hc = slot.headcount - taken
        cost = weight * index.priority(s_idx)
        assigned = sum(ctx.x[c] for c in cands)
        over_weight = slot.role.overstaff_weight
        if len(cands) <= hc:
            shortage.add(cost, hc - assigned)
            continue
        if over_weight is None:
            model.add(assigned <= hc).only_enforce_if(ctx.guard("headcount"))
            if ctx.explain:
                continue
            shortage.add(cost, hc - assigned)
            continue
        short = model.new_int_var(0, max(0, hc), f"short_s{s_idx}")
        model.add(short >= hc - assigned)
        shortage.add(cost, short)
        over = model.new_int_var(0, len(cands) + max(0, -hc), f"over_s{s_idx}")
        model.add(over >= assigned - hc)
        overstaff.add(over_weight, over)
