"""Estimate a district's staffing demand from its profile and the norms.

For each post kind, units of the profile are grouped into posts (one per site, grid,
community or the whole district). On each post, each norm of that kind needs
``ceil(sum of its measure / per)`` staffing units, each with ``headcount`` people per shift.
A norm's *people per day* is that number summed over its shifts and over posts: the number
of distinct people needed on one day, since nobody works two shifts a day.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

from planner.district.norms import Block, GroupBy, Norm, Norms, PostKind
from planner.district.profile import BungalowArea, Compound, DistrictProfile, SamplingStation
from planner.district.units import Unit, district_units

DISTRICT_KEY = "district"


@dataclass(frozen=True)
class PostPlan:
    """A post the estimate asks for: where it is and, per shift, each norm's headcount."""

    id: str
    kind: PostKind
    place: str
    community: str | None
    grid: str | None
    roles: dict[str, list[tuple[Norm, int]]] = field(default_factory=dict)

    @property
    def people_per_day(self) -> int:
        """People the post needs on one day."""
        return sum(n for entries in self.roles.values() for _, n in entries)


@dataclass(frozen=True)
class Line:
    """One line of the breakdown: a norm, the units it applied to and the people it needs."""

    norm: Norm
    units: float
    staffing_units: int
    shift_ids: tuple[str, ...]
    people_per_day: int


@dataclass(frozen=True)
class Estimate:
    """A district's estimated demand: the breakdown lines and the posts behind them."""

    district: str
    blocks: list[Block]
    lines: list[Line]
    posts: list[PostPlan]
    published: dict[str, int]

    def block_total(self, block: str) -> int:
        """People per day needed by the lines of ``block``."""
        return sum(line.people_per_day for line in self.lines if line.norm.block == block)

    @property
    def total(self) -> int:
        """People per day needed by the whole district."""
        return sum(line.people_per_day for line in self.lines)


def _group_key(unit: Unit, group_by: GroupBy) -> tuple[str, str | None, str | None]:
    """(key, community, grid) of the post ``unit`` falls into."""
    if group_by is GroupBy.SITE and unit.site is not None:
        return unit.site, unit.community, unit.grid
    if group_by in (GroupBy.SITE, GroupBy.GRID) and unit.grid is not None:
        return unit.grid, unit.community, unit.grid
    if group_by is not GroupBy.DISTRICT and unit.community is not None:
        return unit.community, unit.community, None
    return DISTRICT_KEY, None, None


def _place_names(profile: DistrictProfile) -> dict[str, str]:
    names: dict[str, str] = {DISTRICT_KEY: profile.name}
    for c in profile.communities:
        names[c.id] = c.name or c.id
        for g in c.grids:
            names[g.id] = g.name or f"{names[c.id]}{g.id}"
    places: list[Compound | BungalowArea | SamplingStation] = [
        *profile.compounds,
        *profile.bungalow_areas,
        *profile.sampling_stations,
    ]
    for item in places:
        names[item.id] = item.name or item.id
    for w in profile.working_groups:
        names[w.id] = w.name_zh or w.name_en or w.id
    return names


def estimate(profile: DistrictProfile, norms: Norms) -> Estimate:
    """Apply ``norms`` to ``profile``.

    Raises
    ------
    ValueError
        If a norm needs ``residents_per_desk`` and the norms do not set it.
    """
    per_desk = norms.params.get("residents_per_desk", 700.0)
    if per_desk <= 0:
        raise ValueError(f"params.residents_per_desk: must be positive, got {per_desk}")
    by_measure: dict[str, list[Unit]] = defaultdict(list)
    for unit in district_units(profile, per_desk):
        by_measure[unit.measure].append(unit)
    names = _place_names(profile)
    kinds = norms.post_kind_by_id
    posts: dict[str, PostPlan] = {}
    lines: list[Line] = []
    for norm in norms.norms:
        kind = kinds[norm.post]
        shifts = norms.shifts_of(norm)
        per_post: dict[tuple[str, str | None, str | None], float] = defaultdict(float)
        for unit in by_measure.get(norm.measure, []):
            per_post[_group_key(unit, kind.group_by)] += unit.amount
        staffing = 0
        people = 0
        for (key, community, grid), amount in sorted(per_post.items(), key=lambda kv: kv[0][0]):
            count = math.ceil(round(amount / norm.per, 9))
            if count == 0:
                continue
            post_id = f"{kind.id}-{key}"
            plan = posts.get(post_id)
            if plan is None:
                plan = PostPlan(post_id, kind, names.get(key, key), community, grid)
                posts[post_id] = plan
            for shift in shifts:
                headcount = count * norm.headcount_on(shift)
                plan.roles.setdefault(shift, []).append((norm, headcount))
                people += headcount
            staffing += count
        total_units = sum(per_post.values())
        lines.append(Line(norm, total_units, staffing, tuple(shifts), people))
    return Estimate(
        district=profile.name,
        blocks=list(norms.blocks),
        lines=lines,
        posts=list(posts.values()),
        published=dict(profile.published),
    )
