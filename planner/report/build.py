"""Build a :class:`~planner.model.Plan` from a roster: shortages, workload and KPIs.

Every number here is recomputed from the scenario and the assignments alone, so any
solver (or a hand-made roster) gets the same report. Outputs are ordered the way the
scenario lists things: dates in order, then shifts, posts, roles and people in the order
the scenario gives them; ids the scenario does not know come last, by id.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable

from planner.model import (
    Assignment,
    HorizonRef,
    Kpis,
    Plan,
    Post,
    Scenario,
    Shortage,
    Stats,
    Workload,
)

#: How many posts :attr:`Kpis.most_uncovered_posts` lists.
NUM_WORST_POSTS = 10

#: Community label for posts that belong to no community.
NO_COMMUNITY = "—"

#: Percentages are rounded to this many decimals.
PCT_DECIMALS = 3

Cell = tuple[str, dt.date, str, str]  # (post, date, shift, role)


def _rank(ids: Iterable[str]) -> dict[str, int]:
    return {value: idx for idx, value in enumerate(ids)}


def _key(rank: dict[str, int], value: str) -> tuple[int, str]:
    # Known ids in scenario order, unknown ones after them by id.
    return (rank.get(value, len(rank)), value)


def sort_assignments(scenario: Scenario, assignments: Iterable[Assignment]) -> list[Assignment]:
    """Assignments ordered by date, shift, post, role and person (scenario order).

    Parameters
    ----------
    scenario
        The scenario that gives the order of shifts, posts and people.
    assignments
        Any assignments, possibly with ids the scenario does not know.

    Returns
    -------
    list of Assignment
        A new, deterministically ordered list.
    """
    shift_rank = _rank(s.id for s in scenario.shifts)
    post_rank = _rank(p.id for p in scenario.posts)
    person_rank = _rank(p.id for p in scenario.people)
    role_rank = _rank(_role_order(scenario))
    return sorted(
        assignments,
        key=lambda a: (
            a.date,
            _key(shift_rank, a.shift),
            _key(post_rank, a.post),
            _key(role_rank, a.role),
            _key(person_rank, a.person),
        ),
    )


def _role_order(scenario: Scenario) -> list[str]:
    seen: dict[str, None] = {}
    for post in scenario.posts:
        for entry in post.demand:
            for role in entry.roles:
                seen.setdefault(role.role, None)
    return list(seen)


def post_community(scenario: Scenario, post: Post) -> str:
    """The community a post belongs to: its own, its grid's, or ``"—"`` for none."""
    if post.community is not None:
        return post.community
    if post.grid is not None:
        return scenario.grid_community.get(post.grid, NO_COMMUNITY)
    return NO_COMMUNITY


def demand_cells(scenario: Scenario) -> list[tuple[Cell, int, int]]:
    """Every post-date-shift-role with demand: ``((post, date, shift, role), headcount, priority)``.

    Ordered by date, shift, post and role as the scenario lists them; roles with a
    headcount of zero are left out.
    """
    cells: list[tuple[Cell, int, int]] = []
    for date in scenario.horizon.dates():
        for shift in scenario.shifts:
            for post in scenario.posts:
                if shift.id not in post.shifts:
                    continue
                entry = post.demand_on(date, shift.id)
                if entry is None:
                    continue
                for role in entry.roles:
                    if role.headcount > 0:
                        cell = (post.id, date, shift.id, role.role)
                        cells.append((cell, role.headcount, post.priority))
    return cells


def _pct(part: int, whole: int) -> float:
    return 100.0 if whole == 0 else round(100.0 * part / whole, PCT_DECIMALS)


def _shortages(
    scenario: Scenario, assigned: Counter[Cell]
) -> tuple[list[Shortage], int, int, int, int]:
    shortages: list[Shortage] = []
    demand = covered = weighted_demand = weighted_covered = 0
    for cell, headcount, priority in demand_cells(scenario):
        got = min(assigned[cell], headcount)
        demand += headcount
        covered += got
        weighted_demand += priority * headcount
        weighted_covered += priority * got
        if got < headcount:
            post, date, shift, role = cell
            shortages.append(
                Shortage(
                    post=post,
                    role=role,
                    date=date,
                    shift=shift,
                    missing=headcount - got,
                    priority=priority,
                )
            )
    return shortages, demand, covered, weighted_demand, weighted_covered


