"""One tiny instance per constraint family, each solved to an optimum derived by hand.

Unless a test says otherwise the objective weights are coverage only (shortage 1000, every
other term 0), everybody works at most one shift a day, posts are low-exposure grid duties of
grid g1 in community c1 with one role ``duty`` of headcount 1, and people are community
workers of grid g1 aged 30. Day ``d`` is ``START + d`` (``START`` is a Monday). Every solve
is also checked: status optimal, no hard violation, checker objective == solver objective,
bound <= objective.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from planner.check import check
from planner.model import Plan, Scenario
from planner.solvers import SolveParams, solve

START = dt.date(2022, 4, 4)  # a Monday

SHIFTS: dict[str, dict[str, Any]] = {
    "day": {"id": "day", "start": "08:00", "duration_min": 480},  # 08-16
    "early": {"id": "early", "start": "06:00", "duration_min": 480},  # 06-14
    "late": {"id": "late", "start": "15:00", "duration_min": 480},  # 15-23
    "noon": {"id": "noon", "start": "12:00", "duration_min": 480},  # 12-20
    "ten": {"id": "ten", "start": "10:00", "duration_min": 480},  # 10-18
    "night": {"id": "night", "start": "22:00", "duration_min": 600, "night": True},  # 22-08
    "m1": {"id": "m1", "start": "06:00", "duration_min": 120},  # 06-08
    "m2": {"id": "m2", "start": "09:00", "duration_min": 120},  # 09-11
    "m3": {"id": "m3", "start": "12:00", "duration_min": 120},  # 12-14
}

COMMUNITIES = [
    {"id": "c1", "grids": [{"id": "g1"}, {"id": "g2"}]},
    {"id": "c2", "grids": [{"id": "g3"}]},
]

COVERAGE_ONLY = {"shortage": 1000, "fatigue": 0, "fairness": 0, "preference": 0, "continuity": 0}


def day(i: int, start: dt.date = START) -> str:
    """ISO date of day ``i``."""
    return (start + dt.timedelta(days=i)).isoformat()


def post(
    pid: str,
    shifts: tuple[str, ...] = ("day",),
    *,
    headcount: int = 1,
    priority: int = 1,
    **extra: Any,
) -> dict[str, Any]:
    """A post of grid g1 asking for ``headcount`` of role ``duty`` on each of its shifts."""
    data: dict[str, Any] = {
        "id": pid,
        "type": "grid_duty",
        "community": "c1",
        "grid": "g1",
        "exposure": "low",
        "priority": priority,
        "shifts": list(shifts),
        "demand": [
            {"shift": s, "roles": [{"role": "duty", "headcount": headcount}]} for s in shifts
        ],
    }
    data.update(extra)
    return data


def person(pid: str, category: str = "community_worker", **extra: Any) -> dict[str, Any]:
    """A person of grid g1, community c1, aged 30."""
    return {"id": pid, "category": category, "community": "c1", "grid": "g1", "age": 30, **extra}


def make(
    posts: list[dict[str, Any]],
    people: list[dict[str, Any]],
    *,
    days: int = 1,
    shifts: tuple[str, ...] = ("day",),
    rules: dict[str, Any] | None = None,
    weights: dict[str, int] | None = None,
    start: dt.date = START,
    **extra: Any,
) -> Scenario:
    """A validated scenario; ``rules`` default to at most one shift a day."""
    return Scenario.model_validate(
        {
            "name": "family",
            "horizon": {"start": start.isoformat(), "days": days},
            "shifts": [SHIFTS[s] for s in shifts],
            "communities": COMMUNITIES,
            "posts": posts,
            "people": people,
            "rules": rules if rules is not None else {"defaults": {"max_shifts_per_day": 1}},
            "objective": {**COVERAGE_ONLY, **(weights or {})},
            **extra,
        }
    )


def solve_checked(scenario: Scenario) -> int:
    """Solve to optimality, let the checker agree, and return the objective."""
    plan: Plan = solve(scenario, SolveParams(time_limit_s=5, workers=2, seed=0))
    assert plan.stats.status == "optimal", plan.stats
    result = check(scenario, plan)
    assert [v for v in result.violations if v.hard] == []
    assert result.feasible
    assert result.objective == plan.stats.objective
    assert plan.stats.objective is not None
    if plan.stats.bound is not None:
        assert plan.stats.bound <= plan.stats.objective
    return plan.stats.objective


def solve_infeasible(scenario: Scenario) -> Plan:
    """Solve a contradictory scenario: status infeasible with named conflicts, no exception."""
    plan = solve(scenario, SolveParams(time_limit_s=5, workers=2, seed=0))
    assert plan.stats.status == "infeasible"
    assert plan.stats.conflicts
    return plan


def rules(**defaults: Any) -> dict[str, Any]:
    """Rules whose defaults are at most one shift a day plus ``defaults``."""
    return {"defaults": {"max_shifts_per_day": 1, **defaults}}


# ---------------------------------------------------------------------------- coverage


def test_shortage_is_weighted_by_priority() -> None:
    """One person, two posts on the same shift: the higher priority post is covered."""
    # hi (priority 5) and lo (priority 2) each need one; p covers hi; lo short: 2 x 1000.
    scn = make([post("hi", priority=5), post("lo", priority=2)], [person("p")])
    assert solve_checked(scn) == 2000


@pytest.mark.parametrize(
    ("overstaff", "expected"),
    [
        (7, 7),  # both work: one extra person costs 7 < an ungranted request (50)
        (70, 50),  # one extra person costs 70 > 50: one stays home, request not granted
        (None, 50),  # no overstaffing at all: one cannot work, request not granted
    ],
)
def test_overstaff_weight(overstaff: int | None, expected: int) -> None:
    """Overstaffing a role is allowed only with an overstaff weight, at that cost per person."""
    # a and b both ask to work d0 (weight 50 each); the post has one place.
    p = post("p")
    p["demand"][0]["roles"][0]["overstaff_weight"] = overstaff
    wish = [{"date": day(0), "kind": "on", "weight": 50}]
    people = [person("a", requests=wish), person("b", requests=wish)]
    assert solve_checked(make([p], people)) == expected


def test_demand_by_day_and_post_days() -> None:
    """A post runs only on its days, and demand may differ by day."""
    # 3 days; the post runs on d0 (needs 1) and d2 (needs 2), not on d1. One person works
    # at most one shift a day: covers d0 and one place on d2; 1 short: 1000.
    p = post("p", days=[day(0), day(2)])
    p["demand"] = [
        {"shift": "day", "days": [day(0)], "roles": [{"role": "duty", "headcount": 1}]},
        {"shift": "day", "days": [day(2)], "roles": [{"role": "duty", "headcount": 2}]},
    ]
    assert solve_checked(make([p], [person("a")], days=3)) == 1000


# ---------------------------------------------------------------------------- who qualifies


def test_role_categories() -> None:
    """A role limited to categories takes nobody else."""
    # A (priority 3) needs 2 medical swabbers; B (priority 1) needs 1 of anyone. m swabs at A,
    # v (volunteer) may not swab, so v goes to B: A is 1 short: 3 x 1000. (Ignoring the
    # category would put v at A and leave B short: 1000.)
    a = post("A", priority=3)
    a["demand"][0]["roles"] = [{"role": "swab", "headcount": 2, "categories": ["medical"]}]
    people = [person("m", "medical"), person("v", "volunteer")]
    assert solve_checked(make([a, post("B")], people)) == 3000


def test_role_skills() -> None:
    """A role needing several skills takes only people having all of them."""
    # A (priority 3) needs 2 with skills swab AND ppe: only y has both; x (swab only) and z
    # (ppe only) can only take B (1 place). A is 1 short: 3000.
    a = post("A", priority=3)
    a["demand"][0]["roles"] = [{"role": "swab", "headcount": 2, "skills": ["swab", "ppe"]}]
    people = [person("x", skills=["swab"]), person("y", skills=["swab", "ppe"])]
    people.append(person("z", skills=["ppe"]))
    assert solve_checked(make([a, post("B")], people)) == 3000


def test_locality_grid() -> None:
    """Grid locality: posts of one's own grid, or grid-less posts of one's community."""
    # Volunteers v, w of g1 may take pA (g1) and pC (c1, no grid), not pB (g2):
    # pB (priority 3) is short: 3000. (Community reach would leave pA short: 1000; no
    # grid-less posts would leave pB and pC short: 12000.)
    posts = [
        post("pA", priority=1),
        post("pB", priority=3, grid="g2"),
        post("pC", priority=9, grid=None),
    ]
    people = [person("v", "volunteer"), person("w", "volunteer")]
    scn = make(posts, people, rules={**rules(), "locality": {"volunteer": "grid"}})
    assert solve_checked(scn) == 3000


def test_locality_community() -> None:
    """Community locality keeps people in their community; district reaches everywhere."""
    # k (community_worker, community reach, c1) may take pA (c1) only; d (police, district
    # by default) takes pB (c2, priority 5); pC (c2, priority 3) is short: 3000.
    posts = [
        post("pA", priority=1),
        post("pB", priority=5, community="c2", grid="g3"),
        post("pC", priority=3, community="c2", grid="g3"),
    ]
    people = [person("k", grid="g2"), person("d", "police")]
    scn = make(posts, people, rules={**rules(), "locality": {"community_worker": "community"}})
    assert solve_checked(scn) == 3000


def test_exposure_default_rule() -> None:
    """People aged 60 or over, or flagged vulnerable, stay off high-exposure posts."""
    # H1, H2 high exposure (priority 5), M medium (priority 2). Only "young" may take a high
    # post; "old" (exactly 60) and "flagged" share M. One high post is short: 5000.
    posts = [
        post("H1", priority=5, exposure="high"),
        post("H2", priority=5, exposure="high"),
        post("M", priority=2, exposure="medium"),
    ]
    people = [person("young"), person("old", age=60), person("flagged", vulnerable=True)]
    assert solve_checked(make(posts, people)) == 5000


def test_exposure_custom_rule() -> None:
    """Without an age limit only flagged people are vulnerable, here kept to low exposure."""
    # vulnerable_age None: "old" (60) may take H2; "flagged" may not take M (medium > low):
    # M short: 2000.
    posts = [
        post("H1", priority=5, exposure="high"),
        post("H2", priority=5, exposure="high"),
        post("M", priority=2, exposure="medium"),
    ]
    people = [person("young"), person("old", age=60), person("flagged", vulnerable=True)]
    exposure = {"vulnerable_age": None, "vulnerable_max_exposure": "low"}
    assert solve_checked(make(posts, people, rules={**rules(), "exposure": exposure})) == 2000


def test_availability_window() -> None:
    """A seconded cadre works only between available_from and available_until."""
    # 4 days, one place a day; s is available d1..d2 only: d0 and d3 short: 2000.
    s = person("s", "seconded_cadre", available_from=day(1), available_until=day(2))
    assert solve_checked(make([post("p")], [s], days=4)) == 2000


def test_unavailable_days() -> None:
    """Nobody works on their unavailable days."""
    # 3 days, one place a day; a is unavailable d0 and d2: 2 short: 2000.
    a = person("a", unavailable=[day(0), day(2)])
    assert solve_checked(make([post("p")], [a], days=3)) == 2000


# ---------------------------------------------------------------------------- at least k


@pytest.mark.parametrize(("weight", "expected"), [(None, 2000), (300, 300)])
def test_at_least(weight: int | None, expected: int) -> None:
    """A staffed post-shift needs k of given categories; an empty one is only a shortage."""
    # pA, pB each need 2 with at least 1 community_worker; w is the only one, v1..v3 are
    # volunteers. Hard: one post gets w + a volunteer, the other stays empty: 2 short, 2000.
    # Soft (300 per person short): the other post takes two volunteers: 1 short, 300.
    rule: dict[str, Any] = {"count": 1, "categories": ["community_worker"]}
    if weight is not None:
        rule["weight"] = weight
    posts = [post("pA", headcount=2), post("pB", headcount=2)]
    for p in posts:
        p["demand"][0]["at_least"] = [rule]
    people = [person("w")] + [person(f"v{i}", "volunteer") for i in (1, 2, 3)]
    assert solve_checked(make(posts, people)) == expected


def test_at_least_counts_every_role_of_the_post_shift() -> None:
    """The at-least rule counts all people of the post-shift, whatever their role."""
    # Roles A (anyone) and B (medical only), 1 each, at least 1 medical over the post-shift:
    # v (volunteer) on A and m (medical) on B satisfy it: 0. (Counting per role would leave
    # A empty: 1000.)
    p = post("p")
    p["demand"][0]["roles"] = [
        {"role": "A", "headcount": 1},
        {"role": "B", "headcount": 1, "categories": ["medical"]},
    ]
    p["demand"][0]["at_least"] = [{"count": 1, "categories": ["medical"]}]
    people = [person("v", "volunteer"), person("m", "medical")]
    assert solve_checked(make([p], people)) == 0


# ---------------------------------------------------------------------------- pinned duties


def test_fixed_assignment() -> None:
    """A fixed assignment is kept even when it leaves a more important post empty."""
    # p is pinned to lo (priority 1), so hi (priority 5) is short: 5000 (free choice: 1000).
    fixed = [{"person": "p", "post": "lo", "role": "duty", "date": day(0), "shift": "day"}]
    scn = make([post("hi", priority=5), post("lo")], [person("p")], fixed=fixed)
    assert solve_checked(scn) == 5000


def test_forbidden_assignment() -> None:
    """A forbidden assignment matches on every field given; omitted fields match all."""
    # 2 days, hi (priority 5) and lo (priority 1). p may never take hi; q may not work d0.
    # d0: p on lo, hi short (5000); d1: q on hi, p on lo. Total 5000.
    forbidden = [{"person": "p", "post": "hi"}, {"person": "q", "date": day(0)}]
    scn = make(
        [post("hi", priority=5), post("lo")],
        [person("p"), person("q")],
        days=2,
        forbidden=forbidden,
    )
    assert solve_checked(scn) == 5000


# ---------------------------------------------------------------------------- working time


@pytest.mark.parametrize(
    ("limit", "expected"),
    [
        (1, 1000),  # hard 1: one of the two shifts is short
        (2, 0),  # hard 2: both covered
        ({"value": 1, "weight": 300}, 300),  # soft: the second shift costs 300 < 1000
        ({"value": 1, "weight": 3000}, 1000),  # soft but dearer than the shortage
    ],
)
def test_max_shifts_per_day(limit: Any, expected: int) -> None:
    """At most so many shifts a day (soft: weight per shift over)."""
    # One person; the post needs one on early (06-14) and one on late (15-23).
    scn = make(
        [post("p", ("early", "late"))],
        [person("a")],
        shifts=("early", "late"),
        rules={"defaults": {"max_shifts_per_day": limit}},
    )
    assert solve_checked(scn) == expected


@pytest.mark.parametrize(
    ("limit", "expected"),
    [
        (480, 1000),  # hard: 960 > 480, one shift short
        ({"value": 480, "weight": 1}, 480),  # soft: 480 minutes over x 1
        (960, 0),
    ],
)
def test_max_minutes_per_day(limit: Any, expected: int) -> None:
    """At most so many minutes of shifts starting on one day (soft: weight per minute)."""
    # As above, with up to 2 shifts a day allowed; both shifts take 960 minutes.
    scn = make(
        [post("p", ("early", "late"))],
        [person("a")],
        shifts=("early", "late"),
        rules={"defaults": {"max_shifts_per_day": 2, "max_minutes_per_day": limit}},
    )
    assert solve_checked(scn) == expected


def test_max_minutes_per_rolling_7_days() -> None:
    """Every rolling 7-day window counts, not calendar weeks."""
    # 8 days from Thursday 2022-04-07, one 480-min place a day, limit 2400 (5 shifts) per
    # window. Windows [d0, d7) and [d1, d8): at most 5 in d0..d6, plus d7: 6 worked, 2 short:
    # 2000. (Calendar weeks Thu-Sun / Mon-Thu would allow all 8.)
    thursday = dt.date(2022, 4, 7)
    scn = make(
        [post("p")],
        [person("a")],
        days=8,
        start=thursday,
        rules=rules(max_minutes_per_7_days=2400),
    )
    assert solve_checked(scn) == 2000


@pytest.mark.parametrize(("limit", "expected"), [(960, 1000), ({"value": 960, "weight": 1}, 480)])
def test_max_minutes_per_7_days_short_horizon(limit: Any, expected: int) -> None:
    """A horizon shorter than 7 days has one window, the whole horizon."""
    # 3 days, one 480-min place a day; 960 per window: hard, 2 worked, 1 short (1000);
    # soft, 3 worked, 480 minutes over x 1 (480).
    scn = make([post("p")], [person("a")], days=3, rules=rules(max_minutes_per_7_days=limit))
    assert solve_checked(scn) == expected


@pytest.mark.parametrize(("limit", "expected"), [(960, 1000), ({"value": 960, "weight": 2}, 960)])
def test_max_minutes_per_horizon(limit: Any, expected: int) -> None:
    """At most so many minutes over the horizon (soft: weight per minute over)."""
    # 3 days, one 480-min place a day: hard 2 worked (1000); soft 480 over x 2 (960).
    scn = make([post("p")], [person("a")], days=3, rules=rules(max_minutes_per_horizon=limit))
    assert solve_checked(scn) == expected


def test_min_minutes_per_horizon_soft() -> None:
    """A soft minimum costs its weight per minute under it, here enough to overstaff."""
    # 2 days, one place a day with overstaff_weight 100; a and b each want >= 960 minutes
    # (weight 1). Without overstaffing the deficits sum to 960; one extra person-shift
    # costs 100 + 480 deficit = 580; both working both days: deficits 0, overstaff 200.
    p = post("p")
    p["demand"][0]["roles"][0]["overstaff_weight"] = 100
    scn = make(
        [p],
        [person("a"), person("b")],
        days=2,
        rules=rules(min_minutes_per_horizon={"value": 960, "weight": 1}),
    )
    assert solve_checked(scn) == 200


def test_min_minutes_per_horizon_hard_is_infeasible() -> None:
    """A hard minimum nobody can reach makes the scenario infeasible, with conflicts named."""
    # 2 places over 2 days, a and b each must work 960 minutes (2 shifts): impossible.
    scn = make(
        [post("p")],
        [person("a"), person("b")],
        days=2,
        rules=rules(min_minutes_per_horizon=960),
    )
    solve_infeasible(scn)


def test_min_minutes_met_when_the_start_gives_the_place_to_someone_else() -> None:
    """A person whose hard minimum needs the only place is planned even when the greedy
    start gave it to someone without a minimum: re-planning that person alone fails, the
    whole model does not."""
    # one place, one day; a (listed first) has no minimum, b must work 480 minutes: only b
    # working keeps every rule, and covers the place: 0
    scn = make([post("p")], [person("a"), person("b", limits={"min_minutes_per_horizon": 480})])
    assert solve_checked(scn) == 0


def test_night_minutes_belong_to_the_day_the_shift_starts() -> None:
    """A night shift's minutes count on the day it starts, even the hours after midnight."""
    # night d0 (22:00-08:00, 600 min) and "ten" d1 (10:00-18:00, 480 min), at most 600
    # minutes a day: d0 has 600, d1 has 480, both allowed: 0. (Splitting the night at
    # midnight would give d1 480 + 480 = 960 > 600.)
    p = post("p", ("ten", "night"))
    p["demand"] = [
        {"shift": "night", "days": [day(0)], "roles": [{"role": "duty", "headcount": 1}]},
        {"shift": "ten", "days": [day(1)], "roles": [{"role": "duty", "headcount": 1}]},
    ]
    scn = make(
        [p], [person("a")], days=2, shifts=("ten", "night"), rules=rules(max_minutes_per_day=600)
    )
    assert solve_checked(scn) == 0


