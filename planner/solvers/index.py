"""Dense indices over a scenario: demand slots and eligible (person, slot) candidates.

Only eligible and available combinations become candidates, so every later structure (the
CP-SAT model, the greedy, the flow bound) is sparse in them. A *slot* is one role of one
post on one day and shift; a *post-shift* groups the slots of one post, day and shift.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np

from planner.model import Assignment, Person, Post, Role, Scenario
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

    def assignments(self, chosen: list[int]) -> list[Assignment]:
        """The plan made of the candidates ``chosen``, with ids."""
        scenario = self.scenario
        dates = scenario.horizon.dates()
        out = []
        for c in chosen:
            slot = self.slots[self.cand_slot[c]]
            out.append(
                Assignment(
                    person=scenario.people[self.cand_person[c]].id,
                    post=scenario.posts[slot.post_idx].id,
                    role=slot.role.role,
                    date=dates[slot.day],
                    shift=scenario.shifts[slot.shift_idx].id,
                )
            )
        return out

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


class _PeopleArrays:
    """People's attributes as arrays, to decide day-independent eligibility for everyone
    at once; the same rules as :func:`static_reason`, person by person."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        people = scenario.people
        self.category = np.array([p.category for p in people], dtype=object)
        self.grid = np.array([p.grid for p in people], dtype=object)
        self.home = np.array([person_community(scenario, p) for p in people], dtype=object)
        scope = {Locality.GRID: 0, Locality.COMMUNITY: 1, Locality.DISTRICT: 2}
        self.scope = np.array(
            [scope[scenario.rules.locality_of(p.category)] for p in people], dtype=np.int8
        )
        self.vulnerable = np.array([scenario.is_vulnerable(p) for p in people], dtype=bool)
        self._skill: dict[str, np.ndarray] = {}

    def has_skill(self, skill: str) -> np.ndarray:
        """Who has ``skill``."""
        if skill not in self._skill:
            self._skill[skill] = np.array(
                [skill in p.skills for p in self.scenario.people], dtype=bool
            )
        return self._skill[skill]

    def eligible(self, post: Post, role: Role) -> np.ndarray:
        """Who may fill ``role`` at ``post`` as far as qualification, locality, exposure go."""
        n = len(self.category)
        ok = np.ones(n, dtype=bool)
        if role.categories:
            ok &= np.isin(self.category, role.categories)
        for skill in role.skills:
            ok &= self.has_skill(skill)
        where = post_community(self.scenario, post)
        same_home = (self.home == where) if where is not None else np.zeros(n, dtype=bool)
        if post.grid is not None:
            grid_ok = (self.scope == 0) & (self.grid == post.grid)
        else:
            grid_ok = (self.scope == 0) & same_home
        ok &= (self.scope == 2) | ((self.scope == 1) & same_home) | grid_ok
        limit = self.scenario.rules.exposure.vulnerable_max_exposure
        if Exposure(post.exposure).rank > limit.rank:
            ok &= ~self.vulnerable
        return ok


