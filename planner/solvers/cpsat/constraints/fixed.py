"""Fixed assignments: each pinned duty is worked (hard, family ``fixed``)."""

from __future__ import annotations

from planner.solvers.cpsat.context import ModelContext


def add_fixed(ctx: ModelContext) -> None:
    """Set the variable of every fixed assignment to 1.

    A fixed assignment with no candidate (it breaks an eligibility rule) is reported before
    the model is built; here it is skipped.
    """
    for i, cand in enumerate(ctx.index.fixed_cands):
        if cand is not None:
            ctx.model.add(ctx.x[cand] == 1).only_enforce_if(ctx.guard(f"fixed[{i}]"))
