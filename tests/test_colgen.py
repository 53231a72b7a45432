"""Column generation: its bound holds and is stronger than the rows' where rules interact;
its whole-number plan keeps every hard rule once repaired."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

import pytest
from brute import brute_force
from hypothesis import given, note
from test_bounds import weighted_shortage
from test_families import COMMUNITIES, COVERAGE_ONLY, person, post
from test_properties import SETTINGS, scenarios

from planner.model import Scenario
from planner.solvers import SolveParams
from planner.solvers.bound import flow_bound, interchangeable_groups
from planner.solvers.colgen import (
    SMOOTHING,
    SMOOTHING_BACK_STEP,
    SMOOTHING_STEP,
    ColumnGeneration,
    column_generation,
    priced_once,
)
from planner.solvers.colgen_plan import DIVE_FREE_SHARE, dive_plan, integer_plan
from planner.solvers.decompose import Priced, RestrictedLns, breaking_minimums, price, repair
from planner.solvers.greedy import greedy_plan
from planner.solvers.index import build_index
from planner.solvers.lp_bound import solve_lp

PARAMS = SolveParams(time_limit_s=5, workers=1, seed=0)


START_DAY = dt.date(2022, 4, 4)


def one_post(
    name: str,
    days: int,
    minutes: int,
    posts: list[dict[str, Any]],
    people: list[dict[str, Any]],
    rules: dict[str, Any],
    shortage: int,
) -> Scenario:
    """A scenario from ``START_DAY`` with one shift, starting 09:00, of ``minutes``."""
    return Scenario.model_validate(
        {
            "name": name,
            "horizon": {"start": START_DAY.isoformat(), "days": days},
            "shifts": [{"id": "day", "start": "09:00", "duration_min": minutes}],
            "communities": COMMUNITIES,
            "posts": posts,
            "people": people,
            "rules": {"defaults": rules},
            "objective": {**COVERAGE_ONLY, "shortage": shortage},
        }
    )


def on_day(d: int) -> str:
    """ISO date of day ``d`` from ``START_DAY``."""
    return (START_DAY + dt.timedelta(days=d)).isoformat()


def rest_every_other_day() -> Scenario:
    """One person, a week of 09:00-18:00 shifts at post ``P`` (priority 2) and at most one
    shift a day, with 16 hours of rest between shifts: after a shift ending at 18:00 the
    next may start at 10:00 the day after at the earliest, so they work every other day,
    4 shifts of 7. The optimum misses 3 x 2 = 6. Neither the flows nor the LP hold rest
    (they allow all 7 shifts, bound 0); a roster of one person does."""
    return one_post(
        "rest every other day",
        7,
        540,
        [post("P", ("day",), priority=2)],
        [person("p")],
        {"max_shifts_per_day": 1, "min_rest_minutes": 960},
        1,
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


def test_smoothing_moves_towards_prices_where_the_bound_rises() -> None:
    """After pricing between the best bound's prices and the master's, the weight of the
    best bound's grows where the bound falls towards the master's, and shrinks where it
    rises. With every price at the shortage weight (2) the bound is the optimum, 6; with
    every price 0 it is 0."""
    index = build_index(rest_every_other_day())
    members = interchangeable_groups(index)

    def prices(value: float) -> tuple[list[float], dict[tuple[int, tuple[int, int]], float]]:
        return [value] * len(cg.cover), dict.fromkeys(cg.classes_at, value)

    for centre, out in ((2.0, 0.0), (0.0, 2.0)):
        cg = ColumnGeneration(index, members)
        try:
            cg.center = prices(centre)
            a = cg.smoothing
            assert a == SMOOTHING
            pi, rho = prices(a * centre + (1 - a) * out)
            bound, rosters, _ = cg._lagrange(pi, rho, time.monotonic() + 5)
            assert bound is not None
            cg._adapt(pi, rho, rosters, *prices(out))
            assert (cg.smoothing > a) == (centre > out)
        finally:
            cg.close()


def test_smoothing_moves_back_further_after_a_bound_below_the_best() -> None:
    """Where the bound at the smoothed prices fell below the best bound, the weight of the
    best bound's prices moves towards 1 by the larger step: the master's own prices were
    too far off to step towards."""
    index = build_index(rest_every_other_day())
    members = interchangeable_groups(index)
    moved = {}
    for below in (False, True):
        cg = ColumnGeneration(index, members)
        try:
            centre, out = [2.0] * len(cg.cover), dict.fromkeys(cg.classes_at, 2.0)
            cg.center = (centre, out)
            zero = [0.0] * len(cg.cover), dict.fromkeys(cg.classes_at, 0.0)
            a = cg.smoothing
            pi, rho = [a * 2.0] * len(cg.cover), dict.fromkeys(cg.classes_at, a * 2.0)
            _, rosters, _ = cg._lagrange(pi, rho, time.monotonic() + 5)
            cg._adapt(pi, rho, rosters, *zero, below=below)
            moved[below] = cg.smoothing - a
        finally:
            cg.close()
    assert moved[False] == pytest.approx((1 - SMOOTHING) * SMOOTHING_STEP)
    assert moved[True] == pytest.approx((1 - SMOOTHING) * SMOOTHING_BACK_STEP)
    assert moved[True] > moved[False]


def off_requests_everywhere() -> Scenario:
    """One person asks for every day of three off (weight 3 each); the post needs them every
    day, and a shift missed costs 10. The optimum works all three days and refuses every
    request: 9. The flows and the LP see only shortage (bound 0); a roster priced with its
    requests costs 3 a day worked, which is less than a missed shift."""
    requests = [{"date": on_day(d), "kind": "off", "weight": 3} for d in range(3)]
    return one_post(
        "off requests",
        3,
        480,
        [post("P", ("day",))],
        [person("p", requests=requests)],
        {"max_shifts_per_day": 1},
        10,
    )


def proven(scenario: Scenario, optimum: int) -> Priced:
    """Column generation's bound is ``optimum``, proven, and its plan, priced, reaches it."""
    index, _, result = run(scenario)
    assert result.bound == optimum and result.converged
    assert result.chosen is not None
    priced = price(index, result.chosen, PARAMS, 5.0)
    assert priced is not None and priced.objective == optimum
    return priced


