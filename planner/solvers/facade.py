"""``solve(scenario, params) -> Plan``: greedy start, bounds, CP-SAT, mapped to ids."""

from __future__ import annotations

import time
from collections.abc import Callable

from ortools.sat.python import cp_model

from planner.model import Plan, Scenario, Stats, Status
from planner.solvers.base import Progress, SolveParams
from planner.solvers.bound import flow_bound, interchangeable_groups
from planner.solvers.colgen import column_generation, priced_once
from planner.solvers.cpsat.builder import build_model, objective_expr, terms_at
from planner.solvers.cpsat.context import ModelContext
from planner.solvers.cpsat.explain import explain_infeasible
from planner.solvers.cpsat.levels import level_values, minimise_level
from planner.solvers.cpsat.run import Stall, fix_decisions, gap_of, run_cpsat
from planner.solvers.decompose import DETERMINISTIC_STEP as LARGE_STEP
from planner.solvers.decompose import Priced, RestrictedLns, price, repair
from planner.solvers.greedy import greedy_plan
from planner.solvers.index import ProblemIndex, build_index, restrict
from planner.solvers.lexico import LEVEL_SHARES, large_levels, later_levels
from planner.solvers.lp_bound import LpResult, solve_lp
from planner.solvers.pricing import priced_share, wishes_weigh

SOLVER_NAME = "cp-sat"
#: Up to this many candidates the whole model is solved for the whole time limit; above,
#: the whole model runs for at least a share of it (for its bound), and on until it stalls
#: (see :class:`Stall`) or reaches the larger share; the rest goes to LNS. Column generation
#: comes first from ``COLUMN_MIN_CANDIDATES`` (below). Measured at 60 s on Curtois Instance 16
#: (3,000 candidates): 3,225 with bound 3,224 above 2,000 (its best known is 3,225), 3,534
#: to 4,159 solved whole; Instance 7 (1,560) did better whole than with neighbourhood
#: search after (1,058 against 1,063, before the dive; see ``COLUMN_MIN_CANDIDATES``).
WHOLE_MODEL_CANDIDATES = 2000
#: From this many candidates column generation (see :func:`_column_start`) comes before the
#: whole model, for its bound and its plan; up to ``WHOLE_MODEL_CANDIDATES`` the whole model
#: then has the rest of the time. Measured at 60 s on Curtois Instance 7 (1,560 candidates;
#: optimum 1,056): the rounds converge in 7 s at a bound of 1,055, the plans after them end
#: by 18 to 20 s at 1,060 or 1,062, or at 1,153 to 1,158 (one more hole); thirteen runs
#: (seed 0, one of seed 1) ended at 1,056 (twice), 1,057 (twice), 1,058, 1,059, 1,060 (four
#: times), 1,062, 1,078 and 1,156, against 1,063 to 1,069 in five runs of the whole model
#: alone (bound 1,048 or 1,049). Instance 6 (1,404) needs the whole model's time: with
#: neighbourhood search after it (as above 2,000), it ended at 1,951 in three runs of four;
#: this way it is proven optimal (1,950) in 28 and 44 s, as by the whole model alone in 28
#: to 31 s.
COLUMN_MIN_CANDIDATES = 1000
FULL_MODEL_SHARE = 0.3
FULL_MODEL_MAX_SHARE = 0.8
#: Before the whole model's search, where its share may be long enough, neighbourhood
#: search runs for this share of the time (at least ``PROBE_LEAST_S``), from the plan the
#: whole model then starts from; past its least share the whole model counts as stalled
#: once it gains less over that many seconds than the probe did. Measured at 600 s on
#: Curtois Instance 20 (50 nurses, 182 days), whose whole model gains 1% to 2% in 30 s where
#: neighbourhood search gains 10% or more: without the probe 7,514 with 80% of the time
#: for the whole model (column generation left out), 6,075 with 30%, 5,850 with the probe
#: (and the rounds stopped at 72 s, a stop since reverted); Instance 17, where the search
#: found nothing in 271 steps, 5,848 with 30% against 5,746 (the optimum) with 80% and
#: with the probe.
PROBE_SHARE = 0.05
PROBE_LEAST_S = 10.0
#: The whole model counts as stalled once, over the probe's length, it gains a smaller
#: share of its objective than the probe did of its own, after running this many of the
#: probe's lengths (and before its least share; the probe's share, not its units: the probe
#: starts from a worse plan, where gains come easier).
RATE_LEAST_PROBES = 2.0
#: Least seconds kept at the end of the time limit for pricing the final plan exactly.
TIGHTEN_RESERVE_S = 0.5
#: Above this many candidates the whole model is never built (see ``decompose``).
LARGE_CANDIDATES = 250_000
#: Share of the time left that the LP bound may take (it gives up beyond, and its time is
#: lost). The largest synthetic district (10,000 people, 14 days) needed 75 s of the 250 s
#: left at 300 s when this was 0.35; measured again on 2026-12-08, 98 s of 252 s (134 s
#: with a round of cuts). With 0.35 it gave up, and the solve ended 16.5% above the flow
#: bound; with 0.45 it finished at 155 s, and the solve ended at 7.6% (one run each).
LP_BOUND_SHARE = 0.45
#: Least seconds kept at the end of a large solve for pricing the final plan (more when
#: pricing the first plan took longer).
PRICE_RESERVE_S = 3.0
#: Share of the time left that building, repairing and pricing the LP-guided start may take.
#: The 10,000-person 14-day district's takes 40 s of the 165 s left after its LP at 300 s.
GUIDED_SHARE = 0.3
#: Share of the time left after it for column generation (see ``colgen``): its rounds, its
#: whole-number plan (``COLUMN_PLAN_SHARE`` of that) and repairing and pricing the plan
#: (``COLUMN_PRICE_SHARE`` of the whole). Measured on synthetic-1000-7d at 60 s (one run
#: each): gap 4.75% with a share of 0.4, 4.00% with 0.6, 3.32% with 0.8.
COLUMN_SHARE = 0.8
COLUMN_PLAN_SHARE = 0.3
COLUMN_PRICE_SHARE = 0.2
#: Column generation runs its rounds only with this many times the row-form LP's time (with
#: less, it prices every group once at the LP's prices and makes the master's greedy plan,
#: see :func:`planner.solvers.colgen.priced_once`, in ``LAGRANGE_SHARE`` of its time, the
#: rest going to repair and price the plan). Its master is an LP of that size and more,
#: solved every round and slower as columns come in. Measured on Chongwen (7 days; its LP
#: takes 5 s with its cuts): at 120 s, 96.58e9 with the rounds and 97.28e9 without; at
#: 60 s (one round only), 97.78e9, no better than the plan it started from.
COLUMN_LP_ROUNDS = 10
LAGRANGE_SHARE = 0.75
#: Column generation runs only where the terms its rosters price (see ``colgen``) are at
#: least this share of the objective: elsewhere its plan trades the other terms away.
COLUMN_PRICED_SHARE = 0.99


