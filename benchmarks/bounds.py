"""Lower bounds compared: the two flow relaxations and the LP, with their times.

    python benchmarks/bounds.py --runs 3 --instances \
        synthetic-300-7d,synthetic-1000-14d,chongwen-7d,chongwen-14d,synthetic-10000-7d

Instances are named as in ``benchmarks/scale.py`` (same seed 0 synthetic districts). Each bound
is computed ``--runs`` times; the table shows each bound (they are deterministic) and the
median seconds. ``gain_pct`` is how much higher the LP bound is than the best flow bound.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from scale import load, machine

from planner.solvers.bound import minutes_flow_bound, shift_flow_bound
from planner.solvers.index import build_index
from planner.solvers.lp_bound import lp_bound

COLUMNS = ("instance", "candidates", "shift_flow", "minutes_flow", "flow_s", "lp", "lp_s",
           "gain_pct")  # fmt: skip


def timed(fn: Callable[[], int | None], runs: int) -> tuple[int | None, float]:
    """The value of ``fn`` and the median of its times over ``runs`` calls."""
    times, value = [], None
    for _ in range(runs):
        started = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - started)
    return value, statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--instances", default="synthetic-300-7d,chongwen-7d")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    print(f"Machine: {machine()}; median of {args.runs} runs.\n")
    print("| " + " | ".join(COLUMNS) + " |")
    print("|" + "---|" * len(COLUMNS))
    for name in args.instances.split(","):
        index = build_index(load(name, 0))
        shift, shift_s = timed(lambda: shift_flow_bound(index), args.runs)  # noqa: B023
        minutes, minutes_s = timed(lambda: minutes_flow_bound(index), args.runs)  # noqa: B023
        lp, lp_s = timed(lambda: lp_bound(index, 600.0), args.runs)  # noqa: B023
        best_flow = max(shift or 0, minutes or 0)
        gain = 100.0 * ((lp or 0) - best_flow) / max(1, best_flow)
        row = (name, index.num_candidates, shift, minutes, f"{shift_s + minutes_s:.1f}", lp,
               f"{lp_s:.1f}", f"{gain:.2f}")  # fmt: skip
        print("| " + " | ".join(str(v) for v in row) + " |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
