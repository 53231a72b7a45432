"""Property tests: random small scenarios, solved, then judged by the checker and brute force.

Each scenario has 1-2 posts, 1-3 shift templates (always one crossing midnight), 1-4 people
and 1-3 days, with random categories, skills, locality, exposure, availability, requests,
preferences, at-least rules, fixed and forbidden assignments and random hard or soft work
rules. For every plan the solver returns, the checker must find no hard violation and the
same objective, and the bound must not exceed the objective; on the smallest instances the
solver's optimum must equal the least checker objective over every subset of candidate
assignments (``brute.py``). Contradictions must come back as status infeasible with named
conflicts, never as an exception.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from brute import brute_force, candidates, least_levels
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from planner.check import check
from planner.model import Assignment, Plan, Scenario
from planner.solvers import SolveParams, solve
from planner.solvers.cpsat.levels import level_values

SETTINGS = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
PARAMS = SolveParams(time_limit_s=2, workers=2, seed=0)

# Fri, Sat and Mon: horizons of 1-3 days from these see whole, partial and no weekends.
STARTS = [dt.date(2022, 4, 8), dt.date(2022, 4, 9), dt.date(2022, 4, 11)]
# "n" always crosses midnight; "e" ends when "l" starts (a zero gap); "d" overlaps both.
TEMPLATES: dict[str, dict[str, Any]] = {
    "n": {"id": "n", "start": "22:00", "duration_min": 600, "night": True},
    "e": {"id": "e", "start": "06:00", "duration_min": 480},
    "l": {"id": "l", "start": "14:00", "duration_min": 480},
    "d": {"id": "d", "start": "09:00", "duration_min": 540},
}
CATEGORIES = ["community_worker", "volunteer", "medical", "seconded_cadre"]
GRIDS = {"c1": ["g1", "g2"], "c2": ["g3"]}
SKILLS = ["swab", "scan"]

RULE_VALUES: dict[str, st.SearchStrategy[int]] = {
    "max_shifts_per_day": st.integers(1, 2),
    "max_minutes_per_day": st.sampled_from([600, 960, 480]),
    "max_minutes_per_7_days": st.sampled_from([960, 1500, 600]),
    "max_minutes_per_horizon": st.sampled_from([960, 1500, 600]),
    "min_minutes_per_horizon": st.sampled_from([480, 0]),
    "max_consecutive_days": st.integers(1, 2),
    "min_consecutive_days": st.integers(1, 2),
    "min_consecutive_days_off": st.integers(1, 2),
    "min_rest_minutes": st.sampled_from([480, 720, 0]),
    "max_nights_per_7_days": st.integers(0, 2),
    "max_weekends": st.integers(0, 1),
}


def _subset(draw: st.DrawFn, items: list[str], min_size: int = 0) -> list[str]:
    chosen = [x for x in items if draw(st.booleans())]
    if len(chosen) < min_size:
        chosen = [draw(st.sampled_from(items))]
    return chosen


def _limit(draw: st.DrawFn, values: st.SearchStrategy[int]) -> Any:
    value = draw(values)
    weight = draw(st.one_of(st.none(), st.integers(1, 30)))
    return value if weight is None else {"value": value, "weight": weight}


def _work_rules(draw: st.DrawFn, templates: list[str], max_rules: int) -> dict[str, Any]:
    names = draw(st.lists(st.sampled_from(sorted(RULE_VALUES)), max_size=max_rules, unique=True))
    rules = {name: _limit(draw, RULE_VALUES[name]) for name in names}
    if draw(st.booleans()):
        tid = draw(st.sampled_from(templates))
        rules["max_shifts_per_template"] = {tid: _limit(draw, st.sampled_from([1, 2, 0]))}
    return rules


def _post(draw: st.DrawFn, idx: int, templates: list[str], dates: list[str]) -> dict[str, Any]:
    community = draw(st.sampled_from(["c1", "c1", "c2"]))
    shifts = _subset(draw, templates, min_size=1)
    demand = []
    for tid in shifts:
        if draw(st.integers(0, 4)) == 4:
            continue  # a shift the post runs without demand
        roles = []
        for r in range(draw(st.integers(1, 2))):
            role: dict[str, Any] = {"role": f"r{r}", "headcount": draw(st.integers(1, 2))}
            if draw(st.integers(0, 2)) == 2:
                role["categories"] = _subset(draw, CATEGORIES, min_size=1)
            if draw(st.integers(0, 4)) == 4:
                role["skills"] = _subset(draw, SKILLS, min_size=1)
            if draw(st.integers(0, 3)) == 3:
                role["overstaff_weight"] = draw(st.integers(0, 40))
            roles.append(role)
        entry: dict[str, Any] = {"shift": tid, "roles": roles}
        if draw(st.integers(0, 2)) == 2:
            rule: dict[str, Any] = {
                "count": draw(st.integers(1, 2)),
                "categories": _subset(draw, CATEGORIES, min_size=1),
            }
            if draw(st.booleans()):
                rule["weight"] = draw(st.integers(1, 60))
            entry["at_least"] = [rule]
        demand.append(entry)
    days = None
    if draw(st.integers(0, 3)) == 3:
        days = _subset(draw, dates, min_size=1)
    return {
        "id": f"p{idx}",
        "type": draw(st.sampled_from(["checkpoint", "sampling_station", "grid_duty"])),
        "community": community,
        "grid": draw(st.one_of(st.none(), st.sampled_from(GRIDS[community]))),
        "exposure": draw(st.sampled_from(["low", "medium", "high"])),
        "priority": draw(st.integers(1, 3)),
        "shifts": shifts,
        "days": days,
        "demand": demand,
    }


def _person(draw: st.DrawFn, idx: int, templates: list[str], dates: list[str]) -> dict[str, Any]:
    community = draw(st.sampled_from(["c1", "c1", "c2"]))
    data: dict[str, Any] = {
        "id": f"w{idx}",
        "category": draw(st.sampled_from(CATEGORIES)),
        "community": community,
        "grid": draw(st.sampled_from(GRIDS[community])),
        "age": draw(st.sampled_from([25, 45, 60, 70])),
        "skills": _subset(draw, SKILLS),
        "vulnerable": draw(st.integers(0, 5)) == 5,
        "preferred_shifts": _subset(draw, templates) if draw(st.booleans()) else [],
        "avoided_shifts": _subset(draw, templates) if draw(st.booleans()) else [],
    }
    if draw(st.integers(0, 4)) == 4:
        first, last = sorted(draw(st.lists(st.sampled_from(dates), min_size=2, max_size=2)))
        data["available_from"], data["available_until"] = first, last
    if draw(st.integers(0, 4)) == 4:
        data["unavailable"] = _subset(draw, dates, min_size=1)
    if draw(st.booleans()):
        request: dict[str, Any] = {
            "date": draw(st.sampled_from(dates)),
            "kind": draw(st.sampled_from(["on", "off"])),
            "weight": draw(st.integers(1, 40)),
        }
        if draw(st.booleans()):
            request["shift"] = draw(st.sampled_from(templates))
        data["requests"] = [request]
    if draw(st.integers(0, 3)) == 3:
        data["limits"] = _work_rules(draw, templates, max_rules=2)
    return data


def _pins(draw: st.DrawFn, data: dict[str, Any]) -> list[dict[str, Any]]:
    """No pin (mostly), a pin among eligible candidates, or a pin on any demanded place."""
    kind = draw(st.integers(0, 5))
    if kind < 4:
        return []
    if kind == 4:
        pool = candidates(Scenario.model_validate(data))
        if pool:
            return [draw(st.sampled_from(pool)).model_dump(mode="json")]
    slots = [
        (p["id"], role["role"], date, entry["shift"])
        for p in data["posts"]
        for entry in p["demand"]
        for role in entry["roles"]
        for date in [d.isoformat() for d in _dates(data)]
        if p["days"] is None or date in p["days"]
    ]
    if not slots:
        return []
    post_id, role, date, shift = draw(st.sampled_from(slots))
    person = draw(st.sampled_from([p["id"] for p in data["people"]]))
    return [{"person": person, "post": post_id, "role": role, "date": date, "shift": shift}]


def _dates(data: dict[str, Any]) -> list[dt.date]:
    start = dt.date.fromisoformat(data["horizon"]["start"])
    return [start + dt.timedelta(days=d) for d in range(data["horizon"]["days"])]


@st.composite
def scenarios(
    draw: st.DrawFn,
    max_posts: int = 2,
    max_templates: int = 3,
    max_people: int = 4,
    max_days: int = 3,
) -> Scenario:
    """A random valid scenario within the given sizes."""
    start = draw(st.sampled_from(STARTS))
    num_days = draw(st.sampled_from(range(1, max_days + 1)))
    dates = [(start + dt.timedelta(days=d)).isoformat() for d in range(num_days)]
    others = _subset(draw, ["e", "l", "d"])[: max_templates - 1]
    templates = ["n", *others]
    posts = [
        _post(draw, i, templates, dates)
        for i in range(draw(st.sampled_from(range(1, max_posts + 1))))
    ]
    people = [
        _person(draw, i, templates, dates)
        for i in range(draw(st.sampled_from(range(1, max_people + 1))))
    ]
    person_ids = [p["id"] for p in people]
    rules: dict[str, Any] = {
        "defaults": _work_rules(draw, templates, max_rules=4),
        "locality": {
            cat: draw(st.sampled_from(["district", "community", "grid"]))
            for cat in _subset(draw, CATEGORIES)
        },
        "exposure": {
            "vulnerable_age": draw(st.sampled_from([None, 60])),
            "vulnerable_max_exposure": draw(st.sampled_from(["medium", "low", "high"])),
        },
    }
    if draw(st.booleans()):
        rules["categories"] = {
            draw(st.sampled_from(CATEGORIES)): _work_rules(draw, templates, max_rules=2)
        }
    # several successions, so that hard ones sharing followers are merged into cliques
    pairs = [(a, b) for a in templates for b in templates]
    chosen_pairs = draw(st.lists(st.sampled_from(pairs), max_size=3, unique=True))
    successions: list[dict[str, Any]] = []
    for first, then in chosen_pairs:
        succession: dict[str, Any] = {"first": first, "then": then}
        if draw(st.integers(0, 2)) == 2:
            succession["weight"] = draw(st.integers(1, 30))
        successions.append(succession)
    if successions:
        rules["forbidden_successions"] = successions
    forbidden = []
    if draw(st.integers(0, 3)) == 3:
        forbidden.append(
            {
                "person": draw(st.sampled_from(person_ids)),
                "post": draw(st.one_of(st.none(), st.sampled_from([p["id"] for p in posts]))),
                "date": draw(st.one_of(st.none(), st.sampled_from(dates))),
                "shift": draw(st.one_of(st.none(), st.sampled_from(templates))),
            }
        )
    data = {
        "name": "random",
        "horizon": {"start": start.isoformat(), "days": num_days},
        "shifts": [TEMPLATES[t] for t in templates],
        "communities": [
            {"id": c, "grids": [{"id": g} for g in grids]} for c, grids in GRIDS.items()
        ],
        "posts": posts,
        "people": people,
        "rules": rules,
        "forbidden": forbidden,
        "objective": {
            "shortage": draw(st.sampled_from([1000, 5000])),
            "fatigue": draw(st.integers(0, 1)),
            "fairness": draw(st.integers(0, 1)),
            "preference": draw(st.integers(0, 20)),
            "continuity": draw(st.integers(0, 20)),
        },
    }
    data["fixed"] = _pins(draw, data)
    return Scenario.model_validate(data)


def assert_consistent(scenario: Scenario, plan: Plan) -> None:
    """A plan with a roster passes the checker with the same objective and a sound bound."""
    stats = plan.stats
    if stats.status == "infeasible":
        assert stats.conflicts, "an infeasible answer names its conflicts"
        return
    assert stats.status in ("optimal", "feasible"), stats
    result = check(scenario, plan)
    hard = [v for v in result.violations if v.hard]
    assert hard == [], hard
    assert result.feasible
    assert result.objective == stats.objective, (result.terms, stats.objective_terms)
    assert stats.bound is not None and stats.objective is not None
    assert stats.bound <= stats.objective


@SETTINGS
@given(scenarios())
def test_solver_plans_pass_the_checker(scenario: Scenario) -> None:
    """Every plan passes the checker, with the solver's objective, above the bound."""
    note(scenario.model_dump_json(exclude_defaults=True))
    assert_consistent(scenario, solve(scenario, PARAMS))


