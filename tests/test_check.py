"""The independent plan checker: every family on tiny hand-made scenarios.

See ``tests/checkhelpers.py`` for the base scenario (7 days from Monday 2022-04-04, shifts
``day`` 08:00+480 and ``night`` 20:00+720, checkpoint ``k1`` needing one guard per shift,
community workers ``p1`` and ``p2`` in grid g1 of community c1, no rules, all weights 0).
"""

from __future__ import annotations

from typing import Any

import pytest
from checkhelpers import asg, day, found, person, post, rules, scenario, weights

from planner.check import BASE_TERMS, check
from planner.model import HorizonRef, Plan, Stats, Status

GUARD = {"role": "guard", "headcount": 1}


def test_clean_plan_has_no_violation_and_default_weights_price_it() -> None:
    """A plan keeping every rule is feasible; each term is recomputed with the weights."""
    sc = scenario(
        days=2,
        rules=rules(max_shifts_per_day=1, min_rest_minutes=480),
        objective={},  # default weights
    )
    # p1: day d0 (ends 960), day d1 (starts 1920): rest 960. p2: night d0 (ends 1920),
    # night d1 (starts 2640): rest 720. Every demanded guard is covered.
    plan = [asg("p1", 0), asg("p2", 0, "night"), asg("p1", 1), asg("p2", 1, "night")]
    result = check(sc, plan)
    assert result.violations == []
    assert result.feasible
    # fatigue: 1 * max(p1 960, p2 1440) = 1440; fairness: 1 * (1440 - 960) = 480.
    assert result.terms == {
        "shortage": 0,
        "overstaff": 0,
        "at_least": 0,
        "fatigue": 1440,
        "fairness": 480,
        "preference": 0,
        "requests": 0,
        "continuity": 0,
    }
    assert result.objective == 1920
    # The same plan wrapped in a Plan gives the same verdict.
    wrapped = Plan(
        scenario=sc.name,
        horizon=HorizonRef(start=day(0), days=2),
        assignments=plan,
        stats=Stats(status=Status.FEASIBLE),
    )
    assert check(sc, wrapped) == result
    assert "feasible" in result.summary()


def test_reference_problems_are_reported_and_ignored_otherwise() -> None:
    """Unknown ids, dates off the horizon, undemanded shifts and unknown roles are
    ``reference`` breaches; such assignments neither cover demand nor count as work."""
    k2 = post("k2", demand=[{"shift": "day", "roles": [GUARD]}])  # no night demand
    sc = scenario(
        posts=[post(), k2],
        people=[person("p1", unavailable=[day(0)]), person("p2")],
        objective=weights(shortage=1, fatigue=1),
    )
    plan = [
        asg("zz", 0),  # unknown person
        asg("p1", 0, post_id="k9"),  # unknown post
        asg("p1", 0, shift="late"),  # unknown shift
        asg("p1", 7),  # day 7 is outside a 7-day horizon
        asg("p1", 0, "night", post_id="k2"),  # k2 has no night demand
        asg("p1", 0, role="boss"),  # k1 has no role 'boss'
    ]
    result = check(sc, plan)
    # p1 is unavailable on day 0, but invalid assignments get no further checks.
    assert found(result) == [("reference", True, 1)] * 6
    assert not result.feasible
    # Nothing is covered: k1 7 days x 2 shifts + k2 7 days x 1 shift = 21 missing guards.
    assert result.terms["shortage"] == 21
    assert result.terms["fatigue"] == 0


def test_availability() -> None:
    """Working on an unavailable day or outside the availability window is hard."""
    sc = scenario(people=[person("p1", unavailable=[day(1)]), person("p2", available_from=day(3))])
    plan = [asg("p1", 1), asg("p1", 2), asg("p2", 2, "night"), asg("p2", 3, "night")]
    result = check(sc, plan)
    assert found(result) == [("availability", True, 1)] * 2
    assert sorted((v.person, v.post, v.date) for v in result.violations) == [
        ("p1", "k1", day(1)),
        ("p2", "k1", day(2)),
    ]