def test_lagrangian_bound_at_the_lp_prices_holds_rest() -> None:
    """Priced once at the LP's prices (bound 0), the rosters give the optimum, 6."""
    scenario = rest_every_other_day()
    index = build_index(scenario)
    members = interchangeable_groups(index)
    lp = solve_lp(index, 5.0, members)
    assert lp is not None and lp.bound == 0
    once = priced_once(index, members, lp, greedy_plan(index), 1, time.monotonic() + 5.0)
    assert once.bound == 6


def test_rosters_carry_their_cost_to_the_person() -> None:
    """The bound counts the requests a roster refuses: it is the optimum, 9, where the LP's
    is 0, and the plan reaches it."""
    scenario = off_requests_everywhere()
    lp = solve_lp(build_index(scenario), 5.0)
    assert lp is not None and lp.bound == 0
    assert proven(scenario, 9).terms["requests"] == 9


def both_want_day_one_off() -> Scenario:
    """Two people who must each work exactly one of two days, a post asking for one a day
    (10 a shift missed, 4 a head over), and both asking for day 1 off (20 each). Working
    apart costs 20; both on day 0 miss day 1 and over-staff day 0: 14, the optimum."""
    off = [{"date": on_day(1), "kind": "off", "weight": 20}]
    role = {"role": "duty", "headcount": 1, "overstaff_weight": 4}
    return one_post(
        "over-staffing",
        2,
        480,
        [post("P", ("day",), demand=[{"shift": "day", "roles": [role]}])],
        [person("a", requests=off), person("b", requests=off)],
        {"max_shifts_per_day": 1, "min_minutes_per_horizon": 480, "max_minutes_per_horizon": 480},
        10,
    )


def test_over_staffing_prices_the_shifts_worked() -> None:
    """Without the price of over-staffing the bound of :func:`both_want_day_one_off` would be
    10; it is the optimum, 14, and the plan reaches it."""
    assert proven(both_want_day_one_off(), 14).terms["overstaff"] == 4


def test_whole_number_master_works_whole_rosters() -> None:
    """Where over-staffing is allowed at a weight, the whole-number master places every
    shift of the rosters it chooses: in :func:`both_want_day_one_off` leaving the second
    person's day 0 out would save the over-staffing (10 instead of 14) but break their
    minimum minutes. Both work, and no hard minimum is broken."""
    index = build_index(both_want_day_one_off())
    cg = ColumnGeneration(index, interchangeable_groups(index))
    try:
        cg.add_plan(greedy_plan(index))
        deadline = time.monotonic() + 10.0
        while cg.round(deadline)[1]:
            pass
        chosen = integer_plan(cg, 5.0, 1, 0)
    finally:
        cg.close()
    assert chosen is not None and len(chosen) == 2
    assert not breaking_minimums(index, chosen)