@SETTINGS
@given(scenarios(max_templates=2))
def test_solver_optimum_equals_brute_force(scenario: Scenario) -> None:
    """On instances small enough to enumerate, the solver's optimum is the true minimum."""
    note(scenario.model_dump_json(exclude_defaults=True))
    plan = solve(scenario, PARAMS)
    assert_consistent(scenario, plan)
    truth = brute_force(scenario, max_candidates=14)
    if truth is None:
        return  # too many candidates to enumerate
    note(f"brute force: {truth}")
    if truth.objective is None:
        assert plan.stats.status == "infeasible"
    else:
        assert plan.stats.status == "optimal"
        assert plan.stats.objective == truth.objective


@SETTINGS
@given(scenarios(max_templates=2))
def test_lexicographic_optimum_equals_brute_force(scenario: Scenario) -> None:
    """In lexicographic mode (no tolerance) the plan passes the checker with the solver's
    objective, and on instances small enough to enumerate its (coverage, burden, wishes)
    is the least over every feasible plan."""
    objective = scenario.objective.model_copy(update={"lexicographic": True})
    scenario = scenario.model_copy(update={"objective": objective})
    note(scenario.model_dump_json(exclude_defaults=True))
    plan = solve(scenario, PARAMS)
    assert_consistent(scenario, plan)
    truth = least_levels(scenario, max_candidates=12)
    note(f"brute force: {truth}")
    if truth is not None:
        assert level_values(plan.stats.objective_terms) == truth


