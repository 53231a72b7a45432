"""Re-planning a few people at a time (``planner.solvers.decompose``): the windows a step
frees, how the number of people freed adapts, and the path that uses these steps after the
whole model's search."""

from __future__ import annotations

import time

import pytest

import planner.solvers.facade as facade
from planner.check import check
from planner.generate import generate_district
from planner.model import Scenario
from planner.solvers import SolveParams, solve
from planner.solvers.cpsat.run import Stall
from planner.solvers.decompose import (
    BLOCK_COUNTS,
    BLOCK_DAYS,
    BLOCKS,
    SPANS,
    WEEKLY,
    RestrictedLns,
    price,
)
from planner.solvers.greedy import greedy_plan
from planner.solvers.index import build_index

PARAMS = SolveParams(time_limit_s=10, workers=2, seed=0)


def district(days: int = 10) -> Scenario:
    """A generated district of one community with more demand than people."""
    return generate_district(communities=1, grids_per_community=2, days=days, seed=3)


def started_lns(scenario: Scenario, target: int = 4_000) -> RestrictedLns:
    index = build_index(scenario)
    start = price(index, greedy_plan(index), PARAMS, 10.0)
    assert start is not None
    return RestrictedLns(index, start, PARAMS, target)


def test_windows_are_the_spans_that_fit_and_the_whole_horizon() -> None:
    """Over 10 days a step may free 3 or 7 days (the spans that fit) or all 10; a freed
    window is that many consecutive days."""
    lns = started_lns(district(days=10))
    assert list(lns.span_score) == [s for s in SPANS if s < 10] + [10]
    for span in lns.span_score:
        lns.span = span
        _, window = lns.free_people("category")
        assert window is not None and len(window) == span
        assert max(window) - min(window) == span - 1


def test_target_grows_only_where_it_limited_the_step() -> None:
    """A step solved to optimality frees more next time in its window, but only if its
    people were picked up to the target; when the pool ran out first the target stays. Other
    windows keep their own targets."""
    scenario = district(days=10)
    lns = started_lns(scenario, target=10**9)  # no pool reaches this
    lns.span = 3
    free, window = lns.free_people("category")
    assert not lns.binding
    lns.replan(free, window, time.monotonic() + 10)
    assert lns.target == 10**9
    small = started_lns(scenario, target=10)
    small.span = 3
    free, window = small.free_people("category")
    assert small.binding
    small.replan(free, window, time.monotonic() + 10)
    assert small.targets == {3: 12}  # solved to optimality: this window's target grows
    small.span = 7
    small.free_people("category")
    assert small.target == 10


