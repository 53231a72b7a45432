"""The lower bounds: a hand-derived case where only the LP relaxation is tight, and the LP
bound against brute force on random tiny scenarios."""

from __future__ import annotations

import datetime as dt

from brute import brute_force
from hypothesis import given, note
from test_families import COMMUNITIES, COVERAGE_ONLY, person, post
from test_properties import SETTINGS, scenarios

from planner.model import Scenario
from planner.solvers import SolveParams, solve
from planner.solvers.bound import minutes_flow_bound, shift_flow_bound
from planner.solvers.index import build_index
from planner.solvers.lp_bound import lp_bound


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
