"""The independent plan checker: re-verifies a plan against its scenario from scratch.

Imports only :mod:`planner.model` and shares no code with the solvers: every rule family
has its own plain ``check_<family>`` function over the assignments, and the objective is
recomputed term by term with the scenario's weights.

Examples
--------
>>> result = check(scenario, plan)  # doctest: +SKIP
>>> result.feasible, result.objective, result.terms["shortage"]  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from planner.check.context import Item, check_reference
from planner.check.objective import (
    term_continuity,
    term_fairness,
    term_fatigue,
    term_preference,
    term_requests,
)
from planner.check.placement import (
    check_availability,
    check_exposure,
    check_fixed,
    check_forbidden,
    check_locality,
    check_qualification,
)
from planner.check.result import CheckResult, Violation
from planner.check.staffing import check_at_least, check_headcount, term_overstaff, term_shortage
from planner.check.work_limits import (
    check_max_minutes_per_7_days,
    check_max_minutes_per_day,
    check_max_minutes_per_horizon,
    check_max_nights_per_7_days,
    check_max_shifts_per_day,
    check_max_shifts_per_template,
    check_max_weekends,
    check_min_minutes_per_horizon,
)
from planner.check.work_patterns import (
    check_max_consecutive_days,
    check_min_consecutive_days,
    check_min_consecutive_days_off,
    check_min_rest_minutes,
    check_overlap,
    check_succession,
)
from planner.model import Assignment, Plan, Scenario

__all__ = ["BASE_TERMS", "CheckResult", "Violation", "check"]

#: Terms always present in ``CheckResult.terms`` (``soft:<rule>`` terms appear when nonzero).
BASE_TERMS: tuple[str, ...] = (
    "shortage",
    "overstaff",
    "at_least",
    "fatigue",
    "fairness",
    "preference",
    "requests",
    "continuity",
)

_ItemCheck = Callable[[Scenario, Sequence[Item]], list[Violation]]

#: The families checked on valid assignments, in reporting order.
_ITEM_CHECKS: tuple[_ItemCheck, ...] = (
    check_availability,
    check_qualification,
    check_locality,
    check_exposure,
    check_forbidden,
    check_headcount,
    check_overlap,
    check_at_least,
    check_max_shifts_per_day,
    check_max_minutes_per_day,
    check_max_minutes_per_7_days,
    check_max_nights_per_7_days,
    check_max_minutes_per_horizon,
    check_min_minutes_per_horizon,
    check_max_consecutive_days,
    check_min_consecutive_days,
    check_min_consecutive_days_off,
    check_min_rest_minutes,
    check_max_weekends,
    check_max_shifts_per_template,
    check_succession,
)

_TERMS: dict[str, Callable[[Scenario, Sequence[Item]], int]] = {
    "shortage": term_shortage,
    "overstaff": term_overstaff,
    "fatigue": term_fatigue,
    "fairness": term_fairness,
    "preference": term_preference,
    "requests": term_requests,
    "continuity": term_continuity,
}


def check(scenario: Scenario, plan: Plan | Sequence[Assignment]) -> CheckResult:
    """Check ``plan`` against every rule of ``scenario`` and recompute its objective.

    Parameters
    ----------
    scenario : Scenario
        The problem the plan claims to solve.
    plan : Plan or sequence of Assignment
        The plan, or just its assignments.

    Returns
    -------
    CheckResult
        Every violation found, whether none is hard, and the objective by term. An
        assignment that does not fit the scenario (``reference`` family) is reported and
        otherwise ignored: it neither covers demand nor counts as work.
    """
    assignments = list(plan.assignments if isinstance(plan, Plan) else plan)
    items, violations = check_reference(scenario, assignments)
    violations += check_fixed(scenario, assignments)
    for check_family in _ITEM_CHECKS:
        violations += check_family(scenario, items)

    terms = dict.fromkeys(BASE_TERMS, 0)
    for name, term in _TERMS.items():
        terms[name] = term(scenario, items)
    for v in violations:
        if v.term is not None:
            terms[v.term] = terms.get(v.term, 0) + v.cost
    terms = {k: v for k, v in terms.items() if k in BASE_TERMS or v != 0}
    return CheckResult(
        violations=violations,
        feasible=not any(v.hard for v in violations),
        objective=sum(terms.values()),
        terms=terms,
    )