def solve(scenario: Scenario, params: SolveParams | None = None) -> Plan:
    """Plan ``scenario``: the best roster found within the time limit, with a proven bound.

    Steps: index the eligible candidates; build a greedy plan that respects every hard
    maximum; bound the shortage by flow and LP relaxations; try the greedy plan guided by
    the LP and, where it fits (see :func:`_column_start`), column generation's bound and
    plan; complete the best plan into a full CP-SAT hint; let CP-SAT improve it. An
    infeasible scenario yields a plan with status ``infeasible`` whose ``stats.conflicts``
    name the conflicting rules.
    """
    params = params or SolveParams()
    started = time.monotonic()

    def report(phase: str, objective: int | None = None, bound: int | None = None) -> None:
        if params.progress is not None:
            params.progress(
                Progress(
                    time.monotonic() - started, phase, objective, bound, gap_of(objective, bound)
                )
            )

    def remaining() -> float:
        # deterministic mode never reads the clock to size a search
        if params.deterministic:
            return params.time_limit_s
        return params.time_limit_s - (time.monotonic() - started)

    index = build_index(scenario)
    report("index")
    if index.fixed_problems:
        return _infeasible(scenario, index.fixed_problems, started)
    chosen = greedy_plan(index, lengthen_runs=_starts_search(index))
    report("greedy")
    repairer = RestrictedLns(index, Priced(chosen, 0, {}), params)
    broken = repair(repairer, started + 0.5 * params.time_limit_s)
    chosen = repairer.best.chosen
    large = index.num_candidates > LARGE_CANDIDATES
    if broken is not None and large:
        return _unrepaired(scenario, index, repairer, broken, params, started)
    # otherwise the whole model starts from the plan as far as it was repaired: it finds a
    # plan where re-planning one person at a time could not, or proves there is none
    if large:
        return _solve_large(scenario, index, chosen, params, started, report)
    # the greedy plan, priced on a model of its own assignments only (small and quick), is
    # the first complete plan and the fallback if the whole model finds nothing in time
    first = price(index, chosen, params, max(0.5, 0.2 * remaining()))
    first_plan_s = None
    if first is not None:
        first_plan_s = time.monotonic() - started
        report("first plan", first.objective, None)
    floor, lp, members = _bound(index, remaining())
    guided = _guided_start(index, lp, first, params, GUIDED_SHARE * remaining())
    if guided is not None:
        first, chosen = guided, guided.chosen
        if first_plan_s is None:
            first_plan_s = time.monotonic() - started
        report("guided plan", first.objective, floor)
    so_far = None if first is None else first.objective
    column_bound, columns = _column_start(
        index,
        lp,
        members,
        first,
        params,
        COLUMN_SHARE * remaining(),
        lambda bound: report("column generation", so_far, bound),
    )
    if column_bound is not None:
        floor = max(floor, column_bound)
        if columns is not None:
            first, chosen = columns, columns.chosen
        report("column generation", None if first is None else first.objective, floor)
    ctx = build_model(index)
    report("model", None, floor)
    hint_started = time.monotonic()
    hint = fix_decisions(ctx, chosen, max(0.5, 0.25 * remaining()), params)
    # pricing the final plan costs about what completing the hint did: keep that, twice
    reserve = max(TIGHTEN_RESERVE_S, 2.0 * (time.monotonic() - hint_started))
    whole = index.num_candidates <= WHOLE_MODEL_CANDIDATES
    # in lexicographic mode coverage is minimised first, with the first share of the time
    levels = scenario.objective.lexicographic and minimise_level(ctx, 0, {})
    coverage_end = started + params.time_limit_s - reserve
    if levels:
        coverage_end = time.monotonic() + LEVEL_SHARES[0] * (coverage_end - time.monotonic())
    improve_s = coverage_end - time.monotonic()
    probe_s = PROBE_SHARE * improve_s
    rate = 0.0
    if (
        not whole
        and not levels
        and not params.deterministic
        and first is not None
        and probe_s >= PROBE_LEAST_S
    ):
        # how fast neighbourhood search improves this plan: the whole model runs past its
        # least share only while it improves faster
        prober = RestrictedLns(index, first, params)
        prober.floor = floor
        probed = prober.run(
            time.monotonic() + probe_s,
            lambda objective: report("lns", objective, floor),
            reserve_s=0.0,
        )
        rate = (first.objective - probed.objective) / (probe_s * max(1, abs(first.objective)))
        if probed.objective < first.objective:
            better = fix_decisions(ctx, probed.chosen, max(0.5, 0.25 * remaining()), params)
            if better is not None:
                hint = better
        improve_s = coverage_end - time.monotonic()
    if params.deterministic:
        improve_s = remaining() * (LEVEL_SHARES[0] if levels else 1.0)
    full_time = improve_s
    if not whole:
        share = FULL_MODEL_SHARE if params.deterministic else FULL_MODEL_MAX_SHARE
        full_time = share * improve_s
    stall = None
    if not whole:
        stall = Stall(
            FULL_MODEL_SHARE * improve_s,
            rate=rate,
            rate_window_s=probe_s,
            rate_min_run_s=RATE_LEAST_PROBES * probe_s,
        )
    # the floor bounds the whole objective, which only the non-lexicographic model minimises
    result = run_cpsat(ctx, params, full_time, hint, started, floor, stall, not levels)
    values = result.values if result.values is not None else hint
    if values is None:
        if result.status == cp_model.INFEASIBLE:
            conflicts = explain_infeasible(index, max(1.0, remaining()), params.workers)
            return _infeasible(scenario, conflicts, started)
        if first is None:
            return _unknown(scenario, index, started, "no plan found within the time limit", floor)
        bound = max(floor, result.bound or 0)
        stats = Stats(
            status=Status.OPTIMAL if bound >= first.objective else Status.FEASIBLE,
            objective=first.objective,
            bound=bound,
            gap=gap_of(first.objective, bound),
            wall_time_s=round(time.monotonic() - started, 3),
            first_plan_s=round(first_plan_s or 0.0, 3),
            solver=f"{SOLVER_NAME} (greedy plan)",
            objective_terms=first.terms,
        )
        report("done", first.objective, bound)
        return _plan(scenario, index, first.chosen, stats)
    best_bound = max(floor, result.bound if result.bound is not None else 0)
    chosen = [c for c, var in enumerate(ctx.x) if values[var.index]]
    until = started + params.time_limit_s - reserve
    name = SOLVER_NAME
    if not whole and not params.stopped():
        # the whole model has had its share (or stalled): re-plan a few people at a time,
        # on models of their own, until the end (every level, in lexicographic mode)
        terms = terms_at(ctx, values)
        current = sum(terms.values())
        lns = RestrictedLns(index, Priced(chosen, current, terms), params)
        lns.floor = best_bound
        steps = None
        if params.deterministic:
            steps = max(1, int((1 - FULL_MODEL_SHARE) * params.time_limit_s / LARGE_STEP))
        if levels:
            chosen = large_levels(lns, until, report, steps).chosen
        elif result.status != cp_model.OPTIMAL and current > best_bound:
            chosen = lns.run(
                until,
                lambda objective: report("lns", objective, best_bound),
                reserve_s=0.0,
                max_steps=steps,
            ).chosen
        if lns.steps:
            name = f"{SOLVER_NAME}+lns ({lns.summary()})"
    elif levels:
        # the whole model's level 0, or the hint's, priced with every term at its least value
        level0 = result.objective
        if level0 is None:
            level0 = level_values(terms_at(ctx, values))[0]
        values = later_levels(ctx, values, level0, params, until, report)
        chosen = [c for c, var in enumerate(ctx.x) if values[var.index]]
    if levels:
        ctx.model.minimize(objective_expr(ctx))  # the final pricing sets every term
    exact = fix_decisions(ctx, chosen, max(1.0, remaining()), params)
    if exact is not None:
        values = exact
    else:  # no time left to price the last plan: the whole model's (priced by it) is returned
        name = SOLVER_NAME
    chosen = [c for c, var in enumerate(ctx.x) if values[var.index]]
    objective = _objective_from(ctx, values)
    bound = best_bound
    status = Status.OPTIMAL if bound >= objective else Status.FEASIBLE
    if first_plan_s is None:
        first_plan_s = result.first_solution_s or result.wall_time_s
    stats = Stats(
        status=status,
        objective=objective,
        bound=bound,
        gap=gap_of(objective, bound),
        wall_time_s=round(time.monotonic() - started, 3),
        first_plan_s=round(first_plan_s, 3),
        solver=name + _mode(scenario),
        objective_terms=terms_at(ctx, values),
    )
    report("done", objective, bound)
    return _plan(scenario, index, chosen, stats)