@pytest.mark.parametrize(("limit", "expected"), [(2, 1000), ({"value": 2, "weight": 300}, 600)])
def test_max_consecutive_days(limit: Any, expected: int) -> None:
    """At most so many consecutive days (soft: weight per fully worked window of value+1)."""
    # 4 days, one place a day, one person. Hard 2: d0 d1 _ d3, 1 short (1000). Soft: all 4
    # days fully work the 3-day windows [d0, d3) and [d1, d4): 2 x 300 = 600 < 1000.
    scn = make([post("p")], [person("a")], days=4, rules=rules(max_consecutive_days=limit))
    assert solve_checked(scn) == expected


@pytest.mark.parametrize(("limit", "expected"), [(2, 1000), ({"value": 2, "weight": 300}, 300)])
def test_min_consecutive_days(limit: Any, expected: int) -> None:
    """Inner blocks of worked days are at least so long; blocks at the horizon's edge are free."""
    # 5 days; the post runs on d0 and d2 only; one person. {d0} touches day 0: free.
    # {d2} is an inner block of 1 day, 1 short: hard, d2 stays empty (1000); soft, 300.
    scn = make(
        [post("p", days=[day(0), day(2)])],
        [person("a")],
        days=5,
        rules=rules(min_consecutive_days=limit),
    )
    assert solve_checked(scn) == expected