def test_qualification() -> None:
    """A person outside the role's categories or lacking one of its skills does not qualify."""
    roles = [
        {"role": "guard", "headcount": 1, "categories": ["community_worker", "police"]},
        {"role": "medic", "headcount": 1, "skills": ["swab", "ppe"]},
    ]
    sc = scenario(
        posts=[post(demand=[{"shift": "day", "roles": roles}])],
        people=[person("p1"), person("p2", category="volunteer", skills=["swab"])],
    )
    plan = [
        asg("p1", 0),  # fine
        asg("p2", 1),  # volunteer is not a listed category
        asg("p2", 0, role="medic"),  # lacks 'ppe'
        asg("p1", 1, role="medic"),  # lacks both skills: still one breach
    ]
    assert found(check(sc, plan)) == [("qualification", True, 1)] * 3


# (locality, person fields, post fields, allowed)
LOCALITY_CASES: list[tuple[str, dict[str, Any], dict[str, Any], bool]] = [
    ("grid", {}, {"grid": "g1"}, True),  # own grid
    ("grid", {}, {"grid": "g2"}, False),  # another grid of the same community
    ("grid", {}, {"grid": None}, True),  # grid-less post of own community
    ("grid", {}, {"grid": None, "community": "c2"}, False),  # grid-less post elsewhere
    ("grid", {"community": None}, {"grid": None}, True),  # person's community from grid
    ("grid", {}, {"grid": None, "community": None}, False),  # post with no locality
    ("grid", {}, {"grid": "g1", "community": None}, True),  # post grid alone suffices
    ("grid", {"grid": None}, {"grid": "g1"}, False),  # person without a grid
    ("community", {}, {"grid": "g2"}, True),  # same community, other grid
    ("community", {}, {"grid": "g3", "community": None}, False),  # g3 lies in c2
    ("community", {}, {"grid": "g2", "community": None}, True),  # g2 lies in c1
    ("community", {"community": None, "grid": None}, {}, False),  # person has no community
    ("community", {"community": None}, {"grid": None}, True),  # person's g1 lies in c1
    ("district", {}, {"grid": "g3", "community": "c2"}, True),  # anywhere
]


@pytest.mark.parametrize(("locality", "person_fields", "post_fields", "allowed"), LOCALITY_CASES)
def test_locality(
    locality: str, person_fields: dict[str, Any], post_fields: dict[str, Any], allowed: bool
) -> None:
    """Grid/community/district locality follows the effective communities of person and post."""
    sc = scenario(
        posts=[post(**post_fields)],
        people=[person("p1", **person_fields)],
        rules={"defaults": {}, "locality": {"community_worker": locality}},
    )
    expected = [] if allowed else [("locality", True, 1)]
    assert found(check(sc, [asg("p1", 0)])) == expected


def test_exposure() -> None:
    """Vulnerable people (flagged, or aged >= 60) may not take posts above medium exposure."""
    posts = [post(exposure="high"), post("k2", exposure="medium")]
    people = [person("p1", vulnerable=True), person("p2", age=65), person("p3", age=59)]
    plan = [
        asg("p1", 0),  # flagged, high exposure: breach
        asg("p2", 0, "night"),  # 65 >= 60, high exposure: breach
        asg("p3", 1),  # 59 is not vulnerable
        asg("p1", 1, post_id="k2"),  # medium exposure is allowed
    ]
    assert found(check(scenario(posts=posts, people=people), plan)) == [("exposure", True, 1)] * 2
    # Without an age limit only the flagged person is vulnerable.
    sc = scenario(
        posts=posts, people=people, rules={"defaults": {}, "exposure": {"vulnerable_age": None}}
    )
    assert [v.person for v in check(sc, plan).violations] == ["p1"]


def test_forbidden() -> None:
    """An assignment matched by any forbidden entry is one breach, however many match."""
    sc = scenario(
        forbidden=[
            {"person": "p1", "date": day(1)},
            {"person": "p1", "post": "k1", "date": day(1)},  # matches the same assignment
            {"person": "p2", "shift": "night"},
        ]
    )
    plan = [asg("p1", 0), asg("p1", 1), asg("p2", 2), asg("p2", 1, "night")]
    result = check(sc, plan)
    assert found(result) == [("forbidden", True, 1)] * 2
    assert sorted((v.person, v.date) for v in result.violations) == [
        ("p1", day(1)),
        ("p2", day(1)),
    ]


def test_fixed() -> None:
    """Each pinned duty must be in the plan with all five fields equal."""
    fixed = [
        {"person": "p1", "post": "k1", "role": "guard", "date": day(0), "shift": "day"},
        {"person": "p2", "post": "k1", "role": "guard", "date": day(1), "shift": "night"},
    ]
    sc = scenario(fixed=fixed)
    result = check(sc, [asg("p1", 0), asg("p2", 1)])  # p2 on the wrong shift
    assert found(result) == [("fixed", True, 1)]
    assert (result.violations[0].person, result.violations[0].date) == ("p2", day(1))
    assert check(sc, [asg("p1", 0), asg("p2", 1, "night")]).feasible