def _group_by_person_day_shift(
    person_arr: np.ndarray, slot_arr: np.ndarray, slots: list[Slot], num_people: int
) -> list[dict[tuple[int, int], list[int]]]:
    """Candidates grouped by person, then by (day, shift), in candidate order."""
    by_pds: list[dict[tuple[int, int], list[int]]] = [{} for _ in range(num_people)]
    if len(person_arr) == 0:
        return by_pds
    slot_day = np.array([s.day for s in slots], dtype=np.int64)
    slot_shift = np.array([s.shift_idx for s in slots], dtype=np.int64)
    day_arr, shift_arr = slot_day[slot_arr], slot_shift[slot_arr]
    order = np.lexsort((shift_arr, day_arr, person_arr))  # stable: candidate order kept
    keys = np.stack([person_arr[order], day_arr[order], shift_arr[order]], axis=1)
    breaks = np.flatnonzero(np.any(keys[1:] != keys[:-1], axis=1)) + 1
    starts = np.concatenate(([0], breaks)).tolist()
    ends = [*starts[1:], len(order)]
    ordered = order.tolist()
    heads = keys[starts].tolist()
    for (p, d, t), lo, hi in zip(heads, starts, ends, strict=True):
        by_pds[p][(d, t)] = ordered[lo:hi]
    return by_pds


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

    forbidden_idx = {
        i for i, p in enumerate(scenario.people) if p.id in {f.person for f in scenario.forbidden}
    }
    available = [[person.is_available(d) for d in dates] for person in scenario.people]
    avail = np.array(available, dtype=bool).reshape(len(scenario.people), len(dates))
    # Qualification, locality and exposure do not depend on the day: decide them once per
    # (post, demand entry, role), then filter by availability and forbidden pairs per slot.
    static_ok: dict[tuple[int, int, str], np.ndarray] = {}
    attrs = _PeopleArrays(scenario)
    chunks: list[np.ndarray] = []
    by_slot: list[list[int]] = []
    total = 0
    for slot in slots:
        post = scenario.posts[slot.post_idx]
        key = (slot.post_idx, postshifts[slot.postshift_idx].demand_idx, slot.role.role)
        people = static_ok.get(key)
        if people is None:
            people = np.flatnonzero(attrs.eligible(post, slot.role))
            static_ok[key] = people
        chosen = people[avail[people, slot.day]] if len(people) else people
        if forbidden_idx:
            shift, date = scenario.shifts[slot.shift_idx].id, dates[slot.day]
            chosen = np.array(
                [
                    p
                    for p in chosen.tolist()
                    if p not in forbidden_idx
                    or not any(
                        f.matches(scenario.people[p].id, post.id, date, shift)
                        for f in scenario.forbidden
                    )
                ],
                dtype=np.int64,
            )
        chunks.append(chosen)
        by_slot.append(list(range(total, total + len(chosen))))
        total += len(chosen)
    person_arr = np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.int64)
    slot_arr = np.repeat(np.arange(len(slots)), [len(c) for c in chunks])
    cand_person: list[int] = person_arr.tolist()
    cand_slot: list[int] = slot_arr.tolist()
    by_pds = _group_by_person_day_shift(person_arr, slot_arr, slots, len(scenario.people))

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
        by_person_day_shift=by_pds,
        available=available,
        fixed_cands=fixed_cands,
        fixed_problems=fixed_problems,
    )


#: the candidates of a slot, and the keys of a person, where a restriction keeps none (shared:
#: never changed)
_NO_CANDIDATES: list[int] = []
_NO_KEYS: dict[tuple[int, int], list[int]] = {}


def restrict(index: ProblemIndex, keep: list[int]) -> tuple[ProblemIndex, list[int]]:
    """The same problem with only the candidates ``keep`` (old indices, ascending).

    Slots, post-shifts and people are unchanged, so any plan of the restricted problem is a
    plan of the original one. Returns the new index and, for each new candidate, its old
    index. ``keep`` must hold the candidates of every fixed assignment. The new index's
    lists are shared where empty: they are read, never changed.
    """
    old_to_new = {old: new for new, old in enumerate(keep)}
    cand_person = [index.cand_person[c] for c in keep]
    cand_slot = [index.cand_slot[c] for c in keep]
    # slots and people without candidates share one empty list and dict (a restriction to
    # one person of a district of 3,742 people spent 5 ms making a list per slot and a dict
    # per person)
    by_slot: list[list[int]] = [_NO_CANDIDATES] * len(index.slots)
    by_pds: list[dict[tuple[int, int], list[int]]] = [_NO_KEYS] * len(index.by_person_day_shift)
    slots = index.slots
    for new, (p, s) in enumerate(zip(cand_person, cand_slot, strict=True)):
        if by_slot[s] is _NO_CANDIDATES:
            by_slot[s] = []
        by_slot[s].append(new)
        slot = slots[s]
        if by_pds[p] is _NO_KEYS:
            by_pds[p] = {}
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