def test_min_consecutive_days_edge_of_availability_is_not_the_horizon_edge() -> None:
    """Days after available_until are days off, so a run ending there is still inner."""
    # 5 days; the post runs d1 and d2; a is available until d2; at least 3 consecutive
    # working days (soft, 300 per day short). Working d1 d2: the block {d1, d2} touches
    # neither d0 nor d4, so it is inner and 1 day short: 300. (Working one day: 600 + 1000.)
    scn = make(
        [post("p", days=[day(1), day(2)])],
        [person("a", available_until=day(2))],
        days=5,
        rules=rules(min_consecutive_days={"value": 3, "weight": 300}),
    )
    assert solve_checked(scn) == 300


@pytest.mark.parametrize(
    ("limit", "expected"),
    [
        (None, 1000),  # only max 2 consecutive days: d0 d1 _ d3 d4
        (2, 2000),  # the single day off d2 is too short: d0 d1 _ _ d4
        ({"value": 2, "weight": 100}, 1100),  # d0 d1 _ d3 d4, 1 day short x 100
    ],
)
def test_min_consecutive_days_off(limit: Any, expected: int) -> None:
    """Inner blocks of days off are at least so long (soft: weight per day short)."""
    # 5 days, one place a day, one person, at most 2 consecutive working days (hard).
    extra = {} if limit is None else {"min_consecutive_days_off": limit}
    scn = make([post("p")], [person("a")], days=5, rules=rules(max_consecutive_days=2, **extra))
    assert solve_checked(scn) == expected


