"""The overlap rule posted as "at most one" over cliques covers exactly the overlapping pairs."""

from __future__ import annotations

import datetime as dt
from itertools import combinations

from hypothesis import given, settings
from hypothesis import strategies as st

from planner.model import ShiftTemplate
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
