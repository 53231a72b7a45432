"""The domain model: scenarios, people, posts, rules and plans (pydantic v2, immutable).

Imports no solver, pandas or web code.
"""

from planner.model.base import (
    BUILTIN_CATEGORIES,
    CATEGORY_ZH,
    POST_TYPE_ZH,
    Exposure,
    Locality,
    PostType,
)
from planner.model.calendar import MINUTES_PER_DAY, Horizon, ShiftTemplate
from planner.model.locality import Community, Grid
from planner.model.people import Person, RequestKind, Sex, ShiftRequest
from planner.model.plan import (
    Assignment,
    HorizonRef,
    Kpis,
    Plan,
    Shortage,
    Stats,
    Status,
    Workload,
)
from planner.model.posts import AtLeast, Demand, Post, Role
from planner.model.rules import (
    OBJECTIVE_LEVELS,
    WORK_RULE_UNITS,
    ExposureRule,
    Limit,
    Rules,
    Succession,
    Weights,
    WorkRules,
    objective_level,
)
from planner.model.scenario import FixedAssignment, ForbiddenAssignment, Scenario

__all__ = [
    "BUILTIN_CATEGORIES",
    "CATEGORY_ZH",
    "MINUTES_PER_DAY",
    "OBJECTIVE_LEVELS",
    "POST_TYPE_ZH",
    "WORK_RULE_UNITS",
    "Assignment",
    "AtLeast",
    "Community",
    "Demand",
    "Exposure",
    "ExposureRule",
    "FixedAssignment",
    "ForbiddenAssignment",
    "Grid",
    "Horizon",
    "HorizonRef",
    "Kpis",
    "Limit",
    "Locality",
    "Person",
    "Plan",
    "Post",
    "PostType",
    "RequestKind",
    "Role",
    "Rules",
    "Scenario",
    "Sex",
    "ShiftRequest",
    "ShiftTemplate",
    "Shortage",
    "Stats",
    "Status",
    "Succession",
    "Weights",
    "WorkRules",
    "Workload",
    "objective_level",
]
