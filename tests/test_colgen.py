"""Column generation: its bound holds and is stronger than the rows' where rules interact;
its whole-number plan keeps every hard rule once repaired."""

from __future__ import annotations

import datetime as dt
import time

from brute import brute_force
from hypothesis import given, note
from test_bounds import weighted_shortage
from test_families import COMMUNITIES, COVERAGE_ONLY, person, post
from test_properties import SETTINGS, scenarios

from planner.model import Scenario
from planner.solvers import SolveParams
from planner.solvers.bound import flow_bound, interchangeable_groups
from planner.solvers.colgen import column_generation
from planner.solvers.decompose import Priced, RestrictedLns, price, repair
from planner.solvers.greedy import greedy_plan
from planner.solvers.index import build_index
from planner.solvers.lp_bound import solve_lp

PARAMS = SolveParams(time_limit_s=5, workers=1, seed=0)


def rest_every_other_day() -> Scenario:
    """One person, a week of 09:00-18:00 shifts at post ``P`` (priority 2) and at most one
    shift a day, with 16 hours of rest between shifts: after a shift ending at 18:00 the
    next may start at 10:00 the day after at the earliest, so they work every other day,
    4 shifts of 7. The optimum misses 3 x 2 = 6. Neither the flows nor the LP hold rest
    (they allow all 7 shifts, bound 0); a roster of one person does."""
    start = dt.date(2022, 4, 4)
    return Scenario.model_validate(
        {
            "name": "rest every other day",
            "horizon": {"start": start.isoformat(), "days": 7},
            "shifts": [{"id": "day", "start": "09:00", "duration_min": 540}],
            "communities": COMMUNITIES,
            "posts": [post("P", ("day",), priority=2)],
            "people": [person("p")],
            "rules": {"defaults": {"max_shifts_per_day": 1, "min_rest_minutes": 960}},
            "objective": {**COVERAGE_ONLY, "shortage": 1},
        }
    )


def run(scenario: Scenario, seconds: float = 5.0, with_prices: bool = True):  # type: ignore[no-untyped-def]
    """Column generation from the greedy plan; checks that every bound it reported rose and
    that the last one is its result's."""
    index = build_index(scenario)
    members = interchangeable_groups(index)
    lp = solve_lp(index, 5.0, members)
    assert lp is not None
    prices = (lp.cover_prices, lp.key_prices) if with_prices else None
    start = greedy_plan(index)
    result = column_generation(index, members, start, time.monotonic() + seconds, 0.3, 1, 0, prices)
    return index, lp, result


def test_rosters_bound_what_the_rows_cannot() -> None:
    """The bound is the optimum, 6, where the flows and the LP give 0; it is proven (no
    roster is left to add) and the whole-number plan reaches it."""
    index, lp, result = run(rest_every_other_day())
    assert flow_bound(index) == 0 and lp.bound == 0
    assert result.bound == 6
    assert result.converged
    assert result.chosen is not None
    assert weighted_shortage(index, result.chosen) == 6


def test_bound_without_the_lp_prices_is_the_same() -> None:
    """Started from the greedy plan's rosters alone, the rounds reach the same bound."""
    _, _, result = run(rest_every_other_day(), with_prices=False)
    assert result.bound == 6 and result.converged


@SETTINGS
@given(scenarios(max_templates=2))
def test_bound_never_exceeds_the_brute_force_optimum(scenario: Scenario) -> None:
    """On instances small enough to enumerate, the bound is at most the true minimum, and
    the plan, once repaired, keeps every hard rule and costs at least the bound."""
    note(scenario.model_dump_json(exclude_defaults=True))
    truth = brute_force(scenario, max_candidates=12)
    if truth is None or truth.objective is None:
        return
    index, _, result = run(scenario, seconds=2.0)
    assert result.bound is not None
    assert result.bound <= truth.objective
    if result.chosen is None:
        assert any(c is not None for c in index.fixed_cands)  # pins are not planned here
        return
    repairer = RestrictedLns(index, Priced(result.chosen, 0, {}), PARAMS)
    if repair(repairer, time.monotonic() + 5.0) is not None:
        return  # only minimum rules can be broken, and repairing one person may not do
    priced = price(index, repairer.best.chosen, PARAMS, 5.0)
    assert priced is not None
    assert priced.objective >= truth.objective >= result.bound


def test_solve_uses_rosters_where_people_come_in_groups() -> None:
    """A 300-person synthetic district over 2 days (above the whole model's size): the solve
    runs column generation, its plan passes the checker with the solver's objective, and
    its bound is at least the row-form LP's."""
    from test_properties import assert_consistent
    from test_scale_bench import scale

    from planner.solvers import solve
    from planner.solvers.base import Progress

    scenario = scale.synthetic(300, 2)
    index = build_index(scenario)
    lp = solve_lp(index, 5.0)
    assert lp is not None
    phases: list[Progress] = []
    plan = solve(scenario, SolveParams(time_limit_s=10, workers=2, seed=0, progress=phases.append))
    assert "column generation" in [p.phase for p in phases]
    assert_consistent(scenario, plan)
    assert plan.stats.bound is not None and plan.stats.bound >= lp.bound
