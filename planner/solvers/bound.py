"""A lower bound on the objective from a min-cost flow relaxation of coverage.

Every unit of demand either reaches the sink through a person (free) or through a
"missing" arc costing ``weights.shortage * priority``. A person's flow is capped per
(day, shift) at 1, per day by their hard daily limits, and over the horizon by what their
hard limits allow at most (daily shifts, 7-day and horizon minutes, per-template caps,
consecutive days). Every other rule is relaxed and every other objective term is
non-negative, so the minimum cost is a lower bound on the objective of any plan.
"""

from __future__ import annotations

import functools
import math
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from ortools.graph.python import min_cost_flow

from planner.model import Limit, WorkRules
from planner.solvers.index import ProblemIndex


def hard_value(limit: Limit | None) -> int | None:
    return limit.value if limit is not None and limit.weight is None else None


def person_shift_cap(
    rules: WorkRules, days: int, durations: dict[str, int], day_caps: list[int]
) -> int:
    """Most shifts a person can work over the horizon under their hard limits.

    ``durations`` maps the templates they can work to their lengths; ``day_caps`` is their
    most shifts on each day they can work.
    """
    cap = sum(day_caps)
    shortest = min(durations.values())
    horizon = hard_value(rules.max_minutes_per_horizon)
    if horizon is not None:
        cap = min(cap, horizon // shortest)
    week = hard_value(rules.max_minutes_per_7_days)
    if week is not None:
        cap = min(cap, math.ceil(days / 7) * (week // shortest))
    per_template = [hard_value(rules.max_shifts_per_template.get(t)) for t in durations]
    if all(v is not None for v in per_template):
        cap = min(cap, sum(v for v in per_template if v is not None))
    run = hard_value(rules.max_consecutive_days)
    if run is not None:
        most_days = days - days // (run + 1)
        cap = min(cap, sum(sorted(day_caps, reverse=True)[:most_days]))
    return cap


@dataclass(frozen=True)
class PersonCaps:
    """What one person's hard rules allow, over the (day, shift) keys they can work."""

    #: day -> the shift indices they can start that day
    by_day: dict[int, list[int]]
    #: day -> most shifts that day
    day_shifts: dict[int, int]
    #: day -> most minutes that day
    day_minutes: dict[int, int]
    #: most shifts over the horizon
    shifts: int
    #: most minutes over the horizon, reachable by whole shifts
    minutes: int


def person_caps(index: ProblemIndex, p: int) -> PersonCaps:
    """The hard caps of person ``p`` that the relaxations use."""
    scenario = index.scenario
    shifts = scenario.shifts
    days = scenario.horizon.days
    keys = index.by_person_day_shift[p]
    rules = scenario.rules_for(scenario.people[p])
    by_day: dict[int, list[int]] = defaultdict(list)
    for d, t in keys:
        by_day[d].append(t)
    lengths = {d: [shifts[t].duration_min for t in ts] for d, ts in by_day.items()}
    day_shifts = {d: day_shift_cap(rules, ls) for d, ls in lengths.items()}
    day_minutes = {d: day_minutes_cap(rules, ls) for d, ls in lengths.items()}
    durations = {shifts[t].id: shifts[t].duration_min for _, t in keys}
    most = person_shift_cap(rules, days, durations, list(day_shifts.values()))
    minutes = reachable_minutes(
        horizon_minutes_cap(rules, days, sum(day_minutes.values())),
        tuple(sorted(set(durations.values()))),
        most,
    )
    return PersonCaps(dict(by_day), day_shifts, day_minutes, most, minutes)


def flow_bound(index: ProblemIndex, groups: list[tuple[int, int]] | None = None) -> int:
    """The better of the two relaxations below: a lower bound on the objective.

    ``groups`` is :func:`interchangeable` of ``index``, if already at hand.
    """
    groups = interchangeable(index) if groups is None else groups
    return max(_relaxation(index, False, groups), _relaxation(index, True, groups))


class _Network:
    """A min-cost flow network whose arcs are collected in arrays and added at once."""

    def __init__(self) -> None:
        self.tails: list[int] = []
        self.heads: list[int] = []
        self.caps: list[int] = []
        self.costs: list[int] = []
        self.num_nodes = 2  # 0 source, 1 sink

    def node(self) -> int:
        self.num_nodes += 1
        return self.num_nodes - 1

    def arc(self, tail: int, head: int, cap: int, cost: int = 0) -> None:
        self.tails.append(tail)
        self.heads.append(head)
        self.caps.append(cap)
        self.costs.append(cost)

    def min_cost(self, supply: int, extra: tuple[np.ndarray, ...] | None = None) -> int:
        """Minimum cost of sending ``supply`` from source to sink (``extra``: more arcs)."""
        flow = min_cost_flow.SimpleMinCostFlow()
        arrays = [
            np.array(v, dtype=np.int64) for v in (self.tails, self.heads, self.caps, self.costs)
        ]
        if extra is not None:
            arrays = [
                np.concatenate((a, e.astype(np.int64))) for a, e in zip(arrays, extra, strict=True)
            ]
        flow.add_arcs_with_capacity_and_unit_cost(*arrays)
        flow.set_node_supply(0, supply)
        flow.set_node_supply(1, -supply)
        status = flow.solve()
        if status != flow.OPTIMAL:
            raise RuntimeError(f"flow relaxation ended with status {status}")
        return int(flow.optimal_cost())


def _relaxation(
    index: ProblemIndex, minutes: bool, groups: list[tuple[int, int]] | None = None
) -> int:
    """Minimum shortage cost when a person's flow counts shifts (or minutes).

    Layers: source -> person (horizon cap) -> person-day (daily cap) -> person-day-shift
    (one shift) -> slot (through each candidate) -> sink (headcount); and source -> slot
    "missing" arcs at the shortage cost.
    """
    scenario = index.scenario
    weight = scenario.objective.shortage
    shifts = scenario.shifts
    net = _Network()
    slot_node = [net.node() for _ in index.slots]
    total = 0
    for s_idx, slot in enumerate(index.slots):
        unit = shifts[slot.shift_idx].duration_min if minutes else 1
        need = slot.headcount * unit
        if need == 0:
            continue
        total += need
        # per missing minute the cost is rounded down, so the bound stays a bound
        net.arc(0, slot_node[s_idx], need, weight * index.priority(s_idx) // unit)
        net.arc(slot_node[s_idx], 1, need)
    if total == 0:
        return 0
    cand_node = np.zeros(index.num_candidates, dtype=np.int64)
    cand_cap = np.zeros(index.num_candidates, dtype=np.int64)
    for p, count in groups if groups is not None else interchangeable(index):
        keys = index.by_person_day_shift[p]
        caps = person_caps(index, p)
        if minutes:
            day_caps, cap = caps.day_minutes, caps.minutes
        else:
            day_caps, cap = caps.day_shifts, caps.shifts
        if cap <= 0:
            continue
        # ``count`` interchangeable people share one chain of nodes, every capacity times
        # ``count``: any plan of theirs is still a flow, so the bound stays valid
        person_node = net.node()
        net.arc(0, person_node, cap * count)
        for d, ts in caps.by_day.items():
            day_node = net.node()
            net.arc(person_node, day_node, day_caps[d] * count)
            for t in ts:
                unit = shifts[t].duration_min if minutes else 1
                shift_node = net.node()
                net.arc(day_node, shift_node, unit * count)
                cands = keys[(d, t)]
                cand_node[cands] = shift_node
                cand_cap[cands] = unit * count
    used = cand_cap > 0
    slot_of = np.array(slot_node, dtype=np.int64)[np.array(index.cand_slot, dtype=np.int64)]
    extra = (cand_node[used], slot_of[used], cand_cap[used], np.zeros(int(used.sum())))
    return net.min_cost(total, extra)


def interchangeable(index: ProblemIndex) -> list[tuple[int, int]]:
    """(representative person, how many) for groups of people the relaxation cannot tell
    apart: the same slots on the same days and shifts, and the same work rules."""
    return [(members[0], len(members)) for members in interchangeable_groups(index)]


def interchangeable_groups(index: ProblemIndex) -> list[list[int]]:
    """The people of each group of :func:`interchangeable`, the representative first."""
    scenario = index.scenario
    groups: dict[tuple[object, ...], list[int]] = {}
    for p, keys in enumerate(index.by_person_day_shift):
        if not keys:
            continue
        person = scenario.people[p]
        signature = (
            scenario.rules_for(person).model_dump_json(),
            tuple(
                (key, tuple(index.cand_slot[c] for c in cands))
                for key, cands in sorted(keys.items())
            ),
        )
        groups.setdefault(signature, []).append(p)
    return list(groups.values())


def shift_flow_bound(index: ProblemIndex) -> int:
    """Minimum priority-weighted shortage cost when flow counts shifts."""
    return _relaxation(index, minutes=False)


def minutes_flow_bound(index: ProblemIndex) -> int:
    """Minimum shortage cost when flow counts minutes.

    A slot of headcount h on a shift of d minutes needs h*d minutes; each missing minute
    costs ``floor(weight * priority / d)``. A person supplies at most the minutes their hard
    daily, 7-day and horizon limits allow, reachable by whole shifts, at most one shift's
    length per (day, shift), split freely among slots: a plan is a flow, so the minimum
    cost is a lower bound. It is tighter than counting shifts when shift lengths differ and
    minute limits bind.
    """
    return _relaxation(index, minutes=True)


def horizon_minutes_cap(rules: WorkRules, days: int, daily_total: int) -> int:
    cap = daily_total
    horizon = hard_value(rules.max_minutes_per_horizon)
    if horizon is not None:
        cap = min(cap, horizon)
    week = hard_value(rules.max_minutes_per_7_days)
    if week is not None:
        cap = min(cap, math.ceil(days / 7) * week)
    return cap


def day_shift_cap(rules: WorkRules, durations: list[int]) -> int:
    cap = len(durations)
    per_day = hard_value(rules.max_shifts_per_day)
    if per_day is not None:
        cap = min(cap, per_day)
    minutes = hard_value(rules.max_minutes_per_day)
    if minutes is not None:
        cap = min(cap, minutes // min(durations))
    return cap


def day_minutes_cap(rules: WorkRules, durations: list[int]) -> int:
    """Most minutes a person can start on one day under their hard daily limits."""
    longest_first = sorted(durations, reverse=True)
    per_day = hard_value(rules.max_shifts_per_day)
    cap = sum(longest_first[: per_day if per_day is not None else len(durations)])
    minutes = hard_value(rules.max_minutes_per_day)
    return cap if minutes is None else min(cap, minutes)


@functools.lru_cache(maxsize=4096)
def reachable_minutes(cap: int, lengths: tuple[int, ...], most_shifts: int) -> int:
    """Most minutes, at most ``cap``, that at most ``most_shifts`` whole shifts of the given
    ``lengths`` can add up to (a person with 2,400 minutes and 540-minute shifts can work
    2,160, not 2,400)."""
    if cap <= 0 or most_shifts <= 0 or not lengths:
        return 0
    fewest = [most_shifts + 1] * (cap + 1)  # fewest shifts that add up to exactly m minutes
    fewest[0] = 0
    for m in range(cap + 1):
        if fewest[m] >= most_shifts:
            continue
        for length in lengths:
            if m + length <= cap and fewest[m] + 1 < fewest[m + length]:
                fewest[m + length] = fewest[m] + 1
    return max(m for m in range(cap + 1) if fewest[m] <= most_shifts)