@pytest.mark.parametrize(
    ("limit", "expected"), [(None, 0), (660, 1000), ({"value": 660, "weight": 300}, 300)]
)
def test_min_rest_minutes(limit: Any, expected: int) -> None:
    """Rest between the end of one shift and the start of the next (soft: weight per pair)."""
    # late d0 (15:00-23:00) then early d1 (06:00): 420 minutes of rest < 660.
    p = post("p", ("early", "late"))
    p["demand"] = [
        {"shift": "late", "days": [day(0)], "roles": [{"role": "duty", "headcount": 1}]},
        {"shift": "early", "days": [day(1)], "roles": [{"role": "duty", "headcount": 1}]},
    ]
    extra = {} if limit is None else {"min_rest_minutes": limit}
    scn = make([p], [person("a")], days=2, shifts=("early", "late"), rules=rules(**extra))
    assert solve_checked(scn) == expected


def test_min_rest_counts_every_pair_of_shifts() -> None:
    """Every pair of shifts with too little rest between them is a breach, not just neighbours."""
    # m1 06-08, m2 09-11, m3 12-14, one place each, up to 3 shifts a day, rest 300 (soft,
    # 10 per pair). All three: (m1, m2) 60, (m2, m3) 60 and (m1, m3) 240 minutes: 3 pairs,
    # 30 < any shortage. (Neighbouring pairs only would give 20.)
    shifts = ("m1", "m2", "m3")
    scn = make(
        [post("p", shifts)],
        [person("a")],
        shifts=shifts,
        rules={
            "defaults": {"max_shifts_per_day": 3, "min_rest_minutes": {"value": 300, "weight": 10}}
        },
    )
    assert solve_checked(scn) == 30