def test_dive_fixes_rosters_and_leaves_the_master_as_it_was() -> None:
    """On Curtois Instance 1 (8 nurses), converged (the master is fractional there): the
    dive fixes rosters, at most one a nurse, until a third of the nurses are left or the
    master is whole; its plan keeps every hard rule and costs at least the optimum, 607;
    after it the master has its columns' bounds and its value back."""
    from test_curtois import instance_path

    from planner.io.curtois import read_curtois

    index = build_index(read_curtois(instance_path(1)))
    cg = ColumnGeneration(index, interchangeable_groups(index))
    fixed_values: list[int] = []
    solve_master = cg.solve_master

    def record(deadline: float | None = None) -> bool:
        solved = solve_master(deadline)
        fixing = [v for v in cg.lam_vars if v.lb() > 0]
        if solved and fixing:
            fixed_values.append(len(fixing))
        return solved

    try:
        cg.add_plan(greedy_plan(index))
        deadline = time.monotonic() + 20.0
        while cg.round(deadline)[1]:
            pass
        assert cg.solve_master()
        before = cg.lp.Objective().Value()
        cg.solve_master = record  # type: ignore[method-assign]
        chosen = dive_plan(cg, 8.0, 1, 0)
        cg.solve_master = solve_master  # type: ignore[method-assign]
        assert all(v.lb() == 0 for v in cg.lam_vars)
        assert cg.solve_master()
        assert abs(cg.lp.Objective().Value() - before) < 1e-6
    finally:
        cg.close()
    assert fixed_values and max(fixed_values) <= (1 - DIVE_FREE_SHARE) * 8 + 1
    assert chosen is not None and not breaking_minimums(index, chosen)
    priced = price(index, chosen, PARAMS, 10.0)
    assert priced is not None and priced.objective >= 607


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
    index, lp, result = run(scenario, seconds=2.0)
    assert result.bound is not None
    assert result.bound <= truth.objective
    members = interchangeable_groups(index)
    once = priced_once(index, members, lp, greedy_plan(index), 1, time.monotonic() + 2.0).bound
    assert once is not None and lp.bound <= once <= truth.objective
    if result.guided is not None:
        repairer = RestrictedLns(index, Priced(result.guided, 0, {}), PARAMS)
        if repair(repairer, time.monotonic() + 5.0) is None:
            guided = price(index, repairer.best.chosen, PARAMS, 5.0)
            assert guided is not None and guided.objective >= truth.objective
    if result.chosen is None:
        assert any(c is not None for c in index.fixed_cands)  # pins are not planned here
        return
    repairer = RestrictedLns(index, Priced(result.chosen, 0, {}), PARAMS)
    if repair(repairer, time.monotonic() + 5.0) is not None:
        return  # only minimum rules can be broken, and repairing one person may not do
    priced = price(index, repairer.best.chosen, PARAMS, 5.0)
    assert priced is not None
    assert priced.objective >= truth.objective >= result.bound


def test_curtois_instances_2_and_3_are_proven_by_their_rosters() -> None:
    """On Curtois Instances 2 and 3 (requests, over- and under-staffing, hard sequences),
    the rosters' bound is the proven optimum (828 and 1001) and the plan reaches it."""
    from test_curtois import instance_path

    from planner.io.curtois import read_curtois

    for number, optimum in ((2, 828), (3, 1001)):
        scenario = read_curtois(instance_path(number))
        index = build_index(scenario)
        members = interchangeable_groups(index)
        start = RestrictedLns(index, Priced(greedy_plan(index), 0, {}), PARAMS)
        assert repair(start, time.monotonic() + 10.0) is None
        result = column_generation(
            index, members, start.best.chosen, time.monotonic() + 30.0, 0.3, 2, 0
        )
        assert result.bound == optimum and result.converged
        assert result.chosen is not None
        priced = price(index, result.chosen, PARAMS, 10.0)
        assert priced is not None and priced.objective == optimum


