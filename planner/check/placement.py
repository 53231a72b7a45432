"""Rules about single assignments: who may stand where and when.

Families: ``availability``, ``qualification``, ``locality``, ``exposure``, ``forbidden``,
``fixed``. All hard; each breach has amount 1.
"""

from __future__ import annotations

from collections.abc import Sequence

from planner.check.context import Item
from planner.check.result import Violation
from planner.model import Assignment, Locality, Scenario


def _violation(family: str, item: Item, message: str) -> Violation:
    return Violation(
        family,
        True,
        message,
        person=item.person.id,
        post=item.post.id,
        date=item.date,
    )


def check_availability(scenario: Scenario, items: Sequence[Item]) -> list[Violation]:
    """An assignment on a date the person is not available."""
    return [
        _violation(
            "availability",
            item,
            f"person '{item.person.id}' is not available for {item.describe()}",
        )
        for item in items
        if not item.person.is_available(item.date)
    ]


def check_qualification(scenario: Scenario, items: Sequence[Item]) -> list[Violation]:
    """An assignment to a role whose categories or skills the person does not have."""
    result = []
    for item in items:
        role, person = item.role, item.person
        reasons = []
        if role.categories and person.category not in role.categories:
            reasons.append(f"category '{person.category}' is not among {role.categories}")
        missing = [s for s in role.skills if s not in person.skills]
        if missing:
            reasons.append(f"lacks skills {missing}")
        if reasons:
            result.append(
                _violation(
                    "qualification",
                    item,
                    f"person '{person.id}' does not qualify for {item.describe()}: "
                    + "; ".join(reasons),
                )
            )
    return result


def _community(scenario: Scenario, community: str | None, grid: str | None) -> str | None:
    """The community given, else the community of the grid given, else None."""
    if community is not None:
        return community
    if grid is not None:
        return scenario.grid_community.get(grid)
    return None


def locality_allows(scenario: Scenario, item: Item) -> bool:
    """True if the person's category may serve at the item's post."""
    person, post = item.person, item.post
    locality = scenario.rules.locality_of(person.category)
    if locality == Locality.DISTRICT:
        return True
    post_community = _community(scenario, post.community, post.grid)
    person_community = _community(scenario, person.community, person.grid)
    if locality == Locality.COMMUNITY:
        return post_community is not None and post_community == person_community
    # grid: the person's own grid, or a grid-less post of their community
    if post.grid is not None:
        return post.grid == person.grid
    return post_community is not None and post_community == person_community


def check_locality(scenario: Scenario, items: Sequence[Item]) -> list[Violation]:
    """An assignment farther from home than the person's category may serve."""
    return [
        _violation(
            "locality",
            item,
            f"person '{item.person.id}' (category '{item.person.category}', locality "
            f"'{scenario.rules.locality_of(item.person.category)}') may not serve at "
            f"{item.describe()}",
        )
        for item in items
        if not locality_allows(scenario, item)
    ]


def check_exposure(scenario: Scenario, items: Sequence[Item]) -> list[Violation]:
    """A vulnerable person on a post more exposed than the exposure rule allows."""
    limit = scenario.rules.exposure.vulnerable_max_exposure
    return [
        _violation(
            "exposure",
            item,
            f"vulnerable person '{item.person.id}' may not take {item.describe()} "
            f"(exposure '{item.post.exposure}' above '{limit}')",
        )
        for item in items
        if scenario.is_vulnerable(item.person) and item.post.exposure.rank > limit.rank
    ]


def check_forbidden(scenario: Scenario, items: Sequence[Item]) -> list[Violation]:
    """An assignment matched by any ``scenario.forbidden`` entry (one breach per assignment)."""
    result = []
    for item in items:
        a = item.assignment
        if any(f.matches(a.person, a.post, a.date, a.shift) for f in scenario.forbidden):
            result.append(
                _violation(
                    "forbidden",
                    item,
                    f"person '{a.person}' is forbidden from {item.describe()}",
                )
            )
    return result


def check_fixed(scenario: Scenario, assignments: Sequence[Assignment]) -> list[Violation]:
    """A pinned duty of ``scenario.fixed`` that the plan does not contain."""
    present = {(a.person, a.post, a.role, a.date, a.shift) for a in assignments}
    result = []
    for fix in scenario.fixed:
        if (fix.person, fix.post, fix.role, fix.date, fix.shift) not in present:
            result.append(
                Violation(
                    "fixed",
                    True,
                    f"fixed duty missing: person '{fix.person}' at post '{fix.post}' role "
                    f"'{fix.role}' shift '{fix.shift}' on {fix.date}",
                    person=fix.person,
                    post=fix.post,
                    date=fix.date,
                )
            )
    return result