def _solve_large(
    scenario: Scenario,
    index: ProblemIndex,
    chosen: list[int],
    params: SolveParams,
    started: float,
    report: Callable[[str, int | None, int | None], None],
) -> Plan:
    """Greedy plan improved by restricted re-planning steps, priced exactly at the end."""
    deadline = started + params.time_limit_s
    pricing_started = time.monotonic()
    start = price(index, chosen, params, max(1.0, 0.3 * (deadline - time.monotonic())))
    # the final plan is priced the same way: keep time for it, with a margin
    reserve = max(PRICE_RESERVE_S, 2.0 * (time.monotonic() - pricing_started))
    if start is None:
        message = "the plan could not be priced within the time limit"
        return _unknown(scenario, index, started, message, None)
    first_plan_s = time.monotonic() - started
    report("first plan", start.objective, None)
    # the bound comes after the first plan: a planner sees a complete roster sooner
    floor, lp, members = _bound(index, deadline - time.monotonic())
    report("bound", start.objective, floor)
    left = deadline - time.monotonic()
    guided = _guided_start(index, lp, start, params, GUIDED_SHARE * left)
    if guided is not None:
        start = guided
        report("guided plan", start.objective, floor)
    left = deadline - reserve - time.monotonic()
    objective = start.objective
    column_bound, columns = _column_start(
        index,
        lp,
        members,
        start,
        params,
        COLUMN_SHARE * left,
        lambda bound: report("column generation", objective, bound),
    )
    if column_bound is not None:
        floor = max(floor, column_bound)
        if columns is not None:
            start = columns
        report("column generation", start.objective, floor)
    lns = RestrictedLns(index, start, params)
    lns.floor = floor
    steps = max(1, int(params.time_limit_s / (2 * LARGE_STEP))) if params.deterministic else None
    if scenario.objective.lexicographic:
        best = large_levels(lns, deadline - reserve, report, steps)
    else:
        best = lns.run(
            deadline,
            lambda objective: report("lns", objective, floor),
            reserve_s=reserve,
            max_steps=steps,
        )
    final = price(index, best.chosen, params, max(1.0, deadline - time.monotonic())) or start
    status = Status.OPTIMAL if floor >= final.objective else Status.FEASIBLE
    stats = Stats(
        status=status,
        objective=final.objective,
        bound=floor,
        gap=gap_of(final.objective, floor),
        wall_time_s=round(time.monotonic() - started, 3),
        first_plan_s=round(first_plan_s, 3),
        solver=f"{SOLVER_NAME}+lns ({lns.summary()})" + _mode(scenario),
        objective_terms=final.terms,
    )
    report("done", final.objective, floor)
    return _plan(scenario, index, final.chosen, stats)