def test_mid_sized_models_get_rosters_then_the_whole_model(monkeypatch: pytest.MonkeyPatch) -> None:
    """A model from ``COLUMN_MIN_CANDIDATES`` up to ``WHOLE_MODEL_CANDIDATES`` (Curtois
    Instance 1, 104 candidates, with the first limit lowered to 50) gets column
    generation's bound and plan first, then the whole model for the rest of the time (no
    neighbourhood search): the plan is the proven optimum, 607, and the checker agrees."""
    from test_curtois import instance_path
    from test_properties import assert_consistent

    from planner.io.curtois import read_curtois
    from planner.solvers import facade, solve
    from planner.solvers.base import Progress

    scenario = read_curtois(instance_path(1))
    assert 50 <= build_index(scenario).num_candidates <= facade.WHOLE_MODEL_CANDIDATES
    phases: list[Progress] = []
    params = SolveParams(time_limit_s=20, workers=2, seed=0, progress=phases.append)
    unchanged = solve(scenario, params)
    assert "column generation" not in [p.phase for p in phases]
    monkeypatch.setattr(facade, "COLUMN_MIN_CANDIDATES", 50)
    phases.clear()
    plan = solve(scenario, params)
    names = [p.phase for p in phases]
    assert "column generation" in names
    assert names.index("column generation") < names.index("model")
    assert "lns" not in names and "lns" not in plan.stats.solver
    assert_consistent(scenario, plan)
    assert plan.stats.objective == unchanged.stats.objective == 607
    assert plan.stats.bound == 607


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


def _worked_and_placed(cg: ColumnGeneration) -> tuple[dict[int, float], dict[int, float]]:
    """Per group, the person-shifts its rosters work in the master's last solution, and
    those :func:`master_share` places over the classes."""
    from planner.solvers.colgen_plan import master_share

    worked: dict[int, float] = {}
    for (g, roster), lam in zip(cg.columns, cg.lam_vars, strict=True):
        worked[g] = worked.get(g, 0.0) + cg.value(lam) * len(roster)
    placed: dict[int, float] = {}
    for (g, _), value in master_share(cg).items():
        placed[g] = placed.get(g, 0.0) + value
    return worked, placed


def test_master_places_every_shift_its_rosters_work() -> None:
    """A 300-person synthetic district over 2 days has (group, shift) pairs placed in one
    class only (covered directly by their rosters, no link row) and pairs with a choice
    (linked): in the master's solution from the greedy plan, each group's person-shifts
    placed over the classes add up to those its rosters work."""
    from test_scale_bench import scale

    index = build_index(scale.synthetic(300, 2))
    cg = ColumnGeneration(index, interchangeable_groups(index))
    try:
        assert cg.direct and cg.link
        cg.add_plan(greedy_plan(index))
        assert cg.solve_master()
        worked, placed = _worked_and_placed(cg)
        assert sum(worked.values()) > 0
        for g in cg.size:
            assert abs(placed.get(g, 0.0) - worked.get(g, 0.0)) < 1e-6
    finally:
        cg.close()


class _SlowGlop:
    """The master's GLOP solver, except that it never solves in time."""

    def __init__(self, lp: Any) -> None:
        self._lp = lp

    def __getattr__(self, name: str) -> Any:
        return getattr(self._lp, name)

    def Solve(self) -> int:  # pywraplp's name
        from ortools.linear_solver import pywraplp

        return int(pywraplp.Solver.NOT_SOLVED)


def test_master_solved_once_falls_back_to_pdlp_where_glop_is_too_slow() -> None:
    """Solved once for a plan to follow, the master keeps GLOP's exact solution when GLOP
    solves it; where GLOP does not in time, PDLP's solution beside it is used (given a
    second thread): its value is within PDLP's tolerance of the exact one, each group's
    person-shifts placed over the classes add up to those its rosters work, and the greedy
    plan follows it."""
    from test_scale_bench import scale

    from planner.solvers.colgen_plan import guided_plan

    index = build_index(scale.synthetic(300, 2))
    cg = ColumnGeneration(index, interchangeable_groups(index), workers=2)
    try:
        cg.add_plan(greedy_plan(index))
        assert cg.solve_master_once(time.monotonic() + 60, 2)
        assert cg.approx is None  # GLOP's vertex
        exact = cg.lp.Objective().Value()
        glop = cg.lp
        cg.lp = _SlowGlop(glop)  # type: ignore[assignment]
        assert not cg.solve_master_once(time.monotonic() + 60, 1)  # one thread: GLOP only
        assert cg.solve_master_once(time.monotonic() + 60, 2)
        assert cg.approx is not None
        objective = glop.Objective()
        value = objective.offset() + sum(
            objective.GetCoefficient(var) * cg.value(var) for var in glop.variables()
        )
        assert abs(value - exact) <= 1e-2 * abs(exact)
        worked, placed = _worked_and_placed(cg)
        total = sum(worked.values())
        assert total > 0
        assert sum(abs(placed.get(g, 0.0) - worked.get(g, 0.0)) for g in cg.size) <= 1e-2 * total
        assert guided_plan(cg, time.monotonic() + 60, 2)
        cg.lp = glop
        assert cg.solve_master() and cg.approx is None  # the rounds' solves read GLOP again
    finally:
        cg.close()


