"""Edits of the roster: add people, remove people, change when people can work."""

from __future__ import annotations

import numpy as np

from planner.district.roster import RosterGroup, generate_group
from planner.model import (
    FixedAssignment,
    ForbiddenAssignment,
    Locality,
    Person,
    Scenario,
)
from planner.solvers.index import person_community
from planner.whatif.spec import AddPeople, Availability, PersonFilter

_HOME = {Locality.GRID: "grid", Locality.COMMUNITY: "community", Locality.DISTRICT: "district"}


def select_people(scenario: Scenario, who: PersonFilter, rng: np.random.Generator) -> list[int]:
    """Indices (ascending) of the people ``who`` selects; ``share``/``count`` draw with ``rng``.

    Raises
    ------
    ValueError
        If ``who`` names an unknown category, community or person, or asks for more people
        than match.
    """
    known_cats = set(scenario.categories)
    for cat in who.categories:
        if cat not in known_cats:
            raise ValueError(f"who.categories: unknown category '{cat}'")
    communities = {c.id for c in scenario.communities}
    for cid in who.communities:
        if cid not in communities:
            raise ValueError(f"who.communities: unknown community '{cid}'")
    ids = set(who.ids)
    missing = ids - set(scenario.person_by_id)
    if missing:
        raise ValueError(f"who.ids: unknown person '{sorted(missing)[0]}'")
    matching = []
    for idx, person in enumerate(scenario.people):
        if who.categories and person.category not in who.categories:
            continue
        if who.communities and person_community(scenario, person) not in who.communities:
            continue
        if ids and person.id not in ids:
            continue
        if who.min_age is not None and (person.age is None or person.age < who.min_age):
            continue
        if who.max_age is not None and (person.age is None or person.age > who.max_age):
            continue
        matching.append(idx)
    if who.count is not None:
        wanted = who.count
        if wanted > len(matching):
            raise ValueError(f"who.count: {wanted} asked, only {len(matching)} people match")
    elif who.share is not None:
        wanted = round(who.share * len(matching))
    else:
        return matching
    picked = rng.choice(len(matching), size=wanted, replace=False)
    return sorted(matching[int(i)] for i in picked)


def add_people(
    scenario: Scenario, edit: AddPeople, rng: np.random.Generator, tag: str
) -> list[Person]:
    """The roster with ``edit.count`` new people appended (see :class:`AddPeople`)."""
    if edit.category not in scenario.categories:
        raise ValueError(f"category: unknown category '{edit.category}'")
    home = edit.home or _HOME[scenario.rules.locality_of(edit.category)]
    chosen = scenario.communities
    if edit.communities:
        by_id = {c.id: c for c in scenario.communities}
        unknown = [cid for cid in edit.communities if cid not in by_id]
        if unknown:
            raise ValueError(f"communities: unknown community '{unknown[0]}'")
        chosen = [by_id[cid] for cid in edit.communities]
    if home != "district" and not chosen:
        raise ValueError(f"home: '{home}' needs communities, the scenario has none")
    if home == "grid" and not any(c.grids for c in chosen):
        raise ValueError("home: 'grid' needs grids, the chosen communities have none")
    group = RosterGroup(
        category=edit.category,
        count=edit.count,
        id_prefix=edit.id_prefix or f"{tag}-",
        ages=edit.ages,
        female_share=edit.female_share,
        home=home,
        per_community=edit.per_community,
        skills=edit.skills,
        skills_over_60=edit.skills_over_60,
        avoid_night_share=edit.avoid_night_share,
    )
    nights = [s.id for s in scenario.shifts if s.night]
    new = generate_group(group, chosen, scenario.horizon.start, nights, rng)
    if edit.available_from is not None or edit.available_until is not None:
        window = {"available_from": edit.available_from, "available_until": edit.available_until}
        new = [Person(**{**_fields(p), **window}) for p in new]
    taken = set(scenario.person_by_id)
    clash = next((p.id for p in new if p.id in taken), None)
    if clash is not None:
        raise ValueError(f"id_prefix: person id '{clash}' is already taken")
    return [*scenario.people, *new]


def remove_people(
    scenario: Scenario, who: PersonFilter, rng: np.random.Generator
) -> tuple[list[Person], list[FixedAssignment], list[ForbiddenAssignment]]:
    """The roster without the people ``who`` selects, and the pins not naming them."""
    gone = {scenario.people[i].id for i in select_people(scenario, who, rng)}
    people = [p for p in scenario.people if p.id not in gone]
    fixed = [f for f in scenario.fixed if f.person not in gone]
    forbidden = [f for f in scenario.forbidden if f.person not in gone]
    return people, fixed, forbidden


def change_availability(
    scenario: Scenario, edit: Availability, rng: np.random.Generator
) -> list[Person]:
    """The roster with the availability of the selected people narrowed (or cleared)."""
    picked = set(select_people(scenario, edit.who, rng))
    out = []
    for idx, person in enumerate(scenario.people):
        if idx not in picked:
            out.append(person)
            continue
        start = None if edit.clear else person.available_from
        until = None if edit.clear else person.available_until
        if edit.available_from is not None:
            start = edit.available_from if start is None else max(start, edit.available_from)
        if edit.available_until is not None:
            until = edit.available_until if until is None else min(until, edit.available_until)
        if start is not None and until is not None and until < start:
            raise ValueError(
                f"available_until {until} falls before available_from {start} "
                f"(person '{person.id}')"
            )
        out.append(Person(**{**_fields(person), "available_from": start, "available_until": until}))
    return out


def _fields(person: Person) -> dict[str, object]:
    return {name: getattr(person, name) for name in Person.model_fields}
