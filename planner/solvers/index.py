"""Dense indices over a scenario: demand slots and eligible (person, slot) candidates.

Only eligible and available combinations become candidates, so every later structure (the
CP-SAT model, the greedy, the flow bound) is sparse in them. A *slot* is one role of one
post on one day and shift; a *post-shift* groups the slots of one post, day and shift.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from planner.model import Person, Post, Role, Scenario
from planner.model.base import Exposure, Locality


@dataclass(frozen=True)
class Slot:
    """One role of one post on one day and shift: ``headcount`` people wanted."""

    post_idx: int
    day: int
    shift_idx: int
    role: Role
    postshift_idx: int

    @property
    def headcount(self) -> int:
        """People wanted."""
        return self.role.headcount


@dataclass
class PostShift:
    """All slots of one post on one day and shift, with its "at least" rules."""

    post_idx: int
    day: int
    shift_idx: int
    slot_idxs: list[int] = field(default_factory=list)
    demand_idx: int = 0


@dataclass
class ProblemIndex:
    """Sparse view of a scenario for the solvers.

    ``cand_person[c]`` and ``cand_slot[c]`` describe candidate ``c``: that person may fill
    that slot. ``by_person_day_shift[p][(day, shift_idx)]`` lists the candidates of person
    ``p`` on one day and shift.
    """

    scenario: Scenario
    slots: list[Slot]
    postshifts: list[PostShift]
    cand_person: list[int]
    cand_slot: list[int]
    by_slot: list[list[int]]
    by_person_day_shift: list[dict[tuple[int, int], list[int]]]
    available: list[list[bool]]
    fixed_cands: list[int | None]
    fixed_problems: list[str]

    @property
    def num_candidates(self) -> int:
        """Number of (person, slot) candidates."""
        return len(self.cand_person)

    def priority(self, slot_idx: int) -> int:
        """Priority of the post a slot belongs to."""
        return self.scenario.posts[self.slots[slot_idx].post_idx].priority


def post_community(scenario: Scenario, post: Post) -> str | None:
    """The post's community, or that of its grid."""
    if post.community is not None:
        return post.community
    return scenario.grid_community.get(post.grid) if post.grid is not None else None


def person_community(scenario: Scenario, person: Person) -> str | None:
    """The person's home community, or that of their grid."""
    if person.community is not None:
        return person.community
    return scenario.grid_community.get(person.grid) if person.grid is not None else None


def static_reason(scenario: Scenario, person: Person, post: Post, role: Role) -> str | None:
    """The day-independent reason ``person`` may not fill ``role`` at ``post``, or None.

    One of ``qualification``, ``locality`` or ``exposure``.
    """
    if role.categories and person.category not in role.categories:
        return "qualification"
    if any(skill not in person.skills for skill in role.skills):
        return "qualification"
    scope = scenario.rules.locality_of(person.category)
    if scope is not Locality.DISTRICT:
        home = person_community(scenario, person)
        where = post_community(scenario, post)
        if scope is Locality.GRID and post.grid is not None:
            ok = post.grid == person.grid
        else:
            ok = where is not None and where == home
        if not ok:
            return "locality"
    if scenario.is_vulnerable(person):
        limit = scenario.rules.exposure.vulnerable_max_exposure
        if Exposure(post.exposure).rank > limit.rank:
            return "exposure"
    return None


def ineligibility(
    scenario: Scenario, person: Person, post: Post, role: Role, date: dt.date, shift: str
) -> str | None:
    """Why ``person`` may not fill ``role`` at ``post`` on ``date``/``shift``, or None.

    The reason is the name of the rule that forbids it: ``availability``,
    ``qualification``, ``locality``, ``exposure`` or ``forbidden``.
    """
    if not person.is_available(date):
        return "availability"
    reason = static_reason(scenario, person, post, role)
    if reason is not None:
        return reason
    if any(f.matches(person.id, post.id, date, shift) for f in scenario.forbidden):
        return "forbidden"
    return None


