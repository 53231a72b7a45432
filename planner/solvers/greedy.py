"""A fast constructive plan: fill the most important demand first, never breaking a hard
maximum rule.

Post-shifts are taken by priority (highest first), then by day and start time; inside one,
the roles with the fewest candidates first; for each place the candidate with the fewest
minutes so far (ties: already on this post, then fewer preference misses) who can take it
without breaking overlap, rest, daily, 7-day, horizon, per-template, consecutive-day,
succession or weekend maxima. Hard "at least k of these categories" rules are met first or
the post-shift is left empty. Minimum rules (minutes, consecutive days) are not sought: a
plan that misses them is still a useful hint for CP-SAT, which repairs it.

Given the LP relaxation's solution (:class:`planner.solvers.lp_bound.LpGuide`), a place
goes first to someone whose group the LP gives at least half a person-shift more of that
kind of place than the plan has given it so far. Filling by priority alone spends people
on the first places they can take; the LP knows, say, that volunteers whose weekly minutes
run out before their days should take the shorter shifts. Measured on the synthetic
districts of ``benchmarks/scale.py`` and Chongwen, 7 days, this cuts the priority-weighted
shortage of the greedy plan by 1.5% (300 people), 3.8% (1,000) and 1.2% (Chongwen).
"""

from __future__ import annotations

import heapq
from collections import defaultdict

from planner.model import MINUTES_PER_DAY, WorkRules
from planner.solvers.cpsat.constraints.workload import windows
from planner.solvers.index import ProblemIndex
from planner.solvers.lp_bound import LpGuide

#: Load band of the greedy's choice: people within one band count as equally loaded.
LOAD_BAND_MIN = 960
#: Person-shifts of the LP's share that must be left for a place to follow it.
GUIDE_LEFT = 0.5


class _PersonState:
    """What one person already works in the plan under construction."""

    def __init__(self, rules: WorkRules) -> None:
        self.rules = rules
        self.intervals_by_day: dict[int, list[tuple[int, int]]] = {}
        self.shifts_by_day: dict[int, int] = defaultdict(int)
        self.minutes_by_day: dict[int, int] = defaultdict(int)
        self.nights_by_day: dict[int, int] = defaultdict(int)
        self.by_template: dict[str, int] = defaultdict(int)
        self.day_template: set[tuple[int, str]] = set()
        self.minutes = 0
        self.post_count: dict[int, int] = defaultdict(int)


