"""``/v1/solves``: start solves as jobs, follow their progress, stop them, fetch plans."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse

from api.deps import RunnerDep, SettingsDep, StoreDep, require_token
from api.errors import BadInput, ErrorBody
from api.jobs import QueueFull
from api.parsing import PLAN_MEDIA, check_caps, render_plan
from api.routers.scenarios import ERRORS, store_scenario
from api.schemas import SolveOut, SolvePage, SolveRequest
from api.store import FINAL, JobStatus, Store
from planner.model import Plan, Scenario

router = APIRouter(prefix="/v1/solves", tags=["solves"], dependencies=[Depends(require_token)])

IdPath = Annotated[str, Path(min_length=1, max_length=64)]
#: Seconds between two looks at a job while streaming its events.
POLL_S = 0.25
#: Seconds between two keep-alive comments of an idle event stream.
KEEPALIVE_S = 15.0


def _job_or_404(store: Store, solve_id: str) -> Any:
    row = store.get_job(solve_id)
    if row is None:
        raise HTTPException(404, f"unknown solve '{solve_id}'")
    return row


@router.post(
    "",
    status_code=202,
    response_model=SolveOut,
    responses={
        **ERRORS,
        429: {"model": ErrorBody, "description": "queue full: retry after Retry-After seconds"},
    },
)
def start_solve(
    body: SolveRequest,
    response: Response,
    settings: SettingsDep,
    store: StoreDep,
    runner: RunnerDep,
) -> SolveOut:
    """Queue a solve of a stored or inline scenario; 429 when the queue is full."""
    if (body.scenario_id is None) == (body.scenario is None):
        raise BadInput.at(["body"], "give exactly one of scenario_id and scenario")
    limit = body.time_limit_s or min(settings.default_time_limit_s, settings.max_time_limit_s)
    if limit > settings.max_time_limit_s:
        raise BadInput.at(
            ["body", "time_limit_s"], f"at most {settings.max_time_limit_s:g} s on this server"
        )
    if runner.load() >= runner.capacity:
        raise _busy(settings.retry_after_s)
    if body.scenario is not None:
        check_caps(body.scenario, settings, ["body", "scenario"])
        scenario_id = store_scenario(store, body.scenario)
    else:
        scenario_id = str(body.scenario_id)
        if store.get_scenario(scenario_id, with_body=False) is None:
            raise HTTPException(404, f"unknown scenario '{scenario_id}'")
    try:
        job_id = runner.submit(scenario_id, limit, body.seed)
    except QueueFull:
        raise _busy(settings.retry_after_s) from None
    response.headers["Location"] = f"/v1/solves/{job_id}"
    return SolveOut.of(_job_or_404(store, job_id))


def _busy(retry_after_s: int) -> HTTPException:
    return HTTPException(
        429,
        "too many solves queued: try again later",
        headers={"Retry-After": str(max(1, retry_after_s))},
    )


@router.get("", response_model=SolvePage, responses={401: ERRORS[401], 422: ERRORS[422]})
def list_solves(
    store: StoreDep,
    offset: Annotated[int, Query(ge=0, le=10**9)] = 0,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
) -> SolvePage:
    """Solves, newest first, a page at a time."""
    rows, total = store.list_jobs(offset, limit)
    return SolvePage(items=[SolveOut.of(r) for r in rows], total=total, offset=offset, limit=limit)


@router.get("/{solve_id}", response_model=SolveOut, responses=ERRORS)
def get_solve(solve_id: IdPath, store: StoreDep) -> SolveOut:
    """A solve's status (queued, running, done, failed, cancelled) and latest progress."""
    return SolveOut.of(_job_or_404(store, solve_id))


@router.delete(
    "/{solve_id}",
    response_model=SolveOut,
    responses={**ERRORS, 409: {"model": ErrorBody, "description": "already finished"}},
)
async def stop_solve(
    solve_id: IdPath, store: StoreDep, runner: RunnerDep, settings: SettingsDep
) -> SolveOut:
    """Stop a queued or running solve; it keeps the best plan found so far, if any.

    Waits (a few seconds at most) for the solve to stop and returns its final state.
    """
    row = await run_in_threadpool(_job_or_404, store, solve_id)
    if row.status in FINAL:
        raise HTTPException(409, f"solve '{solve_id}' has already finished ({row.status})")
    if not await run_in_threadpool(runner.cancel, solve_id):
        await run_in_threadpool(
            store.finish, solve_id, JobStatus.CANCELLED, None, "stopped; not running here"
        )
    deadline = time.monotonic() + settings.cancel_grace_s + 3
    while time.monotonic() < deadline:
        row = await run_in_threadpool(_job_or_404, store, solve_id)
        if row.status in FINAL:
            break
        await asyncio.sleep(POLL_S)
    return SolveOut.of(row)


