"""How many people stand at each post-shift: ``headcount``, ``at_least``, shortage, overstaff.

Counts use valid assignments only (see :func:`planner.check.context.check_reference`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from planner.check.context import Item
from planner.check.result import Violation, breach
from planner.model import Role, Scenario

#: (post id, date, shift id) of a post-shift.
Slot = tuple[str, dt.date, str]
#: (post id, date, shift id, role id) of one role at a post-shift.
RoleSlot = tuple[str, dt.date, str, str]


def _role_counts(items: Sequence[Item]) -> tuple[dict[RoleSlot, int], dict[RoleSlot, Role]]:
    """Assignments per role slot, and the role of each slot that has any."""
    counts: dict[RoleSlot, int] = {}
    roles: dict[RoleSlot, Role] = {}
    for item in items:
        a = item.assignment
        key = (a.post, a.date, a.shift, a.role)
        counts[key] = counts.get(key, 0) + 1
        roles[key] = item.role
    return counts, roles


def check_headcount(scenario: Scenario, items: Sequence[Item]) -> list[Violation]:
    """More people on a role than its headcount, for roles without an overstaff weight.

    Amount: people over the headcount.
    """
    counts, roles = _role_counts(items)
    result = []
    for key, n in counts.items():
        role = roles[key]
        if role.overstaff_weight is None and n > role.headcount:
            post, date, shift, role_id = key
            result.append(
                Violation(
                    "headcount",
                    True,
                    f"post '{post}' role '{role_id}' shift '{shift}' on {date}: {n} people "
                    f"for a headcount of {role.headcount}",
                    post=post,
                    date=date,
                    amount=n - role.headcount,
                )
            )
    return result


def check_at_least(scenario: Scenario, items: Sequence[Item]) -> list[Violation]:
    """Too few people of the required categories on a staffed post-shift.

    For every post-shift with at least one assignment and every ``AtLeast`` rule of its
    demand entry: deficit = count - assigned people whose category is listed. Hard without
    a weight; soft with one, charged to the ``at_least`` term.
    """
    slots: dict[Slot, list[Item]] = {}
    for item in items:
        a = item.assignment
        slots.setdefault((a.post, a.date, a.shift), []).append(item)
    result = []
    for (post, date, shift), slot_items in slots.items():
        demand = slot_items[0].demand
        for rule in demand.at_least:
            have = sum(1 for i in slot_items if i.person.category in rule.categories)
            deficit = rule.count - have
            if deficit > 0:
                result.append(
                    breach(
                        "at_least",
                        rule.weight,
                        deficit,
                        f"post '{post}' shift '{shift}' on {date}: {have} of {rule.categories} "
                        f"assigned, at least {rule.count} required",
                        post=post,
                        date=date,
                        term="at_least",
                    )
                )
    return result


def term_shortage(scenario: Scenario, items: Sequence[Item]) -> int:
    """Missing people over every demanded role, times post priority and the shortage weight."""
    counts, _ = _role_counts(items)
    total = 0
    for post in scenario.posts:
        for date in scenario.horizon.dates():
            if not post.runs_on(date):
                continue
            for shift in post.shifts:
                entry = post.demand_on(date, shift)
                if entry is None:
                    continue
                for role in entry.roles:
                    assigned = counts.get((post.id, date, shift, role.role), 0)
                    missing = max(0, role.headcount - assigned)
                    total += missing * post.priority * scenario.objective.shortage
    return total


def term_overstaff(scenario: Scenario, items: Sequence[Item]) -> int:
    """People over the headcount of roles with an overstaff weight, times that weight."""
    counts, roles = _role_counts(items)
    total = 0
    for key, n in counts.items():
        weight = roles[key].overstaff_weight
        if weight is not None:
            total += max(0, n - roles[key].headcount) * weight
    return total
