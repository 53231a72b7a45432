"""The one small interface every solver backend implements."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol


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


class StopSignal(Protocol):
    """Anything with ``is_set()``: a ``threading.Event`` or ``multiprocessing.Event``."""

    def is_set(self) -> bool:
        """True once the solve should stop and return its best plan so far."""
        ...


@dataclass(frozen=True)
class SolveParams:
    """Parameters of a solve.

    ``time_limit_s`` bounds the whole solve; ``workers`` is CP-SAT's ``num_workers``;
    ``progress`` is called from the solving thread with each improvement; ``stop``, once set,
    ends the search early with the best plan found so far.

    Reproducibility: a solve that ends by proving optimality returns the same plan for the
    same seed and workers. A solve cut by the clock depends on the machine's speed; with
    ``deterministic`` every search is bounded by CP-SAT's deterministic time (work done)
    instead of the clock, and improvement steps are counted, so the same seed and workers
    give the same plan on any machine (the wall time then only roughly follows the limit).
    """

    time_limit_s: float = 30.0
    workers: int = 2
    seed: int = 0
    progress: ProgressCallback | None = None
    target_gap: float = 0.0
    stop: StopSignal | None = None
    deterministic: bool = False

    def stopped(self) -> bool:
        """True if a stop was asked for."""
        return self.stop is not None and self.stop.is_set()

    def close_enough(self, objective: int, bound: int) -> bool:
        """True if ``objective`` is within ``target_gap`` of ``bound`` (never without a target)."""
        target = self.target_gap
        return target > 0 and objective - bound <= target * max(1, abs(objective))
