"""The lexicographic objective: coverage first, then the burden on people, then wishes.

Level k of :data:`planner.model.OBJECTIVE_LEVELS` is minimised with every earlier level held
at most its *cap*: the best value found for it plus ``tolerance`` times that value. Only the
objective and these caps change between levels; every hard rule stays, and the weights still
price the terms inside a level. The plan's reported objective is the usual weighted sum.

Penalty variables are only bounded from below (see :mod:`planner.solvers.cpsat.context`), so
a solution's value of a level it does not minimise may be above the level's true value: caps
therefore come from a solve that minimised that level, and any value read off another
level's solution is an over-estimate, which only makes the caps stricter.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable

from planner.model import OBJECTIVE_LEVELS
from planner.solvers.base import SolveParams
from planner.solvers.cpsat.context import ModelContext
from planner.solvers.cpsat.levels import cap_of, level_values, minimise_level
from planner.solvers.cpsat.run import run_cpsat
from planner.solvers.decompose import Priced, RestrictedLns, price

Report = Callable[[str, int | None, int | None], None]

#: Share of the improvement time given to each level (time a level leaves unused passes on).
LEVEL_SHARES = (0.6, 0.25, 0.15)
LEVELS = tuple(range(len(OBJECTIVE_LEVELS)))


def _share(level: int, seconds: float) -> float:
    """Seconds for ``level`` out of the ``seconds`` left for it and the levels after it."""
    return seconds * LEVEL_SHARES[level] / sum(LEVEL_SHARES[level:])


def later_levels(
    ctx: ModelContext,
    values: list[int],
    best: int,
    params: SolveParams,
    until: float,
    report: Report,
) -> list[int]:
    """Minimise the levels after the first on the whole model, from ``values``.

    ``values`` is a solution of ``ctx.model`` minimising level 0, whose value there is
    ``best``; ``until`` is the ``time.monotonic`` instant when all levels must be done (in
    deterministic mode, the levels share ``params.time_limit_s`` of deterministic time).
    Returns the last level's solution; the model keeps every cap.
    """
    tolerance = ctx.scenario.objective.tolerance
    pending = {0: cap_of(best, tolerance)}
    quiet = dataclasses.replace(params, progress=None)
    for level in LEVELS[1:]:
        if params.stopped():
            break
        if not minimise_level(ctx, level, pending):
            continue
        pending = {}
        if params.deterministic:
            seconds = LEVEL_SHARES[level] * params.time_limit_s
        else:
            seconds = _share(level, until - time.monotonic())
        result = run_cpsat(ctx, quiet, max(0.5, seconds), values, time.monotonic(), 0)
        if result.values is None or result.objective is None:
            break
        values, best = result.values, result.objective
        pending = {level: cap_of(best, tolerance)}
        report(f"level {level + 1}", None, None)
    return values


def large_levels(
    lns: RestrictedLns, deadline: float, report: Report, max_steps: int | None
) -> Priced:
    """Run ``lns`` level by level until ``deadline``; returns its best plan.

    Each level after the first starts from the plan priced exactly, so the caps come from
    true values; the sub-models then hold each earlier level within what is left of its cap.
    """
    params = lns.params
    tolerance = lns.index.scenario.objective.tolerance
    for level in LEVELS:
        if params.stopped():
            break
        if level > 0:
            left = deadline - time.monotonic()
            priced = price(lns.index, lns.best.chosen, params, max(1.0, 0.2 * left))
            if priced is None:
                break
            values = level_values(priced.terms)
            if values[level] == 0:
                continue  # nothing to improve on this level
            lns.best = priced
            lns.caps[level - 1] = cap_of(values[level - 1], tolerance)
            lns.totals = {j: values[j] for j in range(level)}
        lns.level = level
        phase_end = time.monotonic() + _share(level, deadline - time.monotonic())
        steps = None
        if max_steps is not None:
            steps = lns.steps + max(1, int(max_steps * LEVEL_SHARES[level]))
        lns.run(
            phase_end,
            (lambda objective: report("lns", objective, lns.floor)) if level == 0 else None,
            reserve_s=0.0,
            max_steps=steps,
        )
        report(f"level {level + 1}", None, None)
    return lns.best