@st.composite
def contradictory(draw: st.DrawFn) -> Scenario:
    """A random scenario plus one person pinned to two posts on the same shift."""
    base = draw(scenarios(max_posts=1, max_people=3))
    data = base.model_dump(mode="json")
    date = draw(st.sampled_from([d.isoformat() for d in base.horizon.dates()]))
    shift = draw(st.sampled_from([s.id for s in base.shifts]))
    person = draw(st.sampled_from([p.id for p in base.people]))
    for pid in ("pin_a", "pin_b"):
        data["posts"].append(
            {
                "id": pid,
                "type": "checkpoint",
                "shifts": [shift],
                "demand": [{"shift": shift, "roles": [{"role": "guard", "headcount": 1}]}],
            }
        )
        data["fixed"].append(
            {"person": person, "post": pid, "role": "guard", "date": date, "shift": shift}
        )
    return Scenario.model_validate(data)


@settings(SETTINGS, max_examples=25)
@given(contradictory())
def test_contradictory_pins_are_infeasible(scenario: Scenario) -> None:
    """Pinning one person to two posts at once yields status infeasible with conflicts."""
    plan = solve(scenario, PARAMS)
    assert plan.stats.status == "infeasible"
    assert plan.stats.conflicts
    pins = [
        Assignment(person=f.person, post=f.post, role=f.role, date=f.date, shift=f.shift)
        for f in scenario.fixed
    ]
    assert not check(scenario, pins).feasible
