"""District demand estimation: profile facts + staffing norms -> posts, demand and a roster.

``DistrictProfile`` records a street office's facts, ``Norms`` the staffing norms;
:func:`estimate` applies one to the other and :func:`build_scenario` turns the result and a
roster into a :class:`planner.model.Scenario`.
"""

from planner.district.estimate import Estimate, Line, PostPlan, estimate
from planner.district.files import (
    load_norms,
    load_profile,
    load_roster,
    scenario_yaml,
    write_scenario,
)
from planner.district.norms import GroupBy, Norm, Norms, PostKind, default_norms_path
from planner.district.profile import (
    BungalowArea,
    CommunityProfile,
    Compound,
    CompoundKind,
    DistrictProfile,
    GridProfile,
    SamplingStation,
    Site,
    SiteKind,
    WorkingGroup,
)
from planner.district.roster import RosterSpec, generate_roster
from planner.district.scenario import build_scenario

__all__ = [
    "BungalowArea",
    "CommunityProfile",
    "Compound",
    "CompoundKind",
    "DistrictProfile",
    "Estimate",
    "GridProfile",
    "GroupBy",
    "Line",
    "Norm",
    "Norms",
    "PostKind",
    "PostPlan",
    "RosterSpec",
    "SamplingStation",
    "Site",
    "SiteKind",
    "WorkingGroup",
    "build_scenario",
    "default_norms_path",
    "estimate",
    "generate_roster",
    "load_norms",
    "load_profile",
    "load_roster",
    "scenario_yaml",
    "write_scenario",
]
