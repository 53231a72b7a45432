"""Synthetic districts of any size, for tests and benchmarks.

:func:`generate_district` builds a valid :class:`~planner.model.Scenario` from a handful of
parameters: communities, grids per community, people by category, posts by type and the
horizon. The same parameters and seed always give the same scenario. Shift templates,
work rules and role definitions come from the default staffing norms
(``planner/data/norms.yaml``); people are drawn like the shipped rosters
(:mod:`planner.district.roster`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from planner.district.files import load_norms
from planner.district.roster import AgeBand, Leave, RosterGroup, RosterSpec, generate_roster
from planner.model import (
    BUILTIN_CATEGORIES,
    AtLeast,
    Community,
    Demand,
    Exposure,
    Grid,
    Horizon,
    Post,
    PostType,
    Role,
    Scenario,
)

_STAFF = ["street_cadre", "community_worker", "assistant", "committee_member", "seconded_cadre"]
_LOCAL = [*_STAFF, "group_leader", "volunteer"]


@dataclass(frozen=True)
class _RoleTemplate:
    role: str
    categories: tuple[str, ...]
    low: int
    high: int
    skills: tuple[str, ...] = ()


@dataclass(frozen=True)
class _PostTemplate:
    shifts: tuple[str, ...]
    level: str  # "grid", "community" or "district"
    exposure: Exposure
    priority: int
    roles: tuple[_RoleTemplate, ...]
    staff_at_least: bool = False


#: What a post of each type looks like: its shifts, where it sits and its roles.
POST_TEMPLATES: dict[PostType, _PostTemplate] = {
    PostType.CHECKPOINT: _PostTemplate(
        ("cp_night", "cp_morning", "cp_afternoon", "cp_evening"),
        "grid",
        Exposure.HIGH,
        8,
        (_RoleTemplate("guard", tuple(_LOCAL), 1, 2),),
        staff_at_least=True,
    ),
    PostType.SAMPLING_STATION: _PostTemplate(
        ("sampling_am", "sampling_pm"),
        "community",
        Exposure.HIGH,
        9,
        (
            _RoleTemplate("swab", ("medical",), 1, 3, ("swab",)),
            _RoleTemplate("registration", tuple(_LOCAL), 1, 3, ("data_entry",)),
            _RoleTemplate("order", tuple(_LOCAL), 1, 3),
        ),
    ),
    PostType.GRID_DUTY: _PostTemplate(
        ("day",),
        "grid",
        Exposure.MEDIUM,
        5,
        (
            _RoleTemplate(
                "grid_leader", ("community_worker", "committee_member", "assistant"), 1, 1
            ),
            _RoleTemplate("floor_leader", ("group_leader", "volunteer"), 1, 6),
        ),
    ),
    PostType.DELIVERY: _PostTemplate(
        ("day",), "community", Exposure.MEDIUM, 6, (_RoleTemplate("courier", tuple(_LOCAL), 1, 4),)
    ),
    PostType.DISINFECTION: _PostTemplate(
        ("day",),
        "community",
        Exposure.MEDIUM,
        5,
        (_RoleTemplate("disinfection", tuple(_LOCAL), 1, 2, ("disinfection",)),),
    ),
    PostType.TRANSFER: _PostTemplate(
        ("d8", "e8", "n8"),
        "district",
        Exposure.HIGH,
        9,
        (
            _RoleTemplate(
                "driver", ("street_cadre", "assistant", "seconded_cadre"), 1, 1, ("driving",)
            ),
            _RoleTemplate("medic", ("medical",), 1, 1),
        ),
    ),
    PostType.TRAFFIC: _PostTemplate(
        ("d8", "e8", "n8"),
        "community",
        Exposure.HIGH,
        7,
        (_RoleTemplate("guard", ("street_cadre", "assistant", "seconded_cadre", "police"), 1, 2),),
    ),
    PostType.MARKET: _PostTemplate(
        ("d8", "e8"),
        "community",
        Exposure.MEDIUM,
        5,
        (_RoleTemplate("control", tuple(_LOCAL), 1, 3),),
    ),
    PostType.COMMAND: _PostTemplate(
        ("day",), "district", Exposure.LOW, 6, (_RoleTemplate("staff", tuple(_STAFF), 1, 2),)
    ),
    PostType.OTHER: _PostTemplate(
        ("d8",), "community", Exposure.MEDIUM, 4, (_RoleTemplate("watch", tuple(_LOCAL), 1, 2),)
    ),
}

#: How people of each built-in category are drawn: ages, share of women, home, skills.
_PEOPLE: dict[str, tuple[list[tuple[int, int, float]], float, str, dict[str, float]]] = {
    "street_cadre": ([(24, 34, 0.35), (35, 49, 0.45), (50, 59, 0.2)], 0.45, "district",
                     {"data_entry": 0.9, "driving": 0.5, "disinfection": 0.2}),
    "community_worker": ([(23, 34, 0.5), (35, 49, 0.4), (50, 58, 0.1)], 0.7, "community",
                         {"data_entry": 0.95, "disinfection": 0.3, "driving": 0.2}),
    "assistant": ([(22, 34, 0.35), (35, 49, 0.45), (50, 59, 0.2)], 0.4, "community",
                  {"data_entry": 0.6, "disinfection": 0.6, "driving": 0.5}),
    "committee_member": ([(25, 39, 0.3), (40, 54, 0.5), (55, 62, 0.2)], 0.7, "community",
                         {"data_entry": 0.85, "disinfection": 0.2, "driving": 0.3}),
    "group_leader": ([(40, 59, 0.5), (60, 72, 0.5)], 0.55, "grid",
                     {"data_entry": 0.4, "disinfection": 0.1}),
    "seconded_cadre": ([(25, 34, 0.3), (35, 49, 0.5), (50, 59, 0.2)], 0.45, "district",
                       {"data_entry": 0.9, "driving": 0.5, "disinfection": 0.2}),
    "volunteer": ([(18, 29, 0.22), (30, 44, 0.3), (45, 59, 0.28), (60, 75, 0.2)], 0.5, "grid",
                  {"data_entry": 0.55, "disinfection": 0.15, "driving": 0.25}),
    "medical": ([(22, 34, 0.5), (35, 49, 0.4), (50, 58, 0.1)], 0.75, "district",
                {"swab": 1.0, "data_entry": 0.8, "disinfection": 0.5}),
    "police": ([(24, 50, 1.0)], 0.2, "district", {"data_entry": 0.8, "driving": 0.9}),
}  # fmt: skip

#: A small default district: who is on the roster and which posts there are.
DEFAULT_PEOPLE: dict[str, int] = {
    "street_cadre": 4,
    "community_worker": 4,
    "assistant": 6,
    "committee_member": 4,
    "group_leader": 4,
    "seconded_cadre": 4,
    "volunteer": 30,
    "medical": 4,
}
DEFAULT_POSTS: dict[str, int] = {"checkpoint": 4, "sampling_station": 1, "grid_duty": 4}


def _communities(n: int, grids: int, rng: np.random.Generator) -> list[Community]:
    out = []
    for c in range(n):
        cid = f"c{c + 1}"
        grid_list = []
        for g in range(grids):
            households = int(rng.integers(200, 501))
            residents = round(float(households * rng.uniform(2.5, 3.5)))
            grid_list.append(
                Grid(id=f"{cid}-g{g + 1:02d}", households=households, residents=residents)
            )
        out.append(Community(id=cid, name=f"社区{c + 1}", grids=grid_list))
    return out


def _post(
    ptype: PostType, index: int, communities: list[Community], rng: np.random.Generator
) -> Post:
    tpl = POST_TEMPLATES[ptype]
    community = communities[int(rng.integers(len(communities)))]
    grid = community.grids[int(rng.integers(len(community.grids)))]
    place = {"grid": (community.id, grid.id), "community": (community.id, None)}
    where_community, where_grid = place.get(tpl.level, (None, None))
    at_least = (
        [AtLeast(count=1, categories=[*_STAFF, "group_leader", "police"], weight=200_000)]
        if tpl.staff_at_least
        else []
    )
    heads = {r.role: int(rng.integers(r.low, r.high + 1)) for r in tpl.roles}
    demand = [
        Demand(
            shift=shift,
            roles=[
                Role(
                    role=r.role,
                    headcount=heads[r.role],
                    categories=list(r.categories),
                    skills=list(r.skills),
                )
                for r in tpl.roles
            ],
            at_least=at_least,
        )
        for shift in tpl.shifts
    ]
    return Post(
        id=f"{ptype.value}-{index + 1:03d}",
        type=ptype,
        community=where_community,
        grid=where_grid,
        exposure=tpl.exposure,
        priority=tpl.priority,
        shifts=list(tpl.shifts),
        demand=demand,
    )


def _group(category: str, count: int, days: int) -> RosterGroup:
    ages, female, home, skills = _PEOPLE.get(category, _PEOPLE["volunteer"])
    leave = (
        [Leave(last_day=max(0, days // 2 - 1), share=0.5)] if category == "seconded_cadre" else []
    )
    return RosterGroup(
        category=category,
        count=count,
        id_prefix=f"{category[:2]}{sum(map(ord, category)) % 100:02d}-",
        ages=[AgeBand(low=lo, high=hi, share=share) for lo, hi, share in ages],
        female_share=female,
        home=home,
        skills=skills,
        avoid_night_share=0.8 if category == "volunteer" else 0.0,
        leave=leave,
    )


def generate_district(
    communities: int = 2,
    grids_per_community: int = 3,
    people: Mapping[str, int] | None = None,
    posts: Mapping[str, int] | None = None,
    days: int = 7,
    seed: int = 0,
    start: dt.date = dt.date(2022, 4, 25),
    name: str | None = None,
) -> Scenario:
    """A synthetic district scenario, deterministic for ``seed``.

    Parameters
    ----------
    communities, grids_per_community
        Size of the locality tree; grids get 200-500 households.
    people
        Category -> number of people (default :data:`DEFAULT_PEOPLE`). Categories outside
        the built-in ones become custom categories.
    posts
        Post type (``checkpoint``, ``sampling_station``, ``grid_duty``, ...) -> number of
        posts (default :data:`DEFAULT_POSTS`); each post type has the shape in
        :data:`POST_TEMPLATES`, with headcounts drawn per post.
    days, start
        The horizon.
    seed
        Same seed, same scenario.

    Raises
    ------
    ValueError
        If a post type is unknown or a count is negative.
    """
    if communities < 1 or grids_per_community < 1:
        raise ValueError("communities and grids_per_community must be at least 1")
    people = dict(DEFAULT_PEOPLE if people is None else people)
    posts = dict(DEFAULT_POSTS if posts is None else posts)
    for what, counts in (("people", people), ("posts", posts)):
        for key, count in counts.items():
            if count < 0:
                raise ValueError(f"{what}.{key}: negative count {count}")
    known = {t.value for t in PostType}
    for key in posts:
        if key not in known:
            raise ValueError(f"posts.{key}: unknown post type; known: {', '.join(sorted(known))}")
    rng = np.random.default_rng(seed)
    localities = _communities(communities, grids_per_community, rng)
    post_list = [
        _post(PostType(ptype), i, localities, rng)
        for ptype in sorted(posts)
        for i in range(posts[ptype])
    ]
    norms = load_norms()
    used = {s for p in post_list for s in p.shifts}
    shifts = [s for s in norms.shifts if s.id in used]
    nights = [s.id for s in shifts if s.night]
    spec = RosterSpec(
        seed=seed,
        groups=[_group(cat, n, days) for cat, n in sorted(people.items()) if n > 0],
    )
    horizon = Horizon(start=start, days=days)
    roster = generate_roster(spec, localities, start, days, nights)
    builtin = set(BUILTIN_CATEGORIES)
    custom = list(norms.custom_categories)
    custom += sorted(c for c in people if c not in builtin and c not in custom)
    return Scenario(
        name=name or f"synthetic district (seed {seed}, {len(roster)} people, {days} days)",
        description="generated by planner.generate.generate_district",
        horizon=horizon,
        shifts=shifts or norms.shifts[:1],
        communities=localities,
        custom_categories=custom,
        posts=post_list,
        people=roster,
        rules=norms.rules,
    )
