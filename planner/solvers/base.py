"""The one small interface every solver backend implements."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Progress:
    """A progress report during a solve.

    ``objective`` is the best plan's objective so far (None before the first plan),
    ``bound`` the best proven lower bound, ``gap`` their relative distance.
    """

    elapsed_s: float
    phase: str
    objective: int | None = None
    bound: int | None = None
    gap: float | None = None


ProgressCallback = Callable[[Progress], None]


@dataclass(frozen=True)
class SolveParams:
    """Parameters of a solve. Same seed and workers give the same plan.

    ``time_limit_s`` bounds the whole solve; ``workers`` is CP-SAT's ``num_workers``;
    ``progress`` is called from the solving thread with each improvement.
    """

    time_limit_s: float = 30.0
    workers: int = 2
    seed: int = 0
    progress: ProgressCallback | None = None
    target_gap: float = 0.0
