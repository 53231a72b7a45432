"""Objective terms that are not tied to a broken rule: workload, wishes and continuity.

Every term is already multiplied by its weight from ``scenario.objective``. Minutes worked
are the summed template durations of a person's valid assignments.
"""

from __future__ import annotations

from collections.abc import Sequence

from planner.check.context import Item, by_person
from planner.model import RequestKind, Scenario


def minutes_worked(scenario: Scenario, items: Sequence[Item]) -> dict[str, int]:
    """Person id -> minutes worked, for every person of the scenario."""
    return {pid: sum(i.minutes for i in own) for pid, own in by_person(scenario, items).items()}


def term_fatigue(scenario: Scenario, items: Sequence[Item]) -> int:
    """``fatigue`` times the sum over categories of the most minutes one person works."""
    minutes = minutes_worked(scenario, items)
    most: dict[str, int] = {}
    for person in scenario.people:
        most[person.category] = max(most.get(person.category, 0), minutes[person.id])
    return scenario.objective.fatigue * sum(most.values())


def term_fairness(scenario: Scenario, items: Sequence[Item]) -> int:
    """``fairness`` times the sum of (most - fewest minutes) per category.

    Only people available on every horizon date count, and only categories with at least
    two such people.
    """
    minutes = minutes_worked(scenario, items)
    dates = scenario.horizon.dates()
    groups: dict[str, list[int]] = {}
    for person in scenario.people:
        if all(person.is_available(d) for d in dates):
            groups.setdefault(person.category, []).append(minutes[person.id])
    spread = sum(max(group) - min(group) for group in groups.values() if len(group) >= 2)
    return scenario.objective.fairness * spread


def term_preference(scenario: Scenario, items: Sequence[Item]) -> int:
    """``preference`` per shift outside a non-empty preferred list, and per avoided shift."""
    count = 0
    for item in items:
        person, shift = item.person, item.template.id
        if person.preferred_shifts and shift not in person.preferred_shifts:
            count += 1
        if shift in person.avoided_shifts:
            count += 1
    return scenario.objective.preference * count


def term_requests(scenario: Scenario, items: Sequence[Item]) -> int:
    """The weight of every request the plan does not grant."""
    own_items = by_person(scenario, items)
    total = 0
    for person in scenario.people:
        for req in person.requests:
            works = any(
                i.date == req.date and (req.shift is None or i.template.id == req.shift)
                for i in own_items[person.id]
            )
            granted = works if req.kind == RequestKind.ON else not works
            if not granted:
                total += req.weight
    return total


def term_continuity(scenario: Scenario, items: Sequence[Item]) -> int:
    """``continuity`` per person and per distinct post worked beyond the first."""
    extra = 0
    for own in by_person(scenario, items).values():
        posts = {i.post.id for i in own}
        extra += max(0, len(posts) - 1)
    return scenario.objective.continuity * extra
