"""The lower bounds: a hand-derived case where only the LP relaxation is tight, the LP
bound against brute force on random tiny scenarios; the greedy plan guided by the LP, and
the neighbourhood that fills a hole by a chain of moves."""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter

import pytest
from brute import brute_force
from hypothesis import given, note
from test_families import COMMUNITIES, COVERAGE_ONLY, START, make, person, post
from test_properties import SETTINGS, scenarios

from planner.model import Scenario
from planner.solvers import SolveParams, solve
from planner.solvers import lp_bound as lp_module
from planner.solvers.bound import minutes_flow_bound, shift_flow_bound
from planner.solvers.decompose import RestrictedLns, price
from planner.solvers.greedy import greedy_plan
from planner.solvers.index import ProblemIndex, build_index
from planner.solvers.lp_bound import lp_bound, solve_lp, working_time_cuts


def long_and_short() -> Scenario:
    """One person over a week: at most one shift a day and 2,400 minutes in 7 days. Post
    ``long`` (540-minute shifts, priority 10) and post ``short`` (360 minutes, priority 8)
    each want one person every day.

    The best plan works 1 long and 5 short shifts (2,340 minutes; 2 long and 4 short would
    be 2,520): 50 of the 126 priority units covered, shortage 76. Counting shifts only, six
    long shifts seem possible (shortage 66); counting minutes only, 2,340 minutes of short
    shifts (6.5 of them) seem possible (shortage 74). The LP holds both: a + b <= 6 and
    540a + 360b <= 2,340 give at best a = 1, b = 5, so its bound is the optimum, 76.
    """
    start = dt.date(2022, 4, 4)
    return Scenario.model_validate(
        {
            "name": "long and short",
            "horizon": {"start": start.isoformat(), "days": 7},
            "shifts": [
                {"id": "long", "start": "08:00", "duration_min": 540},
                {"id": "short", "start": "09:00", "duration_min": 360},
            ],
            "communities": COMMUNITIES,
            "posts": [post("long", ("long",), priority=10), post("short", ("short",), priority=8)],
            "people": [person("p")],
            "rules": {"defaults": {"max_shifts_per_day": 1, "max_minutes_per_7_days": 2400}},
            "objective": {**COVERAGE_ONLY, "shortage": 1},
        }
    )


def test_lp_bound_is_tight_where_both_flows_are_loose() -> None:
    """The LP bound is the optimum, 76, above both flow bounds; the solve reports it and
    is proven optimal."""
    scenario = long_and_short()
    index = build_index(scenario)
    assert shift_flow_bound(index) == 66
    assert minutes_flow_bound(index) < 76
    assert lp_bound(index, 5.0) == 76
    plan = solve(scenario, SolveParams(time_limit_s=5, workers=2, seed=0))
    assert plan.stats.objective == 76
    assert plan.stats.bound == 76
    assert plan.stats.status == "optimal"