class Greedy:
    """Builds the greedy plan of a :class:`ProblemIndex`."""

    def __init__(
        self, index: ProblemIndex, guide: LpGuide | None = None, lengthen_runs: bool = False
    ) -> None:
        self.index = index
        self.guide = guide
        #: whether :meth:`_top_up` keeps to days that lengthen runs (see there)
        self.lengthen_runs = lengthen_runs
        #: what is left of the LP's share of each (group, slot class), when guided
        self.left: dict[tuple[int, int], float] = dict(guide.share) if guide else {}
        self.scenario = sc = index.scenario
        self.state = [_PersonState(sc.rules_for(p)) for p in sc.people]
        self.num_days = sc.horizon.days
        self.windows = windows(sc.horizon.days)
        dates = sc.horizon.dates()
        self.weekend_of = {
            d: tuple(date.isocalendar())[:2]
            for d, date in enumerate(dates)
            if date.isoweekday() in (6, 7)
        }
        succ_first: dict[str, set[str]] = defaultdict(set)
        succ_then: dict[str, set[str]] = defaultdict(set)
        for s in sc.rules.forbidden_successions:
            if s.weight is None:
                succ_first[s.first].add(s.then)
                succ_then[s.then].add(s.first)
        self.succ_first, self.succ_then = succ_first, succ_then
        self.misses = [
            [
                int(bool(p.preferred_shifts) and s.id not in p.preferred_shifts)
                + int(s.id in p.avoided_shifts)
                for s in sc.shifts
            ]
            for p in sc.people
        ]
        self.in_postshift: dict[int, list[int]] = defaultdict(list)
        self.breadth = [0] * len(sc.people)
        for p in index.cand_person:
            self.breadth[p] += 1
        self.chosen: list[int] = []
        self.taken: set[tuple[int, int, int]] = set()
        #: candidates waiting per (slot, categories) while one post-shift is filled
        self._heaps: dict[
            tuple[int, frozenset[str] | None], list[tuple[tuple[int, int, int, int, int], int, int]]
        ] = {}

    # ------------------------------------------------------------------ checks
    def can_take(self, p: int, day: int, t: int) -> bool:
        """True if person ``p`` may add shift ``t`` on ``day`` without breaking a hard max."""
        st = self.state[p]
        r = st.rules
        shift = self.scenario.shifts[t]
        start, end = shift.start_at(day), shift.end_at(day)
        rest = r.min_rest_minutes.value if r.min_rest_minutes and _hard(r.min_rest_minutes) else 0
        reach = 2 + rest // MINUTES_PER_DAY  # shifts last at most a day
        for d in range(day - reach, day + reach + 1):
            for a, b in st.intervals_by_day.get(d, ()):
                if start < b and a < end:
                    return False
                if (0 <= start - b < rest) or (0 <= a - end < rest):
                    return False
        dur = shift.duration_min
        if _over(r.max_shifts_per_day, st.shifts_by_day[day] + 1):
            return False
        if _over(r.max_minutes_per_day, st.minutes_by_day[day] + dur):
            return False
        if _over(r.max_minutes_per_horizon, st.minutes + dur):
            return False
        cap = r.max_shifts_per_template.get(shift.id)
        if _over(cap, st.by_template[shift.id] + 1):
            return False
        for first in range(max(0, day - 6), min(day, len(self.windows) - 1) + 1):
            win = self.windows[first]
            if _over(r.max_minutes_per_7_days, sum(st.minutes_by_day[d] for d in win) + dur):
                return False
            if shift.night and _over(
                r.max_nights_per_7_days, sum(st.nights_by_day[d] for d in win) + 1
            ):
                return False
        if _hard(r.max_consecutive_days) and st.shifts_by_day[day] == 0:
            run = 1
            d = day - 1
            while d >= 0 and st.shifts_by_day[d]:
                run, d = run + 1, d - 1
            d = day + 1
            while st.shifts_by_day.get(d):
                run, d = run + 1, d + 1
            if r.max_consecutive_days is not None and run > r.max_consecutive_days.value:
                return False
        for then in self.succ_first.get(shift.id, ()):
            if (day + 1, then) in st.day_template:
                return False
        for before in self.succ_then.get(shift.id, ()):
            if (day - 1, before) in st.day_template:
                return False
        if st.shifts_by_day[day] == 0 and self._short_gap(st, day):
            return False
        if _hard(r.max_weekends) and day in self.weekend_of and r.max_weekends is not None:
            worked = {
                self.weekend_of[d]
                for d in st.shifts_by_day
                if st.shifts_by_day[d] and d in self.weekend_of
            }
            if self.weekend_of[day] not in worked and len(worked) + 1 > r.max_weekends.value:
                return False
        return True

    def _short_gap(self, st: _PersonState, day: int) -> bool:
        """True if working ``day`` leaves an inner run of days off shorter than the minimum."""
        limit = st.rules.min_consecutive_days_off
        if limit is None or limit.weight is not None or limit.value <= 1:
            return False
        for step in (-1, 1):
            d, gap = day + step, 0
            while 0 <= d < self.num_days and not st.shifts_by_day.get(d):
                d, gap = d + step, gap + 1
            if 0 <= d < self.num_days and 0 < gap < limit.value:
                return True
        return False

    # ------------------------------------------------------------------ moves
    def take(self, c: int) -> None:
        """Add candidate ``c`` to the plan."""
        self._apply(c, +1)
        slot = self.index.slots[self.index.cand_slot[c]]
        self.chosen.append(c)
        self.taken.add((self.index.cand_person[c], slot.day, slot.shift_idx))
        self.in_postshift[slot.postshift_idx].append(c)
        self._follow(c, -1.0)

    def untake(self, c: int) -> None:
        """Remove candidate ``c`` from the plan."""
        self._apply(c, -1)
        slot = self.index.slots[self.index.cand_slot[c]]
        self.chosen.remove(c)
        self.taken.discard((self.index.cand_person[c], slot.day, slot.shift_idx))
        self.in_postshift[slot.postshift_idx].remove(c)
        self._follow(c, 1.0)

    def _follow(self, c: int, change: float) -> None:
        """Count candidate ``c`` against (or back towards) its group's LP share."""
        guide = self.guide
        if guide is None:
            return
        person = self.index.cand_person[c]
        key = guide.group_of.get(person, person), guide.slot_class[self.index.cand_slot[c]]
        self.left[key] = self.left.get(key, 0.0) + change

    def _apply(self, c: int, sign: int) -> None:
        index = self.index
        slot = index.slots[index.cand_slot[c]]
        shift = self.scenario.shifts[slot.shift_idx]
        st = self.state[index.cand_person[c]]
        interval = (shift.start_at(slot.day), shift.end_at(slot.day))
        if sign > 0:
            st.intervals_by_day.setdefault(slot.day, []).append(interval)
            st.day_template.add((slot.day, shift.id))
        else:
            st.intervals_by_day[slot.day].remove(interval)
            st.day_template.discard((slot.day, shift.id))
        st.shifts_by_day[slot.day] += sign
        st.minutes_by_day[slot.day] += sign * shift.duration_min
        st.nights_by_day[slot.day] += sign * int(shift.night)
        st.by_template[shift.id] += sign
        st.minutes += sign * shift.duration_min
        st.post_count[slot.post_idx] += sign

    def run(self) -> list[int]:
        """Build the plan; returns the chosen candidate indices."""
        index, scenario = self.index, self.scenario
        filled: dict[int, int] = defaultdict(int)
        for c in index.fixed_cands:
            if c is not None:
                self.take(c)
                filled[index.cand_slot[c]] += 1
        order = sorted(
            range(len(index.postshifts)),
            key=lambda q: (
                -scenario.posts[index.postshifts[q].post_idx].priority,
                index.postshifts[q].day,
                scenario.shifts[index.postshifts[q].shift_idx].start_minute,
            ),
        )
        for q in order:
            self._fill_postshift(q, filled)
        self._repair_short_blocks(set(c for c in index.fixed_cands if c is not None))
        self._top_up(filled)
        return self.chosen

    def _top_up(self, filled: dict[int, int]) -> None:
        """Give people below a hard minimum of minutes more shifts where they may take them.

        Open places first; then places of roles that accept over-staffing, cheapest first.
        With ``lengthen_runs``, under a hard minimum of consecutive working days, only days
        that lengthen a run of worked days (or start one at the horizon's edge, where a short
        run is allowed) are taken: a day on its own would break that minimum, and the repair
        after the greedy re-plans each person who breaks one on a model of their own.
        Measured on Curtois Instance 24 (150 people, a year): 44 people to repair with this,
        against 128 without (127 for short runs), at about 1.5 s each; its first plan came
        at 84 s, not 200 s.
        The solver asks for it only where its plan starts neighbourhood search, not where it
        is the whole model's hint: with it there, Instances 4 and 5 at 60 s were not proven
        optimal in two runs each (proven in 29 s and 47 s in one run without), but the same
        hint as before gave Instance 5 1,146 in a later run, so that may be chance.
        """
        index = self.index
        cands_of: dict[int, list[int]] = defaultdict(list)
        for c, p in enumerate(index.cand_person):
            cands_of[p].append(c)
        for p, st in enumerate(self.state):
            limit = st.rules.min_minutes_per_horizon
            if limit is None or limit.weight is not None or st.minutes >= limit.value:
                continue

            def cost(c: int) -> tuple[int, int]:
                slot = index.slots[index.cand_slot[c]]
                if filled[index.cand_slot[c]] < slot.headcount:
                    return (0, -index.priority(index.cand_slot[c]))
                return (1, slot.role.overstaff_weight or 0)

            options = [
                c
                for c in cands_of[p]
                if filled[index.cand_slot[c]] < index.slots[index.cand_slot[c]].headcount
                or index.slots[index.cand_slot[c]].role.overstaff_weight is not None
            ]
            options.sort(key=cost)
            runs = st.rules.min_consecutive_days
            if self.lengthen_runs and runs is not None and runs.weight is None and runs.value > 1:
                self._lengthen_runs(p, options, limit.value, filled)
                continue
            for c in options:
                if st.minutes >= limit.value:
                    break
                slot = index.slots[index.cand_slot[c]]
                if (p, slot.day, slot.shift_idx) in self.taken:
                    continue
                if self.can_take(p, slot.day, slot.shift_idx):
                    self.take(c)
                    filled[index.cand_slot[c]] += 1

    def _lengthen_runs(
        self, p: int, options: list[int], least: int, filled: dict[int, int]
    ) -> None:
        """Take the first of ``options`` (candidates of ``p``, best first) that lengthens a
        run of worked days or starts one at the horizon's edge, again and again, until ``p``
        works ``least`` minutes or none is left.

        A candidate that cannot be taken is not tried again: taking shifts only brings a
        person nearer their maxima."""
        index, st, last = self.index, self.state[p], self.num_days - 1
        worked = st.shifts_by_day
        slots = [(c, index.slots[index.cand_slot[c]]) for c in options]
        failed: set[int] = set()
        while st.minutes < least:
            for c, slot in slots:
                day = slot.day
                if c in failed or worked.get(day):
                    continue
                if not (worked.get(day - 1) or worked.get(day + 1) or day in (0, last)):
                    continue
                if self.can_take(p, day, slot.shift_idx):
                    self.take(c)
                    filled[index.cand_slot[c]] += 1
                    break
                failed.add(c)
            else:
                return

    def _repair_short_blocks(self, keep: set[int]) -> None:
        """Drop inner runs of worked days shorter than a hard ``min_consecutive_days``.

        Dropping work only lengthens runs of days off, so no other minimum breaks; a hard
        "at least" rule that loses its person empties its post-shift.
        """
        by_person: dict[int, list[int]] = defaultdict(list)
        for c in self.chosen:
            by_person[self.index.cand_person[c]].append(c)
        for p, cands in by_person.items():
            limit = self.state[p].rules.min_consecutive_days
            if limit is None or limit.weight is not None or limit.value <= 1:
                continue
            worked = self.state[p].shifts_by_day
            day = 1
            while day < self.num_days - 1:
                if not worked.get(day) or worked.get(day - 1):
                    day += 1
                    continue
                end = day
                while end + 1 < self.num_days and worked.get(end + 1):
                    end += 1
                if end < self.num_days - 1 and end - day + 1 < limit.value:
                    drop = [
                        c
                        for c in cands
                        if day <= self.index.slots[self.index.cand_slot[c]].day <= end
                    ]
                    if not keep.intersection(drop):
                        for c in drop:
                            self._drop(c)
                day = end + 1

    def _drop(self, c: int) -> None:
        """Remove ``c``, and empty its post-shift if that breaks a hard "at least" rule."""
        if c not in self.chosen:
            return
        self.untake(c)
        q = self.index.slots[self.index.cand_slot[c]].postshift_idx
        ps = self.index.postshifts[q]
        rules = self.scenario.posts[ps.post_idx].demand[ps.demand_idx].at_least
        people = self.scenario.people
        for rule in rules:
            if rule.weight is not None:
                continue
            wanted = set(rule.categories)
            have = sum(
                1
                for o in self.in_postshift[q]
                if people[self.index.cand_person[o]].category in wanted
            )
            if self.in_postshift[q] and have < rule.count:
                for other in list(self.in_postshift[q]):
                    self.untake(other)

    def _fill_postshift(self, q: int, filled: dict[int, int]) -> None:
        index, scenario = self.index, self.scenario
        self._heaps.clear()  # keys hold while one post-shift is filled (see _fill_one)
        ps = index.postshifts[q]
        post = scenario.posts[ps.post_idx]
        rules = [r for r in post.demand[ps.demand_idx].at_least if r.weight is None]
        by_scarcity = sorted(ps.slot_idxs, key=lambda s: len(index.by_slot[s]))
        added: list[int] = []
        for rule in rules:
            wanted = set(rule.categories)
            have = sum(
                1
                for c in self.in_postshift[q]
                if scenario.people[index.cand_person[c]].category in wanted
            )
            for s_idx in by_scarcity:
                while have < rule.count and filled[s_idx] < index.slots[s_idx].headcount:
                    c = self._fill_one(s_idx, ps.post_idx, filled, wanted)
                    if c is None:
                        break
                    added.append(c)
                    have += 1
            if have < rule.count:
                for c in reversed(added):
                    filled[index.cand_slot[c]] -= 1
                    self.untake(c)
                return
        for s_idx in by_scarcity:
            while filled[s_idx] < index.slots[s_idx].headcount:
                if self._fill_one(s_idx, ps.post_idx, filled, None) is None:
                    break

    def _fill_one(
        self, s_idx: int, post_idx: int, filled: dict[int, int], categories: set[str] | None
    ) -> int | None:
        """Fill one place of slot ``s_idx`` with the best person who can take it.

        The best is the least :meth:`_key`, the first in ``index.by_slot`` among equals. The
        candidates wait in a heap by the key they had when the post-shift's filling began
        (see :meth:`_fill_postshift`): until it ends, only the people it takes change, and
        they are then taken at this day and shift, so every other key can only rise (the
        LP's share left to a group only falls). A candidate whose key rose goes back with
        its new one; one who cannot take the place now cannot for the rest of the
        post-shift, and is dropped. Measured on Chongwen (7 days), the same plan in 2.7 s
        against 5.9 s for scanning every candidate for every place (in a solve; 4.7 s
        against 11.0 s guided by the LP, alone).
        """
        cache = (s_idx, None if categories is None else frozenset(categories))
        heap = self._heaps.get(cache)
        if heap is None:
            heap = self._heaps[cache] = self._candidates(s_idx, post_idx, categories)
        slot = self.index.slots[s_idx]
        day, t = slot.day, slot.shift_idx
        while heap:
            key, pos, c = heap[0]
            p = self.index.cand_person[c]
            if (p, day, t) in self.taken:
                heapq.heappop(heap)
                continue
            now = self._key(p, s_idx, post_idx)
            if now != key:
                heapq.heapreplace(heap, (now, pos, c))
                continue
            heapq.heappop(heap)
            if self.can_take(p, day, t):
                self.take(c)
                filled[s_idx] += 1
                return c
        return None

    def _candidates(
        self, s_idx: int, post_idx: int, categories: set[str] | None
    ) -> list[tuple[tuple[int, int, int, int, int], int, int]]:
        """The heap of (key, position, candidate) of slot ``s_idx``, in ``categories``."""
        index, people = self.index, self.scenario.people
        heap = []
        for pos, c in enumerate(index.by_slot[s_idx]):
            p = index.cand_person[c]
            if categories is not None and people[p].category not in categories:
                continue
            heap.append((self._key(p, s_idx, post_idx), pos, c))
        heapq.heapify(heap)
        return heap

    def _key(self, p: int, s_idx: int, post_idx: int) -> tuple[int, int, int, int, int]:
        """Who fills a place first (least first): the LP's choice (when guided), then the
        least loaded (in whole shifts), then the least flexible: a person who can fill few
        slots is used before one who could fill many (staff kept for the posts only they
        can take), then continuity and preferences."""
        st = self.state[p]
        off = 0  # 1 if the LP leaves no share of this kind of place to p's group
        guide = self.guide
        if guide is not None:
            cls = guide.slot_class[s_idx]
            off = int(self.left.get((guide.group_of.get(p, p), cls), 0.0) < GUIDE_LEFT)
        return (
            off,
            st.minutes // LOAD_BAND_MIN,
            self.breadth[p],
            int(st.post_count[post_idx] == 0),
            self.misses[p][self.index.slots[s_idx].shift_idx],
        )


def _hard(limit: object) -> bool:
    return limit is not None and getattr(limit, "weight", 1) is None


def _over(limit: object, value: int) -> bool:
    return _hard(limit) and value > limit.value  # type: ignore[attr-defined]


def greedy_plan(
    index: ProblemIndex, guide: LpGuide | None = None, lengthen_runs: bool = False
) -> list[int]:
    """The greedy plan of ``index`` as a list of candidate indices, following ``guide``
    where given (``lengthen_runs``: see :meth:`Greedy._top_up`)."""
    return Greedy(index, guide, lengthen_runs).run()
