"""The lexicographic objective: coverage first, then the burden on people, then wishes.

Each scenario is tiny and its answer derived by hand. Weights are chosen so that the weighted
sum would rather leave demand open than load people, which the lexicographic order forbids.
"""

from __future__ import annotations

import pytest
from test_families import make, person, post

import planner.solvers.facade as facade
from planner.check import check
from planner.model import Plan, Scenario, objective_level
from planner.solvers import SolveParams, solve
from planner.solvers.cpsat.levels import cap_of, level_values

#: Shortage is cheap next to fatigue: 1 per missing person-shift, 1 per minute of the peak.
CHEAP_COVER = {"shortage": 1, "fatigue": 1}


def two_days(people: int, extra_posts: list | None = None, **weights: object) -> Scenario:
    """Post ``a`` wants one person on day 0 and one on day 1 (480-minute shifts)."""
    staff = [person(f"p{i}") for i in range(people)]
    posts = [post("a"), *(extra_posts or [])]
    return make(posts, staff, days=2, weights={**CHEAP_COVER, **weights})  # type: ignore[dict-item]


def solved(scenario: Scenario) -> Plan:
    """Solve; the checker agrees with the objective and the bound is below it."""
    plan = solve(scenario, SolveParams(time_limit_s=4, workers=2, seed=0))
    result = check(scenario, plan)
    assert result.feasible, result.summary()
    assert result.objective == plan.stats.objective
    assert plan.stats.bound is not None and plan.stats.objective is not None
    assert plan.stats.bound <= plan.stats.objective
    return plan


def test_levels_partition_the_terms() -> None:
    """Every objective term has a level: coverage 0, burden 1, wishes 2."""
    assert [objective_level(t) for t in ("shortage", "overstaff", "at_least")] == [0, 0, 0]
    assert [objective_level(t) for t in ("fatigue", "fairness", "soft:max_weekends")] == [1] * 3
    assert [objective_level(t) for t in ("preference", "requests", "continuity")] == [2] * 3
    assert level_values({"shortage": 5, "fatigue": 3, "soft:x": 1, "requests": 2}) == [5, 4, 2]
    assert cap_of(1000, 0.015) == 1015 and cap_of(0, 0.5) == 0
    with pytest.raises(ValueError, match="no level"):
        objective_level("unknown")


def test_weighted_sum_leaves_demand_open_when_it_is_cheaper() -> None:
    """The contrast: with cheap shortage the weighted optimum covers nothing (cost 2)."""
    plan = solved(two_days(2))
    assert plan.stats.objective == 2
    assert plan.assignments == []


def test_lexicographic_covers_first_then_spreads_the_work() -> None:
    """Coverage first: both shifts are filled (shortage 0); then fatigue is minimised under
    that: two people share the work, the peak is 480 minutes, objective 480."""
    plan = solved(two_days(2, lexicographic=True))
    assert plan.stats.objective_terms["shortage"] == 0
    assert plan.stats.objective_terms["fatigue"] == 480
    assert plan.stats.objective == 480
    assert sorted(a.person for a in plan.assignments) == ["p0", "p1"]


@pytest.mark.parametrize(
    ("tolerance", "shortage", "fatigue"),
    [(0.0, 4, 960), (0.2, 4, 960), (0.25, 5, 480), (0.5, 6, 0)],
)
def test_tolerance_lets_coverage_give_way(tolerance: float, shortage: int, fatigue: int) -> None:
    """One person, post ``a`` on two days, and post ``x`` whose two places a day nobody can
    fill: shortage 4 at best. Tolerance t allows shortage up to 4 + floor(4t): at 0.2 still
    4, so the person works both days (peak 960); 0.25 allows 5 (one day, peak 480); 0.5
    allows 6 (no work)."""
    plan = solved(unfillable_and_one_person(tolerance))
    assert plan.stats.objective_terms["shortage"] == shortage
    assert plan.stats.objective_terms["fatigue"] == fatigue


def unfillable_and_one_person(tolerance: float) -> Scenario:
    """The scenario of the tolerance test above."""
    unfillable = post("x", headcount=2)
    unfillable["demand"][0]["roles"][0]["skills"] = ["boat"]
    return two_days(1, [unfillable], lexicographic=True, tolerance=tolerance)


def test_large_district_path_is_lexicographic(monkeypatch: pytest.MonkeyPatch) -> None:
    """The decomposition used for large districts (forced here) keeps the same order: it
    covers first and then spreads the work; and starting from the greedy plan (the one person
    on both days) it gives up one place when the tolerance allows, to lower fatigue."""
    monkeypatch.setattr(facade, "LARGE_CANDIDATES", 1)
    plan = solved(two_days(2, lexicographic=True))
    assert "lns" in plan.stats.solver
    assert plan.stats.objective_terms["shortage"] == 0
    assert plan.stats.objective_terms["fatigue"] == 480
    plan = solved(unfillable_and_one_person(0.25))
    assert plan.stats.objective_terms["shortage"] == 5
    assert plan.stats.objective_terms["fatigue"] == 480
    plan = solved(unfillable_and_one_person(0.0))
    assert plan.stats.objective_terms["shortage"] == 4
    assert plan.stats.objective_terms["fatigue"] == 960
