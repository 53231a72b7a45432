"""Plan building (shortages, workload, KPIs) and the terminal summary, on a hand-made roster.

See ``tests/planhelpers.py`` for the scenario and the roster.
"""

from __future__ import annotations

from planhelpers import D1, D2, SECRET, asg, roster, scenario

from planner.model import Shortage, Stats, Status
from planner.report import build_plan, summary_text
from planner.report.build import NO_COMMUNITY


def _plan():
    return build_plan(scenario(), roster(), Stats(status=Status.FEASIBLE, objective=42))


def test_assignments_are_sorted_by_date_shift_post_role_person():
    """The roster comes back ordered by date, then shift, post, role and person (scenario order)."""
    got = [(a.date, a.shift, a.post, a.role, a.person) for a in _plan().assignments]
    assert got == [
        (D1, "day", "k1", "guard", "p1"),
        (D1, "day", "k1", "guard", "p2"),
        (D1, "day", "k1", "guard", "p4"),
        (D2, "day", "k1", "guard", "p1"),
        (D2, "day", "s1", "swab", "p3"),
        (D2, "night", "k1", "guard", "p2"),
    ]


def test_shortages_list_every_unfilled_cell_with_priority():
    """Holes: day 1 k1 night (1 of 1), day 2 k1 day (1 of 2), day 2 s1 reg (1 of 1).

    The third day-1 guard does not fill the night; s1 does not run on day 1.
    """
    assert _plan().shortages == [
        Shortage(post="k1", role="guard", date=D1, shift="night", missing=1, priority=3),
        Shortage(post="k1", role="guard", date=D2, shift="day", missing=1, priority=3),
        Shortage(post="s1", role="reg", date=D2, shift="day", missing=1, priority=1),
    ]


def test_kpis_exact():
    """KPIs derived by hand.

    Demand: k1 needs 2 + 1 per day for 2 days = 6; s1 needs 2 on day 2; total 8.
    Covered: k1 day 1 min(3, 2) = 2, night 0; day 2: 1 + 1; s1 swab 1, reg 0; total 5,
    so coverage 5 / 8 = 62.5 %. Weighted: k1 priority 3 gives 12 of 18, s1 gives 1 of 2,
    so 13 / 20 = 65 %. The k1 shortage (2) falls in c1 through grid g1; s1's (1) in none.
    """
    k = _plan().kpis
    assert k is not None
    assert (k.demand, k.covered) == (8, 5)
    assert k.coverage_pct == 62.5
    assert k.weighted_coverage_pct == 65.0
    assert k.shortage_by_post_type == {"checkpoint": 2, "sampling_station": 1}
    assert k.shortage_by_community == {"c1": 2, NO_COMMUNITY: 1}
    assert k.shortage_by_day == {"2022-03-01": 1, "2022-03-02": 2}
    assert k.shortage_by_shift == {"night": 1, "day": 2}
    assert k.most_uncovered_posts == [("k1", 2), ("s1", 1)]


def test_workload_exact():
    """Per person (shifts, minutes, nights, days off, longest run), derived by hand.

    p1: day shifts on both days: 2, 960, 0, 0 off, run 2. p2: day on day 1, night on day 2:
    2, 480 + 720 = 1200, 1 night, 0 off, run 2. p3: unavailable on day 1, works day 2: one
    available day and it is worked, so 0 off, run 1. p4: works day 1 only: 1 off, run 1.
    """
    rows = {
        w.person: (w.shifts, w.minutes, w.nights, w.days_off, w.longest_run)
        for w in _plan().workload
    }
    assert rows == {
        "p1": (2, 960, 0, 0, 2),
        "p2": (2, 1200, 1, 0, 2),
        "p3": (1, 480, 0, 0, 1),
        "p4": (1, 480, 0, 1, 1),
    }


def test_empty_roster_has_no_coverage_and_everyone_off():
    """With nobody assigned, every demanded person-shift is missing and every available day off."""
    plan = build_plan(scenario(), [], Stats(status=Status.UNKNOWN))
    assert plan.kpis is not None
    assert (plan.kpis.covered, plan.kpis.coverage_pct) == (0, 0.0)
    assert sum(s.missing for s in plan.shortages) == 8
    # p3 is unavailable on day 1, so only one of its days counts as a day off.
    assert {w.person: w.days_off for w in plan.workload} == {"p1": 2, "p2": 2, "p3": 1, "p4": 2}


def test_full_cover_is_100_percent_and_no_shortage():
    """A roster filling every cell exactly has coverage 100 % and no shortage."""
    full = [
        asg("p1", "k1", "guard", D1, "day"),
        asg("p4", "k1", "guard", D1, "day"),
        asg("p2", "k1", "guard", D1, "night"),
        asg("p1", "k1", "guard", D2, "day"),
        asg("p4", "k1", "guard", D2, "day"),
        asg("p2", "k1", "guard", D2, "night"),
        asg("p3", "s1", "swab", D2, "day"),
        asg("p2", "s1", "reg", D2, "day"),
    ]
    plan = build_plan(scenario(), full, Stats(status=Status.OPTIMAL))
    assert plan.shortages == []
    assert plan.kpis is not None
    assert (plan.kpis.coverage_pct, plan.kpis.weighted_coverage_pct) == (100.0, 100.0)
    assert plan.kpis.most_uncovered_posts == []


def test_summary_names_the_worst_post_and_hides_contacts():
    """The summary gives the coverage and the worst post by name, and no personal contact."""
    text = summary_text(_plan(), scenario())
    assert "62.5%" in text
    assert "东门卡口" in text
    assert SECRET not in text
