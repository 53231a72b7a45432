"""Runs of worked days and days off, and worked weekends.

Rules, per person with work_d = 1 iff a shift starts on day d (0 on days they cannot work):
  max_consecutive_days k: every window of k+1 days has a day off (soft: weight per fully
    worked window);
  min_consecutive_days k: no *inner* block of worked days (touching neither day 0 nor day
    D-1) shorter than k (soft: weight * (k - length) per short block);
  min_consecutive_days_off k: the same for blocks of days off;
  max_weekends k: at most k weekends (Saturday and Sunday of one ISO week, at least one in
    the horizon) with work on either day (soft: weight per weekend over).
"""

from __future__ import annotations

from planner.model import Limit
from planner.solvers.cpsat.context import Lit, ModelContext


def add_sequences(ctx: ModelContext) -> None:
    """Add consecutive-day and weekend rules for every person."""
    num_days = ctx.num_days
    for p in ctx.people:
        rules = ctx.rules[p]
        if not ctx.index.by_person_day_shift[p]:
            continue
        work = [ctx.work(p, d) for d in range(num_days)]
        if rules.max_consecutive_days is not None:
            _max_consecutive(ctx, p, work, rules.max_consecutive_days)
        if rules.min_consecutive_days is not None:
            _min_blocks(ctx, p, work, rules.min_consecutive_days, True)
        if rules.min_consecutive_days_off is not None:
            _min_blocks(ctx, p, work, rules.min_consecutive_days_off, False)
        if rules.max_weekends is not None:
            _max_weekends(ctx, p, work, rules.max_weekends)


def _max_consecutive(ctx: ModelContext, p: int, work: list[Lit | None], limit: Limit) -> None:
    span = limit.value + 1
    for start in range(ctx.num_days - span + 1):
        lits = work[start : start + span]
        if all(lit is not None for lit in lits):
            ctx.forbid_all(
                [lit for lit in lits if lit is not None],
                limit.weight,
                "max_consecutive_days",
                p,
                f"maxc_p{p}_d{start}",
            )


def _min_blocks(
    ctx: ModelContext, p: int, work: list[Lit | None], limit: Limit, worked: bool
) -> None:
    """Forbid inner blocks shorter than ``limit.value`` of worked days (or of days off)."""
    family = "min_consecutive_days" if worked else "min_consecutive_days_off"
    num_days = ctx.num_days
    for length in range(1, limit.value):
        for start in range(1, num_days - length):
            # pattern: day start-1 not in block, days start..start+length-1 in, next day not
            inside = range(start, start + length)
            lits: list[Lit] = []
            possible = True
            for d in (start - 1, *inside, start + length):
                in_block = d in inside
                want_work = in_block == worked
                lit = work[d]
                if lit is None:
                    if want_work:
                        possible = False
                        break
                    continue  # the day is certainly off: that part of the pattern holds
                lits.append(lit if want_work else lit.Not())
            if not possible:
                continue
            # a boundary day (days off) or an inner day (worked) always gives a literal,
            # so ``lits`` is never empty here
            ctx.forbid_all(
                lits,
                limit.weight,
                family,
                p,
                f"{family}_p{p}_d{start}_l{length}",
                coef=limit.value - length,
            )


def _max_weekends(ctx: ModelContext, p: int, work: list[Lit | None], limit: Limit) -> None:
    dates = ctx.scenario.horizon.dates()
    weekends: dict[tuple[int, int], list[Lit]] = {}
    for d, date in enumerate(dates):
        if date.isoweekday() in (6, 7):
            key = tuple(date.isocalendar())[:2]
            lits = weekends.setdefault((key[0], key[1]), [])
            lit = work[d]
            if lit is not None:
                lits.append(lit)
    worked: list[Lit] = []
    for (year, week), lits in sorted(weekends.items()):
        if not lits:
            continue
        if len(lits) == 1:
            worked.append(lits[0])
            continue
        var = ctx.model.new_bool_var(f"weekend_p{p}_{year}w{week}")
        for lit in lits:
            ctx.model.add_implication(lit, var)
        worked.append(var)
    ctx.limit_at_most(limit, sum(worked), len(worked), "max_weekends", p, f"wkd_p{p}")
