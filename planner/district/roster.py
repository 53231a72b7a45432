"""Roster generation: plausible people of each category, deterministically from a seed.

A roster file either lists ``people`` outright or describes ``groups`` to generate (or
both: generated people come first). Each group gives a category, a count, an age mix, a
sex mix, skill probabilities, how home places are drawn and, for seconded cadres, when
they leave. Mixes given as shares are turned into exact counts (largest remainder), so a
roster of 44 with "9 men" has exactly 9 men; draws use ``numpy.random.Generator`` seeded by
``(seed, group index)``, so the same file always gives the same people and adding a group
leaves the others unchanged.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Literal

import numpy as np
from pydantic import Field, model_validator

from planner.model.base import Frozen
from planner.model.locality import Community
from planner.model.people import Person, Sex


class AgeBand(Frozen):
    """Ages ``low``..``high`` (inclusive) for a ``share`` of the group or exactly ``count``."""

    low: int = Field(ge=14, le=100)
    high: int = Field(ge=14, le=100)
    share: float | None = Field(default=None, ge=0)
    count: int | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _one_of(self) -> AgeBand:
        if (self.share is None) == (self.count is None):
            raise ValueError(f"age band {self.low}-{self.high}: give either share or count")
        if self.high < self.low:
            raise ValueError(f"age band {self.low}-{self.high}: high is below low")
        return self


class Leave(Frozen):
    """A ``share`` of the group works until day ``last_day`` (0-based) and then leaves."""

    last_day: int = Field(ge=0)
    share: float = Field(ge=0, le=1)


class RosterGroup(Frozen):
    """People of one category to generate.

    ``home``: ``grid`` draws a grid (and its community) in proportion to residents;
    ``community`` draws a community in proportion to residents, or takes the exact
    ``per_community`` counts; ``district`` leaves home unset. ``skills_over_60`` replaces
    ``skills`` probabilities for people aged 60 or over. ``avoid_night_share`` of the group
    list the night shifts among their avoided shifts. ``leave`` splits the group by the day
    they leave; the rest stay throughout.
    """

    category: str = Field(min_length=1)
    count: int = Field(ge=0)
    id_prefix: str = Field(min_length=1)
    ages: list[AgeBand] = Field(min_length=1)
    female_share: float | None = Field(default=None, ge=0, le=1)
    female_count: int | None = Field(default=None, ge=0)
    home: Literal["grid", "community", "district"] = "district"
    per_community: dict[str, int] | None = None
    skills: dict[str, float] = Field(default_factory=dict)
    skills_over_60: dict[str, float] | None = None
    vulnerable_share: float = Field(default=0.0, ge=0, le=1)
    avoid_night_share: float = Field(default=0.0, ge=0, le=1)
    leave: list[Leave] = Field(default_factory=list)
    note: str = ""

    @model_validator(mode="after")
    def _consistent(self) -> RosterGroup:
        tag = f"(group '{self.id_prefix}')"
        counts = [b.count for b in self.ages if b.count is not None]
        if counts and (len(counts) != len(self.ages) or sum(counts) != self.count):
            raise ValueError(f"ages: band counts must all be given and sum to {self.count} {tag}")
        if self.female_count is not None and self.female_count > self.count:
            raise ValueError(f"female_count exceeds count {self.count} {tag}")
        if self.per_community is not None and sum(self.per_community.values()) != self.count:
            raise ValueError(f"per_community: counts must sum to {self.count} {tag}")
        if sum(leave.share for leave in self.leave) > 1 + 1e-9:
            raise ValueError(f"leave: shares sum to more than 1 {tag}")
        return self


class RosterSpec(Frozen):
    """A roster file: a seed, groups to generate and people listed outright."""

    seed: int = 0
    groups: list[RosterGroup] = Field(default_factory=list)
    people: list[Person] = Field(default_factory=list)
    note: str = ""


def allocate(total: int, weights: Sequence[float]) -> list[int]:
    """Split ``total`` in proportion to ``weights`` into integers summing to ``total``.

    Largest remainder; ties go to the earlier weight, so the split is deterministic.
    """
    w = np.asarray(weights, dtype=float)
    if total == 0 or len(w) == 0:
        return [0] * len(w)
    if w.sum() <= 0:
        w = np.ones_like(w)
    raw = total * w / w.sum()
    base = np.floor(raw).astype(int)
    order = np.argsort(-(raw - base), kind="stable")
    base[order[: total - int(base.sum())]] += 1
    return [int(x) for x in base]


def _homes(
    group: RosterGroup, communities: Sequence[Community], rng: np.random.Generator
) -> list[tuple[str | None, str | None]]:
    if group.home == "district":
        return [(None, None)] * group.count
    if group.home == "grid":
        grids = [(c.id, g.id, g.residents) for c in communities for g in c.grids]
        counts = allocate(group.count, [r for _, _, r in grids])
        homes: list[tuple[str | None, str | None]] = [
            (c, g) for (c, g, _), n in zip(grids, counts, strict=True) for _ in range(n)
        ]
    else:
        if group.per_community is not None:
            known = {c.id for c in communities}
            for cid in group.per_community:
                if cid not in known:
                    raise ValueError(
                        f"per_community: unknown community '{cid}' (group '{group.id_prefix}')"
                    )
            pairs = list(group.per_community.items())
        else:
            weights = [sum(g.residents for g in c.grids) for c in communities]
            pairs = list(
                zip([c.id for c in communities], allocate(group.count, weights), strict=True)
            )
        homes = [(cid, None) for cid, n in pairs for _ in range(n)]
    order = rng.permutation(len(homes))
    return [homes[i] for i in order]


def _ages(group: RosterGroup, rng: np.random.Generator) -> list[int]:
    if group.ages[0].count is not None:
        counts = [b.count or 0 for b in group.ages]
    else:
        counts = allocate(group.count, [b.share or 0.0 for b in group.ages])
    ages = [
        int(rng.integers(b.low, b.high + 1))
        for b, n in zip(group.ages, counts, strict=True)
        for _ in range(n)
    ]
    return [ages[i] for i in rng.permutation(len(ages))]


def _females(group: RosterGroup, rng: np.random.Generator) -> np.ndarray:
    if group.female_count is not None:
        females = group.female_count
    else:
        females = round(
            group.count * (group.female_share if group.female_share is not None else 0.5)
        )
    flags = np.zeros(group.count, dtype=bool)
    flags[rng.choice(group.count, size=females, replace=False)] = True
    return flags


def generate_group(
    group: RosterGroup,
    communities: Sequence[Community],
    start: dt.date,
    night_shifts: Sequence[str],
    rng: np.random.Generator,
) -> list[Person]:
    """The people of one group (see :class:`RosterGroup`)."""
    homes = _homes(group, communities, rng)
    ages = _ages(group, rng)
    female = _females(group, rng)
    last_days: list[int | None] = [None] * group.count
    counts = allocate(
        group.count,
        [lv.share for lv in group.leave] + [max(0.0, 1 - sum(lv.share for lv in group.leave))],
    )
    cursor = 0
    order = rng.permutation(group.count)
    for leave, n in zip(group.leave, counts, strict=False):
        for i in order[cursor : cursor + n]:
            last_days[int(i)] = leave.last_day
        cursor += n
    people: list[Person] = []
    for i in range(group.count):
        probs = (
            group.skills_over_60
            if ages[i] >= 60 and group.skills_over_60 is not None
            else group.skills
        )
        skills = [s for s, p in sorted(probs.items()) if rng.random() < p]
        vulnerable = bool(rng.random() < group.vulnerable_share)
        avoid = list(night_shifts) if rng.random() < group.avoid_night_share else []
        last = last_days[i]
        people.append(
            Person(
                id=f"{group.id_prefix}{i + 1:04d}",
                category=group.category,
                community=homes[i][0],
                grid=homes[i][1],
                age=ages[i],
                sex=Sex.FEMALE if female[i] else Sex.MALE,
                skills=skills,
                vulnerable=vulnerable,
                available_until=None if last is None else start + dt.timedelta(days=last),
                avoided_shifts=avoid,
            )
        )
    return people


def generate_roster(
    spec: RosterSpec,
    communities: Sequence[Community],
    start: dt.date,
    days: int,
    night_shifts: Sequence[str] = (),
) -> list[Person]:
    """Every person of ``spec``: generated groups, then the people it lists.

    People who would leave on or after the last day of the horizon are kept without an
    end date, so only departures inside the horizon show.

    Raises
    ------
    ValueError
        If a group names an unknown community or two people share an id.
    """
    people: list[Person] = []
    for index, group in enumerate(spec.groups):
        rng = np.random.default_rng([spec.seed, index])
        for person in generate_group(group, communities, start, night_shifts, rng):
            if (
                person.available_until is not None
                and (person.available_until - start).days >= days - 1
            ):
                person = person.model_copy(update={"available_until": None})
            people.append(person)
    people.extend(spec.people)
    seen: set[str] = set()
    for person in people:
        if person.id in seen:
            raise ValueError(f"people: duplicate person id '{person.id}'")
        seen.add(person.id)
    return people
