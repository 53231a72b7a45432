"""``GET /v1/healthz``: liveness and load; the one route without a token."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import RunnerDep
from api.schemas import Health
from planner import __version__

router = APIRouter(prefix="/v1", tags=["health"])


@router.get("/healthz", response_model=Health)
def healthz(runner: RunnerDep) -> Health:
    """The service is up; how many solves are queued or running, out of how many allowed."""
    return Health(
        status="ok", version=__version__, queued_or_running=runner.load(), capacity=runner.capacity
    )
