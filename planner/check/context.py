"""Resolving assignments against the scenario: the ``reference`` family.

An assignment whose ids, date or role do not fit the scenario is reported here and left out
of every other check and of the objective; the rest become :class:`Item` objects that carry
the resolved person, post, shift template, demand entry and role.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from planner.check.result import Violation
from planner.model import Assignment, Demand, Person, Post, Role, Scenario, ShiftTemplate


@dataclass(frozen=True)
class Item:
    """A valid assignment with everything it refers to."""

    assignment: Assignment
    person: Person
    post: Post
    template: ShiftTemplate
    demand: Demand
    role: Role
    day: int

    @property
    def date(self) -> dt.date:
        """The date the shift starts on."""
        return self.assignment.date

    @property
    def start(self) -> int:
        """Absolute start, in minutes from the horizon start."""
        return self.template.start_at(self.day)

    @property
    def end(self) -> int:
        """Absolute end (exclusive), in minutes from the horizon start."""
        return self.template.end_at(self.day)

    @property
    def minutes(self) -> int:
        """Length of the shift in minutes."""
        return self.template.duration_min

    def describe(self) -> str:
        """``post 'k1' shift 'day' on 2022-04-01``, for messages."""
        a = self.assignment
        return f"post '{a.post}' role '{a.role}' shift '{a.shift}' on {a.date}"


def _reference_problem(scenario: Scenario, a: Assignment) -> str | None:
    """Why ``a`` does not fit the scenario, or None if it does."""
    if a.person not in scenario.person_by_id:
        return f"unknown person '{a.person}'"
    post = scenario.post_by_id.get(a.post)
    if post is None:
        return f"unknown post '{a.post}'"
    if a.shift not in scenario.shift_by_id:
        return f"unknown shift '{a.shift}'"
    if not scenario.horizon.contains(a.date):
        return f"date {a.date} is outside the horizon"
    entry = post.demand_on(a.date, a.shift)
    if entry is None:
        return f"post '{a.post}' has no demand for shift '{a.shift}' on {a.date}"
    if a.role not in {r.role for r in entry.roles}:
        return f"post '{a.post}' has no role '{a.role}' for shift '{a.shift}' on {a.date}"
    return None


def check_reference(
    scenario: Scenario, assignments: Iterable[Assignment]
) -> tuple[list[Item], list[Violation]]:
    """Split ``assignments`` into valid items and ``reference`` violations (always hard)."""
    items: list[Item] = []
    violations: list[Violation] = []
    for a in assignments:
        problem = _reference_problem(scenario, a)
        if problem is not None:
            violations.append(
                Violation(
                    "reference",
                    True,
                    f"assignment of person '{a.person}' to post '{a.post}' shift '{a.shift}' "
                    f"on {a.date}: {problem}",
                    person=a.person,
                    post=a.post,
                    date=a.date,
                )
            )
            continue
        post = scenario.post_by_id[a.post]
        entry = post.demand_on(a.date, a.shift)
        assert entry is not None  # checked by _reference_problem
        role = next(r for r in entry.roles if r.role == a.role)
        items.append(
            Item(
                assignment=a,
                person=scenario.person_by_id[a.person],
                post=post,
                template=scenario.shift_by_id[a.shift],
                demand=entry,
                role=role,
                day=scenario.horizon.day_index(a.date),
            )
        )
    return items, violations


def by_person(scenario: Scenario, items: Iterable[Item]) -> dict[str, list[Item]]:
    """Every person of the scenario -> their items (possibly none), in plan order."""
    result: dict[str, list[Item]] = {p.id: [] for p in scenario.people}
    for item in items:
        result[item.person.id].append(item)
    return result
