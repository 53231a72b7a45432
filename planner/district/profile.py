"""District profile: the facts of a street office from which demand is estimated.

A profile records what a report or a survey says about a street office (communities and
grids, residential compounds and their gates, bungalow areas, shops, hotels, institutions,
sampling stations, working groups) and nothing about staffing norms: those live in the
norms file (see :mod:`planner.district.norms`). Every reference (community, grid) is
checked and errors name the field path and the offending id.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from enum import StrEnum

from pydantic import Field, model_validator

from planner.model.base import Frozen
from planner.model.calendar import Horizon
from planner.model.rules import Rules


class GridProfile(Frozen):
    """A grid (网格): households, residents and the share of residents aged 60 or over."""

    id: str = Field(min_length=1)
    name: str = ""
    households: int = Field(ge=0)
    residents: int = Field(ge=0)
    over_60_share: float | None = Field(default=None, ge=0, le=1)


class CommunityProfile(Frozen):
    """A community (社区) and its grids."""

    id: str = Field(min_length=1)
    name: str = ""
    grids: list[GridProfile] = Field(min_length=1)

    @property
    def households(self) -> int:
        """Households of all grids."""
        return sum(g.households for g in self.grids)

    @property
    def residents(self) -> int:
        """Residents of all grids."""
        return sum(g.residents for g in self.grids)


class CompoundKind(StrEnum):
    """How a residential compound is managed, which decides how its gates are staffed."""

    PROPERTY = "property"  # 有物业小区
    GATEHOUSE = "gatehouse"  # 有门房无物业小区
    THREE_NO = "three_no"  # 三无小区: no management, no gatehouse, no owners' committee


class Compound(Frozen):
    """A residential compound (住宅小区): ``open_gates`` of its ``gates`` stay open in lockdown."""

    id: str = Field(min_length=1)
    name: str = ""
    kind: CompoundKind
    community: str
    grid: str | None = None
    households: int = Field(ge=0)
    buildings: int = Field(ge=0)
    gates: int = Field(ge=1)
    open_gates: int = Field(default=1, ge=0)

    @model_validator(mode="after")
    def _open_within_gates(self) -> Compound:
        if self.open_gates > self.gates:
            raise ValueError(
                f"open_gates {self.open_gates} exceeds gates {self.gates} (compound '{self.id}')"
            )
        return self


class BungalowArea(Frozen):
    """A bungalow area (平房片区): lanes, courtyards and the entrances kept open."""

    id: str = Field(min_length=1)
    name: str = ""
    community: str
    grid: str | None = None
    households: int = Field(ge=0)
    lanes: int = Field(ge=0)
    courtyards: int = Field(ge=0)
    entrances: int = Field(default=1, ge=0)


class SiteKind(StrEnum):
    """Kinds of non-residential sites a lockdown must staff or watch."""

    MARKET = "market"
    HOTEL = "hotel"
    SUPERMARKET = "supermarket"
    PHARMACY = "pharmacy"
    SHOP = "shop"
    COMMERCIAL_STREET = "commercial_street"
    UNIVERSITY = "university"
    SENIOR_HIGH = "senior_high"
    JUNIOR_HIGH = "junior_high"
    VOCATIONAL_SCHOOL = "vocational_school"
    PRIMARY_SCHOOL = "primary_school"
    HOSPITAL = "hospital"
    HEALTH_CENTRE = "health_centre"
    OTHER_INSTITUTION = "other_institution"
    ROAD_BLOCK = "road_block"


#: Site kinds that count as institutions (企事业单位).
INSTITUTION_KINDS: frozenset[SiteKind] = frozenset(
    {
        SiteKind.UNIVERSITY,
        SiteKind.SENIOR_HIGH,
        SiteKind.JUNIOR_HIGH,
        SiteKind.VOCATIONAL_SCHOOL,
        SiteKind.PRIMARY_SCHOOL,
        SiteKind.HOSPITAL,
        SiteKind.HEALTH_CENTRE,
        SiteKind.OTHER_INSTITUTION,
    }
)


class Site(Frozen):
    """``count`` sites of one kind in a community (or grid): e.g. 9 hotels in community c1."""

    kind: SiteKind
    community: str
    grid: str | None = None
    count: int = Field(default=1, ge=1)
    name: str = ""


class SamplingStation(Frozen):
    """A nucleic-acid sampling station (核酸采样点) and the residents it serves."""

    id: str = Field(min_length=1)
    name: str = ""
    community: str
    grid: str | None = None
    residents_served: int = Field(ge=0)


class WorkingGroup(Frozen):
    """A working group (工作组) the street office runs during lockdown."""

    id: str = Field(min_length=1)
    name_zh: str = ""
    name_en: str = ""


class DistrictProfile(Frozen):
    """Everything known about one street office, as facts (no staffing norms).

    ``delivery_workers`` maps a community id to the workers it has set aside for delivering
    supplies; ``ambulances`` counts the office's own emergency vehicles. ``published`` holds
    totals a report gives (block id -> people per day) so an estimate can be compared with
    them. ``rules`` replaces the norms' work rules when given. ``roster`` and ``norms`` are
    the paths (relative to the profile file) of the roster and norms files to use when the
    command line names none.
    """

    name: str = Field(min_length=1)
    name_en: str = ""
    source: str = ""
    area_km2: float | None = Field(default=None, gt=0)
    horizon: Horizon
    communities: list[CommunityProfile] = Field(min_length=1)
    compounds: list[Compound] = Field(default_factory=list)
    bungalow_areas: list[BungalowArea] = Field(default_factory=list)
    sites: list[Site] = Field(default_factory=list)
    sampling_stations: list[SamplingStation] = Field(default_factory=list)
    working_groups: list[WorkingGroup] = Field(default_factory=list)
    delivery_workers: dict[str, int] = Field(default_factory=dict)
    ambulances: int = Field(default=0, ge=0)
    published: dict[str, int] = Field(default_factory=dict)
    rules: Rules | None = None
    roster: str | None = None
    norms: str | None = None

    # ------------------------------------------------------------------ totals
    @property
    def households(self) -> int:
        """Households of the whole district."""
        return sum(c.households for c in self.communities)

    @property
    def residents(self) -> int:
        """Residents of the whole district."""
        return sum(c.residents for c in self.communities)

    @property
    def grid_count(self) -> int:
        """Number of grids."""
        return sum(len(c.grids) for c in self.communities)

    def site_count(self, *kinds: SiteKind) -> int:
        """Number of sites of the given kinds."""
        return sum(s.count for s in self.sites if s.kind in kinds)

    def grid_community(self) -> dict[str, str]:
        """Grid id -> id of its community."""
        return {g.id: c.id for c in self.communities for g in c.grids}

    # ------------------------------------------------------------------ validation
    @model_validator(mode="after")
    def _check_references(self) -> DistrictProfile:
        errors = list(self._errors())
        if errors:
            raise ValueError("\n".join(errors[:20]))
        return self

    def _errors(self) -> Iterator[str]:
        grids = self.grid_community()
        communities = {c.id for c in self.communities}
        yield from _duplicates("communities", [c.id for c in self.communities])
        yield from _duplicates(
            "communities[].grids", [g.id for c in self.communities for g in c.grids]
        )
        located: list[tuple[str, str, str | None, str]] = []
        for field in ("compounds", "bungalow_areas", "sampling_stations"):
            items = getattr(self, field)
            yield from _duplicates(field, [i.id for i in items])
            located += [
                (f"{field}[{k}]", i.community, i.grid, f" ({field[:-1]} '{i.id}')")
                for k, i in enumerate(items)
            ]
        located += [
            (f"sites[{k}]", s.community, s.grid, f" ({s.kind.value})")
            for k, s in enumerate(self.sites)
        ]
        yield from _duplicates("working_groups", [w.id for w in self.working_groups])
        for where, community, grid, tag in located:
            if community not in communities:
                yield f"{where}.community: unknown community '{community}'{tag}"
            elif grid is not None and grids.get(grid) != community:
                yield f"{where}.grid: grid '{grid}' is not in community '{community}'{tag}"
        for cid, count in self.delivery_workers.items():
            if cid not in communities:
                yield f"delivery_workers.{cid}: unknown community '{cid}'"
            elif count < 0:
                yield f"delivery_workers.{cid}: negative count {count}"
        housed = sum(c.households for c in self.compounds) + sum(
            b.households for b in self.bungalow_areas
        )
        if housed > self.households:
            yield (
                f"compounds/bungalow_areas: {housed} households exceed the district's "
                f"{self.households}"
            )
        served: Counter[str] = Counter()
        for station in self.sampling_stations:
            served[station.community] += station.residents_served
        for comm in self.communities:
            if served[comm.id] > comm.residents:
                yield (
                    f"sampling_stations: stations of community '{comm.id}' serve "
                    f"{served[comm.id]} residents, more than its {comm.residents}"
                )


def _duplicates(where: str, ids: list[str]) -> Iterator[str]:
    for value, count in Counter(ids).items():
        if count > 1:
            yield f"{where}: duplicate id '{value}' ({count} times)"