def test_headcount_and_overstaff() -> None:
    """Too many on a role is hard without an overstaff weight, priced per extra person with."""
    roles = [GUARD, {"role": "helper", "headcount": 1, "overstaff_weight": 7}]
    sc = scenario(
        posts=[post(demand=[{"shift": "day", "roles": roles}])],
        people=[person("p1"), person("p2"), person("p3")],
    )
    plan = [asg(p, 0) for p in ("p1", "p2", "p3")]  # 3 guards for 1
    plan += [asg(p, 1, role="helper") for p in ("p1", "p2", "p3")]  # 3 helpers for 1
    result = check(sc, plan)
    assert found(result) == [("headcount", True, 2)]
    assert result.terms["overstaff"] == 2 * 7


def test_overlap() -> None:
    """Intersecting shift intervals of one person are hard; touching ones are fine."""
    shifts = [
        {"id": "day", "start": "08:00", "duration_min": 480},
        {"id": "night", "start": "20:00", "duration_min": 720, "night": True},
        {"id": "early", "start": "06:00", "duration_min": 240},
    ]
    k2 = post("k2", shifts=["day", "early"])
    k2["demand"] = [{"shift": s, "roles": [GUARD]} for s in ("day", "early")]
    sc = scenario(shifts=shifts, posts=[post(), k2], people=[person(p) for p in ("p1", "p2", "p3")])
    plan = [
        asg("p1", 0),
        asg("p1", 0, post_id="k2"),  # same interval at another post: overlap
        asg("p1", 0, "night"),  # 1200..1920, after day's 480..960
        asg("p1", 1),  # starts 1920 exactly when the night ends: no overlap
        asg("p2", 2),
        asg("p2", 2),  # identical duplicate: overlap
        asg("p3", 3, "night"),  # 5520..6240
        asg("p3", 4, "early", post_id="k2"),  # starts 6120 < 6240: overlap
    ]
    assert found(check(sc, plan), "overlap") == [("overlap", True, 1)] * 3


def test_at_least_hard_and_soft() -> None:
    """A staffed post-shift short of listed categories: hard without weight, priced with."""
    day_demand = {
        "shift": "day",
        "roles": [{"role": "guard", "headcount": 2}],
        "at_least": [{"count": 1, "categories": ["police"]}],
    }
    night_demand = {
        "shift": "night",
        "roles": [{"role": "guard", "headcount": 2}],
        "at_least": [{"count": 2, "categories": ["police"], "weight": 5}],
    }
    sc = scenario(
        posts=[post(demand=[day_demand, night_demand])],
        people=[person("p1"), person("p2"), person("p3", category="police")],
    )
    plan = [
        asg("p1", 0),
        asg("p2", 0),  # day d0: no police, hard deficit 1
        asg("p1", 1),
        asg("p3", 1),  # day d1: one police, fine; day d2 empty: not a breach
        asg("p3", 0, "night"),  # night d0: 1 police of 2: soft deficit 1
        asg("p1", 1, "night"),  # night d1: 0 police of 2: soft deficit 2
    ]
    result = check(sc, plan)
    assert found(result) == [("at_least", False, 1), ("at_least", False, 2), ("at_least", True, 1)]
    assert result.terms["at_least"] == (1 + 2) * 5


def soft(value: int, weight: int) -> dict[str, int]:
    """A soft limit."""
    return {"value": value, "weight": weight}


