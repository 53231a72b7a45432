"""At least k of a staffed post-shift's people are of given categories.

Rule, per post-shift q and rule (k, C): if n_q >= 1 then |{assigned of category in C}| >= k.
Hard (family ``at_least``) unless the rule has a weight; then deficit = max(0, k - c_q)
when staffed costs ``weight`` each (term ``at_least``).
"""

from __future__ import annotations

from planner.solvers.cpsat.context import Expr, ModelContext


def add_at_least(ctx: ModelContext) -> None:
    """Add every post-shift's "at least k of these categories" rules."""
    model, index, scenario = ctx.model, ctx.index, ctx.scenario
    outside = ctx.external
    for q_idx, ps in enumerate(index.postshifts):
        post = scenario.posts[ps.post_idx]
        rules = post.demand[ps.demand_idx].at_least
        if not rules:
            continue
        cands = [c for s in ps.slot_idxs for c in index.by_slot[s]]
        held = outside.postshift_count.get(q_idx, 0)
        if not cands and not held:
            continue
        staffed: Expr
        enforce = ctx.guard("at_least")
        if held:
            staffed = 1  # people outside a sub-problem already staff it
        else:
            var = model.new_bool_var(f"staffed_q{q_idx}")
            for c in cands:
                model.add_implication(ctx.x[c], var)
            staffed, enforce = var, [var, *enforce]
        for r_idx, rule in enumerate(rules):
            wanted = set(rule.categories)
            of_kind = sum(
                ctx.x[c] for c in cands if scenario.people[index.cand_person[c]].category in wanted
            ) + sum(outside.postshift_category_count.get((q_idx, cat), 0) for cat in wanted)
            if rule.weight is None:
                model.add(of_kind >= rule.count).only_enforce_if(enforce)
                continue
            deficit = model.new_int_var(0, rule.count, f"deficit_q{q_idx}_r{r_idx}")
            model.add(deficit >= rule.count * staffed - of_kind)
            ctx.term("at_least").add(rule.weight, deficit)
