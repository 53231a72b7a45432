"""Request and response envelopes of the HTTP API."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from api.store import JobRow, JobStatus, ScenarioRow
from planner.model import Plan, Scenario


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Created(BaseModel):
    """The id of what was created."""

    id: str


class ScenarioSummary(BaseModel):
    """A stored scenario, without its body."""

    id: str
    name: str
    created_at: dt.datetime
    people: int
    posts: int
    days: int

    @classmethod
    def of(cls, row: ScenarioRow) -> ScenarioSummary:
        """The summary of a stored row."""
        return cls(
            id=row.id,
            name=row.name,
            created_at=row.created_at,
            people=row.num_people,
            posts=row.num_posts,
            days=row.num_days,
        )


class ScenarioDetail(ScenarioSummary):
    """A stored scenario with its body."""

    scenario: dict[str, Any] = Field(description="the scenario, as planner.model.Scenario JSON")


class ScenarioPage(BaseModel):
    """One page of scenarios, newest first."""

    items: list[ScenarioSummary]
    total: int
    offset: int
    limit: int


class SolveRequest(_Strict):
    """Start a solve of a stored scenario (``scenario_id``) or of an inline ``scenario``."""

    scenario_id: str | None = Field(default=None, max_length=64)
    scenario: Scenario | None = None
    time_limit_s: float | None = Field(
        default=None, gt=0, description="seconds; the server's default and cap apply"
    )
    seed: int = Field(default=0, ge=0, le=2**31 - 1)


class ProgressOut(BaseModel):
    """The latest progress of a solve."""

    phase: str | None = None
    objective: int | None = Field(default=None, description="best plan's objective so far")
    bound: int | None = Field(default=None, description="best proven lower bound")
    gap: float | None = None
    elapsed_s: float | None = None


class SolveOut(BaseModel):
    """A solve job: its status, progress and where its plan is."""

    id: str
    scenario_id: str
    status: JobStatus
    time_limit_s: float
    seed: int
    created_at: dt.datetime
    started_at: dt.datetime | None = None
    finished_at: dt.datetime | None = None
    progress: ProgressOut
    error: str | None = Field(default=None, description="why it failed or was stopped")
    has_plan: bool
    plan_url: str | None = None

    @classmethod
    def of(cls, row: JobRow) -> SolveOut:
        """The view of a stored job."""
        has_plan = bool(row.has_plan)
        return cls(
            id=row.id,
            scenario_id=row.scenario_id,
            status=JobStatus(row.status),
            time_limit_s=row.time_limit_s,
            seed=row.seed,
            created_at=row.created_at,
            started_at=row.started_at,
            finished_at=row.finished_at,
            progress=ProgressOut(
                phase=row.phase,
                objective=row.objective,
                bound=row.bound,
                gap=row.gap,
                elapsed_s=row.elapsed_s,
            ),
            error=row.error,
            has_plan=has_plan,
            plan_url=f"/v1/solves/{row.id}/plan" if has_plan else None,
        )


class SolvePage(BaseModel):
    """One page of solves, newest first."""

    items: list[SolveOut]
    total: int
    offset: int
    limit: int


class CheckRequest(_Strict):
    """A scenario (stored or inline) and a plan (inline or a solve's) to check."""

    scenario_id: str | None = Field(default=None, max_length=64)
    scenario: Scenario | None = None
    plan: Plan | None = None
    solve_id: str | None = Field(default=None, max_length=64)


class ViolationOut(BaseModel):
    """One broken rule."""

    family: str
    hard: bool
    message: str
    person: str | None = None
    post: str | None = None
    date: dt.date | None = None
    amount: int
    term: str | None = None
    cost: int


class CheckOut(BaseModel):
    """The checker's verdict."""

    feasible: bool
    objective: int
    terms: dict[str, int]
    violations: list[ViolationOut]
    summary: str


class Health(BaseModel):
    """Liveness and load."""

    status: str
    version: str
    queued_or_running: int
    capacity: int