def _unrepaired(
    scenario: Scenario,
    index: ProblemIndex,
    repairer: RestrictedLns,
    broken: set[int],
    params: SolveParams,
    started: float,
) -> Plan:
    """No plan of a large district meets the hard minimums of ``broken``: say which rules
    conflict while the other people keep their assignments, or that time ran out.

    The whole model is too large to prove that no plan exists at all, so the status is
    ``unknown``, not ``infeasible``: freeing the others might make room.
    """
    left = max(1.0, params.time_limit_s - (time.monotonic() - started))
    external = repairer.external(broken, repairer.best.chosen)
    keep = sorted(c for p in broken for c in repairer.cands_of[p])
    sub, _ = restrict(index, keep)
    conflicts = explain_infeasible(sub, left, params.workers, sorted(broken), external)
    names = ", ".join(sorted(scenario.people[p].id for p in broken)[:10])
    message = f"no plan meeting the hard minimum rules of {names} was found in time"
    if conflicts and not conflicts[0].startswith("the hard rules could not"):
        message = (
            f"no plan meeting the hard minimum rules of {names} was found: with the other "
            "people's assignments kept, these rules conflict: " + "; ".join(conflicts)
        )
    return _unknown(scenario, index, started, message, None)


def _bound(
    index: ProblemIndex, seconds_left: float
) -> tuple[int, LpResult | None, list[list[int]]]:
    """The better of the flow and LP lower bounds, the LP's result (None if it did not
    finish in its share of the time left) and the groups of interchangeable people."""
    members = interchangeable_groups(index)
    lp = solve_lp(index, LP_BOUND_SHARE * seconds_left, members)
    flow = flow_bound(index, [(group[0], len(group)) for group in members])
    if lp is None:
        return flow, None, members
    return max(flow, lp.bound), lp, members


