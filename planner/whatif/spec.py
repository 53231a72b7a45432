"""The what-if spec: a base scenario and named variants, each a list of edits.

A spec is YAML (or JSON)::

    name: 崇文路街道 what-ifs
    base: ../../scenarios/chongwen/scenario.yaml   # relative to the spec file
    seed: 0
    variants:
      - name: reserve_500
        label: 储备志愿者 +500
        edits:
          - {kind: add_people, category: volunteer, count: 500}
      - name: cadres_leave_day4
        label: 下沉干部第4天撤离
        edits:
          - {kind: availability, who: {categories: [seconded_cadre]}, available_until: 2022-04-28}

Every edit is validated here (strict: unknown fields are errors) and again, as part of the
scenario it produces, by the scenario's own validator (see :mod:`planner.whatif.edits`).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, ValidationError, model_validator

from planner.district.roster import AgeBand
from planner.io.errors import InputError, validation_messages
from planner.io.yaml_json import read_data
from planner.model import (
    Exposure,
    ExposureRule,
    Locality,
    PostType,
    ShiftTemplate,
    Succession,
    Weights,
    WorkRules,
)
from planner.model.base import Frozen

#: Variant names: short ids usable as file names.
NAME_PATTERN = r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$"


class PersonFilter(Frozen):
    """Which people an edit touches: all conditions hold (an empty list matches all).

    ``share`` or ``count`` then draws that part of the matching people (seeded); without
    either, every matching person is touched.
    """

    categories: list[str] = Field(default_factory=list)
    communities: list[str] = Field(default_factory=list)
    ids: list[str] = Field(default_factory=list)
    min_age: int | None = Field(default=None, ge=0)
    max_age: int | None = Field(default=None, ge=0)
    share: float | None = Field(default=None, gt=0, le=1)
    count: int | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _one_amount(self) -> PersonFilter:
        if self.share is not None and self.count is not None:
            raise ValueError("give share or count, not both")
        return self


class PostFilter(Frozen):
    """Which posts an edit touches: all conditions hold (an empty list matches all)."""

    types: list[PostType] = Field(default_factory=list)
    communities: list[str] = Field(default_factory=list)
    ids: list[str] = Field(default_factory=list)


class AddPeople(Frozen):
    """Add ``count`` people of ``category``, drawn deterministically.

    Homes follow ``home`` (default: the category's locality: a grid, a community or none),
    drawn in proportion to residents among ``communities`` (all when empty), or exactly
    ``per_community``. Ages, sexes and skills are drawn like the shipped rosters
    (:class:`planner.district.roster.RosterGroup`); ``available_from``/``available_until``
    bound when they can work.
    """

    kind: Literal["add_people"]
    category: str = Field(min_length=1)
    count: int = Field(ge=1)
    id_prefix: str | None = Field(default=None, min_length=1)
    home: Literal["grid", "community", "district"] | None = None
    communities: list[str] = Field(default_factory=list)
    per_community: dict[str, int] | None = None
    ages: list[AgeBand] = Field(default_factory=lambda: [AgeBand(low=25, high=49, share=1.0)])
    female_share: float = Field(default=0.5, ge=0, le=1)
    skills: dict[str, float] = Field(default_factory=dict)
    skills_over_60: dict[str, float] | None = None
    avoid_night_share: float = Field(default=0.0, ge=0, le=1)
    available_from: dt.date | None = None
    available_until: dt.date | None = None


class RemovePeople(Frozen):
    """Take the people ``who`` matches off the roster (their pinned duties go too)."""

    kind: Literal["remove_people"]
    who: PersonFilter


class Availability(Frozen):
    """Narrow (or, with ``clear``, reset) when the people ``who`` matches can work.

    ``available_until`` means "no later than": a person already leaving earlier keeps
    their date; ``available_from`` means "no earlier than". ``clear`` first removes both
    bounds (e.g. seconded cadres who stay throughout).
    """

    kind: Literal["availability"]
    who: PersonFilter
    available_from: dt.date | None = None
    available_until: dt.date | None = None
    clear: bool = False


class ChangeRules(Frozen):
    """Change rules or their parameters; only what is given changes.

    ``defaults`` and ``categories`` are merged field-wise into the current rules (a field
    given replaces the current one); ``locality`` entries replace the category's; the
    fields of ``exposure`` and ``objective`` given replace the current ones;
    ``forbidden_successions`` replaces the list.
    """

    kind: Literal["rules"]
    defaults: WorkRules | None = None
    categories: dict[str, WorkRules] = Field(default_factory=dict)
    locality: dict[str, Locality] = Field(default_factory=dict)
    exposure: ExposureRule | None = None
    forbidden_successions: list[Succession] | None = None
    objective: Weights | None = None


class ChangePosts(Frozen):
    """Change the posts ``where`` matches: priority, exposure, headcounts.

    ``scale`` multiplies every role's headcount (of ``roles`` only, when given), rounding
    half up; ``headcount`` then sets given roles to a number.
    """

    kind: Literal["posts"]
    where: PostFilter
    priority: int | None = Field(default=None, ge=1)
    exposure: Exposure | None = None
    scale: float | None = Field(default=None, ge=0)
    roles: list[str] = Field(default_factory=list)
    headcount: dict[str, int] = Field(default_factory=dict)


class RemovePosts(Frozen):
    """Close posts ``where`` matches: all, ``count`` of them, or all but ``keep``.

    Posts close in the community with the most matching posts first (the last listed
    first), so every community keeps one as long as it can. The headcount of
    ``move_roles`` at a closed post moves to the remaining matching posts of its community
    (spread evenly): the residents it served are served elsewhere.
    """

    kind: Literal["remove_posts"]
    where: PostFilter
    count: int | None = Field(default=None, ge=0)
    keep: int | None = Field(default=None, ge=0)
    move_roles: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _one_amount(self) -> RemovePosts:
        if self.count is not None and self.keep is not None:
            raise ValueError("give count or keep, not both")
        return self


class ShiftPattern(Frozen):
    """Run the posts ``where`` matches on other shift templates (e.g. 2 × 12 h for 4 × 6 h).

    ``shifts`` are new templates (added to the scenario) or ids of existing ones. Each new
    shift needs, per role, the most people the role needed on any old shift overlapping it
    in time of day, so round-the-clock cover keeps its strength.
    """

    kind: Literal["shift_pattern"]
    where: PostFilter
    shifts: list[ShiftTemplate | str] = Field(min_length=1)


Edit = Annotated[
    AddPeople
    | RemovePeople
    | Availability
    | ChangeRules
    | ChangePosts
    | RemovePosts
    | ShiftPattern,
    Field(discriminator="kind"),
]


class Variant(Frozen):
    """A named what-if: the base scenario changed by ``edits``, in order."""

    name: str = Field(pattern=NAME_PATTERN)
    label: str = ""
    description: str = ""
    edits: list[Edit] = Field(default_factory=list)

    @property
    def title(self) -> str:
        """The label if given, else the name."""
        return self.label or self.name


class WhatIfSpec(Frozen):
    """A base scenario and the variants to compare with it.

    ``base`` is a scenario file, relative to the spec file. With ``include_base`` the
    unchanged base is compared too, as variant ``base``. ``seed`` draws every added or
    removed person.
    """

    name: str = Field(min_length=1)
    description: str = ""
    base: str = Field(min_length=1)
    seed: int = 0
    include_base: bool = True
    base_label: str = "现状 base"
    variants: list[Variant] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique_names(self) -> WhatIfSpec:
        names = [v.name for v in self.all_variants()]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"variants: duplicate variant name '{dupes[0]}'")
        if not names:
            raise ValueError("variants: nothing to compare (no variants and include_base false)")
        return self

    def all_variants(self) -> list[Variant]:
        """The variants to run: the base first (when included), then those listed."""
        base = [Variant(name="base", label=self.base_label)] if self.include_base else []
        return base + list(self.variants)

    def variant(self, name: str) -> Variant:
        """The variant called ``name``."""
        for variant in self.all_variants():
            if variant.name == name:
                return variant
        raise ValueError(f"variants: unknown variant '{name}'")


def load_spec(path: str | Path) -> WhatIfSpec:
    """Read and validate a what-if spec file (YAML or JSON).

    Raises
    ------
    InputError
        If the file is missing, unreadable or invalid (one line per problem).
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(path, ["no such file"])
    data = read_data(path)
    if not isinstance(data, dict):
        raise InputError(path, ["a what-if spec is a mapping of fields"])
    try:
        return WhatIfSpec.model_validate(data)
    except ValidationError as exc:
        raise InputError(path, validation_messages(exc, data)) from None


def base_path(spec: WhatIfSpec, spec_path: str | Path) -> Path:
    """The base scenario's path: ``spec.base`` relative to the spec file's folder."""
    return (Path(spec_path).parent / spec.base).resolve()
