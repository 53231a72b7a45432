"""A tiny hand-made scenario and roster shared by the io, report and cli tests.

Horizon: 2 days from Tuesday 2022-03-01. Shifts ``day`` (08:00, 480 min) and ``night``
(20:00, 720 min, a night shift). Community ``c1`` (一社区) with grid ``g1``.

- ``k1`` 东门卡口, a checkpoint in grid g1 (so community c1 through its grid), priority 3:
  one ``guard`` x2 on ``day`` and one ``guard`` x1 on ``night``, both days.
- ``s1`` 采样点, a sampling station of no community, priority 1, running only on day 2:
  ``swab`` x1 and ``reg`` x1 on ``day``.
- People: ``p1`` 张三 (volunteer), ``p2`` 李四 (community worker), ``p3`` 王五 (medical,
  unavailable on day 1), ``p4`` 赵六 (volunteer, with a contact number).
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from planner.model import Assignment, Scenario

D1, D2 = dt.date(2022, 3, 1), dt.date(2022, 3, 2)

#: The contact number of p4: it must never appear in a message.
SECRET = "13912345678"

BASE: dict[str, Any] = {
    "name": "tiny",
    "horizon": {"start": "2022-03-01", "days": 2},
    "shifts": [
        {"id": "day", "name_zh": "白班", "start": "08:00", "duration_min": 480},
        {"id": "night", "name_zh": "夜班", "start": "20:00", "duration_min": 720, "night": True},
    ],
    "communities": [{"id": "c1", "name": "一社区", "grids": [{"id": "g1"}]}],
    "posts": [
        {
            "id": "k1",
            "name": "东门卡口",
            "type": "checkpoint",
            "grid": "g1",
            "priority": 3,
            "shifts": ["day", "night"],
            "demand": [
                {"shift": "day", "roles": [{"role": "guard", "headcount": 2}]},
                {"shift": "night", "roles": [{"role": "guard", "headcount": 1}]},
            ],
        },
        {
            "id": "s1",
            "name": "采样点",
            "type": "sampling_station",
            "shifts": ["day"],
            "days": ["2022-03-02"],
            "demand": [
                {
                    "shift": "day",
                    "roles": [
                        {"role": "swab", "headcount": 1, "categories": ["medical"]},
                        {"role": "reg", "headcount": 1},
                    ],
                }
            ],
        },
    ],
    "people": [
        {"id": "p1", "name": "张三", "category": "volunteer"},
        {"id": "p2", "name": "李四", "category": "community_worker", "community": "c1"},
        {"id": "p3", "name": "王五", "category": "medical", "unavailable": ["2022-03-01"]},
        {"id": "p4", "name": "赵六", "category": "volunteer", "contact": SECRET},
    ],
}


def scenario_data() -> dict[str, Any]:
    """A fresh deep copy of the base scenario's data, safe to mutate."""
    return copy.deepcopy(BASE)


def scenario() -> Scenario:
    """The base scenario, validated."""
    return Scenario.model_validate(BASE)


def asg(person: str, post: str, role: str, date: dt.date, shift: str) -> Assignment:
    """One assignment."""
    return Assignment(person=person, post=post, role=role, date=date, shift=shift)


def roster() -> list[Assignment]:
    """A roster with holes and one extra guard, deliberately out of order.

    Day 1: k1 day guards p1, p2 and p4 (one more than the 2 needed); k1 night nobody.
    Day 2: k1 day guard p1 only; k1 night guard p2; s1 swab p3; s1 reg nobody.
    """
    return [
        asg("p3", "s1", "swab", D2, "day"),
        asg("p2", "k1", "guard", D2, "night"),
        asg("p4", "k1", "guard", D1, "day"),
        asg("p1", "k1", "guard", D2, "day"),
        asg("p2", "k1", "guard", D1, "day"),
        asg("p1", "k1", "guard", D1, "day"),
    ]