@pytest.mark.parametrize(("limit", "expected"), [(2, 1000), ({"value": 2, "weight": 300}, 300)])
def test_max_nights_per_7_days(limit: Any, expected: int) -> None:
    """Only shifts flagged night count towards the night limit."""
    # 3 days, a "ten" (10-18) and a night (22-08) place each day, up to 2 shifts a day.
    # Nights at most 2: 5 of 6 worked, 1 short (1000); soft: the third night costs 300.
    scn = make(
        [post("p", ("ten", "night"))],
        [person("a")],
        days=3,
        shifts=("ten", "night"),
        rules={"defaults": {"max_shifts_per_day": 2, "max_nights_per_7_days": limit}},
    )
    assert solve_checked(scn) == expected


@pytest.mark.parametrize(("limit", "expected"), [(1, 1000), ({"value": 1, "weight": 200}, 200)])
def test_max_weekends(limit: Any, expected: int) -> None:
    """A weekend is worked if either of its days is; at most so many weekends."""
    # 8 days from Saturday 2022-04-09; the post runs Sat 9, Sun 10 and Sat 16 (d0, d1, d7).
    # One weekend allowed: Sat 9 + Sun 10 worked, Sat 16 short (1000); soft: 200.
    saturday = dt.date(2022, 4, 9)
    scn = make(
        [post("p", days=[day(0, saturday), day(1, saturday), day(7, saturday)])],
        [person("a")],
        days=8,
        start=saturday,
        rules=rules(max_weekends=limit),
    )
    assert solve_checked(scn) == expected


