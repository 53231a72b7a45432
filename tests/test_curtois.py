"""The Curtois & Qu benchmark reader, the objective it implies, and small solves.

The 24 instance files are read from ``../shared/benchmarks/curtois/`` beside the repository
(or from ``$PLANNER_CURTOIS_DIR``); tests that need them skip, saying so, when absent.
"""

from __future__ import annotations

import datetime as dt
import os
import random
from collections import defaultdict
from pathlib import Path

import pytest

from planner.io.curtois import (
    HORIZON_START,
    is_curtois_file,
    parse_curtois,
    parse_instance,
    read_curtois,
)
from planner.model import Assignment, RequestKind, Scenario

REPO = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("PLANNER_CURTOIS_DIR", REPO.parent / "shared/benchmarks/curtois"))

# Table 1 of Curtois & Qu (2014): days, staff, shift types. The days-off entries, request
# and cover row counts agree with the table in github ORProjects/NRP Instances/README.md
# (see the data README); they are (days off, on requests, off requests, cover rows).
TABLE_1 = {
    1: (14, 8, 1, 8, 21, 5, 14),
    2: (14, 14, 2, 14, 50, 12, 28),
    3: (14, 20, 3, 20, 39, 25, 42),
    4: (28, 10, 2, 20, 52, 19, 56),
    5: (28, 16, 2, 32, 79, 27, 56),
    6: (28, 18, 3, 36, 87, 48, 84),
    7: (28, 20, 3, 40, 104, 64, 84),
    8: (28, 30, 4, 60, 139, 86, 112),
    9: (28, 36, 4, 72, 144, 88, 112),
    10: (28, 40, 5, 80, 210, 74, 140),
    11: (28, 50, 6, 100, 197, 139, 168),
    12: (28, 60, 10, 120, 294, 128, 280),
    13: (28, 120, 18, 240, 589, 252, 504),
    14: (42, 32, 4, 128, 266, 93, 168),
    15: (42, 45, 6, 180, 350, 140, 252),
    16: (56, 20, 3, 120, 177, 103, 168),
    17: (56, 32, 4, 160, 351, 129, 224),
    18: (84, 22, 3, 176, 322, 92, 252),
    19: (84, 40, 5, 320, 587, 247, 420),
    20: (182, 50, 6, 900, 1665, 653, 1092),
    21: (182, 100, 8, 1800, 3210, 1492, 1456),
    22: (364, 50, 10, 1800, 3253, 1385, 3640),
    23: (364, 100, 16, 3600, 6549, 2861, 5824),
    24: (364, 150, 32, 5400, 9540, 4269, 11648),
}


def instance_path(number: int) -> Path:
    """The file of Instance ``number``, or skip the test when the data is absent."""
    path = DATA / f"Instance{number}.txt"
    if not path.is_file():
        pytest.skip(f"Curtois & Qu data absent: {path} not found (set PLANNER_CURTOIS_DIR)")
    return path


def raw_sections(path: Path) -> dict[str, list[list[str]]]:
    """Split a file into sections of comma-separated rows, independently of the reader."""
    sections: dict[str, list[list[str]]] = defaultdict(list)
    current = ""
    for line in path.read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("SECTION_"):
            current = line.strip()
        else:
            sections[current].append(line.strip().split(","))
    return sections


def curtois_objective(path: Path, roster: dict[tuple[str, int], str]) -> int:
    """The objective of the data README, straight from the raw file.

    ``roster`` maps (staff id, day) to the shift worked; absent means a day off.
    """
    raw = raw_sections(path)
    total = 0
    for staff, day, shift, weight in raw["SECTION_SHIFT_ON_REQUESTS"]:
        total += int(weight) * (roster.get((staff, int(day))) != shift)
    for staff, day, shift, weight in raw["SECTION_SHIFT_OFF_REQUESTS"]:
        total += int(weight) * (roster.get((staff, int(day))) == shift)
    for day, shift, need, under, over in raw["SECTION_COVER"]:
        got = sum(1 for (_, d), s in roster.items() if d == int(day) and s == shift)
        total += int(under) * max(0, int(need) - got) + int(over) * max(0, got - int(need))
    return total


def assignments(scenario: Scenario, roster: dict[tuple[str, int], str]) -> list[Assignment]:
    """The roster as assignments to the scenario's single post and role."""
    (post,) = scenario.posts
    return [
        Assignment(
            person=staff,
            post=post.id,
            role="nurse",
            date=HORIZON_START + dt.timedelta(days=day),
            shift=shift,
        )
        for (staff, day), shift in sorted(roster.items())
    ]


# ---------------------------------------------------------------------- a tiny inline file
TINY = """\
# two weeks, two shifts, two staff
SECTION_HORIZON
14

SECTION_SHIFTS
E,480,
L,600,E

SECTION_STAFF
A,E=14|L=0,4320,3360,5,2,2,1
B,E=3|L=14,2400,0,6,1,3,2

SECTION_DAYS_OFF
A,0,13
B

SECTION_SHIFT_ON_REQUESTS
A,2,E,2

SECTION_SHIFT_OFF_REQUESTS
B,5,L,3

SECTION_COVER
""" + "".join(f"{d},E,{1 if d < 7 else 0},100,1\n{d},L,1,100,1\n" for d in range(14))


