"""People-facing soft terms: fatigue, fairness, preferences, requests and continuity.

Terms (see ``planner.model.Weights``):
  fatigue = w_f * sum over categories of max_p minutes_p;
  fairness = w_r * sum over categories with >= 2 fully available people of
    (max - min) minutes among those people;
  preference = w_p * (shifts worked outside a non-empty preferred list + avoided shifts worked);
  requests = sum of the weights of ungranted on/off requests;
  continuity = w_c * sum over people of max(0, distinct posts worked - 1).
"""

from __future__ import annotations

from collections import defaultdict

from planner.model import RequestKind
from planner.solvers.cpsat.context import Expr, ModelContext


def add_people_terms(ctx: ModelContext) -> None:
    """Add the fatigue, fairness, preference, request and continuity terms."""
    weights = ctx.scenario.objective
    if weights.fatigue or weights.fairness:
        _fatigue_and_fairness(ctx, weights.fatigue, weights.fairness)
    add_wish_terms(ctx)
    if weights.continuity:
        _continuity(ctx, weights.continuity)


def add_wish_terms(ctx: ModelContext) -> None:
    """Add the preference and request terms: each is a sum over people of what that
    person's own shifts cost, so a model of one person prices their roster exactly."""
    _preferences(ctx, ctx.scenario.objective.preference)
    _requests(ctx)


def _fatigue_and_fairness(ctx: ModelContext, fatigue: int, fairness: int) -> None:
    scenario, model, outside = ctx.scenario, ctx.model, ctx.external
    dates = scenario.horizon.dates()
    by_cat: dict[str, list[int]] = defaultdict(list)
    for p in ctx.people:
        by_cat[scenario.people[p].category].append(p)
    for cat in sorted(set(by_cat) | set(outside.peak)):
        members = by_cat.get(cat, [])
        ubs = [sum(ctx.durations[t] for _, t in ctx.index.by_person_day_shift[p]) for p in members]
        top = max([*ubs, outside.peak.get(cat, 0), outside.full_high.get(cat, 0)])
        if top == 0:
            continue
        minutes: dict[int, Expr] = {p: ctx.minutes(p) for p in members}
        if fatigue:
            peak = model.new_int_var(outside.peak.get(cat, 0), top, f"peak_{cat}")
            for p in members:
                model.add(peak >= minutes[p])
            ctx.term("fatigue").add(fatigue, peak)
        full = [p for p in members if all(scenario.people[p].is_available(d) for d in dates)]
        if not fairness or len(full) + outside.full_count.get(cat, 0) < 2:
            continue
        hi = model.new_int_var(outside.full_high.get(cat, 0), top, f"fair_hi_{cat}")
        lo = model.new_int_var(0, outside.full_low.get(cat, top), f"fair_lo_{cat}")
        for p in full:
            model.add(hi >= minutes[p])
            model.add(lo <= minutes[p])
        ctx.term("fairness").add(fairness, hi - lo)


def _preferences(ctx: ModelContext, weight: int) -> None:
    if not weight:
        return
    shift_ids = [s.id for s in ctx.scenario.shifts]
    term = ctx.term("preference")
    for p in ctx.people:
        person = ctx.scenario.people[p]
        if not person.preferred_shifts and not person.avoided_shifts:
            continue
        for d, t in ctx.index.by_person_day_shift[p]:
            tid = shift_ids[t]
            misses = int(bool(person.preferred_shifts) and tid not in person.preferred_shifts)
            misses += int(tid in person.avoided_shifts)
            term.add(weight * misses, ctx.w(p, d, t))


def _requests(ctx: ModelContext) -> None:
    scenario = ctx.scenario
    shift_idx = {s.id: i for i, s in enumerate(scenario.shifts)}
    term = ctx.term("requests")
    for p in ctx.people:
        person = scenario.people[p]
        keys = ctx.index.by_person_day_shift[p]
        for req in person.requests:
            day = scenario.horizon.day_index(req.date)
            if req.shift is not None:
                t = shift_idx[req.shift]
                lit = ctx.w(p, day, t) if (day, t) in keys else None
            else:
                lit = ctx.work(p, day)
            if req.kind is RequestKind.ON:
                term.add(req.weight, 1 if lit is None else 1 - lit)
            elif lit is not None:
                term.add(req.weight, lit)


def _continuity(ctx: ModelContext, weight: int) -> None:
    model, index = ctx.model, ctx.index
    by_person_post: dict[int, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    for c, p in enumerate(index.cand_person):
        by_person_post[p][index.slots[index.cand_slot[c]].post_idx].append(c)
    term = ctx.term("continuity")
    for p, posts in by_person_post.items():
        if len(posts) < 2:
            continue
        used = []
        for post_idx, cands in posts.items():
            var = model.new_bool_var(f"uses_p{p}_post{post_idx}")
            for c in cands:
                model.add_implication(ctx.x[c], var)
            used.append(var)
        extra = model.new_int_var(0, len(used) - 1, f"extra_posts_p{p}")
        model.add(extra >= sum(used) - 1)
        term.add(weight, extra)