@pytest.mark.parametrize(("night_on", "expected"), [(0, 0), (1, 1000)])
def test_weekend_counts_shifts_by_start_day(night_on: int, expected: int) -> None:
    """A Friday night shift ending on Saturday does not work the weekend."""
    # Fri 2022-04-08 and Sat 2022-04-09; one night place, on Friday (0) or Saturday (1);
    # no weekend may be worked (hard): Friday's night is allowed (0), Saturday's is not.
    friday = dt.date(2022, 4, 8)
    scn = make(
        [post("p", ("night",), days=[day(night_on, friday)])],
        [person("a")],
        days=2,
        start=friday,
        shifts=("night",),
        rules=rules(max_weekends=0),
    )
    assert solve_checked(scn) == expected


def test_max_shifts_per_template_merged_per_template() -> None:
    """Per-template caps merge template by template across defaults and personal limits."""
    # 3 days, a "ten" and a night place each day, up to 2 shifts a day. Defaults cap
    # ten at 1 and night at 3; a's own limits cap night at 1 and keep ten at 1: 2 of 6
    # worked, 4 short (4000). (Replacing the whole map would allow 3 tens: 2000.)
    a = person("a", limits={"max_shifts_per_template": {"night": 1}})
    defaults = {"max_shifts_per_day": 2, "max_shifts_per_template": {"ten": 1, "night": 3}}
    scn = make(
        [post("p", ("ten", "night"))],
        [a],
        days=3,
        shifts=("ten", "night"),
        rules={"defaults": defaults},
    )
    assert solve_checked(scn) == 4000