def test_tiny_file_maps_every_rule() -> None:
    """Each column of the format lands in the general model field meant for it."""
    scenario = parse_curtois(TINY, "tiny")
    assert scenario.horizon.start.weekday() == 0  # day 0 is a Monday
    assert scenario.horizon.days == 14
    assert [(s.id, s.duration_min, s.night) for s in scenario.shifts] == [
        ("E", 480, False),
        ("L", 600, False),
    ]
    assert [(s.first, s.then, s.weight) for s in scenario.rules.forbidden_successions] == [
        ("L", "E", None)
    ]
    a, b = scenario.people
    assert a.category == "nurse" and "nurse" in scenario.custom_categories
    assert a.unavailable == [HORIZON_START, HORIZON_START + dt.timedelta(days=13)]
    assert b.unavailable == []
    rules_a, rules_b = scenario.rules_for(a), scenario.rules_for(b)
    assert rules_a.max_shifts_per_day is not None and rules_a.max_shifts_per_day.value == 1
    assert {k: v.value for k, v in rules_a.max_shifts_per_template.items()} == {"E": 14, "L": 0}
    assert rules_a.max_minutes_per_horizon is not None
    assert rules_a.max_minutes_per_horizon.value == 4320
    assert rules_a.min_minutes_per_horizon is not None
    assert rules_a.min_minutes_per_horizon.value == 3360
    assert rules_a.max_consecutive_days is not None and rules_a.max_consecutive_days.value == 5
    assert rules_a.min_consecutive_days is not None and rules_a.min_consecutive_days.value == 2
    assert rules_a.min_consecutive_days_off is not None
    assert rules_a.min_consecutive_days_off.value == 2
    assert rules_a.max_weekends is not None and rules_a.max_weekends.value == 1
    # B's minimum of 0 minutes and of 1 consecutive day bind nobody and are left out.
    assert rules_b.min_minutes_per_horizon is None and rules_b.min_consecutive_days is None
    assert rules_b.min_consecutive_days_off is not None
    assert rules_b.min_consecutive_days_off.value == 3
    every_rule = [rules_a.max_weekends, rules_a.min_consecutive_days, rules_b.max_weekends]
    assert all(limit is not None and limit.hard for limit in every_rule)
    (on,) = a.requests
    assert (on.kind, on.shift, on.weight, on.date.day) == (RequestKind.ON, "E", 2, 3)
    (off,) = b.requests
    assert (off.kind, off.shift, off.weight, off.date.day) == (RequestKind.OFF, "L", 3, 6)
    weights = scenario.objective
    assert (weights.shortage, weights.fatigue, weights.fairness) == (1, 0, 0)
    assert (weights.preference, weights.continuity) == (0, 0)


def test_tiny_file_cover() -> None:
    """One post of priority 100; requirement and over weight per (day, shift), 0 rows kept."""
    scenario = parse_curtois(TINY, "tiny")
    (post,) = scenario.posts
    assert post.priority == 100 and post.shifts == ["E", "L"]
    for day, date in enumerate(scenario.horizon.dates()):
        for shift, need in (("E", 1 if day < 7 else 0), ("L", 1)):
            entry = post.demand_on(date, shift)
            assert entry is not None
            (role,) = entry.roles
            assert (role.headcount, role.overstaff_weight, role.categories) == (need, 1, [])


@pytest.mark.parametrize(
    ("old", "new", "fragment"),
    [
        ("A,2,E,2", "Z,2,E,2", "unknown staff id 'Z'"),  # request for nobody
        ("A,2,E,2", "A,14,E,2", "day 14 is outside"),  # day past the 14-day horizon
        ("A,2,E,2", "A,2,N,2", "unknown shift 'N'"),  # request for an undefined shift
        ("L,600,E", "L,600,N", "unknown shift 'N'"),  # forbidden successor undefined
        ("4320,3360,5", "4320,lots,5", "MinTotalMinutes must be a whole number"),
        ("0,E,1,100,1\n", "", "0 rows for day 0, shift 'E'"),  # a cover row missing
    ],
)
def test_bad_files_are_rejected(old: str, new: str, fragment: str) -> None:
    """A malformed or inconsistent file raises ValueError naming what is wrong."""
    with pytest.raises(ValueError, match=fragment):
        parse_instance(TINY.replace(old, new, 1))