def _guided_start(
    index: ProblemIndex,
    lp: LpResult | None,
    current: Priced | None,
    params: SolveParams,
    seconds: float,
) -> Priced | None:
    """The greedy plan that follows the LP's solution, repaired and priced, if it is better
    than ``current`` and ready within ``seconds``; else None."""
    if lp is None or params.deterministic:  # the time limits below read the clock
        return None
    deadline = time.monotonic() + seconds
    chosen = greedy_plan(index, lp.guide, _starts_search(index))
    return _if_better(index, chosen, current, params, deadline)


def _starts_search(index: ProblemIndex) -> bool:
    """True if the greedy plan starts neighbourhood search rather than hinting the whole
    model (see :meth:`planner.solvers.greedy.Greedy._top_up`)."""
    return index.num_candidates > WHOLE_MODEL_CANDIDATES


def _column_start(
    index: ProblemIndex,
    lp: LpResult | None,
    members: list[list[int]],
    current: Priced | None,
    params: SolveParams,
    seconds: float,
    on_bound: Callable[[int], None],
) -> tuple[int | None, Priced | None]:
    """Column generation's bound (None if it has none) and the better of its plans (the
    greedy plan following the master and the whole-number master's), repaired and priced,
    if better than ``current`` (else None), within ``seconds``; ``on_bound`` hears of every
    bound it raises.

    Only from ``COLUMN_MIN_CANDIDATES`` candidates, from a plan, not in deterministic mode
    (the rounds read the clock), only with time for ``COLUMN_LP_ROUNDS`` times what the
    row-form LP took, and only where the terms the rosters price are at least
    ``COLUMN_PRICED_SHARE`` of the plan's objective.
    """
    if (
        current is None
        or lp is None
        or params.deterministic
        or index.num_candidates < COLUMN_MIN_CANDIDATES
        or priced_share(current.terms) < COLUMN_PRICED_SHARE
    ):
        return None, None
    deadline = time.monotonic() + seconds
    if seconds < COLUMN_LP_ROUNDS * lp.seconds:
        once_end = time.monotonic() + LAGRANGE_SHARE * seconds
        result = priced_once(index, members, lp, current.chosen, params.workers, once_end)
        if result.bound is not None:
            on_bound(result.bound)
    else:
        result = column_generation(
            index,
            members,
            current.chosen,
            deadline - COLUMN_PRICE_SHARE * seconds,
            COLUMN_PLAN_SHARE,
            params.workers,
            params.seed,
            (lp.cover_prices, lp.key_prices),
            on_bound,
            wishes_weigh(current.terms),
        )
    best = None
    for chosen in (result.guided, result.chosen):
        if chosen is not None:
            better = _if_better(index, chosen, best or current, params, deadline)
            best = better or best
    return result.bound, best