@pytest.mark.parametrize(("weight", "expected"), [(None, 1000), (300, 300)])
def test_forbidden_succession(weight: int | None, expected: int) -> None:
    """A shift ``then`` may not start the day after a shift ``first``."""
    # Night d0 (22:00-08:00) then "ten" d1 (10:00): allowed by rest, forbidden as a succession.
    p = post("p", ("ten", "night"))
    p["demand"] = [
        {"shift": "night", "days": [day(0)], "roles": [{"role": "duty", "headcount": 1}]},
        {"shift": "ten", "days": [day(1)], "roles": [{"role": "duty", "headcount": 1}]},
    ]
    succession: dict[str, Any] = {"first": "night", "then": "ten"}
    if weight is not None:
        succession["weight"] = weight
    scn = make(
        [p],
        [person("a")],
        days=2,
        shifts=("ten", "night"),
        rules={**rules(), "forbidden_successions": [succession]},
    )
    assert solve_checked(scn) == expected


def test_overlapping_shifts_same_day() -> None:
    """Overlapping shifts are forbidden whatever the rules."""
    # day 08-16 and noon 12-20, up to 2 shifts a day allowed: one person covers one: 1000.
    scn = make(
        [post("p", ("day", "noon"))],
        [person("a")],
        shifts=("day", "noon"),
        rules={"defaults": {"max_shifts_per_day": 2}},
    )
    assert solve_checked(scn) == 1000


def test_overlapping_shifts_across_midnight() -> None:
    """A night shift overlaps the next morning's early shift (night d0 ends d1 08:00)."""
    p = post("p", ("early", "night"))
    p["demand"] = [
        {"shift": "night", "days": [day(0)], "roles": [{"role": "duty", "headcount": 1}]},
        {"shift": "early", "days": [day(1)], "roles": [{"role": "duty", "headcount": 1}]},
    ]
    scn = make([p], [person("a")], days=2, shifts=("early", "night"))
    assert solve_checked(scn) == 1000


def test_rule_layers() -> None:
    """Rules resolve defaults, then category, then personal limits, field by field."""
    # early needs 3, late needs 2. Defaults 1 shift a day; community workers 2; w2's own
    # limit 1. w1 gives 2, w2 1, v (volunteer) 1: 4 of 5, 1 short: 1000.
    p = post("p", ("early", "late"))
    p["demand"][0]["roles"][0]["headcount"] = 3
    p["demand"][1]["roles"][0]["headcount"] = 2
    people = [
        person("w1"),
        person("w2", limits={"max_shifts_per_day": 1}),
        person("v", "volunteer"),
    ]
    layered = {
        "defaults": {"max_shifts_per_day": 1},
        "categories": {"community_worker": {"max_shifts_per_day": 2}},
    }
    scn = make([p], people, shifts=("early", "late"), rules=layered)
    assert solve_checked(scn) == 1000