def test_separate_weeks_and_the_same_weekdays_of_every_week() -> None:
    """From four weeks of horizon a step may free separate whole weeks, or the same two
    consecutive weekdays of every week; each shape keeps its own target, and a step on it
    gives a plan whose exact price is the one the step counted."""
    scenario = district(days=35)
    lns = started_lns(scenario, target=300)
    assert WEEKLY in lns.score and BLOCKS in lns.score
    assert list(lns.block_score) == list(BLOCK_COUNTS)  # 4 weeks of 5 leave one out
    free, window = lns.free_people(BLOCKS)
    assert free and window is not None and len(window) == lns.blocks * BLOCK_DAYS
    weeks = {d // BLOCK_DAYS for d in window}  # whole weeks of the horizon
    assert len(weeks) == lns.blocks
    assert window == {d for w in weeks for d in range(w * BLOCK_DAYS, (w + 1) * BLOCK_DAYS)}
    assert lns.shape == f"{BLOCKS} {lns.blocks}" and lns.binding
    before = lns.best.objective
    changed = lns.replan(free, window, time.monotonic() + 10)
    assert set(lns.targets) == {lns.shape}
    priced = price(lns.index, lns.best.chosen, PARAMS, 10.0)
    assert priced is not None and priced.objective == lns.best.objective
    assert (priced.objective < before) == bool(changed)
    free, window = lns.free_people(WEEKLY)
    dates = scenario.horizon.dates()
    assert free and window is not None and len(window) == 10  # 5 weeks, 2 days each
    weekdays = {dates[d].weekday() for d in window}
    assert any(weekdays == {k, (k + 1) % 7} for k in range(7))
    assert lns.shape == WEEKLY and lns.target == 300
    assert list(started_lns(district(days=28)).block_score) == [2]
    short = started_lns(district(days=21))
    assert WEEKLY not in short.score and BLOCKS not in short.score


def test_repairs_leave_the_targets_alone() -> None:
    """A repair stops at its first plan, which says nothing of how many people a step can
    re-plan: the targets stay as they were."""
    lns = started_lns(district(days=10))
    person = lns.index.cand_person[0]
    lns.replan({person}, None, time.monotonic() + 10, repair=True)
    assert lns.targets == {}


def test_whole_model_then_steps_give_a_checked_plan(monkeypatch: pytest.MonkeyPatch) -> None:
    """A model too large to be solved whole (forced here) gets the whole model's search,
    then the re-planning steps: the plan passes the checker with the solver's objective,
    its bound is below it, and no plan is worse than the greedy one."""
    monkeypatch.setattr(facade, "WHOLE_MODEL_CANDIDATES", 10)
    monkeypatch.setattr(facade, "FULL_MODEL_MAX_SHARE", facade.FULL_MODEL_SHARE)
    scenario = district(days=4)
    plan = solve(scenario, SolveParams(time_limit_s=8, workers=2, seed=0))
    assert "lns" in plan.stats.solver
    result = check(scenario, plan)
    assert result.feasible, result.summary()
    assert result.objective == plan.stats.objective
    assert plan.stats.bound is not None and plan.stats.objective is not None
    assert plan.stats.bound <= plan.stats.objective
    index = build_index(scenario)
    greedy = price(index, greedy_plan(index), PARAMS, 10.0)
    assert greedy is not None and plan.stats.objective <= greedy.objective


def test_stall_by_rate_compares_with_the_probe() -> None:
    """Once it has run its least for the rate test (shorter than its least share), a
    search counts as stalled when it gains a smaller share of its objective over the last
    window than the probe did; without a rate only the old rule holds (no improvement that
    counts for a share of the run, once past the least share)."""
    # the probe gained 1% of its objective in 10 s; the least share is 30 s
    slow = Stall(30.0, rate=0.001, rate_window_s=10.0, rate_min_run_s=10.0)
    fast = [(0.0, 1_000), (5.0, 990), (15.0, 975)]
    assert not slow.stalled(9.0, 0.0, fast, now=15.0)  # not yet run its least
    assert not slow.stalled(15.0, 0.0, fast, now=15.0)  # 990 -> 975 in the last 10 s
    history = [(0.0, 1_000), (5.0, 990), (12.0, 985), (19.0, 980)]
    # 985 -> 980 in the last 10 s: 0.5%, under the probe's 1%, before the least share
    assert slow.stalled(23.0, 4.0, history, now=23.0)
    # the same gain in units counts as fast where the objective is small
    small = [(0.0, 400), (5.0, 395), (12.0, 390), (19.0, 385)]
    assert not slow.stalled(23.0, 4.0, small, now=23.0)
    no_rate = Stall(30.0)
    assert not no_rate.stalled(23.0, 4.0, history, now=23.0)
    assert not no_rate.stalled(29.0, 10.0, history, now=29.0)  # under its least share
    assert no_rate.stalled(40.0, 11.0, history, now=40.0)  # 11 s without: over 25% of 40


def test_probe_then_whole_model_then_steps_give_a_checked_plan(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With time for it, neighbourhood search probes the plan before the whole model's
    search: the solve reports its steps first, and its plan passes the checker with the
    solver's objective, no worse than the greedy plan."""
    monkeypatch.setattr(facade, "WHOLE_MODEL_CANDIDATES", 10)
    monkeypatch.setattr(facade, "PROBE_LEAST_S", 0.5)
    scenario = district(days=4)
    phases: list[str] = []
    params = SolveParams(
        time_limit_s=12, workers=2, seed=0, progress=lambda p: phases.append(p.phase)
    )
    plan = solve(scenario, params)
    searching = [p for p in phases if p in ("lns", "cp-sat")]
    assert searching and searching[0] == "lns", phases
    result = check(scenario, plan)
    assert result.feasible, result.summary()
    assert result.objective == plan.stats.objective
    index = build_index(scenario)
    greedy = price(index, greedy_plan(index), PARAMS, 10.0)
    assert greedy is not None and plan.stats.objective is not None
    assert plan.stats.objective <= greedy.objective
