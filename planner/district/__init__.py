"""District demand estimation: profile facts + staffing norms -> posts, demand and a roster.

``DistrictProfile`` records a street office's facts, ``Norms`` the staffing norms;
:func:`estimate` applies one to the other and :func:`build_scenario` turns the result and a
roster into a :class:`planner.model.Scenario`.
"""

from planner.district.estimate import Estimate, Line, PostPlan, estimate
from planner.district.norms import GroupBy, Norm, Norms, PostKind, default_norms_path, load_norms
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
    "SamplingStation",
    "Site",
    "SiteKind",
    "WorkingGroup",
    "default_norms_path",
    "estimate",
    "load_norms",
]
