"""Generate ``scenario.yaml``: one community in lockdown for a week, 300 people.

Deterministic (a fixed seed, no clock): running it again writes the same file. Run from the
repository root or anywhere::

    python scenarios/medium/make.py

See ``README.md`` beside this file for what the scenario shows.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import Any

from planner.io import dump_scenario
from planner.model import Scenario

SEED = 20220411
START = dt.date(2022, 4, 11)  # a Monday
DAYS = 7
OUT = Path(__file__).with_name("scenario.yaml")

#: Categories that may stand at a checkpoint without a volunteer alone (卡口不能只有志愿者).
STAFF = [
    "street_cadre",
    "community_worker",
    "assistant",
    "committee_member",
    "seconded_cadre",
    "police",
]
#: (category, id prefix, how many, youngest, oldest, share with skill "scan")
PEOPLE = [
    ("street_cadre", "sc", 24, 26, 56, 0.5),
    ("community_worker", "cw", 10, 25, 50, 0.8),
    ("committee_member", "cm", 7, 30, 62, 0.6),
    ("assistant", "as", 24, 22, 58, 0.3),
    ("group_leader", "gl", 30, 40, 74, 0.2),
    ("seconded_cadre", "sd", 40, 25, 55, 0.4),
    ("volunteer", "v", 145, 18, 76, 0.2),
    ("medical", "md", 14, 24, 63, 0.0),
    ("police", "pl", 6, 26, 50, 0.0),
]
#: pinned people (see FIXED): fit for their duty and available on it
PINNED_AGE = {"cm001": 48, "pl001": 35, "md001": 41}
GRIDS = [("g1", 420), ("g2", 610), ("g3", 380), ("g4", 540), ("g5", 470), ("g6", 580)]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志文斌"


def day(i: int) -> str:
    """ISO date of day ``i`` of the horizon."""
    return (START + dt.timedelta(days=i)).isoformat()


def shifts() -> list[dict[str, Any]]:
    """Checkpoints in three 8-hour shifts, the station in two, grid duty day and evening."""
    return [
        {"id": "cp_early", "name_zh": "卡口早班", "name_en": "checkpoint early",
         "start": "06:00", "duration_min": 480},
        {"id": "cp_late", "name_zh": "卡口中班", "name_en": "checkpoint late",
         "start": "14:00", "duration_min": 480},
        {"id": "cp_night", "name_zh": "卡口夜班", "name_en": "checkpoint night",
         "start": "22:00", "duration_min": 480, "night": True},
        {"id": "ss_am", "name_zh": "采样上午", "name_en": "sampling morning",
         "start": "07:00", "duration_min": 300},
        {"id": "ss_pm", "name_zh": "采样下午", "name_en": "sampling afternoon",
         "start": "13:00", "duration_min": 300},
        {"id": "grid_day", "name_zh": "网格白班", "name_en": "grid day",
         "start": "08:00", "duration_min": 480},
        {"id": "grid_eve", "name_zh": "网格晚班", "name_en": "grid evening",
         "start": "17:00", "duration_min": 300},
    ]  # fmt: skip


def posts() -> list[dict[str, Any]]:
    """Eight checkpoints, one sampling station, one grid duty per grid."""
    out: list[dict[str, Any]] = []
    cp_grids = ["g1", "g2", "g2", "g3", "g4", "g4", "g5", "g6"]
    for i, grid in enumerate(cp_grids, start=1):
        main = i in (2, 5)  # the two main gates: more traffic, higher exposure
        demand = []
        for sid in ("cp_early", "cp_late", "cp_night"):
            size = 3 if main and sid != "cp_night" else 2
            demand.append(
                {
                    "shift": sid,
                    "roles": [{"role": "guard", "name_zh": "值守", "headcount": size}],
                    "at_least": [{"count": 1, "categories": STAFF}],
                }
            )
        out.append(
            {
                "id": f"cp{i}",
                "name": f"{'主' if main else ''}卡口{i}号",
                "type": "checkpoint",
                "community": "c1",
                "grid": grid,
                "exposure": "high" if main else "medium",
                "priority": 6 if main else 5,
                "shifts": ["cp_early", "cp_late", "cp_night"],
                "demand": demand,
            }
        )
    mass = [day(0), day(3), day(6)]  # mass screening days: more swabbing
    normal = [day(d) for d in range(DAYS) if day(d) not in mass]
    station_demand = []
    for sid in ("ss_am", "ss_pm"):
        for days, swab, register, order in ((mass, 6, 3, 3), (normal, 4, 2, 2)):
            station_demand.append(
                {
                    "shift": sid,
                    "days": days,
                    "roles": [
                        {"role": "swab", "name_zh": "采样", "headcount": swab,
                         "categories": ["medical"], "skills": ["swab"]},
                        {"role": "register", "name_zh": "扫码登记", "headcount": register,
                         "skills": ["scan"]},
                        {"role": "order", "name_zh": "秩序维护", "headcount": order},
                        {"role": "disinfect", "name_zh": "消杀", "headcount": 1,
                         "skills": ["disinfection"]},
                    ],
                    "at_least": [
                        {"count": 1, "categories": ["community_worker", "committee_member"],
                         "weight": 200_000}
                    ],
                }
            )  # fmt: skip
    out.append(
        {
            "id": "ss1",
            "name": "社区广场核酸采样点",
            "type": "sampling_station",
            "community": "c1",
            "exposure": "high",
            "priority": 8,
            "shifts": ["ss_am", "ss_pm"],
            "demand": station_demand,
        }
    )
    for i, (grid, households) in enumerate(GRIDS, start=1):
        leaders = ["community_worker", "committee_member", "group_leader"]
        demand = [
            {
                "shift": sid,
                "roles": [{"role": "duty", "name_zh": "网格值守", "headcount": size}],
                "at_least": [{"count": 1, "categories": leaders, "weight": 300_000}],
            }
            for sid, size in (("grid_day", households // 18), ("grid_eve", households // 60))
        ]
        out.append(
            {
                "id": f"gd{i}",
                "name": f"第{i}网格值守",
                "type": "grid_duty",
                "community": "c1",
                "grid": grid,
                "exposure": "low",
                "priority": 2,
                "shifts": ["grid_day", "grid_eve"],
                "demand": demand,
            }
        )
    return out


def people(rng: random.Random) -> list[dict[str, Any]]:
    """300 people of nine categories; names are made up."""
    out: list[dict[str, Any]] = []
    for category, prefix, count, young, old, scan in PEOPLE:
        for k in range(1, count + 1):
            pid = f"{prefix}{k:03d}"
            grid = rng.choice(GRIDS)[0]
            person: dict[str, Any] = {
                "id": pid,
                "name": rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice((1, 2)))),
                "category": category,
                "community": "c1",
                "grid": grid,
                "age": rng.randint(young, old),
                "sex": rng.choice(("male", "female")),
                "skills": [],
            }
            if rng.random() < scan:
                person["skills"].append("scan")
            if category == "medical" and k <= 12:
                person["skills"].append("swab")
            if category in ("assistant", "medical", "volunteer") and rng.random() < 0.12:
                person["skills"].append("disinfection")
            if category == "volunteer":
                if rng.random() < 0.6:
                    person["avoided_shifts"] = ["cp_night"]
                if rng.random() < 0.3:
                    person["preferred_shifts"] = ["grid_day", "ss_am"]
                person["vulnerable"] = rng.random() < 0.04
            if category == "seconded_cadre":
                if k <= 20:  # their offices reopen mid-week: they leave
                    person["available_until"] = day(3 if k <= 10 else 4)
                elif k > 34:  # a later batch arrives on day 1
                    person["available_from"] = day(1)
            if rng.random() < 0.08:
                person["unavailable"] = [day(rng.randrange(DAYS))]
            if rng.random() < 0.06:
                d = rng.randrange(DAYS)
                person["requests"] = [{"date": day(d), "kind": "off", "weight": 2000}]
            elif category in ("community_worker", "street_cadre") and rng.random() < 0.2:
                d = rng.randrange(DAYS)
                on = {"date": day(d), "shift": "cp_early", "kind": "on", "weight": 800}
                person["requests"] = [on]
            out.append(person)
    by_id = {p["id"]: p for p in out}
    for pid, age in PINNED_AGE.items():
        by_id[pid]["age"] = age
        by_id[pid].pop("unavailable", None)
        by_id[pid].pop("requests", None)
    # personal limits: two people with health limits, one cadre exempt from nights
    by_id["sc001"]["limits"] = {"max_nights_per_7_days": 0}
    by_id["v010"]["limits"] = {"max_minutes_per_7_days": 960}
    by_id["gl003"]["limits"] = {"max_consecutive_days": 2}
    return out


def rules() -> dict[str, Any]:
    """Working-time rules per category; a few soft limits."""
    return {
        "defaults": {
            "max_shifts_per_day": 1,
            "min_rest_minutes": 660,
            "max_minutes_per_7_days": 2880,
            "max_consecutive_days": 6,
            "max_nights_per_7_days": 3,
            "max_shifts_per_template": {"cp_night": 3},
        },
        "categories": {
            # cadres may work overtime beyond 40 h, at a price per minute
            "street_cadre": {"max_minutes_per_7_days": {"value": 2400, "weight": 50}},
            "volunteer": {
                "max_minutes_per_7_days": 1920,
                "max_consecutive_days": 3,
                "max_nights_per_7_days": 1,
                "max_shifts_per_template": {"cp_night": 1},
            },
            "group_leader": {"max_consecutive_days": {"value": 4, "weight": 30_000}},
            "medical": {"max_consecutive_days": 5, "min_consecutive_days_off": 2},
            "community_worker": {"min_consecutive_days_off": {"value": 2, "weight": 20_000}},
            "seconded_cadre": {"min_minutes_per_horizon": {"value": 1440, "weight": 100}},
        },
        "locality": {
            "volunteer": "grid",
            "group_leader": "grid",
            "community_worker": "community",
            "committee_member": "community",
            "assistant": "community",
        },
        "exposure": {"vulnerable_age": 60, "vulnerable_max_exposure": "medium"},
    }


def pin(person: str, post: str, role: str, d: int, shift: str) -> dict[str, str]:
    """A fixed assignment on day ``d``."""
    return {"person": person, "post": post, "role": role, "date": day(d), "shift": shift}


def build() -> Scenario:
    """The scenario, validated."""
    rng = random.Random(SEED)
    crowd = people(rng)
    data = {
        "name": "medium-xiangyang-week",
        "description": "向阳社区封控一周：8个卡口（三班倒含夜班）、1个核酸采样点、6个网格值守，"
        "300人，需求大于人手",
        "horizon": {"start": START.isoformat(), "days": DAYS},
        "shifts": shifts(),
        "communities": [
            {
                "id": "c1",
                "name": "向阳社区",
                "grids": [
                    {"id": g, "name": f"第{i}网格", "households": h, "residents": h * 3}
                    for i, (g, h) in enumerate(GRIDS, start=1)
                ],
            }
        ],
        "posts": posts(),
        "people": crowd,
        "rules": rules(),
        "fixed": [
            # the community secretary opens the main gate on the first two mornings
            pin("cm001", "cp2", "guard", 0, "cp_early"),
            pin("cm001", "cp2", "guard", 1, "cp_early"),
            pin("pl001", "cp5", "guard", 0, "cp_night"),
            pin("md001", "ss1", "swab", 0, "ss_am"),
        ],
        "forbidden": [
            {"person": "v001", "post": "cp1"},  # lives by the gate, asked not to
            {"person": "sc002", "shift": "cp_night"},  # health: no night duty
            {"person": "sd021", "date": day(2)},  # called back to the office for a day
        ],
    }
    return Scenario.model_validate(data)


def main() -> None:
    """Write ``scenario.yaml`` beside this script."""
    dump_scenario(build(), OUT)
    body = OUT.read_text(encoding="utf-8")
    header = "# Generated by scenarios/medium/make.py; edit the script, not this file.\n"
    OUT.write_text(header + body, encoding="utf-8")


if __name__ == "__main__":
    main()