def test_working_time_cuts_make_the_lp_tight_where_its_rows_are_not(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``long_and_short`` with the short post at priority 6. The two working-time rows
    (at most 6 shifts and 2,340 minutes) allow 4 1/3 long shifts, 43 1/3 units covered of
    112: bound 69. Whole shifts cover at most 42 (3 long and 2 short; 4 long leave 180
    minutes, too few for a short one): optimum 70. The cuts ``#long <= 4`` and
    ``#short + 2 #long <= 8`` give the LP 42 too."""
    scenario = long_and_short()
    data = scenario.model_dump(mode="json", exclude_defaults=True)
    data["posts"][1]["priority"] = 6
    scenario = Scenario.model_validate(data)
    index = build_index(scenario)
    cuts = working_time_cuts([360, 540], 2340, 6)
    assert ({360: 0, 540: 1}, 4) in cuts
    assert ({360: 1, 540: 2}, 8) in cuts
    assert lp_bound(index, 5.0) == 70
    monkeypatch.setattr(lp_module, "CUT_ROUNDS", 0)
    assert lp_bound(index, 5.0) == 69


@SETTINGS
@given(scenarios(max_templates=2))
def test_lp_bound_never_exceeds_the_brute_force_optimum(scenario: Scenario) -> None:
    """On instances small enough to enumerate, the LP bound is at most the true minimum."""
    note(scenario.model_dump_json(exclude_defaults=True))
    truth = brute_force(scenario, max_candidates=12)
    if truth is None or truth.objective is None:
        return
    bound = lp_bound(build_index(scenario), 5.0)
    assert bound is not None
    assert bound <= truth.objective


def volunteer_and_worker() -> Scenario:
    """Two days. Post ``L`` (480-minute shift, priority 5) and post ``S`` (360 minutes,
    priority 4, volunteers only) each want one person a day; post ``M`` (priority 1,
    community workers only) wants one on each of its two shifts a day. Volunteer ``a`` may
    work 720 minutes in all; worker ``b`` has no limit but one shift a day.

    Filling by priority, ``a`` (who can fill fewer places) takes ``L`` on day 0 and then
    has no room for ``S`` (480 + 360 > 720): ``S`` misses 2 x 4, ``M`` 3 x 1, 11 in all.
    The LP gives ``a`` both ``S`` shifts (8 units in 720 minutes, against at most 7.75 with
    any ``L``) and ``b`` both ``L`` shifts: only ``M`` misses, 4 x 1.
    """
    start = dt.date(2022, 4, 4)
    s_post = post("S", ("short",), priority=4)
    s_post["demand"][0]["roles"][0]["categories"] = ["volunteer"]
    m_post = post("M", ("long", "short"), priority=1)
    for entry in m_post["demand"]:
        entry["roles"][0]["categories"] = ["community_worker"]
    return Scenario.model_validate(
        {
            "name": "volunteer and worker",
            "horizon": {"start": start.isoformat(), "days": 2},
            "shifts": [
                {"id": "long", "start": "08:00", "duration_min": 480},
                {"id": "short", "start": "09:00", "duration_min": 360},
            ],
            "communities": COMMUNITIES,
            "posts": [post("L", ("long",), priority=5), s_post, m_post],
            "people": [
                person("a", "volunteer", limits={"max_minutes_per_horizon": 720}),
                person("b"),
            ],
            "rules": {"defaults": {"max_shifts_per_day": 1}},
            "objective": {**COVERAGE_ONLY, "shortage": 1},
        }
    )


def weighted_shortage(index: ProblemIndex, chosen: list[int]) -> int:
    filled = Counter(index.cand_slot[c] for c in chosen)
    return sum(
        max(0, slot.headcount - filled[s]) * index.priority(s) for s, slot in enumerate(index.slots)
    )


def test_greedy_following_the_lp_takes_the_shifts_that_fit() -> None:
    """Guided by the LP's solution the greedy plan is the optimum (4); by priority alone it
    spends the volunteer's minutes on the long shift (11). The solve finds and proves 4."""
    scenario = volunteer_and_worker()
    index = build_index(scenario)
    assert weighted_shortage(index, greedy_plan(index)) == 11
    result = solve_lp(index, 5.0)
    assert result is not None and result.bound == 4
    assert weighted_shortage(index, greedy_plan(index, result.guide)) == 4
    plan = solve(scenario, SolveParams(time_limit_s=5, workers=2, seed=0))
    assert plan.stats.objective == 4
    assert plan.stats.status == "optimal"


def test_chain_step_frees_who_could_take_over_and_fills_the_hole() -> None:
    """From the priority-only greedy plan (``a`` on ``L`` day 0, ``S`` open), a "chain" step
    on a hole of ``S`` frees ``a`` and also ``b``, who cannot fill ``S`` but can take ``a``'s
    place on ``L``; re-planning them reaches the optimum."""
    scenario = volunteer_and_worker()
    index = build_index(scenario)
    params = SolveParams(time_limit_s=5, workers=2, seed=0)
    start = price(index, greedy_plan(index), params, 5.0)
    assert start is not None and start.objective == 11
    lns = RestrictedLns(index, start, params)
    free, window = lns._chain()
    ids = {scenario.people[p].id for p in free}
    assert ids == {"a", "b"}
    assert lns.replan(free, window, time.monotonic() + 5.0) is True
    final = price(index, lns.best.chosen, params, 5.0)
    assert final is not None and final.objective == 4


def test_chain_step_stops_at_its_target() -> None:
    """A chain step frees the people who could fill the hole and their takers only up to
    its target of candidates: here one candidate, so one person. (On a year's window one
    person's places alone had takers enough to free everyone: a model of 1.4 million
    variables on Curtois Instance 24.)"""
    scenario = volunteer_and_worker()
    index = build_index(scenario)
    params = SolveParams(time_limit_s=5, workers=2, seed=0)
    start = price(index, greedy_plan(index), params, 5.0)
    assert start is not None
    lns = RestrictedLns(index, start, params, target_free=1)
    for _ in range(5):
        free, _ = lns._chain()
        assert len(free) == 1
        assert lns.binding


def test_chain_step_frees_the_takers_of_the_places_nearest_the_hole_first() -> None:
    """Four days; the only hole is ``S`` on day 0, which only volunteer ``a`` could fill,
    and ``a`` holds ``L`` on days 0 and 1. Over the whole horizon the window's middle is
    day 1.5, nearer ``a``'s day-1 place; with room for one taker, the step takes one of
    ``a``'s day-0 place (``b0``, the only other person free that day), not of day 1
    (``b1``)."""
    days = [START + dt.timedelta(days=d) for d in range(4)]
    s_post = post("S", priority=4, days=[days[0].isoformat()])
    s_post["demand"][0]["roles"][0]["categories"] = ["volunteer"]
    one_day = [
        person(f"b{d}", available_from=days[d].isoformat(), available_until=days[d].isoformat())
        for d in (0, 1)
    ]
    scenario = make(
        [post("L", priority=5, days=[days[0].isoformat(), days[1].isoformat()]), s_post],
        [person("a", "volunteer"), *one_day],
        days=4,
    )
    index = build_index(scenario)
    a = [p.id for p in scenario.people].index("a")
    posts = [p.id for p in scenario.posts]
    held = [
        c
        for c, p in enumerate(index.cand_person)
        if p == a and posts[index.slots[index.cand_slot[c]].post_idx] == "L"
    ]
    params = SolveParams(time_limit_s=5, workers=2, seed=0)
    start = price(index, held, params, 5.0)
    assert start is not None and len(start.chosen) == 2
    in_window = index.cand_person.count(a)  # a's candidates, all 4 days
    for seed in range(5):
        lns = RestrictedLns(index, start, SolveParams(seed=seed), target_free=in_window + 1)
        lns.span = 4
        free, window = lns._chain()
        assert window == {0, 1, 2, 3}
        assert {scenario.people[p].id for p in free} == {"a", "b0"}
