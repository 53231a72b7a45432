"""Amount of work: per day, per rolling 7-day window and per horizon.

Rules, per person p (minutes m and nights counted by the day a shift starts on):
  max_shifts_per_day, max_minutes_per_day: per day d;
  max_minutes_per_7_days, max_nights_per_7_days: per window [d, d+7), d = 0..D-7
    (one window of D days when D < 7);
  max_minutes_per_horizon, min_minutes_per_horizon: over the horizon;
  max_shifts_per_template[t]: shifts of template t over the horizon.
Each is hard, or soft costing its weight per unit of excess (deficit for the minimum) in
each day, window or horizon (see ``planner.model.WORK_RULE_UNITS``).
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from planner.solvers.cpsat.context import Expr, ModelContext


def windows(num_days: int) -> list[range]:
    """The rolling 7-day windows of a horizon of ``num_days`` days."""
    if num_days < 7:
        return [range(num_days)]
    return [range(d, d + 7) for d in range(num_days - 6)]


def add_workload(ctx: ModelContext) -> None:
    """Add the per-day, per-window and per-horizon limits of every person."""
    dur, nights = ctx.durations, ctx.nights
    wins = windows(ctx.num_days)
    shift_idx = {s.id: i for i, s in enumerate(ctx.scenario.shifts)}
    for p in ctx.people:
        rules = ctx.rules[p]
        keys = ctx.index.by_person_day_shift[p]
        if not keys:
            if rules.min_minutes_per_horizon is not None:
                ctx.limit_at_least(
                    rules.min_minutes_per_horizon, 0, "min_minutes_per_horizon", p, f"minh_p{p}"
                )
            continue
        by_day: dict[int, list[int]] = {}
        for d, t in keys:
            by_day.setdefault(d, []).append(t)
        for d, ts in by_day.items():
            if rules.max_shifts_per_day is not None:
                expr: Expr = sum(ctx.w(p, d, t) for t in ts)
                ctx.limit_at_most(
                    rules.max_shifts_per_day,
                    expr,
                    len(ts),
                    "max_shifts_per_day",
                    p,
                    f"spd_p{p}_d{d}",
                )
            if rules.max_minutes_per_day is not None:
                expr = cp_model.LinearExpr.weighted_sum(
                    [ctx.w(p, d, t) for t in ts], [dur[t] for t in ts]
                )
                ctx.limit_at_most(
                    rules.max_minutes_per_day,
                    expr,
                    sum(dur[t] for t in ts),
                    "max_minutes_per_day",
                    p,
                    f"mpd_p{p}_d{d}",
                )
        for w_idx, win in enumerate(wins):
            in_win = [(d, t) for d in win for t in by_day.get(d, [])]
            if not in_win:
                continue
            if rules.max_minutes_per_7_days is not None:
                expr = sum(dur[t] * ctx.w(p, d, t) for d, t in in_win)
                ctx.limit_at_most(
                    rules.max_minutes_per_7_days,
                    expr,
                    sum(dur[t] for _, t in in_win),
                    "max_minutes_per_7_days",
                    p,
                    f"m7_p{p}_w{w_idx}",
                )
            night_keys = [(d, t) for d, t in in_win if nights[t]]
            if rules.max_nights_per_7_days is not None and night_keys:
                expr = sum(ctx.w(p, d, t) for d, t in night_keys)
                ctx.limit_at_most(
                    rules.max_nights_per_7_days,
                    expr,
                    len(night_keys),
                    "max_nights_per_7_days",
                    p,
                    f"n7_p{p}_w{w_idx}",
                )
        total = ctx.minutes(p)
        ub = sum(dur[t] for _, t in keys)
        if rules.max_minutes_per_horizon is not None:
            ctx.limit_at_most(
                rules.max_minutes_per_horizon, total, ub, "max_minutes_per_horizon", p, f"maxh_p{p}"
            )
        if rules.min_minutes_per_horizon is not None:
            ctx.limit_at_least(
                rules.min_minutes_per_horizon, total, "min_minutes_per_horizon", p, f"minh_p{p}"
            )
        for tid, limit in rules.max_shifts_per_template.items():
            t = shift_idx[tid]
            of_t = [d for d, tt in keys if tt == t]
            if of_t:
                expr = sum(ctx.w(p, d, t) for d in of_t)
                ctx.limit_at_most(
                    limit, expr, len(of_t), "max_shifts_per_template", p, f"tpl_p{p}_t{t}"
                )
