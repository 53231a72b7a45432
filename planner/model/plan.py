"""The plan: a roster, its holes, the cost to people, and how good it provably is."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import Field

from planner.model.base import Frozen


class Assignment(Frozen):
    """``person`` works ``role`` at ``post`` on the shift ``shift`` starting on ``date``."""

    person: str
    post: str
    role: str
    date: dt.date
    shift: str


class Shortage(Frozen):
    """Demand left unmet: ``missing`` people for a post, role, date and shift."""

    post: str
    role: str
    date: dt.date
    shift: str
    missing: int = Field(ge=1)
    priority: int = Field(ge=1)


class Workload(Frozen):
    """What the plan asks of one person."""

    person: str
    category: str
    shifts: int
    minutes: int
    nights: int
    days_off: int = Field(description="available days of the horizon with no shift")
    longest_run: int = Field(description="most consecutive days worked")


class Kpis(Frozen):
    """Headline numbers. Coverage counts person-shifts; weighted coverage weights by priority."""

    demand: int
    covered: int
    coverage_pct: float
    weighted_coverage_pct: float
    shortage_by_post_type: dict[str, int] = Field(default_factory=dict)
    shortage_by_community: dict[str, int] = Field(default_factory=dict)
    shortage_by_day: dict[str, int] = Field(default_factory=dict)
    shortage_by_shift: dict[str, int] = Field(default_factory=dict)
    most_uncovered_posts: list[tuple[str, int]] = Field(
        default_factory=list, description="(post id, missing person-shifts), worst first"
    )


class Status(StrEnum):
    """How the solve ended."""

    OPTIMAL = "optimal"
    FEASIBLE = "feasible"
    INFEASIBLE = "infeasible"
    UNKNOWN = "unknown"


class Stats(Frozen):
    """How the plan was found and how far from the best possible it may be.

    ``gap`` is ``(objective - bound) / max(1, |objective|)``; ``bound`` is a proven lower
    bound on the objective of any plan.
    """

    status: Status
    objective: int | None = None
    bound: int | None = None
    gap: float | None = None
    wall_time_s: float = 0.0
    first_plan_s: float | None = None
    solver: str = ""
    objective_terms: dict[str, int] = Field(default_factory=dict)
    conflicts: list[str] = Field(
        default_factory=list, description="for an infeasible scenario: the rules that conflict"
    )


class HorizonRef(Frozen):
    """The horizon a plan covers."""

    start: dt.date
    days: int


class Plan(Frozen):
    """A solution to a scenario, as written to ``plan.json``."""

    scenario: str
    horizon: HorizonRef
    assignments: list[Assignment] = Field(default_factory=list)
    shortages: list[Shortage] = Field(default_factory=list)
    workload: list[Workload] = Field(default_factory=list)
    kpis: Kpis | None = None
    stats: Stats
