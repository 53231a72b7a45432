"""Assemble the CP-SAT model from the constraint families and set the objective."""

from __future__ import annotations

from collections.abc import Sequence

from ortools.sat.python import cp_model, cp_model_helper

from planner.solvers.cpsat.constraints.at_least import add_at_least
from planner.solvers.cpsat.constraints.coverage import add_coverage
from planner.solvers.cpsat.constraints.fixed import add_fixed
from planner.solvers.cpsat.constraints.people_terms import add_people_terms
from planner.solvers.cpsat.constraints.sequences import add_sequences
from planner.solvers.cpsat.constraints.timing import add_timing
from planner.solvers.cpsat.constraints.workload import add_workload
from planner.solvers.cpsat.context import External, ModelContext
from planner.solvers.index import ProblemIndex

FAMILIES = (add_coverage, add_at_least, add_fixed, add_timing, add_workload, add_sequences)


def build_model(
    index: ProblemIndex,
    explain: bool = False,
    people: Sequence[int] | None = None,
    external: External | None = None,
) -> ModelContext:
    """Build the model of ``index``.

    With ``explain`` the hard rules are guarded by assumption literals (see
    :meth:`ModelContext.guard`) and no objective is set: the model is only used to find
    which rules conflict. ``people`` and ``external`` make a sub-model: only those people
    are decided, the others' assignments enter as constants (see :class:`External`).
    """
    ctx = ModelContext(index, explain=explain, people=people, external=external)
    for add in FAMILIES:
        add(ctx)
    if explain:
        return ctx
    add_people_terms(ctx)
    ctx.model.minimize(objective_expr(ctx))
    return ctx


def objective_expr(ctx: ModelContext) -> cp_model.LinearExprT:
    """The sum of every penalty term."""
    return sum(
        coef * expr
        for term in ctx.terms.values()
        for coef, expr in zip(term.coefs, term.exprs, strict=True)
    )


def term_values(ctx: ModelContext, value: object) -> dict[str, int]:
    """Evaluate every penalty term with ``value`` (a solver's or callback's ``value``)."""
    out: dict[str, int] = {}
    for name, term in sorted(ctx.terms.items()):
        total = 0
        for coef, expr in zip(term.coefs, term.exprs, strict=True):
            total += coef * int(value(expr))  # type: ignore[operator]
        out[name] = total
    return out


def terms_at(ctx: ModelContext, values: list[int]) -> dict[str, int]:
    """Every penalty term at a full assignment of the model's variables (by proto index)."""

    def value(expr: object) -> int:
        if isinstance(expr, int):
            return expr
        flat = cp_model_helper.FlatIntExpr(expr)  # type: ignore[arg-type]
        return int(flat.offset) + sum(
            coef * values[var.index] for var, coef in zip(flat.vars, flat.coeffs, strict=True)
        )

    return term_values(ctx, value)
