"""Explain an infeasible scenario: which hard rules, people and duties conflict.

The hard rules are guarded by assumption literals, one per (rule family, person) and one
per fixed assignment; CP-SAT returns a subset of assumptions that is infeasible on its own,
which is shrunk by deletion when small and rendered as readable lines.
"""

from __future__ import annotations

from collections.abc import Sequence

from ortools.sat.python import cp_model

from planner.solvers.cpsat.builder import build_model
from planner.solvers.cpsat.context import External
from planner.solvers.index import ProblemIndex

_MAX_SHRINK = 24


def explain_infeasible(
    index: ProblemIndex,
    time_limit_s: float,
    workers: int,
    people: Sequence[int] | None = None,
    external: External | None = None,
) -> list[str]:
    """Readable lines naming the rules, people and days that cannot all hold.

    With ``people`` (and the others' assignments as ``external`` constants) only those
    people's rules are examined, which keeps the model small on large districts.
    """
    ctx = build_model(index, explain=True, people=people, external=external)
    keys = list(ctx.guards)
    lits = [ctx.guards[k] for k in keys]
    core = _core(ctx.model, lits, time_limit_s, workers)
    if core is None:
        return ["the hard rules could not be shown to conflict within the time limit"]
    if len(core) <= _MAX_SHRINK:
        core = _shrink(ctx.model, lits, core, time_limit_s / max(1, len(core)), workers)
    return [_describe(index, keys[i]) for i in sorted(core, key=lambda i: keys[i])]


def _core(
    model: cp_model.CpModel, lits: list[cp_model.IntVar], limit: float, workers: int
) -> list[int] | None:
    model.clear_assumptions()
    model.add_assumptions(lits)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.1, limit)
    # assumption cores are only reported by a single search worker
    solver.parameters.num_workers = 1
    status = solver.solve(model)
    if status != cp_model.INFEASIBLE:
        return None
    positions = {lit.index: i for i, lit in enumerate(lits)}
    return [
        positions[v] for v in solver.sufficient_assumptions_for_infeasibility() if v in positions
    ]


def _shrink(
    model: cp_model.CpModel,
    lits: list[cp_model.IntVar],
    core: list[int],
    limit: float,
    workers: int,
) -> list[int]:
    """Drop assumptions one by one while the rest stays infeasible."""
    kept = list(core)
    for i in list(core):
        trial = [j for j in kept if j != i]
        if not trial:
            break
        sub = _core(model, [lits[j] for j in trial], limit, workers)
        if sub is not None:
            kept = trial
    return kept


def _describe(index: ProblemIndex, key: tuple[str, int | None]) -> str:
    family, person_idx = key
    scenario = index.scenario
    if family.startswith("fixed["):
        i = int(family[len("fixed[") : -1])
        fix = scenario.fixed[i]
        return (
            f"{family}: person '{fix.person}' must work post '{fix.post}' role '{fix.role}' "
            f"on {fix.date} shift '{fix.shift}'"
        )
    if person_idx is None:
        return f"rule '{family}'"
    person = scenario.people[person_idx]
    rules = scenario.rules_for(person)
    limit = getattr(rules, family, None)
    value = f" = {limit.value}" if limit is not None and hasattr(limit, "value") else ""
    return f"rule '{family}'{value} for person '{person.id}' (category {person.category})"
