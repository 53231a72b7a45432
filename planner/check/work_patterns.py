"""Patterns in one person's roster: overlaps, runs of days, rest and shift successions.

``overlap`` is always hard. The other families follow their rule's weight: hard without
one; with one, each breach costs weight times amount in ``soft:<rule name>``
(``soft:forbidden_successions`` for ``succession``). A person *works day d* if any of their
shifts starts on day d.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from planner.check.context import Item, by_person
from planner.check.result import Violation, breach
from planner.model import Scenario


def blocks(flags: Sequence[bool], value: bool) -> list[tuple[int, int]]:
    """Maximal runs of ``value`` in ``flags``, as (first index, length)."""
    runs: list[tuple[int, int]] = []
    start: int | None = None
    for idx, flag in enumerate(flags):
        if flag == value and start is None:
            start = idx
        elif flag != value and start is not None:
            runs.append((start, idx - start))
            start = None
    if start is not None:
        runs.append((start, len(flags) - start))
    return runs


def worked_days(scenario: Scenario, own: Sequence[Item]) -> list[bool]:
    """For each horizon day, whether a shift of ``own`` starts on it."""
    days = {i.day for i in own}
    return [d in days for d in range(scenario.horizon.days)]


def _date(scenario: Scenario, day: int) -> dt.date:
    return scenario.horizon.start + dt.timedelta(days=day)


def check_overlap(scenario: Scenario, items: Sequence[Item]) -> list[Violation]:
    """Two shifts of one person whose intervals ``[start, end)`` intersect (always hard).

    One breach per intersecting pair; identical duplicate assignments overlap too.
    """
    result = []
    for person_id, own in by_person(scenario, items).items():
        for i, a in enumerate(own):
            for b in own[i + 1 :]:
                if a.start < b.end and b.start < a.end:
                    result.append(
                        Violation(
                            "overlap",
                            True,
                            f"person '{person_id}' has overlapping shifts: {a.describe()} "
                            f"and {b.describe()}",
                            person=person_id,
                            post=b.post.id,
                            date=b.date,
                        )
                    )
    return result


def check_max_consecutive_days(scenario: Scenario, items: Sequence[Item]) -> list[Violation]:
    """Each window of ``value + 1`` consecutive days, all worked, is one breach."""
    result = []
    own_items = by_person(scenario, items)
    for person in scenario.people:
        limit = scenario.rules_for(person).max_consecutive_days
        if limit is None:
            continue
        worked = worked_days(scenario, own_items[person.id])
        k = limit.value
        for first in range(scenario.horizon.days - k):
            if all(worked[first : first + k + 1]):
                date = _date(scenario, first)
                result.append(
                    breach(
                        "max_consecutive_days",
                        limit.weight,
                        1,
                        f"person '{person.id}' works {k + 1} days in a row from {date}, "
                        f"at most {k}",
                        person=person.id,
                        date=date,
                    )
                )
    return result


def _min_block(scenario: Scenario, items: Sequence[Item], family: str, on: bool) -> list[Violation]:
    """Inner blocks of worked days (``on``) or days off shorter than the rule's value."""
    result = []
    last_day = scenario.horizon.days - 1
    what = "worked days" if on else "days off"
    own_items = by_person(scenario, items)
    for person in scenario.people:
        limit = getattr(scenario.rules_for(person), family)
        if limit is None:
            continue
        worked = worked_days(scenario, own_items[person.id])
        for first, length in blocks(worked, on):
            inner = first > 0 and first + length - 1 < last_day
            if inner and length < limit.value:
                date = _date(scenario, first)
                result.append(
                    breach(
                        family,
                        limit.weight,
                        limit.value - length,
                        f"person '{person.id}' has a block of {length} {what} from {date}, "
                        f"at least {limit.value} required",
                        person=person.id,
                        date=date,
                    )
                )
    return result


def check_min_consecutive_days(scenario: Scenario, items: Sequence[Item]) -> list[Violation]:
    """An inner block of worked days shorter than the value; amount: days short."""
    return _min_block(scenario, items, "min_consecutive_days", on=True)


def check_min_consecutive_days_off(scenario: Scenario, items: Sequence[Item]) -> list[Violation]:
    """An inner block of days off shorter than the value; amount: days short."""
    return _min_block(scenario, items, "min_consecutive_days_off", on=False)


def check_min_rest_minutes(scenario: Scenario, items: Sequence[Item]) -> list[Violation]:
    """Each pair (a, b) with b starting at or after a's end but less than ``value`` later."""
    result = []
    own_items = by_person(scenario, items)
    for person in scenario.people:
        limit = scenario.rules_for(person).min_rest_minutes
        if limit is None:
            continue
        own = own_items[person.id]
        for i, a in enumerate(own):
            for j, b in enumerate(own):
                if i == j:
                    continue
                gap = b.start - a.end
                if gap >= 0 and gap < limit.value:
                    result.append(
                        breach(
                            "min_rest_minutes",
                            limit.weight,
                            1,
                            f"person '{person.id}' rests {gap} minutes between "
                            f"{a.describe()} and {b.describe()}, at least {limit.value}",
                            person=person.id,
                            post=b.post.id,
                            date=b.date,
                        )
                    )
    return result


def check_succession(scenario: Scenario, items: Sequence[Item]) -> list[Violation]:
    """A ``first`` shift on day d and a ``then`` shift on day d+1: one breach per such pair."""
    result = []
    own_items = by_person(scenario, items)
    for succ in scenario.rules.forbidden_successions:
        for person_id, own in own_items.items():
            for a in own:
                if a.template.id != succ.first:
                    continue
                for b in own:
                    if b.template.id == succ.then and b.day == a.day + 1:
                        result.append(
                            breach(
                                "succession",
                                succ.weight,
                                1,
                                f"person '{person_id}' works shift '{succ.then}' on {b.date} "
                                f"right after shift '{succ.first}' on {a.date}",
                                person=person_id,
                                post=b.post.id,
                                date=b.date,
                                term="soft:forbidden_successions",
                            )
                        )
    return result
