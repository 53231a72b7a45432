"""``POST /v1/check``: re-verify a plan against its scenario, from scratch."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException

from api.deps import SettingsDep, StoreDep, require_token
from api.errors import BadInput
from api.parsing import check_caps
from api.routers.scenarios import ERRORS
from api.schemas import CheckOut, CheckRequest, ViolationOut
from api.store import Store
from planner.model import Plan, Scenario

router = APIRouter(prefix="/v1", tags=["check"], dependencies=[Depends(require_token)])


def _scenario(body: CheckRequest, store: Store) -> Scenario:
    if (body.scenario_id is None) == (body.scenario is None):
        raise BadInput.at(["body"], "give exactly one of scenario_id and scenario")
    if body.scenario is not None:
        return body.scenario
    row = store.get_scenario(str(body.scenario_id))
    if row is None:
        raise HTTPException(404, f"unknown scenario '{body.scenario_id}'")
    return Scenario.model_validate_json(row.body)


def _plan(body: CheckRequest, store: Store) -> Plan:
    if (body.plan is None) == (body.solve_id is None):
        raise BadInput.at(["body"], "give exactly one of plan and solve_id")
    if body.plan is not None:
        return body.plan
    row = store.get_job(str(body.solve_id))
    if row is None:
        raise HTTPException(404, f"unknown solve '{body.solve_id}'")
    plan_json = store.plan_of(row.id)
    if plan_json is None:
        raise HTTPException(409, f"solve '{body.solve_id}' has no plan (status {row.status})")
    return Plan.model_validate_json(plan_json)


@router.post("/check", response_model=CheckOut, responses=ERRORS)
def check_plan(body: CheckRequest, store: StoreDep, settings: SettingsDep) -> CheckOut:
    """Check a plan (inline, or a solve's) against a scenario (inline, or stored).

    Returns every violation, the feasibility verdict and the objective recomputed by term.
    """
    from planner.check import check

    scenario = _scenario(body, store)
    check_caps(scenario, settings, ["body", "scenario"])
    plan = _plan(body, store)
    if len(plan.assignments) > 50 * settings.max_people * settings.max_days:
        raise BadInput.at(["body", "plan", "assignments"], "too many assignments")
    try:
        result = check(scenario, plan)
    except (ValueError, KeyError, IndexError, TypeError) as exc:
        raise BadInput.at(
            ["body", "plan"], f"the plan does not fit the scenario ({type(exc).__name__})"
        ) from None
    return CheckOut(
        feasible=result.feasible,
        objective=result.objective,
        terms=result.terms,
        violations=[
            ViolationOut.model_validate(v, from_attributes=True) for v in result.violations
        ],
        summary=result.summary(),
    )
