"""The levels of the objective inside a CP-SAT model (see :mod:`planner.solvers.lexico`)."""

from __future__ import annotations

import math

from ortools.sat.python import cp_model

from planner.model import OBJECTIVE_LEVELS, objective_level
from planner.solvers.cpsat.context import ModelContext


def level_expr(ctx: ModelContext, level: int) -> cp_model.LinearExprT | None:
    """The weighted sum of the model's terms of ``level`` (None if it has none)."""
    parts = [
        coef * expr
        for term in ctx.terms.values()
        if objective_level(term.name) == level
        for coef, expr in zip(term.coefs, term.exprs, strict=True)
    ]
    return sum(parts) if parts else None


def level_values(terms: dict[str, int]) -> list[int]:
    """The value of each level, from a plan's objective terms."""
    out = [0] * len(OBJECTIVE_LEVELS)
    for name, value in terms.items():
        out[objective_level(name)] += value
    return out


def cap_of(best: int, tolerance: float) -> int:
    """The most a level may reach once ``best`` is its best value found."""
    return best + math.floor(tolerance * max(0, best))


def minimise_level(ctx: ModelContext, level: int, caps: dict[int, int]) -> bool:
    """Make ``ctx.model`` minimise ``level``, adding ``level_expr <= cap`` for each
    (earlier level, cap) of ``caps``.

    Returns False, changing nothing, if the model has no term of ``level``.
    """
    objective = level_expr(ctx, level)
    if objective is None:
        return False
    for earlier, cap in sorted(caps.items()):
        expr = level_expr(ctx, earlier)
        if expr is not None:
            ctx.model.add(expr <= cap)
    ctx.model.minimize(objective)
    return True
