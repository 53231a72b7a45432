"""Brute force for tiny scenarios: the least checker objective over every subset of candidates.

The enumerator knows as little as possible. Candidates are the (person, post, role, date,
shift) combinations that pass the static eligibility rules of the model (demand exists,
availability, category, skills, locality, exposure, forbidden assignments), written here
again from the model's docstrings, plus every fixed assignment whatever its eligibility.
Subsets are enumerated depth first, pruning only what the model makes hard whatever the
rules: one person on two overlapping shifts, more people on a role than its headcount when
it has no ``overstaff_weight``, a subset without a fixed assignment. Everything else
(working-time rules, at-least rules, costs) is left to :func:`planner.check.check`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from planner.model import Assignment, Exposure, Locality, Person, Post, Scenario


@dataclass(frozen=True)
class BruteResult:
    """The least objective of a feasible subset, one subset reaching it, and the effort."""

    objective: int | None
    best: tuple[Assignment, ...]
    subsets: int
    feasible: int


def _locality_ok(scenario: Scenario, person: Person, post: Post) -> bool:
    reach = scenario.rules.locality_of(person.category)
    if reach == Locality.DISTRICT:
        return True
    post_community = post.community
    if post_community is None and post.grid is not None:
        post_community = scenario.grid_community.get(post.grid)
    if reach == Locality.COMMUNITY:
        return post_community is not None and post_community == person.community
    if post.grid is not None:
        return post.grid == person.grid
    return post_community is not None and post_community == person.community


def _exposure_ok(scenario: Scenario, person: Person, post: Post) -> bool:
    rule = scenario.rules.exposure
    limit, age = rule.vulnerable_age, person.age
    vulnerable = person.vulnerable or (limit is not None and age is not None and age >= limit)
    return not vulnerable or Exposure(post.exposure).rank <= rule.vulnerable_max_exposure.rank


def _forbidden(scenario: Scenario, person: str, post: str, date: dt.date, shift: str) -> bool:
    for rule in scenario.forbidden:
        if (
            rule.person == person
            and rule.post in (None, post)
            and rule.date in (None, date)
            and rule.shift in (None, shift)
        ):
            return True
    return False


def candidates(scenario: Scenario) -> list[Assignment]:
    """Every assignment that passes the static eligibility rules, plus every fixed one."""
    found: list[Assignment] = []
    for post in scenario.posts:
        for date in scenario.horizon.dates():
            for shift in post.shifts:
                entry = post.demand_on(date, shift)
                if entry is None:
                    continue
                for role in entry.roles:
                    if role.headcount == 0 and role.overstaff_weight is None:
                        continue
                    for person in scenario.people:
                        if not person.is_available(date):
                            continue
                        if role.categories and person.category not in role.categories:
                            continue
                        if not set(role.skills) <= set(person.skills):
                            continue
                        if not _locality_ok(scenario, person, post):
                            continue
                        if not _exposure_ok(scenario, person, post):
                            continue
                        if _forbidden(scenario, person.id, post.id, date, shift):
                            continue
                        found.append(
                            Assignment(
                                person=person.id,
                                post=post.id,
                                role=role.role,
                                date=date,
                                shift=shift,
                            )
                        )
    for fix in scenario.fixed:
        pinned = Assignment(
            person=fix.person, post=fix.post, role=fix.role, date=fix.date, shift=fix.shift
        )
        if pinned not in found:
            found.append(pinned)
    return found


def _interval(scenario: Scenario, a: Assignment) -> tuple[int, int]:
    template = scenario.shift_by_id[a.shift]
    day = scenario.horizon.day_index(a.date)
    return template.start_at(day), template.end_at(day)


def subsets(scenario: Scenario, pool: list[Assignment]) -> Iterator[list[Assignment]]:
    """Every subset of ``pool`` holding all fixed assignments, no overlap, no hard overstaff."""
    fixed = {
        Assignment(person=f.person, post=f.post, role=f.role, date=f.date, shift=f.shift)
        for f in scenario.fixed
    }
    caps: dict[tuple[str, str, dt.date, str], int | None] = {}
    for a in pool:
        entry = scenario.post_by_id[a.post].demand_on(a.date, a.shift)
        role = next((r for r in entry.roles if r.role == a.role), None) if entry else None
        key = (a.post, a.role, a.date, a.shift)
        caps[key] = None if role is None or role.overstaff_weight is not None else role.headcount
    spans = [_interval(scenario, a) for a in pool]
    chosen: list[int] = []
    taken: dict[tuple[str, str, dt.date, str], int] = {}

    def fits(i: int) -> bool:
        a = pool[i]
        key = (a.post, a.role, a.date, a.shift)
        cap = caps[key]
        if cap is not None and taken.get(key, 0) >= cap:
            return False
        start, end = spans[i]
        for j in chosen:
            if pool[j].person == a.person:
                other_start, other_end = spans[j]
                if start < other_end and other_start < end:
                    return False
        return True

    def walk(i: int) -> Iterator[list[Assignment]]:
        if i == len(pool):
            yield [pool[j] for j in chosen]
            return
        a = pool[i]
        if fits(i):
            key = (a.post, a.role, a.date, a.shift)
            chosen.append(i)
            taken[key] = taken.get(key, 0) + 1
            yield from walk(i + 1)
            taken[key] -= 1
            chosen.pop()
        if a not in fixed:
            yield from walk(i + 1)

    yield from walk(0)


def _checked(scenario: Scenario, max_candidates: int) -> Iterator[tuple[list[Assignment], Any]]:
    """Every enumerated subset with its checker result; nothing when there are more than
    ``max_candidates`` candidates."""
    from planner.check import check

    pool = candidates(scenario)
    if len(pool) > max_candidates:
        return
    for subset in subsets(scenario, pool):
        yield subset, check(scenario, subset)


def brute_force(scenario: Scenario, max_candidates: int = 14) -> BruteResult | None:
    """The least checker objective over feasible subsets of candidates.

    Returns None when there are more than ``max_candidates`` candidates (too many to
    enumerate). ``objective`` is None when no subset is feasible.
    """
    if len(candidates(scenario)) > max_candidates:
        return None
    best: int | None = None
    best_set: tuple[Assignment, ...] = ()
    count = feasible = 0
    for subset, result in _checked(scenario, max_candidates):
        count += 1
        if not result.feasible:
            continue
        feasible += 1
        if best is None or result.objective < best:
            best, best_set = result.objective, tuple(subset)
    return BruteResult(objective=best, best=best_set, subsets=count, feasible=feasible)


def least_levels(scenario: Scenario, max_candidates: int = 14) -> list[int] | None:
    """The lexicographically least (coverage, burden, wishes) over feasible subsets.

    None when there are too many candidates to enumerate or no subset is feasible.
    """
    from planner.solvers.cpsat.levels import level_values

    best: list[int] | None = None
    for _, result in _checked(scenario, max_candidates):
        if result.feasible:
            levels = level_values(result.terms)
            if best is None or levels < best:
                best = levels
    return best