def _longest_run(worked: set[int]) -> int:
    best = 0
    for day in worked:
        if day - 1 in worked:
            continue
        length = 1
        while day + length in worked:
            length += 1
        best = max(best, length)
    return best


def workload(scenario: Scenario, assignments: Iterable[Assignment]) -> list[Workload]:
    """What the roster asks of each person of the scenario, in scenario order.

    ``days_off`` counts the horizon days a person is available and starts no shift;
    ``longest_run`` is the longest run of consecutive days on which they start a shift.
    """
    by_person: dict[str, list[Assignment]] = {p.id: [] for p in scenario.people}
    for a in assignments:
        if a.person in by_person:
            by_person[a.person].append(a)
    shifts = scenario.shift_by_id
    dates = scenario.horizon.dates()
    rows: list[Workload] = []
    for person in scenario.people:
        mine = by_person[person.id]
        templates = [shifts[a.shift] for a in mine if a.shift in shifts]
        worked = {scenario.horizon.day_index(a.date) for a in mine}
        available_off = sum(
            1 for idx, date in enumerate(dates) if person.is_available(date) and idx not in worked
        )
        rows.append(
            Workload(
                person=person.id,
                category=person.category,
                shifts=len(mine),
                minutes=sum(t.duration_min for t in templates),
                nights=sum(1 for t in templates if t.night),
                days_off=available_off,
                longest_run=_longest_run(worked),
            )
        )
    return rows


def kpis_from(
    scenario: Scenario,
    shortages: list[Shortage],
    demand: int,
    covered: int,
    weighted_demand: int,
    weighted_covered: int,
) -> Kpis:
    """Headline numbers from the shortages and the demand/coverage totals."""
    posts = scenario.post_by_id
    by_type: Counter[str] = Counter()
    by_community: Counter[str] = Counter()
    by_day: Counter[str] = Counter()
    by_shift: Counter[str] = Counter()
    by_post: Counter[str] = Counter()
    for s in shortages:
        post = posts[s.post]
        by_type[post.type.value] += s.missing
        by_community[post_community(scenario, post)] += s.missing
        by_day[s.date.isoformat()] += s.missing
        by_shift[s.shift] += s.missing
        by_post[s.post] += s.missing
    post_rank = _rank(posts)
    worst = sorted(by_post.items(), key=lambda kv: (-kv[1], _key(post_rank, kv[0])))
    return Kpis(
        demand=demand,
        covered=covered,
        coverage_pct=_pct(covered, demand),
        weighted_coverage_pct=_pct(weighted_covered, weighted_demand),
        shortage_by_post_type=dict(by_type),
        shortage_by_community=dict(by_community),
        shortage_by_day=dict(by_day),
        shortage_by_shift=dict(by_shift),
        most_uncovered_posts=worst[:NUM_WORST_POSTS],
    )


def build_plan(scenario: Scenario, assignments: Iterable[Assignment], stats: Stats) -> Plan:
    """A complete plan: the sorted roster, its shortages, the workload and the KPIs.

    Parameters
    ----------
    scenario
        The scenario the roster answers.
    assignments
        Who works where and when; need not be feasible (the report only counts).
    stats
        How the roster was found; copied into the plan unchanged.

    Returns
    -------
    Plan
        With shortages for every post-date-shift-role whose assigned people (at most the
        headcount counted) fall short of its headcount, workload for every person and KPIs.
    """
    roster = sort_assignments(scenario, assignments)
    assigned: Counter[Cell] = Counter((a.post, a.date, a.shift, a.role) for a in roster)
    shortages, demand, covered, w_demand, w_covered = _shortages(scenario, assigned)
    return Plan(
        scenario=scenario.name,
        horizon=HorizonRef(start=scenario.horizon.start, days=scenario.horizon.days),
        assignments=roster,
        shortages=shortages,
        workload=workload(scenario, roster),
        kpis=kpis_from(scenario, shortages, demand, covered, w_demand, w_covered),
        stats=stats,
    )