def build_index(scenario: Scenario) -> ProblemIndex:
    """Enumerate slots, post-shifts and eligible candidates of ``scenario``."""
    dates = scenario.horizon.dates()
    shift_idx = {s.id: i for i, s in enumerate(scenario.shifts)}
    slots: list[Slot] = []
    postshifts: list[PostShift] = []
    slot_key: dict[tuple[str, str, int, str], int] = {}
    for p_idx, post in enumerate(scenario.posts):
        for day, date in enumerate(dates):
            for shift in post.shifts:
                entry = post.demand_on(date, shift)
                if entry is None:
                    continue
                ps = PostShift(p_idx, day, shift_idx[shift], demand_idx=post.demand.index(entry))
                ps_idx = len(postshifts)
                postshifts.append(ps)
                for role in entry.roles:
                    slot_key[(post.id, role.role, day, shift)] = len(slots)
                    ps.slot_idxs.append(len(slots))
                    slots.append(Slot(p_idx, day, shift_idx[shift], role, ps_idx))

    forbidden_people = {f.person for f in scenario.forbidden}
    cand_person: list[int] = []
    cand_slot: list[int] = []
    by_slot: list[list[int]] = [[] for _ in slots]
    by_pds: list[dict[tuple[int, int], list[int]]] = [defaultdict(list) for _ in scenario.people]
    available = [[person.is_available(d) for d in dates] for person in scenario.people]
    # Qualification, locality and exposure do not depend on the day: decide them once per
    # (post, demand entry, role), then filter by availability and forbidden pairs per slot.
    static_ok: dict[tuple[int, int, str], list[int]] = {}
    for s_idx, slot in enumerate(slots):
        post = scenario.posts[slot.post_idx]
        shift = scenario.shifts[slot.shift_idx].id
        date = dates[slot.day]
        key = (slot.post_idx, postshifts[slot.postshift_idx].demand_idx, slot.role.role)
        people = static_ok.get(key)
        if people is None:
            people = [
                i
                for i, person in enumerate(scenario.people)
                if static_reason(scenario, person, post, slot.role) is None
            ]
            static_ok[key] = people
        for person_idx in people:
            if not available[person_idx][slot.day]:
                continue
            person = scenario.people[person_idx]
            if person.id in forbidden_people and any(
                f.matches(person.id, post.id, date, shift) for f in scenario.forbidden
            ):
                continue
            c = len(cand_person)
            cand_person.append(person_idx)
            cand_slot.append(s_idx)
            by_slot[s_idx].append(c)
            by_pds[person_idx][(slot.day, slot.shift_idx)].append(c)

    person_idx_of = {p.id: i for i, p in enumerate(scenario.people)}
    fixed_cands: list[int | None] = []
    fixed_problems: list[str] = []
    for i, fix in enumerate(scenario.fixed):
        s_idx = slot_key[(fix.post, fix.role, scenario.horizon.day_index(fix.date), fix.shift)]
        p_idx = person_idx_of[fix.person]
        found = next((c for c in by_slot[s_idx] if cand_person[c] == p_idx), None)
        fixed_cands.append(found)
        if found is None:
            slot = slots[s_idx]
            reason = ineligibility(
                scenario,
                scenario.people[p_idx],
                scenario.posts[slot.post_idx],
                slot.role,
                fix.date,
                fix.shift,
            )
            fixed_problems.append(
                f"fixed[{i}]: person '{fix.person}' on post '{fix.post}' role '{fix.role}' "
                f"{fix.date} shift '{fix.shift}' breaks the {reason} rule"
            )
    return ProblemIndex(
        scenario=scenario,
        slots=slots,
        postshifts=postshifts,
        cand_person=cand_person,
        cand_slot=cand_slot,
        by_slot=by_slot,
        by_person_day_shift=[dict(d) for d in by_pds],
        available=available,
        fixed_cands=fixed_cands,
        fixed_problems=fixed_problems,
    )


def restrict(index: ProblemIndex, keep: list[int]) -> tuple[ProblemIndex, list[int]]:
    """The same problem with only the candidates ``keep`` (old indices, ascending).

    Slots, post-shifts and people are unchanged, so any plan of the restricted problem is a
    plan of the original one. Returns the new index and, for each new candidate, its old
    index. ``keep`` must hold the candidates of every fixed assignment.
    """
    old_to_new = {old: new for new, old in enumerate(keep)}
    cand_person = [index.cand_person[c] for c in keep]
    cand_slot = [index.cand_slot[c] for c in keep]
    by_slot: list[list[int]] = [[] for _ in index.slots]
    by_pds: list[dict[tuple[int, int], list[int]]] = [{} for _ in index.by_person_day_shift]
    slots = index.slots
    for new, (p, s) in enumerate(zip(cand_person, cand_slot, strict=True)):
        by_slot[s].append(new)
        slot = slots[s]
        by_pds[p].setdefault((slot.day, slot.shift_idx), []).append(new)
    fixed = [old_to_new.get(c) if c is not None else None for c in index.fixed_cands]
    problems = list(index.fixed_problems)
    sub = ProblemIndex(
        scenario=index.scenario,
        slots=index.slots,
        postshifts=index.postshifts,
        cand_person=cand_person,
        cand_slot=cand_slot,
        by_slot=by_slot,
        by_person_day_shift=by_pds,
        available=index.available,
        fixed_cands=fixed,
        fixed_problems=problems,
    )
    return sub, list(keep)