# ---------------------------------------------------------------------------- objective terms


def test_preferences() -> None:
    """Each shift outside one's preferred shifts, and each avoided shift, costs the weight."""
    # early, late, night places, one each; a and b prefer early, c avoids night (weight 10).
    # Costs: a/b on late or night 10; c on night 10. Best: a early, c late, b night: 10.
    people = [
        person("a", preferred_shifts=["early"]),
        person("b", preferred_shifts=["early"]),
        person("c", avoided_shifts=["night"]),
    ]
    shifts = ("early", "late", "night")
    scn = make([post("p", shifts)], people, shifts=shifts, weights={"preference": 10})
    assert solve_checked(scn) == 10


def test_requests() -> None:
    """Ungranted requests cost their weight; a request without a shift means any shift."""
    # One early and one late place. a: off early (5); b: on late (7); c: on late (3); d: on
    # any shift (4). b late + d early grants all but c's: 3. (b late + c early: 3 + 4;
    # c late + d early: 7; a early: 5 + ...)
    people = [
        person("a", requests=[{"date": day(0), "shift": "early", "kind": "off", "weight": 5}]),
        person("b", requests=[{"date": day(0), "shift": "late", "kind": "on", "weight": 7}]),
        person("c", requests=[{"date": day(0), "shift": "late", "kind": "on", "weight": 3}]),
        person("d", requests=[{"date": day(0), "kind": "on", "weight": 4}]),
    ]
    scn = make([post("p", ("early", "late"))], people, shifts=("early", "late"))
    assert solve_checked(scn) == 3


def test_continuity() -> None:
    """Each distinct post a person works beyond the first costs the continuity weight."""
    # pA runs d0, pB d1, one person covers both: 2 posts, 1 beyond the first: 10.
    posts = [post("pA", days=[day(0)]), post("pB", days=[day(1)])]
    scn = make(posts, [person("a")], days=2, weights={"continuity": 10})
    assert solve_checked(scn) == 10


def test_fatigue() -> None:
    """Fatigue is the most minutes any one person of a category works, summed over categories."""
    # 2 days, one 480-min place a day, a and b both community workers: one day each, 480.
    scn = make([post("p")], [person("a"), person("b")], days=2, weights={"fatigue": 1})
    assert solve_checked(scn) == 480


def test_fairness_counts_people_available_every_day() -> None:
    """Fairness spreads minutes within a category, among people available on every day."""
    # 2 days, one place a day; a and b available both days, c unavailable d1 (not counted).
    # a d0, b d1: spread 0. (Counting c would make the best spread 480.)
    people = [person("a"), person("b"), person("c", unavailable=[day(1)])]
    scn = make([post("p")], people, days=2, weights={"fairness": 1})
    assert solve_checked(scn) == 0


def test_fairness_spread() -> None:
    """With more people than places, the spread is at least one shift."""
    # 2 days, one place a day, three people available: someone works 0, best max is 480.
    people = [person("a"), person("b"), person("c")]
    scn = make([post("p")], people, days=2, weights={"fairness": 1})
    assert solve_checked(scn) == 480


# ---------------------------------------------------------------------------- contradictions


def test_fixed_on_two_posts_at_once_is_infeasible() -> None:
    """Two fixed assignments of one person to the same shift conflict: infeasible, named."""
    fixed = [
        {"person": "zhang", "post": post_id, "role": "duty", "date": day(0), "shift": "day"}
        for post_id in ("pA", "pB")
    ]
    scn = make([post("pA"), post("pB")], [person("zhang")], fixed=fixed)
    plan = solve_infeasible(scn)
    assert any("zhang" in conflict for conflict in plan.stats.conflicts)


def test_fixed_breaking_rest_is_infeasible() -> None:
    """A pinned night followed by a pinned morning breaks a hard rest rule: infeasible."""
    # night d0 ends d1 08:00, "ten" d1 starts 10:00: 120 minutes of rest < 660.
    fixed = [
        {"person": "a", "post": "p", "role": "duty", "date": day(0), "shift": "night"},
        {"person": "a", "post": "p", "role": "duty", "date": day(1), "shift": "ten"},
    ]
    scn = make(
        [post("p", ("ten", "night"))],
        [person("a")],
        days=2,
        shifts=("ten", "night"),
        rules=rules(min_rest_minutes=660),
        fixed=fixed,
    )
    solve_infeasible(scn)
