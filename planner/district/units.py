"""Measures of a district profile: the countable facts norms are applied to.

Each fact of the profile yields :class:`Unit` records (a measure, an amount and where it
is: community, grid, site). Norms name a measure; an estimate sums a measure's units over
each post the post kind groups them into.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from planner.district.profile import INSTITUTION_KINDS, CompoundKind, DistrictProfile, SiteKind

#: Chinese and English unit words of every measure, for the breakdown table.
MEASURE_LABELS: dict[str, tuple[str, str]] = {
    "grids": ("个网格", "grids"),
    "communities": ("个社区", "communities"),
    "households": ("户", "households"),
    "residents": ("人", "residents"),
    "residents_over_60": ("名60岁以上居民", "residents aged 60+"),
    "compounds": ("个小区", "compounds"),
    "compound_households": ("户(楼房小区)", "households in compounds"),
    "compound_buildings": ("栋楼", "buildings"),
    "bungalow_areas": ("块平房片区", "bungalow areas"),
    "bungalow_households": ("户(平房)", "households in bungalow areas"),
    "bungalow_entrances": ("个片区出入口", "bungalow-area entrances"),
    "lanes": ("条巷道", "lanes"),
    "courtyards": ("个院落", "courtyards"),
    "sampling_stations": ("个采样点", "sampling stations"),
    "sampling_residents": ("名受检居民", "residents served"),
    "sampling_desks": ("个采样台", "sampling desks"),
    "delivery_workers": ("名配送人员", "delivery workers"),
    "working_groups": ("个工作组", "working groups"),
    "institutions": ("个企事业单位", "institutions"),
    "ambulances": ("辆急救车", "ambulances"),
}
for _kind, _zh in (
    (CompoundKind.PROPERTY, "有物业小区"),
    (CompoundKind.GATEHOUSE, "有门房无物业小区"),
    (CompoundKind.THREE_NO, "三无小区"),
):
    MEASURE_LABELS[f"open_gates.{_kind.value}"] = (
        f"个开放出入口({_zh})",
        f"open gates ({_kind.value.replace('_', '-')} compounds)",
    )
_SITE_LABELS: dict[SiteKind, tuple[str, str]] = {
    SiteKind.MARKET: ("个市场", "markets"),
    SiteKind.HOTEL: ("个酒店旅馆", "hotels and inns"),
    SiteKind.SUPERMARKET: ("个超市", "supermarkets"),
    SiteKind.PHARMACY: ("个药店", "pharmacies"),
    SiteKind.SHOP: ("个门店", "shops"),
    SiteKind.COMMERCIAL_STREET: ("条商业街", "commercial streets"),
    SiteKind.UNIVERSITY: ("所大学", "universities"),
    SiteKind.SENIOR_HIGH: ("所高中", "senior high schools"),
    SiteKind.JUNIOR_HIGH: ("所初中", "junior high schools"),
    SiteKind.VOCATIONAL_SCHOOL: ("所职业学校", "vocational schools"),
    SiteKind.PRIMARY_SCHOOL: ("所小学", "primary schools"),
    SiteKind.HOSPITAL: ("所医院", "hospitals"),
    SiteKind.HEALTH_CENTRE: ("个卫生服务中心", "health centres"),
    SiteKind.OTHER_INSTITUTION: ("个其他单位", "other institutions"),
    SiteKind.ROAD_BLOCK: ("个道路卡口", "road blocks"),
}
for _site, _labels in _SITE_LABELS.items():
    MEASURE_LABELS[f"sites.{_site.value}"] = _labels


@dataclass(frozen=True)
class Unit:
    """``amount`` of ``measure`` at a place: its community, grid and site (any may be None)."""

    measure: str
    amount: float
    community: str | None
    grid: str | None
    site: str | None


def district_units(profile: DistrictProfile, residents_per_desk: float) -> list[Unit]:
    """Every unit of every measure of ``profile``.

    ``residents_per_desk`` turns the residents a sampling station serves into desks:
    ``ceil(residents_served / residents_per_desk)`` per station.
    """
    units: list[Unit] = []
    for community in profile.communities:
        units.append(Unit("communities", 1, community.id, None, None))
        for grid in community.grids:
            over_60 = round(grid.residents * (grid.over_60_share or 0.0))
            for measure, amount in (
                ("grids", 1),
                ("households", grid.households),
                ("residents", grid.residents),
                ("residents_over_60", over_60),
            ):
                units.append(Unit(measure, amount, community.id, grid.id, None))
    for c in profile.compounds:
        for measure, amount in (
            ("compounds", 1),
            ("compound_households", c.households),
            ("compound_buildings", c.buildings),
            (f"open_gates.{c.kind.value}", c.open_gates),
        ):
            units.append(Unit(measure, amount, c.community, c.grid, c.id))
    for b in profile.bungalow_areas:
        for measure, amount in (
            ("bungalow_areas", 1),
            ("bungalow_households", b.households),
            ("bungalow_entrances", b.entrances),
            ("lanes", b.lanes),
            ("courtyards", b.courtyards),
        ):
            units.append(Unit(measure, amount, b.community, b.grid, b.id))
    seen: dict[str, int] = {}
    for s in profile.sites:
        base = f"{s.kind.value}-{s.grid or s.community}"
        seen[base] = seen.get(base, 0) + 1
        site_id = base if seen[base] == 1 else f"{base}-{seen[base]}"
        units.append(Unit(f"sites.{s.kind.value}", s.count, s.community, s.grid, site_id))
        if s.kind in INSTITUTION_KINDS:
            units.append(Unit("institutions", s.count, s.community, s.grid, site_id))
    for st in profile.sampling_stations:
        desks = math.ceil(st.residents_served / residents_per_desk)
        for measure, amount in (
            ("sampling_stations", 1),
            ("sampling_residents", st.residents_served),
            ("sampling_desks", desks),
        ):
            units.append(Unit(measure, amount, st.community, st.grid, st.id))
    for cid, count in profile.delivery_workers.items():
        units.append(Unit("delivery_workers", count, cid, None, None))
    if profile.ambulances:
        units.append(Unit("ambulances", profile.ambulances, None, None, None))
    for group in profile.working_groups:
        units.append(Unit("working_groups", 1, None, None, group.id))
        units.append(Unit(f"working_group.{group.id}", 1, None, None, group.id))
    return units


def measure_label(measure: str) -> tuple[str, str]:
    """Chinese and English unit words of ``measure`` (the measure id when unknown)."""
    if measure.startswith("working_group."):
        return ("个指定工作组", f"working group '{measure.split('.', 1)[1]}'")
    return MEASURE_LABELS.get(measure, (measure, measure))
