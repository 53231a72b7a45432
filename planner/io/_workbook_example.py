"""The example scenario the workbook template is filled with."""

from __future__ import annotations

import datetime as dt
from typing import Any

from planner.model import Scenario


def example_scenario() -> Scenario:
    """The small example scenario the template is filled with (3 days, 10 people)."""
    d0, d1 = dt.date(2022, 4, 1), dt.date(2022, 4, 2)
    ok_at_gate = ["community_worker", "committee_member", "street_cadre", "police"]
    person: list[tuple[str, str, str | None, dict[str, Any]]] = [
        ("p01", "street_cadre", None, {}),
        ("p02", "community_worker", "g1", {"requests": [{"date": d1, "kind": "off"}]}),
        ("p03", "community_worker", "g2", {}),
        ("p04", "committee_member", "g1", {}),
        ("p05", "medical", None, {"skills": ["swab"]}),
        ("p06", "volunteer", "g1", {"age": 65}),
        ("p07", "volunteer", "g2", {"preferred_shifts": ["day"]}),
        ("p08", "group_leader", "g2", {}),
        ("p09", "seconded_cadre", None, {"available_until": d1}),
        ("p10", "assistant", "g1", {}),
    ]
    people = [
        {"id": pid, "name": f"示例人员{pid[1:]}", "category": cat, "community": "c1", "grid": grid}
        | extra
        for pid, cat, grid, extra in person
    ]
    shift_rule = {"max_shifts_per_template": {"night": {"value": 0, "weight": 50}}}
    return Scenario.model_validate(
        {
            "name": "示例街道 (example street office)",
            "description": "模板示例：一个社区、三天、十人 (template example)",
            "horizon": {"start": d0, "days": 3},
            "shifts": [
                {"id": "day", "name_zh": "白班", "name_en": "day", "start": "08:00",
                 "duration_min": 720},
                {"id": "night", "name_zh": "夜班", "name_en": "night", "start": "20:00",
                 "duration_min": 720, "night": True},
            ],
            "communities": [
                {"id": "c1", "name": "示例社区", "grids": [
                    {"id": "g1", "name": "一网格", "households": 420, "residents": 1180},
                    {"id": "g2", "name": "二网格", "households": 380, "residents": 1050},
                ]}
            ],
            "posts": [
                {"id": "gate1", "name": "东门卡口", "type": "checkpoint", "community": "c1",
                 "grid": "g1", "exposure": "medium", "priority": 3, "shifts": ["day", "night"],
                 "demand": [
                     {"shift": t, "roles": [{"role": "guard", "name_zh": "值守", "headcount": 2}],
                      "at_least": [{"count": 1, "categories": ok_at_gate}]}
                     for t in ("day", "night")
                 ]},
                {"id": "swab1", "name": "核酸采样点", "type": "sampling_station",
                 "community": "c1", "exposure": "high", "priority": 2, "shifts": ["day"],
                 "days": [d0, d1],
                 "demand": [{"shift": "day", "roles": [
                     {"role": "swab", "name_zh": "采样", "headcount": 1,
                      "categories": ["medical"], "skills": ["swab"]},
                     {"role": "order", "name_zh": "秩序维护", "headcount": 1},
                 ]}]},
                {"id": "duty_g2", "name": "二网格值守", "type": "grid_duty", "community": "c1",
                 "grid": "g2", "priority": 1, "shifts": ["day"],
                 "demand": [{"shift": "day", "roles": [
                     {"role": "patrol", "name_zh": "巡查", "headcount": 1,
                      "categories": ["group_leader", "volunteer"]}]}]},
            ],
            "people": people,
            "rules": {
                "defaults": {"max_shifts_per_day": 1, "min_rest_minutes": 720,
                             "max_consecutive_days": 6},
                "categories": {"volunteer": shift_rule},
                "locality": {"volunteer": "grid", "group_leader": "grid"},
                "forbidden_successions": [{"first": "night", "then": "day", "weight": 10}],
            },
            "fixed": [{"person": "p01", "post": "gate1", "role": "guard", "date": d0,
                       "shift": "day"}],
            "forbidden": [{"person": "p05", "post": "gate1"}],
        }
    )  # fmt: skip
