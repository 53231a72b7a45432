"""Staffing need: the fewest recruits reach the target, one fewer does not; marginal values."""

from __future__ import annotations

import datetime as dt

import pytest

from planner.cli import main
from planner.district.files import scenario_yaml
from planner.generate import generate_district
from planner.model import (
    Demand,
    Horizon,
    Limit,
    Person,
    Post,
    Role,
    Rules,
    Scenario,
    ShiftTemplate,
    Weights,
    WorkRules,
)
from planner.solvers import SolveParams, solve
from planner.whatif.edits import replace
from planner.whatif.need import staffing_need
from planner.whatif.need_exact import with_recruits
from planner.whatif.need_report import need_table, need_text

#: Only coverage matters to the need, so the solver checks are run without the
#: workload-shaping terms (fatigue, fairness, preference, continuity): same hard rules.
PURE = Weights(fatigue=0, fairness=0, preference=0, continuity=0)


def _gate() -> Scenario:
    """One gate, one 8 h day shift, 2 guards a day for 3 days: demand 6 person-shifts.

    Volunteers work at most 2 shifts over the horizon (hard). The one volunteer on the
    roster covers 2, leaving 4; each recruit covers at most 2, so exactly 2 recruits are
    needed, and one more volunteer removes 2 person-shifts of shortage.
    """
    return Scenario(
        name="gate",
        horizon=Horizon(start=dt.date(2022, 4, 25), days=3),
        shifts=[ShiftTemplate(id="day", start=dt.time(8), duration_min=480)],
        posts=[
            Post(
                id="gate",
                type="checkpoint",
                shifts=["day"],
                demand=[Demand(shift="day", roles=[Role(role="guard", headcount=2)])],
            )
        ],
        people=[Person(id="v1", category="volunteer")],
        rules=Rules(
            categories={"volunteer": WorkRules(max_shifts_per_template={"day": Limit(value=2)})}
        ),
        objective=PURE,
    )


def test_hand_derived_need_and_marginal_value():
    """The gate needs exactly 2 more volunteers (proven); one more removes 2 person-shifts."""
    result = staffing_need(_gate(), 1.0, ["volunteer"], time_limit_s=5, method="exact")
    assert result.counts == {"volunteer@all": 2}
    assert result.proven and result.lower_bound == 2
    assert result.reached and result.check_passed
    assert result.marginal == {"volunteer": 2}


def test_partial_target_needs_fewer():
    """For 5 of 6 person-shifts (target 0.8 rounds up to 5): 3 missing, so 2 recruits still;
    for 4 of 6 (target 2/3): 2 missing, 1 recruit."""
    assert staffing_need(_gate(), 0.8, ["volunteer"], 5, method="exact").total == 2
    two_thirds = staffing_need(_gate(), 2 / 3, ["volunteer"], 5, method="exact")
    assert two_thirds.total == 1 and two_thirds.reached


def _district() -> Scenario:
    """A small district: a gate, grid duty and a sampling station over 4 days."""
    scenario = generate_district(
        communities=1,
        grids_per_community=1,
        days=4,
        seed=3,
        people={"volunteer": 4, "community_worker": 1, "medical": 1},
        posts={"checkpoint": 1, "grid_duty": 1, "sampling_station": 1},
    )
    return replace(scenario, objective=PURE)


def _coverage(scenario: Scenario) -> float:
    plan = solve(scenario, SolveParams(time_limit_s=5, workers=1, seed=0))
    assert plan.kpis is not None
    return plan.kpis.coverage_pct


def test_reported_people_reach_full_coverage_and_one_fewer_does_not():
    """The issue's test: adding exactly the reported people lets the solver cover everything;
    taking away any one of them leaves a hole.

    The count is proven least, so for each pool a roster one short cannot reach 100 %.
    """
    scenario = _district()
    result = staffing_need(scenario, 1.0, time_limit_s=10, method="exact", marginal=False)
    assert result.proven and result.reached and result.check_passed
    assert result.total >= 2 and len(result.counts) >= 2  # more than one kind is needed
    pools = list(result.pools.values())
    assert _coverage(with_recruits(scenario, pools, result.counts)) == 100.0
    for key in result.counts:
        fewer = dict(result.counts)
        fewer[key] -= 1
        assert _coverage(with_recruits(scenario, pools, fewer)) < 100.0, key


def test_aggregate_method_reaches_the_target_with_a_checked_plan():
    """The aggregate method keeps the roster and fills its holes: its plan passes the check,
    reaches the target, and it never needs fewer people than the proven least count."""
    scenario = _district()
    exact = staffing_need(scenario, 1.0, time_limit_s=10, method="exact", marginal=False)
    agg = staffing_need(scenario, 1.0, time_limit_s=10, method="aggregate", marginal=False)
    assert agg.reached and agg.check_passed
    assert agg.total >= exact.total
    assert agg.lower_bound is not None and agg.lower_bound <= agg.total


def test_report_table_sums_to_the_total():
    """The table's total row adds up the recruits by community and in all."""
    scenario = _district()
    result = staffing_need(scenario, 1.0, time_limit_s=10, method="exact", marginal=False)
    table = need_table(result, scenario)
    total = table.rows[-1]
    assert total[0] == "合计 total" and total[-2] == result.total
    assert sum(v for v in total[1:-2] if isinstance(v, int)) == result.total
    assert "新增人员假设 recruits assumed" in need_text(result, scenario)


def test_bad_target_is_refused():
    """A target outside (0, 1] is an input error."""
    with pytest.raises(ValueError, match="target"):
        staffing_need(_gate(), 1.5)


def test_cli_need_writes_the_report(tmp_path):
    """``planner need`` prints the need, writes markdown and exits 0 when the target is met."""
    path = tmp_path / "gate.yaml"
    path.write_text(scenario_yaml(_gate()), encoding="utf-8")
    out = tmp_path / "need.md"
    code = main(["need", str(path), "--categories", "volunteer", "--time-limit", "5",
                 "--out", str(out)])  # fmt: skip
    assert code == 0
    text = out.read_text(encoding="utf-8")
    assert "| 志愿者 volunteer |" in text


def test_no_need_when_the_target_is_already_met():
    """Half the gate's demand is covered by v1 alone (2 of 6 is 1/3): a target of 1/3 needs
    nobody, and the count of zero is trivially least."""
    result = staffing_need(_gate(), 1 / 3, ["volunteer"], 5)
    assert result.counts == {} and result.total == 0
    assert result.proven and result.reached


def test_holes_no_chosen_category_may_fill_are_reported():
    """Guards must be street cadres; asking for volunteers only cannot fill anything: the
    report says which roles are out of reach and the command exits with 1."""
    gate = _gate()
    post = gate.posts[0]
    role = post.demand[0].roles[0].model_copy(update={"categories": ["street_cadre"]})
    demand = [post.demand[0].model_copy(update={"roles": [role]})]
    gate = replace(gate, posts=[post.model_copy(update={"demand": demand})], people=[])
    result = staffing_need(gate, 1.0, ["volunteer"], 5, method="aggregate")
    assert result.total == 0 and not result.reached
    assert any("guard 6" in note for note in result.notes)


def test_unknown_category_is_an_input_error(tmp_path, capsys):
    """``--categories`` with a category the scenario does not know exits with 2."""
    path = tmp_path / "gate.yaml"
    path.write_text(scenario_yaml(_gate()), encoding="utf-8")
    assert main(["need", str(path), "--categories", "astronaut"]) == 2
    assert "unknown category 'astronaut'" in capsys.readouterr().err