# ---------------------------------------------------------------------- the 24 files
@pytest.mark.parametrize("number", sorted(TABLE_1))
def test_reader_counts(number: int) -> None:
    """Each file's sizes match Table 1 and an independent count of its lines."""
    path = instance_path(number)
    days, staff, types, days_off, on, off, cover = TABLE_1[number]
    raw = raw_sections(path)
    assert int(raw["SECTION_HORIZON"][0][0]) == days
    assert len(raw["SECTION_STAFF"]) == staff
    assert len(raw["SECTION_SHIFTS"]) == types
    assert sum(len([d for d in row[1:] if d]) for row in raw["SECTION_DAYS_OFF"]) == days_off
    assert len(raw["SECTION_SHIFT_ON_REQUESTS"]) == on
    assert len(raw["SECTION_SHIFT_OFF_REQUESTS"]) == off
    assert len(raw["SECTION_COVER"]) == cover == days * types

    scenario = read_curtois(path)
    assert scenario.name == f"Instance{number}"
    assert scenario.horizon.days == days
    assert len(scenario.people) == staff
    assert len(scenario.shifts) == types
    assert sum(len(p.unavailable) for p in scenario.people) == days_off
    kinds = [r.kind for p in scenario.people for r in p.requests]
    assert kinds.count(RequestKind.ON) == on and kinds.count(RequestKind.OFF) == off
    (post,) = scenario.posts
    rows = [post.demand_on(d, s.id) for d in scenario.horizon.dates() for s in scenario.shifts]
    assert all(entry is not None for entry in rows) and len(rows) == cover
    assert is_curtois_file(path)


@pytest.mark.parametrize("number", [1, 3, 12])
def test_objective_matches_direct_formula(number: int) -> None:
    """The checker's objective equals the README's formula computed from the raw file.

    Two rosters: everybody off (objective = on-request weights + 100 * total requirement)
    and a seeded random roster with at most one shift per person and day. Every rule of
    these instances is hard, so breaking them adds nothing to the objective: only cover and
    requests are priced.
    """
    check = pytest.importorskip("planner.check").check
    path = instance_path(number)
    scenario = read_curtois(path)
    rng = random.Random(number)
    shift_ids = [s.id for s in scenario.shifts]
    rosters: list[dict[tuple[str, int], str]] = [{}]
    rosters.append(
        {
            (p.id, day): rng.choice(shift_ids)
            for p in scenario.people
            for day in range(scenario.horizon.days)
            if rng.random() < 0.6
        }
    )
    for roster in rosters:
        expected = curtois_objective(path, roster)
        assert check(scenario, assignments(scenario, roster)).objective == expected


# ---------------------------------------------------------------------- loading and convert
def test_load_scenario_detects_the_format(tmp_path: Path) -> None:
    """``load_scenario`` hands a ``.txt`` file with SECTION_HORIZON to the Curtois reader."""
    from planner.io import load_scenario

    path = tmp_path / "tiny.txt"
    path.write_text(TINY)
    assert load_scenario(path) == parse_curtois(TINY, "tiny")


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_convert_round_trip(tmp_path: Path, suffix: str) -> None:
    """``convert`` writes a scenario document that reads back into the same scenario."""
    from planner.convert import convert
    from planner.io import load_scenario

    source = tmp_path / "tiny.txt"
    source.write_text(TINY)
    target = tmp_path / f"tiny{suffix}"
    scenario = convert(source, target)
    assert load_scenario(target) == scenario == parse_curtois(TINY, "tiny")


def test_convert_rejects_other_outputs(tmp_path: Path) -> None:
    """An output that is not YAML or JSON is refused before anything is read."""
    from planner.convert import convert

    with pytest.raises(ValueError, match="suffix must be one of"):
        convert(tmp_path / "missing.txt", tmp_path / "out.xlsx")


# ---------------------------------------------------------------------- solving
# Each proves optimality within a few seconds on two cores (about 2, 4 and 6 s); the limit
# only caps a slow, shared machine.
@pytest.mark.parametrize(("number", "optimum"), [(1, 607), (2, 828), (3, 1001)])
def test_solver_reaches_published_optimum(number: int, optimum: int) -> None:
    """Instances 1-3 solve to their proven optima (Curtois & Qu 2014, Table 2).

    The checker, sharing nothing with the solver, finds the roster feasible and recomputes
    the same objective; the objective also equals the data README's formula on the raw file.
    """
    solvers = pytest.importorskip("planner.solvers")
    check = pytest.importorskip("planner.check").check
    path = instance_path(number)
    scenario = read_curtois(path)
    plan = solvers.solve(scenario, solvers.SolveParams(time_limit_s=30, workers=2, seed=0))
    assert plan.stats.objective == optimum
    result = check(scenario, plan)
    assert result.feasible, result.summary()
    assert result.objective == optimum
    roster = {(a.person, scenario.horizon.day_index(a.date)): a.shift for a in plan.assignments}
    assert len(roster) == len(plan.assignments)  # at most one shift per person and day
    assert curtois_objective(path, roster) == optimum


def test_recorded_instance17_roster_is_the_best_known() -> None:
    """The roster kept in ``benchmarks/records`` (see its README) is feasible, and both the
    checker and the README's formula on the raw file give it the best-known value 5746."""
    from planner.check import check
    from planner.model import Plan

    path = instance_path(17)
    scenario = read_curtois(path)
    plan = Plan.model_validate_json((REPO / "benchmarks/records/Instance17.plan.json").read_text())
    result = check(scenario, plan)
    assert result.feasible, result.summary()
    assert result.objective == plan.stats.objective == 5746
    roster = {(a.person, scenario.horizon.day_index(a.date)): a.shift for a in plan.assignments}
    assert len(roster) == len(plan.assignments)
    assert curtois_objective(path, roster) == 5746
