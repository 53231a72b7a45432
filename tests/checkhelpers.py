"""Tiny hand-made scenarios and assignments for the checker tests.

The base scenario: a 7-day horizon from Monday 2022-04-04; shifts ``day`` (08:00-16:00,
480 min) and ``night`` (20:00-08:00, 720 min, a night shift); community ``c1`` with grids
``g1``, ``g2`` and community ``c2`` with grid ``g3``; checkpoint ``k1`` in ``c1``/``g1``,
low exposure, needing one ``guard`` on each shift every day; two community workers ``p1``
and ``p2`` living in ``g1``. No work rules and every objective weight 0, so each test turns
on only what it is about.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from planner.check import CheckResult
from planner.model import Assignment, Scenario

START = dt.date(2022, 4, 4)  # a Monday


def day(idx: int) -> dt.date:
    """The date of horizon day ``idx``."""
    return START + dt.timedelta(days=idx)


def person(pid: str, **fields: Any) -> dict[str, Any]:
    """A community worker living in grid g1 of community c1, with ``fields`` changed."""
    return {"id": pid, "category": "community_worker", "community": "c1", "grid": "g1", **fields}


def post(pid: str = "k1", **fields: Any) -> dict[str, Any]:
    """Checkpoint in c1/g1 needing one guard on day and night shifts, with ``fields`` changed."""
    data: dict[str, Any] = {
        "id": pid,
        "type": "checkpoint",
        "community": "c1",
        "grid": "g1",
        "shifts": ["day", "night"],
        "demand": [
            {"shift": "day", "roles": [{"role": "guard", "headcount": 1}]},
            {"shift": "night", "roles": [{"role": "guard", "headcount": 1}]},
        ],
    }
    data.update(fields)
    return data


def weights(**fields: int) -> dict[str, int]:
    """Objective weights, all 0 unless given."""
    base = {"shortage": 0, "fatigue": 0, "fairness": 0, "preference": 0, "continuity": 0}
    base.update(fields)
    return base


def scenario(**fields: Any) -> Scenario:
    """The base scenario with top-level ``fields`` replaced.

    ``days`` sets the horizon length and ``start`` its first date (default :data:`START`).
    """
    days = fields.pop("days", 7)
    start = fields.pop("start", START)
    data: dict[str, Any] = {
        "name": "check-test",
        "horizon": {"start": start, "days": days},
        "shifts": [
            {"id": "day", "start": "08:00", "duration_min": 480},
            {"id": "night", "start": "20:00", "duration_min": 720, "night": True},
        ],
        "communities": [
            {"id": "c1", "grids": [{"id": "g1"}, {"id": "g2"}]},
            {"id": "c2", "grids": [{"id": "g3"}]},
        ],
        "posts": [post()],
        "people": [person("p1"), person("p2")],
        "rules": {"defaults": {}},
        "objective": weights(),
    }
    data.update(fields)
    return Scenario.model_validate(data)


def rules(**work_rules: Any) -> dict[str, Any]:
    """Rules whose defaults are exactly ``work_rules`` (values: int or {value, weight})."""
    return {"defaults": work_rules}


def asg(
    person_id: str, day_idx: int, shift: str = "day", post_id: str = "k1", role: str = "guard"
) -> Assignment:
    """``person_id`` works ``role`` at ``post_id`` on ``shift`` of horizon day ``day_idx``."""
    return Assignment(person=person_id, post=post_id, role=role, date=day(day_idx), shift=shift)


def found(result: CheckResult, family: str | None = None) -> list[tuple[str, bool, int]]:
    """(family, hard, amount) of every violation, of one family if given, sorted."""
    return sorted(
        (v.family, v.hard, v.amount)
        for v in result.violations
        if family is None or v.family == family
    )
