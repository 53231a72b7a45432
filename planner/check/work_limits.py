"""Counting work rules: per day, per rolling 7-day window, per horizon, per weekend.

Each :class:`~planner.model.Limit` of ``scenario.rules_for(person)`` is hard without a
weight; with one, each unit of breach costs the weight in the term ``soft:<rule name>``.
A shift counts on the day it starts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from planner.check.context import Item, by_person
from planner.check.result import Violation, breach
from planner.model import Scenario


def windows(days: int) -> list[range]:
    """The rolling 7-day windows of a horizon of ``days`` days, as ranges of day indices."""
    if days < 7:
        return [range(days)]
    return [range(d, d + 7) for d in range(days - 6)]


def _per_day(
    scenario: Scenario, items: Sequence[Item], family: str, minutes: bool
) -> list[Violation]:
    result = []
    own_items = by_person(scenario, items)
    for person in scenario.people:
        limit = getattr(scenario.rules_for(person), family)
        if limit is None:
            continue
        own = own_items[person.id]
        for day in range(scenario.horizon.days):
            day_items = [i for i in own if i.day == day]
            used = sum(i.minutes for i in day_items) if minutes else len(day_items)
            if used > limit.value:
                date = scenario.horizon.start + dt.timedelta(days=day)
                unit = "minutes" if minutes else "shifts"
                result.append(
                    breach(
                        family,
                        limit.weight,
                        used - limit.value,
                        f"person '{person.id}' works {used} {unit} on {date}, limit {limit.value}",
                        person=person.id,
                        date=date,
                    )
                )
    return result


def check_max_shifts_per_day(scenario: Scenario, items: Sequence[Item]) -> list[Violation]:
    """Shifts starting on one day above the limit; amount: shifts over, per person-day."""
    return _per_day(scenario, items, "max_shifts_per_day", minutes=False)


def check_max_minutes_per_day(scenario: Scenario, items: Sequence[Item]) -> list[Violation]:
    """Minutes of shifts starting on one day above the limit; amount: minutes over."""
    return _per_day(scenario, items, "max_minutes_per_day", minutes=True)


def _per_window(
    scenario: Scenario, items: Sequence[Item], family: str, nights: bool
) -> list[Violation]:
    result = []
    dates = scenario.horizon.dates()
    own_items = by_person(scenario, items)
    for person in scenario.people:
        limit = getattr(scenario.rules_for(person), family)
        if limit is None:
            continue
        own = own_items[person.id]
        for window in windows(scenario.horizon.days):
            inside = [i for i in own if i.day in window]
            if nights:
                used = sum(1 for i in inside if i.template.night)
            else:
                used = sum(i.minutes for i in inside)
            if used > limit.value:
                first, last = dates[window[0]], dates[window[-1]]
                unit = "night shifts" if nights else "minutes"
                result.append(
                    breach(
                        family,
                        limit.weight,
                        used - limit.value,
                        f"person '{person.id}' works {used} {unit} from {first} to {last}, "
                        f"limit {limit.value}",
                        person=person.id,
                        date=first,
                    )
                )
    return result


def check_max_minutes_per_7_days(scenario: Scenario, items: Sequence[Item]) -> list[Violation]:
    """Minutes in a rolling 7-day window above the limit; amount: minutes over, per window."""
    return _per_window(scenario, items, "max_minutes_per_7_days", nights=False)


def check_max_nights_per_7_days(scenario: Scenario, items: Sequence[Item]) -> list[Violation]:
    """Night shifts in a rolling 7-day window above the limit; amount: nights over."""
    return _per_window(scenario, items, "max_nights_per_7_days", nights=True)


def check_max_minutes_per_horizon(scenario: Scenario, items: Sequence[Item]) -> list[Violation]:
    """Minutes over the horizon above the limit; amount: minutes over."""
    result = []
    own_items = by_person(scenario, items)
    for person in scenario.people:
        limit = scenario.rules_for(person).max_minutes_per_horizon
        if limit is None:
            continue
        used = sum(i.minutes for i in own_items[person.id])
        if used > limit.value:
            result.append(
                breach(
                    "max_minutes_per_horizon",
                    limit.weight,
                    used - limit.value,
                    f"person '{person.id}' works {used} minutes over the horizon, "
                    f"at most {limit.value}",
                    person=person.id,
                )
            )
    return result


def check_min_minutes_per_horizon(scenario: Scenario, items: Sequence[Item]) -> list[Violation]:
    """Minutes over the horizon below the minimum; amount: minutes short."""
    result = []
    own_items = by_person(scenario, items)
    for person in scenario.people:
        limit = scenario.rules_for(person).min_minutes_per_horizon
        if limit is None:
            continue
        used = sum(i.minutes for i in own_items[person.id])
        if used < limit.value:
            result.append(
                breach(
                    "min_minutes_per_horizon",
                    limit.weight,
                    limit.value - used,
                    f"person '{person.id}' works {used} minutes over the horizon, "
                    f"at least {limit.value}",
                    person=person.id,
                )
            )
    return result


def check_max_weekends(scenario: Scenario, items: Sequence[Item]) -> list[Violation]:
    """Worked weekends above the limit; amount: weekends over.

    A weekend is the Saturday and Sunday of one ISO week; it is worked if a shift starts on
    one of its days inside the horizon.
    """
    result = []
    own_items = by_person(scenario, items)
    for person in scenario.people:
        limit = scenario.rules_for(person).max_weekends
        if limit is None:
            continue
        worked: set[tuple[int, int]] = set()
        for item in own_items[person.id]:
            if item.date.isoweekday() in (6, 7):
                year, week, _ = item.date.isocalendar()
                worked.add((year, week))
        if len(worked) > limit.value:
            result.append(
                breach(
                    "max_weekends",
                    limit.weight,
                    len(worked) - limit.value,
                    f"person '{person.id}' works {len(worked)} weekends, at most {limit.value}",
                    person=person.id,
                )
            )
    return result


def check_max_shifts_per_template(scenario: Scenario, items: Sequence[Item]) -> list[Violation]:
    """Shifts of one template over the horizon above its limit; amount: shifts over."""
    result = []
    own_items = by_person(scenario, items)
    for person in scenario.people:
        per_template = scenario.rules_for(person).max_shifts_per_template
        own = own_items[person.id]
        for template, limit in per_template.items():
            used = sum(1 for i in own if i.template.id == template)
            if used > limit.value:
                result.append(
                    breach(
                        "max_shifts_per_template",
                        limit.weight,
                        used - limit.value,
                        f"person '{person.id}' works {used} '{template}' shifts, "
                        f"at most {limit.value}",
                        person=person.id,
                    )
                )
    return result
