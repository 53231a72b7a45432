"""``/v1/scenarios``: upload scenarios (JSON, YAML or an Excel workbook) and read them back."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request, Response
from fastapi.concurrency import run_in_threadpool

from api.deps import SettingsDep, StoreDep, require_token
from api.errors import ErrorBody
from api.parsing import XLSX_TYPES, parse_scenario
from api.schemas import Created, ScenarioDetail, ScenarioPage, ScenarioSummary
from api.store import Store
from planner.model import Scenario

router = APIRouter(
    prefix="/v1/scenarios", tags=["scenarios"], dependencies=[Depends(require_token)]
)

IdPath = Annotated[str, Path(min_length=1, max_length=64)]
ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorBody, "description": "no valid bearer token"},
    404: {"model": ErrorBody, "description": "unknown id"},
    413: {"model": ErrorBody, "description": "body larger than the server accepts"},
    422: {"model": ErrorBody, "description": "invalid input: field paths and messages"},
}
SCENARIO_BODY = {
    "requestBody": {
        "required": True,
        "description": "a scenario as JSON or YAML, or an Excel workbook in the template "
        "(raw, or as the 'file' part of a multipart upload)",
        "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/Scenario"}},
            "application/yaml": {"schema": {"type": "string"}},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {"file": {"type": "string", "format": "binary"}},
                    "required": ["file"],
                }
            },
            XLSX_TYPES[0]: {"schema": {"type": "string", "format": "binary"}},
        },
    }
}


def store_scenario(store: Store, scenario: Scenario) -> str:
    """Keep a validated scenario; returns its id."""
    return store.add_scenario(
        scenario.name,
        scenario.model_dump_json(),
        len(scenario.people),
        len(scenario.posts),
        scenario.horizon.days,
    )


@router.post(
    "",
    status_code=201,
    response_model=Created,
    openapi_extra=SCENARIO_BODY,
    responses={k: v for k, v in ERRORS.items() if k != 404},
)
async def create_scenario(
    request: Request, response: Response, settings: SettingsDep, store: StoreDep
) -> Created:
    """Upload a scenario; it is validated, stored and given an id."""
    body = await request.body()
    content_type = request.headers.get("content-type", "")
    scenario = await run_in_threadpool(parse_scenario, body, content_type, settings)
    scenario_id = await run_in_threadpool(store_scenario, store, scenario)
    response.headers["Location"] = f"/v1/scenarios/{scenario_id}"
    return Created(id=scenario_id)


@router.get("", response_model=ScenarioPage, responses={401: ERRORS[401], 422: ERRORS[422]})
def list_scenarios(
    store: StoreDep,
    offset: Annotated[int, Query(ge=0, le=10**9)] = 0,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
) -> ScenarioPage:
    """Stored scenarios, newest first, a page at a time."""
    rows, total = store.list_scenarios(offset, limit)
    items = [ScenarioSummary.of(r) for r in rows]
    return ScenarioPage(items=items, total=total, offset=offset, limit=limit)


@router.get("/{scenario_id}", response_model=ScenarioDetail, responses=ERRORS)
def get_scenario(scenario_id: IdPath, store: StoreDep) -> ScenarioDetail:
    """One stored scenario, with its body."""
    row = store.get_scenario(scenario_id)
    if row is None:
        raise HTTPException(404, f"unknown scenario '{scenario_id}'")
    summary = ScenarioSummary.of(row).model_dump()
    return ScenarioDetail(**summary, scenario=json.loads(row.body))
