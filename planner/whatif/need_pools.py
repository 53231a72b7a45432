"""Recruit pools: the kinds of additional people a staffing need is counted in.

A *pool* is one category at one home: a grid for categories that serve in their grid, a
community for those that serve in their community, the whole district for the rest.
People of one pool are interchangeable: the assumptions made for every recruit are

- available every day of the horizon, with no shift preferences or requests;
- the category's rules (``rules.defaults`` then ``rules.categories[category]``);
- trained for every duty their category may take: the skills of every role open to it;
- aged :data:`RECRUIT_AGE`, not flagged vulnerable (so any exposure is open to them).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from planner.model import Locality, Person, Scenario
from planner.solvers.index import static_reason

#: The age given to recruits (below every usual vulnerability age).
RECRUIT_AGE = 35

#: Prefix of recruit ids.
RECRUIT_PREFIX = "need"


@dataclass(frozen=True)
class Pool:
    """Interchangeable potential recruits: a category at a home (grid, community or none)."""

    category: str
    community: str | None
    grid: str | None
    skills: tuple[str, ...]

    @property
    def key(self) -> str:
        """A readable id: ``<category>@<grid or community or all>``."""
        return f"{self.category}@{self.grid or self.community or 'all'}"

    def person(self, number: int) -> Person:
        """The ``number``-th recruit of this pool (1-based), with the stated assumptions."""
        return Person(
            id=f"{RECRUIT_PREFIX}-{self.key}-{number:04d}",
            category=self.category,
            community=self.community,
            grid=self.grid,
            age=RECRUIT_AGE,
            skills=list(self.skills),
        )

    def people(self, count: int) -> list[Person]:
        """Recruits 1..``count`` of this pool."""
        return [self.person(n) for n in range(1, count + 1)]


def category_skills(scenario: Scenario, category: str) -> tuple[str, ...]:
    """Every skill asked by a role that people of ``category`` may take, sorted."""
    skills: set[str] = set()
    for post in scenario.posts:
        for entry in post.demand:
            for role in entry.roles:
                if not role.categories or category in role.categories:
                    skills.update(role.skills)
    return tuple(sorted(skills))


def recruit_pools(scenario: Scenario, categories: list[str]) -> list[Pool]:
    """The pools of ``categories`` that could fill at least one role of the scenario.

    Raises
    ------
    ValueError
        If a category is unknown.
    """
    known = set(scenario.categories)
    for cat in categories:
        if cat not in known:
            raise ValueError(f"categories: unknown category '{cat}'")
    pools = []
    for cat in categories:
        skills = category_skills(scenario, cat)
        scope = scenario.rules.locality_of(cat)
        homes: list[tuple[str | None, str | None]]
        if scope is Locality.GRID:
            homes = [(c.id, g.id) for c in scenario.communities for g in c.grids]
            homes += [(c.id, None) for c in scenario.communities if not c.grids]
        elif scope is Locality.COMMUNITY:
            homes = [(c.id, None) for c in scenario.communities]
        else:
            homes = [(None, None)]
        for community, grid in homes:
            pool = Pool(cat, community, grid, skills)
            if eligible_roles(scenario, pool):
                pools.append(pool)
    return pools


def eligible_roles(scenario: Scenario, pool: Pool) -> set[tuple[str, int, str]]:
    """(post id, demand entry index, role) that a recruit of ``pool`` may fill."""
    probe = pool.person(1)
    out = set()
    for post in scenario.posts:
        for e_idx, entry in enumerate(post.demand):
            for role in entry.roles:
                if role.headcount > 0 and static_reason(scenario, probe, post, role) is None:
                    out.add((post.id, e_idx, role.role))
    return out


def default_categories(scenario: Scenario) -> list[str]:
    """Categories on the roster, volunteers first, then in the scenario's category order."""
    present = {p.category for p in scenario.people}
    ordered = [c for c in scenario.categories if c in present]
    return sorted(ordered, key=lambda c: c != "volunteer")


def pool_of(person_id: str, pools: list[Pool]) -> Pool | None:
    """The pool a recruit id belongs to, or None for anyone else."""
    for pool in pools:
        if person_id.startswith(f"{RECRUIT_PREFIX}-{pool.key}-"):
            return pool
    return None


def horizon_note(scenario: Scenario) -> str:
    """The availability assumed for recruits, in words."""
    last = scenario.horizon.start + dt.timedelta(days=scenario.horizon.days - 1)
    return f"{scenario.horizon.start.isoformat()} – {last.isoformat()}"
