"""``GET /v1/templates/scenario.xlsx``: the Excel scenario template."""

from __future__ import annotations

import tempfile
from pathlib import Path

from fastapi import APIRouter, Depends, Request, Response
from fastapi.concurrency import run_in_threadpool

from api.deps import require_token
from api.parsing import PLAN_MEDIA
from planner.io.workbook import write_template

router = APIRouter(
    prefix="/v1/templates", tags=["templates"], dependencies=[Depends(require_token)]
)


def _template_bytes() -> bytes:
    with tempfile.TemporaryDirectory(prefix="planner-api-") as tmp:
        return write_template(Path(tmp) / "scenario.xlsx").read_bytes()


@router.get(
    "/scenario.xlsx",
    response_class=Response,
    responses={200: {"content": {PLAN_MEDIA["xlsx"]: {}}, "description": "the workbook"}},
)
async def scenario_template(request: Request) -> Response:
    """The scenario workbook template (Chinese headers, an example filled in).

    Fill it in and upload it to ``POST /v1/scenarios``; ``planner solve`` reads it too.
    """
    cached = getattr(request.app.state, "template", None)
    if cached is None:
        cached = await run_in_threadpool(_template_bytes)
        request.app.state.template = cached
    return Response(
        cached,
        media_type=PLAN_MEDIA["xlsx"],
        headers={"Content-Disposition": 'attachment; filename="scenario.xlsx"'},
    )