# (work rules, horizon days, p1's (day index, shift) list, expected (family, hard, amount),
#  expected soft term)
WORK_CASES: list[tuple[dict[str, Any], int, list[tuple[int, str]], list[Any], int]] = [
    # day + night start on d0: 2 shifts, 1 over.
    ({"max_shifts_per_day": 1}, 7, [(0, "day"), (0, "night")], [True, 1], 0),
    ({"max_shifts_per_day": soft(1, 3)}, 7, [(0, "day"), (0, "night")], [False, 1], 3),
    # 480 + 720 = 1200 minutes on d0: 600 over; soft 2 * 600.
    ({"max_minutes_per_day": 600}, 7, [(0, "day"), (0, "night")], [True, 600], 0),
    ({"max_minutes_per_day": soft(600, 2)}, 7, [(0, "day"), (0, "night")], [False, 600], 1200),
    # 8 days, day shift every day: windows d0-d6 and d1-d7 hold 7 * 480 = 3360, 960 over each.
    ({"max_minutes_per_7_days": 2400}, 8, [(d, "day") for d in range(8)], [True, 960] * 2, 0),
    (
        {"max_minutes_per_7_days": soft(2400, 1)},
        8,
        [(d, "day") for d in range(8)],
        [False, 960] * 2,
        1920,
    ),
    # A 3-day horizon is one window: 960 minutes, 60 over.
    ({"max_minutes_per_7_days": 900}, 3, [(0, "day"), (2, "day")], [True, 60], 0),
    ({"max_nights_per_7_days": 1}, 3, [(0, "night"), (2, "night")], [True, 1], 0),
    # 3 * 480 = 1440 minutes over the horizon, 480 over.
    ({"max_minutes_per_horizon": 960}, 7, [(d, "day") for d in range(3)], [True, 480], 0),
    # 2 of 4 days in a row: windows d0-d2 and d1-d3 are fully worked.
    ({"max_consecutive_days": 2}, 7, [(d, "day") for d in range(4)], [True, 1] * 2, 0),
    ({"max_consecutive_days": 2}, 7, [(d, "day") for d in (0, 1, 3, 4)], [], 0),
    # Worked {0, 2, 3, 5}: block {0} touches day 0 (free); {2, 3} is 1 short; {5} is 2 short.
    ({"min_consecutive_days": 3}, 7, [(d, "day") for d in (0, 2, 3, 5)], [True, 1, True, 2], 0),
    ({"min_consecutive_days": soft(3, 4)}, 7, [(d, "day") for d in (2, 3)], [False, 1], 4),
    # Short blocks touching the first or last day are never breaches.
    ({"min_consecutive_days": 3}, 7, [(0, "day"), (6, "day")], [], 0),
    # Worked {0, 2, 3, 6}: days off {1} is 1 short; {4, 5} is long enough.
    ({"min_consecutive_days_off": 2}, 7, [(d, "day") for d in (0, 2, 3, 6)], [True, 1], 0),
    # Worked {1..5}: days off {0} and {6} touch the edges.
    ({"min_consecutive_days_off": 2}, 7, [(d, "day") for d in range(1, 6)], [], 0),
    # day d0 ends 960, night d0 starts 1200 (rest 240); night d0 ends 1920, day d1 starts
    # 1920 (rest 0); day d0 -> day d1 rests 960. Two breaches.
    ({"min_rest_minutes": 720}, 7, [(0, "day"), (0, "night"), (1, "day")], [True, 1] * 2, 0),
    (
        {"min_rest_minutes": soft(720, 5)},
        7,
        [(0, "day"), (0, "night"), (1, "day")],
        [False, 1] * 2,
        10,
    ),
    # 14 days from Monday: d5/d6 are Sat 9/Sun 10 Apr (one weekend), d13 is Sun 17 Apr.
    ({"max_weekends": 1}, 14, [(d, "day") for d in (4, 5, 6, 13)], [True, 1], 0),
    ({"max_weekends": 1}, 14, [(d, "day") for d in (5, 6)], [], 0),
    ({"max_shifts_per_template": {"night": 1}}, 7, [(0, "night"), (1, "night")], [True, 1], 0),
    (
        {"max_shifts_per_template": {"night": soft(1, 4)}},
        7,
        [(0, "night"), (1, "night")],
        [False, 1],
        4,
    ),
]


@pytest.mark.parametrize(("work_rules", "days", "shifts", "expected", "term"), WORK_CASES)
def test_work_rules(
    work_rules: dict[str, Any],
    days: int,
    shifts: list[tuple[int, str]],
    expected: list[Any],
    term: int,
) -> None:
    """Each work rule finds the breaches its definition gives; a soft one adds weight * amount."""
    (family,) = work_rules
    sc = scenario(days=days, people=[person("p1")], rules=rules(**work_rules))
    result = check(sc, [asg("p1", d, s) for d, s in shifts])
    pairs = [(family, expected[i], expected[i + 1]) for i in range(0, len(expected), 2)]
    assert found(result) == sorted(pairs)
    assert result.terms.get(f"soft:{family}", 0) == term
    assert result.objective == term