def test_converged_rounds_leave_the_plans_their_share_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Rounds that converge early do not hand what they leave to the plans from the master
    (here, one person: the dive): those get their share of the time (0.3 here), and the
    rest goes back to the search after column generation."""
    import planner.solvers.colgen as colgen

    granted: list[float] = []

    def record(
        cg: ColumnGeneration, start: list[int] | None, seconds: float, *args: int
    ) -> list[int] | None:
        granted.append(seconds)
        return start

    def record_dive(cg: ColumnGeneration, seconds: float, *args: int) -> list[int] | None:
        granted.append(seconds)
        return None

    monkeypatch.setattr(colgen, "support_plan", record)
    monkeypatch.setattr(colgen, "dive_plan", record_dive)
    scenario = rest_every_other_day()
    index = build_index(scenario)
    members = interchangeable_groups(index)
    limit = 60.0
    result = column_generation(
        index, members, greedy_plan(index), time.monotonic() + limit, 0.3, 1, 0
    )
    assert result.converged
    assert granted and granted[0] <= 0.3 * limit


def test_long_horizons_need_time_for_more_rounds(monkeypatch: pytest.MonkeyPatch) -> None:
    """Where pricing once at the row-form LP's prices takes a fortieth of the rounds' time,
    a week has time for ``MIN_ROUNDS`` rounds and they run; 100 days need more (longer
    rosters take more rounds to converge), so none run there and the bound at the LP's
    prices is what column generation returns. Time is a clock of the test's own."""
    import planner.solvers.colgen as colgen
    from planner.solvers.colgen import MIN_ROUNDS, ROUNDS_PER_DAY

    class Clock:
        now = time.monotonic()  # where ``run`` sets its deadline from

        def monotonic(self) -> float:
            return self.now

    clock = Clock()
    monkeypatch.setattr(colgen, "time", clock)
    limit = 100.0
    rounds_s = 0.7 * limit  # the plans' share is 0.3 below
    assert 100 * ROUNDS_PER_DAY > 40 > MIN_ROUNDS
    priced_once = ColumnGeneration.start_from
    real_round = ColumnGeneration.round
    started: dict[int, float] = {}
    rounds: dict[int, int] = {}

    def slow_start(
        cg: ColumnGeneration, pi: list[float], rho: dict[Any, float], deadline: float
    ) -> float | None:
        bound = priced_once(cg, pi, rho, deadline)
        clock.now += rounds_s / 40
        started[cg.index.scenario.horizon.days] = bound or 0.0
        return bound

    def counted_round(cg: ColumnGeneration, deadline: float) -> tuple[float | None, int]:
        days = cg.index.scenario.horizon.days
        rounds[days] = rounds.get(days, 0) + 1
        return real_round(cg, deadline)

    monkeypatch.setattr(ColumnGeneration, "start_from", slow_start)
    monkeypatch.setattr(ColumnGeneration, "round", counted_round)
    results = {}
    for days in (7, 100):
        scenario = one_post(
            "long", days, 540, [post("P", ("day",))], [person("p")], {"min_rest_minutes": 960}, 1
        )
        _, _, results[days] = run(scenario, limit)
    assert rounds.get(7, 0) > 0 and results[7].converged
    assert 100 not in rounds
    assert results[100].chosen is None and not results[100].converged
    assert results[100].bound is not None and results[100].bound == round(started[100])


def test_pricing_returns_every_roster_it_finds_at_its_cost() -> None:
    """Pricing one nurse of Curtois Instance 2 returns the rosters found on the way to the
    best (columns too): each keeps her hard rules at the cost :meth:`Pricer.cost` gives
    it, and the last is worth the most at the prices, within the bound."""
    from test_curtois import instance_path

    from planner.io.curtois import read_curtois
    from planner.solvers.pricing import Pricer

    index = build_index(read_curtois(instance_path(2)))
    pricer = Pricer(index, 0)
    keys = index.by_person_day_shift[0]
    prices = {(day, shift): 60.0 + (7 * day + 13 * shift) % 50 for day, shift in keys}
    upper, rosters = pricer.best(prices)
    assert len(rosters) >= 2
    values = []
    for roster, cost in rosters:
        assert pricer.cost(frozenset(roster)) == cost
        values.append(sum(prices[key] for key in roster) - cost)
    assert values[-1] == max(values) and values[-1] <= upper + 1e-6
