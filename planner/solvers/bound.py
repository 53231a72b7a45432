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

from ortools.graph.python import min_cost_flow

from planner.model import Limit, WorkRules
from planner.solvers.index import ProblemIndex


def _hard(limit: Limit | None) -> int | None:
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
    horizon = _hard(rules.max_minutes_per_horizon)
    if horizon is not None:
        cap = min(cap, horizon // shortest)
    week = _hard(rules.max_minutes_per_7_days)
    if week is not None:
        cap = min(cap, math.ceil(days / 7) * (week // shortest))
    per_template = [_hard(rules.max_shifts_per_template.get(t)) for t in durations]
    if all(v is not None for v in per_template):
        cap = min(cap, sum(v for v in per_template if v is not None))
    run = _hard(rules.max_consecutive_days)
    if run is not None:
        most_days = days - days // (run + 1)
        cap = min(cap, sum(sorted(day_caps, reverse=True)[:most_days]))
    return cap


def flow_bound(index: ProblemIndex) -> int:
    """The better of the two relaxations below: a lower bound on the objective."""
    return max(shift_flow_bound(index), minutes_flow_bound(index))


def shift_flow_bound(index: ProblemIndex) -> int:
    """Minimum priority-weighted shortage cost when flow counts shifts."""
    scenario = index.scenario
    weight = scenario.objective.shortage
    total = sum(slot.headcount for slot in index.slots)
    if total == 0:
        return 0
    flow = min_cost_flow.SimpleMinCostFlow()
    source, sink = 0, 1
    next_node = 2
    slot_node = list(range(next_node, next_node + len(index.slots)))
    next_node += len(index.slots)
    for s_idx, slot in enumerate(index.slots):
        if slot.headcount == 0:
            continue
        flow.add_arc_with_capacity_and_unit_cost(
            source, slot_node[s_idx], slot.headcount, weight * index.priority(s_idx)
        )
        flow.add_arc_with_capacity_and_unit_cost(slot_node[s_idx], sink, slot.headcount, 0)
    shifts = scenario.shifts
    for p, keys in enumerate(index.by_person_day_shift):
        if not keys:
            continue
        rules = scenario.rules_for(scenario.people[p])
        by_day: dict[int, list[int]] = defaultdict(list)
        for d, t in keys:
            by_day[d].append(t)
        day_caps = {
            d: _day_cap(rules, [shifts[t].duration_min for t in ts]) for d, ts in by_day.items()
        }
        durations = {shifts[t].id: shifts[t].duration_min for _, t in keys}
        cap = person_shift_cap(rules, scenario.horizon.days, durations, list(day_caps.values()))
        if cap <= 0:
            continue
        person_node = next_node
        next_node += 1
        flow.add_arc_with_capacity_and_unit_cost(source, person_node, cap, 0)
        for d, ts in by_day.items():
            day_node = next_node
            next_node += 1
            flow.add_arc_with_capacity_and_unit_cost(person_node, day_node, day_caps[d], 0)
            for t in ts:
                shift_node = next_node
                next_node += 1
                flow.add_arc_with_capacity_and_unit_cost(day_node, shift_node, 1, 0)
                for c in keys[(d, t)]:
                    flow.add_arc_with_capacity_and_unit_cost(
                        shift_node, slot_node[index.cand_slot[c]], 1, 0
                    )
    flow.set_node_supply(source, total)
    flow.set_node_supply(sink, -total)
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"flow relaxation ended with status {status}")
    return int(flow.optimal_cost())


def _day_cap(rules: WorkRules, durations: list[int]) -> int:
    cap = len(durations)
    per_day = _hard(rules.max_shifts_per_day)
    if per_day is not None:
        cap = min(cap, per_day)
    minutes = _hard(rules.max_minutes_per_day)
    if minutes is not None:
        cap = min(cap, minutes // min(durations))
    return cap


def minutes_flow_bound(index: ProblemIndex) -> int:
    """Minimum shortage cost when flow counts minutes.

    A slot of headcount h on a shift of d minutes needs h*d minutes; each missing minute
    costs ``floor(weight * priority / d)`` (rounded down, so the bound stays valid). A
    person supplies at most the minutes their hard daily, 7-day and horizon limits allow,
    at most one shift's length per (day, shift), split freely among slots: a plan is a flow,
    so the minimum cost is a lower bound. It is tighter than counting shifts when shift
    lengths differ and minute limits bind.
    """
    scenario = index.scenario
    weight = scenario.objective.shortage
    shifts = scenario.shifts
    flow = min_cost_flow.SimpleMinCostFlow()
    source, sink = 0, 1
    slot_node = [2 + s for s in range(len(index.slots))]
    next_node = 2 + len(index.slots)
    total = 0
    for s_idx, slot in enumerate(index.slots):
        dur = shifts[slot.shift_idx].duration_min
        need = slot.headcount * dur
        if need == 0:
            continue
        total += need
        per_minute = weight * index.priority(s_idx) // dur
        flow.add_arc_with_capacity_and_unit_cost(source, slot_node[s_idx], need, per_minute)
        flow.add_arc_with_capacity_and_unit_cost(slot_node[s_idx], sink, need, 0)
    if total == 0:
        return 0
    for p, keys in enumerate(index.by_person_day_shift):
        if not keys:
            continue
        rules = scenario.rules_for(scenario.people[p])
        by_day: dict[int, list[int]] = defaultdict(list)
        for d, t in keys:
            by_day[d].append(t)
        day_caps = {
            d: _day_minutes_cap(rules, [shifts[t].duration_min for t in ts])
            for d, ts in by_day.items()
        }
        cap = sum(day_caps.values())
        horizon = _hard(rules.max_minutes_per_horizon)
        if horizon is not None:
            cap = min(cap, horizon)
        week = _hard(rules.max_minutes_per_7_days)
        if week is not None:
            cap = min(cap, math.ceil(scenario.horizon.days / 7) * week)
        lengths = tuple(sorted({shifts[t].duration_min for _, t in keys}))
        most_shifts = person_shift_cap(
            rules,
            scenario.horizon.days,
            {shifts[t].id: shifts[t].duration_min for _, t in keys},
            [_day_cap(rules, [shifts[t].duration_min for t in ts]) for ts in by_day.values()],
        )
        cap = reachable_minutes(cap, lengths, most_shifts)
        if cap <= 0:
            continue
        person_node = next_node
        next_node += 1
        flow.add_arc_with_capacity_and_unit_cost(source, person_node, cap, 0)
        for d, ts in by_day.items():
            day_node = next_node
            next_node += 1
            flow.add_arc_with_capacity_and_unit_cost(person_node, day_node, day_caps[d], 0)
            for t in ts:
                dur = shifts[t].duration_min
                shift_node = next_node
                next_node += 1
                flow.add_arc_with_capacity_and_unit_cost(day_node, shift_node, dur, 0)
                for c in keys[(d, t)]:
                    flow.add_arc_with_capacity_and_unit_cost(
                        shift_node, slot_node[index.cand_slot[c]], dur, 0
                    )
    flow.set_node_supply(source, total)
    flow.set_node_supply(sink, -total)
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"minutes relaxation ended with status {status}")
    return int(flow.optimal_cost())


def _day_minutes_cap(rules: WorkRules, durations: list[int]) -> int:
    """Most minutes a person can start on one day under their hard daily limits."""
    longest_first = sorted(durations, reverse=True)
    per_day = _hard(rules.max_shifts_per_day)
    cap = sum(longest_first[: per_day if per_day is not None else len(durations)])
    minutes = _hard(rules.max_minutes_per_day)
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