def test_min_minutes_per_horizon_counts_idle_people() -> None:
    """The minimum binds everyone with the rule, including people without any shift."""
    sc = scenario(rules=rules(min_minutes_per_horizon=soft(960, 1)))
    result = check(sc, [asg("p1", 0)])
    # p1: 960 - 480 = 480 short; p2: 960 short.
    assert found(result) == [
        ("min_minutes_per_horizon", False, 480),
        ("min_minutes_per_horizon", False, 960),
    ]
    assert result.terms["soft:min_minutes_per_horizon"] == 1440
    assert result.feasible


def test_weekend_partly_inside_the_horizon() -> None:
    """A weekend with one day in the horizon counts when that day is worked."""
    # 7 days from Sunday 10 Apr: d0 is the Sunday of one weekend, d6 the Saturday of the next.
    sc = scenario(start=day(6), rules=rules(max_weekends=1), people=[person("p1")])
    result = check(sc, [asg("p1", 6), asg("p1", 12)])  # dates day(6), day(12) = d0, d6
    assert found(result) == [("max_weekends", True, 1)]


def test_rules_resolve_by_category_then_person() -> None:
    """Category rules replace the defaults, a person's limits replace both."""
    sc = scenario(
        people=[
            person("p1", limits={"max_minutes_per_horizon": 480}),
            person("p2", category="volunteer"),
            person("p3"),
        ],
        rules={
            "defaults": {"max_minutes_per_horizon": 960},
            "categories": {"volunteer": {"max_minutes_per_horizon": 2000}},
        },
    )
    plan = [asg("p1", 0), asg("p1", 1)]  # 960 > 480: 480 over
    plan += [asg("p2", d, "night") for d in range(2)]  # 1440 <= 2000
    plan += [asg("p3", d, "night") for d in range(2, 5)]  # 2160 > 960: 1200 over
    result = check(sc, plan)
    assert sorted((v.person, v.amount) for v in result.violations) == [
        ("p1", 480),
        ("p3", 1200),
    ]


def test_succession_hard_and_soft() -> None:
    """A forbidden successor shift on the next day is one breach per pair."""
    plan = [asg("p1", 0, "night"), asg("p1", 1), asg("p1", 2, "night"), asg("p1", 4)]
    # night d0 -> day d1 breaks; night d2 -> day d4 is two days later.
    sc = scenario(
        rules={"defaults": {}, "forbidden_successions": [{"first": "night", "then": "day"}]}
    )
    assert found(check(sc, plan)) == [("succession", True, 1)]
    succ = [{"first": "night", "then": "day", "weight": 9}]
    result = check(scenario(rules={"defaults": {}, "forbidden_successions": succ}), plan)
    assert found(result) == [("succession", False, 1)]
    assert result.terms["soft:forbidden_successions"] == 9
    assert result.objective == 9


def test_shortage_term() -> None:
    """Shortage sums missing people per role over demanded post-shifts, times priority."""
    k1 = post(
        priority=3,
        demand=[
            {
                "shift": "day",
                "roles": [{"role": "guard", "headcount": 2}, {**GUARD, "role": "medic"}],
            },
            {"shift": "night", "days": [day(1)], "roles": [GUARD]},
        ],
    )
    k2 = post("k2", days=[day(0)], demand=[{"shift": "day", "roles": [GUARD]}])
    sc = scenario(
        days=2,
        posts=[k1, k2],
        people=[person(p) for p in ("p1", "p2", "p3")],
        objective=weights(shortage=10),
    )
    plan = [asg("p1", 0), asg("p2", 1), asg("p3", 1, role="medic"), asg("p1", 1, "night")]
    result = check(sc, plan)
    # k1 (priority 3): d0 day guard 1 + medic 1 missing, d1 day guard 1 missing, d1 night
    # covered, d0 night not demanded: 3 * 3 * 10 = 90. k2 runs on d0 only: 1 * 1 * 10 = 10.
    assert result.terms["shortage"] == 100
    assert result.violations == []