def _if_better(
    index: ProblemIndex,
    chosen: list[int],
    current: Priced | None,
    params: SolveParams,
    deadline: float,
) -> Priced | None:
    """The plan ``chosen``, repaired and priced, if better than ``current`` and ready by
    ``deadline``; else None."""
    repairer = RestrictedLns(index, Priced(chosen, 0, {}), params)
    if repair(repairer, deadline) is not None or time.monotonic() >= deadline:
        return None
    priced = price(index, repairer.best.chosen, params, max(0.5, deadline - time.monotonic()))
    if priced is None or current is None:
        return priced
    if index.scenario.objective.lexicographic:  # coverage first, then burden, then wishes
        better = level_values(priced.terms) < level_values(current.terms)
    else:
        better = priced.objective < current.objective
    return priced if better else None


def _mode(scenario: Scenario) -> str:
    """How the objective was optimised, for ``Stats.solver`` (nothing for the weighted sum)."""
    objective = scenario.objective
    if not objective.lexicographic:
        return ""
    return f", lexicographic (tolerance {objective.tolerance:g})"


def _objective_from(ctx: ModelContext, values: list[int]) -> int:
    return sum(terms_at(ctx, values).values())


def _plan(scenario: Scenario, index: ProblemIndex, chosen: list[int], stats: Stats) -> Plan:
    from planner.report.build import build_plan

    return build_plan(scenario, index.assignments(chosen), stats)


def _unknown(
    scenario: Scenario, index: ProblemIndex, started: float, message: str, bound: int | None
) -> Plan:
    """No plan could be had: say why."""
    stats = Stats(
        status=Status.UNKNOWN,
        bound=bound,
        wall_time_s=time.monotonic() - started,
        solver=SOLVER_NAME,
        conflicts=[message],
    )
    return _plan(scenario, index, [], stats)


def _infeasible(scenario: Scenario, conflicts: list[str], started: float) -> Plan:
    from planner.report.build import build_plan

    stats = Stats(
        status=Status.INFEASIBLE,
        wall_time_s=round(time.monotonic() - started, 3),
        solver=SOLVER_NAME,
        conflicts=conflicts,
    )
    return build_plan(scenario, [], stats)
