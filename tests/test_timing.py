"""Overlap and hard successions posted as "at most one" over cliques: the cliques cover
exactly the overlapping pairs, and the solver's optimum with succession cliques is still
the brute-force minimum."""

from __future__ import annotations

import datetime as dt
from itertools import combinations

from brute import brute_force
from hypothesis import given, note, settings
from hypothesis import strategies as st
from test_properties import PARAMS, SETTINGS, scenarios

import planner.solvers.cpsat.constraints.timing as timing
from planner.model import Scenario, ShiftTemplate
from planner.solvers import solve
from planner.solvers.cpsat.constraints.timing import _clique, _overlap_cliques


@st.composite
def shift_sets(draw: st.DrawFn) -> tuple[list[ShiftTemplate], list[tuple[int, int]]]:
    """Random templates (some crossing midnight, some sharing a start) and (day, shift) keys."""
    count = draw(st.integers(1, 5))
    shifts = [
        ShiftTemplate(
            id=f"s{i}",
            start=dt.time(draw(st.sampled_from([0, 6, 8, 14, 22])), 0),
            duration_min=draw(st.sampled_from([240, 480, 600, 720, 1440])),
        )
        for i in range(count)
    ]
    keys = draw(
        st.lists(st.tuples(st.integers(0, 3), st.integers(0, count - 1)), unique=True, max_size=12)
    )
    keys.sort(key=lambda k: shifts[k[1]].start_at(k[0]))
    return shifts, keys


@settings(max_examples=200, derandomize=True, deadline=None)
@given(shift_sets())
def test_cliques_cover_exactly_the_overlapping_pairs(
    case: tuple[list[ShiftTemplate], list[tuple[int, int]]],
) -> None:
    shifts, keys = case
    cliques = _overlap_cliques(keys, shifts)
    covered = {frozenset(pair) for clique in cliques for pair in combinations(clique, 2)}
    overlapping = {
        frozenset((a, b))
        for a, b in combinations(keys, 2)
        if shifts[a[1]].start_at(a[0]) < shifts[b[1]].end_at(b[0])
        and shifts[b[1]].start_at(b[0]) < shifts[a[1]].end_at(a[0])
    }
    assert covered == overlapping
    for clique in cliques:
        assert _clique(clique, shifts)
        # maximal: no other key runs alongside every member
        assert not any(_clique([*clique, k], shifts) for k in keys if k not in clique)


@settings(SETTINGS, max_examples=150)
@given(scenarios(max_templates=3))
def test_succession_cliques_keep_the_brute_force_optimum(scenario: Scenario) -> None:
    """With every hard succession posted as cliques (as for scenarios with many of them),
    the solver's optimum is still the true minimum."""
    if not any(s.weight is None for s in scenario.rules.forbidden_successions):
        return
    note(scenario.model_dump_json(exclude_defaults=True))
    saved = timing.SUCCESSION_CLIQUES_FROM
    timing.SUCCESSION_CLIQUES_FROM = 0
    try:
        plan = solve(scenario, PARAMS)
    finally:
        timing.SUCCESSION_CLIQUES_FROM = saved
    truth = brute_force(scenario, max_candidates=14)
    if truth is None:
        return
    if truth.objective is None:
        assert plan.stats.status == "infeasible"
    else:
        assert plan.stats.status == "optimal"
        assert plan.stats.objective == truth.objective