def test_fatigue_and_fairness_terms() -> None:
    """Fatigue takes each category's busiest person; fairness the spread among the fully
    available people of categories with at least two of them."""
    sc = scenario(
        people=[
            person("p1"),
            person("p2"),
            person("p5", available_until=day(5)),  # not available all week: not in fairness
            person("p3", category="volunteer"),
            person("p4", category="volunteer", unavailable=[day(6)]),
        ],
        posts=[post(), post("k2"), post("k3")],
        objective=weights(fatigue=2, fairness=1),
    )
    plan = [asg("p1", d) for d in range(3)]  # 1440 minutes
    plan += [asg("p2", 0, "night", "k2"), asg("p3", 3, post_id="k3")]  # 720, 480
    result = check(sc, plan)
    # fatigue: 2 * (community_worker max 1440 + volunteer max 480) = 3840.
    assert result.terms["fatigue"] == 3840
    # fairness: community workers p1, p2 only: 1440 - 720; volunteers: only p3 qualifies.
    assert result.terms["fairness"] == 720
    assert result.objective == 3840 + 720


def test_preference_term() -> None:
    """One unit per shift outside a non-empty preferred list, one per avoided shift."""
    sc = scenario(
        people=[
            person("p1", preferred_shifts=["day"], avoided_shifts=["night"]),
            person("p2", avoided_shifts=["day"]),
            person("p3", preferred_shifts=["day", "night"]),
        ],
        objective=weights(preference=100),
    )
    plan = [
        asg("p1", 0),  # preferred: 0
        asg("p1", 1, "night"),  # not preferred and avoided: 2
        asg("p2", 2),  # avoided: 1
        asg("p2", 3, "night"),  # no preference: 0
        asg("p3", 4, "night"),  # preferred: 0
    ]
    assert check(sc, plan).terms["preference"] == 300


def test_requests_term() -> None:
    """Ungranted on/off requests, with or without a shift, cost their weight."""
    requests = [
        {"date": day(0), "shift": "day", "kind": "on", "weight": 2},  # works day d0: granted
        {"date": day(1), "shift": "night", "kind": "on", "weight": 3},  # works day: 3
        {"date": day(2), "kind": "on", "weight": 4},  # works night d2: granted
        {"date": day(3), "shift": "day", "kind": "off", "weight": 5},  # works night: granted
        {"date": day(4), "kind": "off", "weight": 6},  # works day d4: 6
        {"date": day(5), "kind": "on"},  # idle on d5: 1
        {"date": day(6), "shift": "night", "kind": "off", "weight": 7},  # works night: 7
    ]
    sc = scenario(
        people=[
            person("p1", requests=requests),
            person("p2", requests=[{"date": day(0), "kind": "off", "weight": 10}]),  # granted
        ]
    )
    plan = [
        asg("p1", 0),
        asg("p1", 1),
        asg("p1", 2, "night"),
        asg("p1", 3, "night"),
        asg("p1", 4),
        asg("p1", 6, "night"),
    ]
    result = check(sc, plan)
    assert result.terms["requests"] == 3 + 6 + 1 + 7
    assert result.violations == []


def test_continuity_term() -> None:
    """Each distinct post a person works beyond the first costs the continuity weight."""
    sc = scenario(posts=[post(), post("k2"), post("k3")], objective=weights(continuity=1000))
    plan = [
        asg("p1", 0),
        asg("p1", 1, post_id="k2"),
        asg("p1", 2, post_id="k3"),
        asg("p1", 3),  # back on k1: still 3 distinct posts, 2 beyond the first
        asg("p2", 0, post_id="k2"),
        asg("p2", 1, post_id="k2"),  # one post: free
    ]
    assert check(sc, plan).terms["continuity"] == 2000


def test_terms_keys_objective_and_summary() -> None:
    """Base terms are always present, soft terms only when nonzero, objective is their sum,
    and the summary counts violations per family."""
    sc = scenario(
        people=[person("p1", unavailable=[day(0)]), person("p2")],
        rules=rules(max_shifts_per_day=soft(1, 3), min_rest_minutes=soft(0, 1)),
        objective=weights(shortage=1),
    )
    result = check(sc, [asg("p1", 0), asg("p1", 0, "night"), asg("p9", 1)])
    assert set(result.terms) == {*BASE_TERMS, "soft:max_shifts_per_day"}
    # 14 guard-shifts demanded, 2 covered: shortage 12; one extra shift on d0 for p1: 3.
    assert result.terms["shortage"] == 12
    assert result.objective == sum(result.terms.values()) == 15
    assert not result.feasible
    assert [v.family for v in result.hard_violations] == [
        "reference",
        "availability",
        "availability",
    ]
    text = result.summary()
    assert "availability 2" in text
    assert "reference 1" in text
    assert "max_shifts_per_day 1" in text
