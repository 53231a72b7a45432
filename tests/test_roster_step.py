"""Re-planning one home at a time from column generation's proposal
(``RestrictedLns.roster_step``, ``planner.solvers.colgen.roster_proposal``): the master
covers only the places the others leave, the proposal fits them, and a step keeps a
proposal only where it is better."""

from __future__ import annotations

import time
from collections import Counter

import pytest
from ortools.sat.python import cp_model

import planner.solvers.decompose as decompose
from planner.check import check
from planner.generate import generate_district
from planner.model import Scenario
from planner.solvers import SolveParams
from planner.solvers.bound import interchangeable_groups
from planner.solvers.colgen import ColumnGeneration, roster_proposal
from planner.solvers.decompose import ROSTERS, Priced, RestrictedLns, price
from planner.solvers.greedy import greedy_plan
from planner.solvers.index import ProblemIndex, build_index, restrict

PARAMS = SolveParams(time_limit_s=10, workers=2, seed=0)


def district() -> Scenario:
    """Two grids of one community, 7 days, more demand than people."""
    return generate_district(communities=1, grids_per_community=2, days=7, seed=3)


def started(scenario: Scenario) -> RestrictedLns:
    index = build_index(scenario)
    start = price(index, greedy_plan(index), PARAMS, 10.0)
    assert start is not None
    return RestrictedLns(index, start, PARAMS)


def a_grid(lns: RestrictedLns) -> tuple[set[int], list[int]]:
    """The people of the first grid with people, and their candidates (ascending)."""
    home = next(h for h in lns.homes if h is not None and "-g" in h)
    free = set(lns.by_home[home])
    return free, sorted(c for p in free for c in lns.cands_of[p])


def counts(index: ProblemIndex, chosen: list[int]) -> Counter[int]:
    return Counter(index.cand_slot[c] for c in chosen)


def test_master_covers_only_the_places_left() -> None:
    """With the others' places counted as filled, the master wants per class the slots'
    headcounts less what the others hold (never below nothing)."""
    lns = started(district())
    index = lns.index
    free, keep = a_grid(lns)
    sub, _ = restrict(index, keep)
    filled = counts(index, [c for c in lns.best.chosen if index.cand_person[c] not in free])
    assert filled, "the others hold places"
    cg = ColumnGeneration(sub, interchangeable_groups(sub), filled=dict(filled))
    try:
        left = Counter[int]()
        for s, slot in enumerate(index.slots):
            left[cg.slot_class[s]] += max(0, slot.headcount - filled[s])
        assert {c: n for c, n in cg.need.items() if n} == {c: n for c, n in left.items() if n}
    finally:
        cg.close()


def test_proposal_fits_the_places_the_others_leave() -> None:
    """The proposal assigns only the freed people, never past a slot's headcount together
    with the others' places, and with them makes a plan that keeps every hard rule (the
    checker agrees)."""
    scenario = district()
    lns = started(scenario)
    index = lns.index
    free, keep = a_grid(lns)
    proposal = roster_proposal(
        index, free, keep, lns.best.chosen, time.monotonic() + 10, workers=2, seed=0
    )
    assert proposal is not None and proposal
    assert {index.cand_person[c] for c in proposal} <= free
    plan = [c for c in lns.best.chosen if index.cand_person[c] not in free] + proposal
    for s, n in counts(index, plan).items():
        assert n <= index.slots[s].headcount
    priced = price(index, plan, PARAMS, 10.0)
    assert priced is not None
    assert check(scenario, index.assignments(plan)).feasible


def test_roster_steps_never_make_the_plan_worse() -> None:
    """Each roster step re-plans the next home in turn; the plan's exact objective never
    rises, equals the step's estimate, and the plan passes the checker. From the greedy
    plan the steps improve it."""
    scenario = district()
    lns = started(scenario)
    assert ROSTERS in lns.score
    before = start = lns.best.objective
    for _ in range(len(lns.homes)):
        lns.roster_step(time.monotonic() + 20)
        priced = price(lns.index, lns.best.chosen, PARAMS, 10.0)
        assert priced is not None and priced.objective <= before
        assert priced.objective == lns.best.objective
        before = priced.objective
    result = check(scenario, lns.index.assignments(lns.best.chosen))
    assert result.feasible and result.objective == before
    assert before < start and lns.improvements >= 1
    assert lns.roster_steps == len(lns.homes)
    assert f"of {len(lns.homes)} home roster steps" in lns.summary()


def test_a_better_proposal_is_kept_when_the_search_finds_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The search from a proposal may not get through presolve in its time: the proposal
    itself is kept if better than the plan, and not if worse."""
    lns = started(district())
    index = lns.index
    free, keep = a_grid(lns)
    # the grid's people idle: any proposal that covers something is better
    idle = [c for c in lns.best.chosen if index.cand_person[c] not in free]
    start = price(index, idle, PARAMS, 10.0)
    assert start is not None
    lns.best = start
    proposal = roster_proposal(index, free, keep, idle, time.monotonic() + 10, 2, 0)
    assert proposal
    monkeypatch.setattr(decompose, "solve_stoppable", lambda *_: cp_model.UNKNOWN)
    assert lns.replan(free, None, time.monotonic() + 10, proposal=proposal) is True
    assert sorted(lns.best.chosen) == sorted(idle + proposal)
    kept = price(index, lns.best.chosen, PARAMS, 10.0)
    assert kept is not None and kept.objective == lns.best.objective < start.objective
    # now the grid's people are idle in the proposal: it is worse, and the plan stays
    assert lns.replan(free, None, time.monotonic() + 10, proposal=[]) is False
    assert sorted(lns.best.chosen) == sorted(idle + proposal)


def test_no_roster_steps_where_they_cannot_run() -> None:
    """None in deterministic mode (column generation's rounds read the clock), nor where
    everyone shares one home."""
    scenario = district()
    index = build_index(scenario)
    start = Priced(greedy_plan(index), 0, {})
    deterministic = SolveParams(time_limit_s=10, workers=2, seed=0, deterministic=True)
    assert ROSTERS not in RestrictedLns(index, start, deterministic).score
    one = generate_district(communities=1, grids_per_community=1, days=7, seed=3)
    people = [p.model_copy(update={"grid": None, "community": None}) for p in one.people]
    flat = one.model_copy(update={"people": people})
    flat_index = build_index(flat)
    lns = RestrictedLns(flat_index, Priced(greedy_plan(flat_index), 0, {}), PARAMS)
    assert len(lns.by_home) == 1 and ROSTERS not in lns.score
