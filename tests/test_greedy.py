"""The greedy plan's heap of candidates chooses exactly as scanning every candidate would."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_curtois import DATA as CURTOIS

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


class NoTopUp(Greedy):
    """The greedy plan before shifts are added for hard minimums of minutes."""

    def _top_up(self, filled: dict[int, int]) -> None:
        return None


def short_inner_runs(index: ProblemIndex, chosen: list[int]) -> dict[int, set[int]]:
    """Person -> the days of their inner runs of worked days shorter than a hard minimum."""
    scenario, days = index.scenario, index.scenario.horizon.days
    worked: dict[int, set[int]] = {p: set() for p in range(len(scenario.people))}
    for c in chosen:
        worked[index.cand_person[c]].add(index.slots[index.cand_slot[c]].day)
    out: dict[int, set[int]] = {}
    for p, person in enumerate(scenario.people):
        limit = scenario.rules_for(person).min_consecutive_days
        if limit is None or limit.weight is not None:
            continue
        d = 0
        while d < days:
            if d not in worked[p]:
                d += 1
                continue
            end = d
            while end + 1 in worked[p]:
                end += 1
            if d > 0 and end < days - 1 and end - d + 1 < limit.value:
                out.setdefault(p, set()).update(range(d, end + 1))
            d = end + 1
    return out


@pytest.mark.parametrize("number", [4, 12, 16])
def test_top_up_never_makes_a_run_shorter_than_the_hard_minimum(number: int) -> None:
    """Curtois instances have hard minimums of minutes and of consecutive working days: the
    shifts added for the first never sit in an inner run too short for the second."""
    path = CURTOIS / f"Instance{number}.txt"
    if not path.exists():
        pytest.skip(f"Curtois data not found at {CURTOIS} (set PLANNER_CURTOIS_DIR)")
    index = build_index(load_scenario(path))
    before = set(NoTopUp(index, lengthen_runs=True).run())
    after = Greedy(index, lengthen_runs=True).run()
    added: dict[int, set[int]] = {}
    for c in after:
        if c not in before:
            added.setdefault(index.cand_person[c], set()).add(index.slots[index.cand_slot[c]].day)
    assert added, "the top-up added nothing: the test would prove nothing"
    for p, days in short_inner_runs(index, after).items():
        assert not days & added.get(p, set()), index.scenario.people[p].id
