"""The greedy plan's heap of candidates chooses exactly as scanning every candidate would."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner.generate import generate_district
from planner.io.scenario_io import load_scenario
from planner.solvers.greedy import Greedy
from planner.solvers.index import ProblemIndex, build_index
from planner.solvers.lp_bound import LpGuide, solve_lp

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"


class ScanningGreedy(Greedy):
    """The reference: every place goes to the least key among all who can take it now,
    the first in ``by_slot`` among equals, found by scanning them all."""

    def _fill_one(
        self, s_idx: int, post_idx: int, filled: dict[int, int], categories: set[str] | None
    ) -> int | None:
        index = self.index
        slot = index.slots[s_idx]
        best: tuple[int, int, int, int, int] | None = None
        best_c = -1
        for c in index.by_slot[s_idx]:
            p = index.cand_person[c]
            if categories is not None and self.scenario.people[p].category not in categories:
                continue
            if (p, slot.day, slot.shift_idx) in self.taken:
                continue
            key = self._key(p, s_idx, post_idx)
            if (best is None or key < best) and self.can_take(p, slot.day, slot.shift_idx):
                best, best_c = key, c
        if best is None:
            return None
        self.take(best_c)
        filled[s_idx] += 1
        return best_c


def _both(index: ProblemIndex, guide: LpGuide | None) -> tuple[list[int], list[int]]:
    return Greedy(index, guide).run(), ScanningGreedy(index, guide).run()


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_heap_chooses_as_a_full_scan_on_synthetic_districts(seed: int) -> None:
    """Short of people (so keys tie and people run out of minutes), with and without the
    LP's guide (whose shares change keys while a post-shift is filled)."""
    scenario = generate_district(
        communities=2,
        grids_per_community=2,
        people={"community_worker": 12, "volunteer": 25, "medical": 4, "seconded_cadre": 6},
        days=7,
        seed=seed,
    )
    index = build_index(scenario)
    heap, scan = _both(index, None)
    assert heap == scan
    assert len(heap) > 0
    lp = solve_lp(index, 10.0)
    assert lp is not None
    heap, scan = _both(index, lp.guide)
    assert heap == scan


@pytest.mark.parametrize("name", ["medium/scenario.yaml", "tiny/checkpoint_nights.yaml"])
def test_heap_chooses_as_a_full_scan_on_shipped_scenarios(name: str) -> None:
    """Shipped scenarios with hard "at least" rules, which fill by category first."""
    index = build_index(load_scenario(SCENARIOS / name))
    heap, scan = _both(index, None)
    assert heap == scan
