"""The scenario: everything the engine needs to plan one street office.

The root validator checks every cross-reference and names the field path and the
offending id in its message, e.g. ``people[3].community: unknown community 'c9' (person 'p3')``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Iterator
from functools import cached_property

from pydantic import Field, model_validator

from planner.model.base import BUILTIN_CATEGORIES, Frozen
from planner.model.calendar import Horizon, ShiftTemplate
from planner.model.locality import Community
from planner.model.people import Person
from planner.model.posts import Post
from planner.model.rules import Rules, Weights, WorkRules


class FixedAssignment(Frozen):
    """This person must work this post, role, date and shift (a pinned duty)."""

    person: str
    post: str
    role: str
    date: dt.date
    shift: str


class ForbiddenAssignment(Frozen):
    """This person must not work where all given fields match (omitted fields match all)."""

    person: str
    post: str | None = None
    date: dt.date | None = None
    shift: str | None = None

    def matches(self, person: str, post: str, date: dt.date, shift: str) -> bool:
        """True if an assignment of ``person`` to ``post``/``date``/``shift`` is forbidden."""
        return (
            self.person == person
            and (self.post is None or self.post == post)
            and (self.date is None or self.date == date)
            and (self.shift is None or self.shift == shift)
        )


class Scenario(Frozen):
    """One planning problem: horizon, shifts, localities, posts, people, rules, objective."""

    name: str = Field(min_length=1)
    description: str = ""
    horizon: Horizon
    shifts: list[ShiftTemplate] = Field(min_length=1)
    communities: list[Community] = Field(default_factory=list)
    custom_categories: list[str] = Field(default_factory=list)
    posts: list[Post] = Field(default_factory=list)
    people: list[Person] = Field(default_factory=list)
    rules: Rules = Field(default_factory=Rules)
    fixed: list[FixedAssignment] = Field(default_factory=list)
    forbidden: list[ForbiddenAssignment] = Field(default_factory=list)
    objective: Weights = Field(default_factory=Weights)

    # ------------------------------------------------------------------ look-ups
    @cached_property
    def shift_by_id(self) -> dict[str, ShiftTemplate]:
        """Shift templates by id."""
        return {s.id: s for s in self.shifts}

    @cached_property
    def post_by_id(self) -> dict[str, Post]:
        """Posts by id."""
        return {p.id: p for p in self.posts}

    @cached_property
    def person_by_id(self) -> dict[str, Person]:
        """People by id."""
        return {p.id: p for p in self.people}

    @cached_property
    def grid_community(self) -> dict[str, str]:
        """Grid id -> id of the community it belongs to."""
        return {g.id: c.id for c in self.communities for g in c.grids}

    @property
    def categories(self) -> tuple[str, ...]:
        """Every category a person may have: the built-in ones and the scenario's own."""
        return BUILTIN_CATEGORIES + tuple(self.custom_categories)

    @cached_property
    def category_rules(self) -> dict[str, WorkRules]:
        """Category -> the rules of its people who have no limits of their own (filled in
        on first use: merging rules is slow next to a look-up, and models ask per person)."""
        return {}

    def rules_for(self, person: Person) -> WorkRules:
        """The work rules binding ``person``: defaults, then category, then personal limits."""
        if person.limits is not None:
            return self.rules.effective(person.category, person.limits)
        rules = self.category_rules.get(person.category)
        if rules is None:
            rules = self.category_rules[person.category] = self.rules.effective(
                person.category, None
            )
        return rules

    def is_vulnerable(self, person: Person) -> bool:
        """True if ``person`` is flagged vulnerable or old enough to count as vulnerable."""
        age_limit = self.rules.exposure.vulnerable_age
        return person.vulnerable or (
            age_limit is not None and person.age is not None and person.age >= age_limit
        )

    # ------------------------------------------------------------------ validation
    @model_validator(mode="after")
    def _check_references(self) -> Scenario:
        errors = list(self._reference_errors())
        if errors:
            shown = errors[:20]
            more = f"\n... and {len(errors) - 20} more" if len(errors) > 20 else ""
            raise ValueError("\n".join(shown) + more)
        return self

    def _reference_errors(self) -> Iterator[str]:
        yield from _duplicates("shifts", (s.id for s in self.shifts), "shift")
        yield from _duplicates("communities", (c.id for c in self.communities), "community")
        yield from _duplicates(
            "communities[].grids", (g.id for c in self.communities for g in c.grids), "grid"
        )
        yield from _duplicates("posts", (p.id for p in self.posts), "post")
        yield from _duplicates("people", (p.id for p in self.people), "person")
        yield from _duplicates("custom_categories", self.custom_categories, "category")
        yield from self._rule_errors()
        yield from self._post_errors()
        yield from self._person_errors()
        yield from self._fixed_errors()

    def _rule_errors(self) -> Iterator[str]:
        cats = set(self.categories)
        for cat in self.rules.categories:
            if cat not in cats:
                yield f"rules.categories.{cat}: unknown category '{cat}'"
        for cat in self.rules.locality:
            if cat not in cats:
                yield f"rules.locality.{cat}: unknown category '{cat}'"
        shifts = self.shift_by_id
        sources = [("rules.defaults", self.rules.defaults)] + [
            (f"rules.categories.{c}", r) for c, r in self.rules.categories.items()
        ]
        for where, rules in sources:
            for tid in rules.max_shifts_per_template:
                if tid not in shifts:
                    yield f"{where}.max_shifts_per_template.{tid}: unknown shift '{tid}'"
        for i, succ in enumerate(self.rules.forbidden_successions):
            for field in ("first", "then"):
                tid = getattr(succ, field)
                if tid not in shifts:
                    yield f"rules.forbidden_successions[{i}].{field}: unknown shift '{tid}'"

    def _post_errors(self) -> Iterator[str]:
        shifts, cats, grids = self.shift_by_id, set(self.categories), self.grid_community
        communities = {c.id for c in self.communities}
        for i, post in enumerate(self.posts):
            where = f"posts[{i}]"
            tag = f"(post '{post.id}')"
            if post.community is not None and post.community not in communities:
                yield f"{where}.community: unknown community '{post.community}' {tag}"
            if post.grid is not None:
                if post.grid not in grids:
                    yield f"{where}.grid: unknown grid '{post.grid}' {tag}"
                elif post.community is not None and grids[post.grid] != post.community:
                    yield (
                        f"{where}.grid: grid '{post.grid}' is not in community "
                        f"'{post.community}' {tag}"
                    )
            for tid in post.shifts:
                if tid not in shifts:
                    yield f"{where}.shifts: unknown shift '{tid}' {tag}"
            yield from self._dates_in_horizon(f"{where}.days", post.days or [], tag)
            seen: Counter[tuple[str, dt.date | None]] = Counter()
            for j, entry in enumerate(post.demand):
                dwhere = f"{where}.demand[{j}]"
                if entry.shift not in post.shifts:
                    yield (
                        f"{dwhere}.shift: shift '{entry.shift}' is not among the post's "
                        f"shifts {tag}"
                    )
                yield from self._dates_in_horizon(f"{dwhere}.days", entry.days or [], tag)
                for day in entry.days if entry.days is not None else [None]:
                    seen[(entry.shift, day)] += 1
                for k, role in enumerate(entry.roles):
                    for cat in role.categories:
                        if cat not in cats:
                            yield (
                                f"{dwhere}.roles[{k}].categories: unknown category '{cat}' {tag}"
                            )
                for k, rule in enumerate(entry.at_least):
                    for cat in rule.categories:
                        if cat not in cats:
                            yield (
                                f"{dwhere}.at_least[{k}].categories: unknown category '{cat}' {tag}"
                            )
            for (tid, day), count in seen.items():
                every = seen.get((tid, None), 0)
                if count > 1 or (day is not None and every):
                    when = "every day" if day is None else str(day)
                    yield f"{where}.demand: two entries for shift '{tid}' on {when} {tag}"

    def _person_errors(self) -> Iterator[str]:
        shifts, cats, grids = self.shift_by_id, set(self.categories), self.grid_community
        communities = {c.id for c in self.communities}
        first, last = self.horizon.start, self.horizon.dates()[-1]
        for i, person in enumerate(self.people):
            where, tag = f"people[{i}]", f"(person '{person.id}')"
            if person.category not in cats:
                yield (
                    f"{where}.category: unknown category '{person.category}' {tag}; "
                    f"known: {', '.join(sorted(cats))} (add your own in custom_categories)"
                )
            if person.community is not None and person.community not in communities:
                yield f"{where}.community: unknown community '{person.community}' {tag}"
            if person.grid is not None:
                if person.grid not in grids:
                    yield f"{where}.grid: unknown grid '{person.grid}' {tag}"
                elif person.community is not None and grids[person.grid] != person.community:
                    yield (
                        f"{where}.grid: grid '{person.grid}' is not in community "
                        f"'{person.community}' {tag}"
                    )
            if person.available_until is not None and person.available_until < first:
                yield (
                    f"{where}.available_until: {person.available_until} is before the horizon "
                    f"starts ({first}) {tag}"
                )
            if person.available_from is not None and person.available_from > last:
                yield (
                    f"{where}.available_from: {person.available_from} is after the horizon "
                    f"ends ({last}) {tag}"
                )
            for field in ("preferred_shifts", "avoided_shifts"):
                for tid in getattr(person, field):
                    if tid not in shifts:
                        yield f"{where}.{field}: unknown shift '{tid}' {tag}"
            for k, req in enumerate(person.requests):
                if req.shift is not None and req.shift not in shifts:
                    yield f"{where}.requests[{k}].shift: unknown shift '{req.shift}' {tag}"
                yield from self._dates_in_horizon(f"{where}.requests[{k}].date", [req.date], tag)
            if person.limits is not None:
                for tid in person.limits.max_shifts_per_template:
                    if tid not in shifts:
                        yield f"{where}.limits.max_shifts_per_template: unknown shift '{tid}' {tag}"

    def _fixed_errors(self) -> Iterator[str]:
        people, posts, shifts = self.person_by_id, self.post_by_id, self.shift_by_id
        pairs: list[tuple[str, list[FixedAssignment | ForbiddenAssignment]]] = [
            ("fixed", list(self.fixed)),
            ("forbidden", list(self.forbidden)),
        ]
        for field, items in pairs:
            for i, item in enumerate(items):
                where = f"{field}[{i}]"
                if item.person not in people:
                    yield f"{where}.person: unknown person '{item.person}'"
                if item.post is not None and item.post not in posts:
                    yield f"{where}.post: unknown post '{item.post}'"
                if item.shift is not None and item.shift not in shifts:
                    yield f"{where}.shift: unknown shift '{item.shift}'"
                if item.date is not None:
                    yield from self._dates_in_horizon(f"{where}.date", [item.date], "")
        for i, fix in enumerate(self.fixed):
            post = posts.get(fix.post)
            if post is None or fix.shift not in shifts:
                continue
            entry = post.demand_on(fix.date, fix.shift)
            if entry is None:
                yield (
                    f"fixed[{i}]: post '{fix.post}' has no demand for shift '{fix.shift}' "
                    f"on {fix.date}"
                )
            elif fix.role not in {r.role for r in entry.roles}:
                yield f"fixed[{i}].role: post '{fix.post}' has no role '{fix.role}' on {fix.date}"

    def _dates_in_horizon(self, where: str, dates: Iterable[dt.date], tag: str) -> Iterator[str]:
        for date in dates:
            if not self.horizon.contains(date):
                yield f"{where}: {date} is outside the horizon {tag}".rstrip()


def _duplicates(where: str, ids: Iterable[str], what: str) -> Iterator[str]:
    for value, count in Counter(ids).items():
        if count > 1:
            yield f"{where}: duplicate {what} id '{value}' ({count} times)"