@router.get(
    "/{solve_id}/events",
    response_class=StreamingResponse,
    responses={
        **ERRORS,
        200: {
            "content": {"text/event-stream": {}},
            "description": "'progress' events with the solve (as GET /v1/solves/{id}), "
            "then one 'end' event when it has finished",
        },
    },
)
async def solve_events(solve_id: IdPath, request: Request, store: StoreDep) -> StreamingResponse:
    """Server-sent events: the solve's state at each change, until it finishes."""
    await run_in_threadpool(_job_or_404, store, solve_id)

    async def stream() -> AsyncIterator[str]:
        seen: tuple[int, str] | None = None
        beat = time.monotonic()
        while True:
            row = await run_in_threadpool(store.get_job, solve_id)
            if row is None:
                return
            state = (row.progress_seq, row.status)
            data = SolveOut.of(row).model_dump_json()
            if state != seen:
                seen, beat = state, time.monotonic()
                yield f"id: {row.progress_seq}\nevent: progress\ndata: {data}\n\n"
            if row.status in FINAL:
                yield f"event: end\ndata: {data}\n\n"
                return
            if time.monotonic() - beat > KEEPALIVE_S:
                beat = time.monotonic()
                yield ": keep-alive\n\n"
            if await request.is_disconnected():
                return
            await asyncio.sleep(POLL_S)

    headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    return StreamingResponse(stream(), media_type="text/event-stream", headers=headers)


def _plan_file(store: Store, solve_id: str, fmt: str) -> bytes:
    row = _job_or_404(store, solve_id)
    plan_json = store.plan_of(solve_id)
    if plan_json is None:
        raise HTTPException(409, f"solve '{solve_id}' has no plan yet (status {row.status})")
    scenario_row = store.get_scenario(row.scenario_id)
    if scenario_row is None:
        raise HTTPException(404, f"unknown scenario '{row.scenario_id}'")
    plan = Plan.model_validate_json(plan_json)
    scenario = Scenario.model_validate_json(scenario_row.body)
    return render_plan(plan, scenario, fmt)


PLAN_RESPONSES: dict[int | str, dict[str, Any]] = {
    **ERRORS,
    200: {
        "content": {media: {} for media in PLAN_MEDIA.values()},
        "description": "the plan: JSON (as `planner solve --out plan.json`), CSV or Excel",
    },
    409: {"model": ErrorBody, "description": "no plan yet"},
}


def _plan_response(data: bytes, fmt: str, solve_id: str) -> Response:
    headers = {}
    if fmt != "json":
        headers["Content-Disposition"] = f'attachment; filename="plan-{solve_id}.{fmt}"'
    return Response(data, media_type=PLAN_MEDIA[fmt], headers=headers)


@router.get("/{solve_id}/plan", response_class=Response, responses=PLAN_RESPONSES)
async def get_plan(
    solve_id: IdPath,
    store: StoreDep,
    format: Annotated[Literal["json", "csv", "xlsx"], Query()] = "json",
) -> Response:
    """The solve's plan, as JSON by default (``?format=csv`` or ``xlsx`` for the others)."""
    data = await run_in_threadpool(_plan_file, store, solve_id, format)
    return _plan_response(data, format, solve_id)


@router.get("/{solve_id}/plan.{fmt}", response_class=Response, responses=PLAN_RESPONSES)
async def get_plan_file(
    solve_id: IdPath, fmt: Literal["json", "csv", "xlsx"], store: StoreDep
) -> Response:
    """The solve's plan as ``plan.json``, ``plan.csv`` (roster) or ``plan.xlsx`` (workbook)."""
    data = await run_in_threadpool(_plan_file, store, solve_id, fmt)
    return _plan_response(data, fmt, solve_id)
