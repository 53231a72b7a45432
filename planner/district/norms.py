"""Staffing norms: how many people each fact of a district calls for, and on which posts.

A norms file (YAML; the default is ``planner/data/norms.yaml``) holds:

- ``params``: named numbers used to derive measures (``residents_per_desk``);
- ``shifts``: the shift templates posts use;
- ``blocks``: the totals the breakdown is summed into (e.g. sampling, front line);
- ``post_kinds``: how norms become posts (post type, grouping, exposure, priority, shifts);
- ``category_sets``: named lists of categories, reused through YAML anchors;
- ``norms``: each one turns a measure of the profile into people per shift on one role;
- ``rules`` and ``custom_categories``: the work rules the generated scenario carries.

A norm counts, for every post its post kind groups units into, ``ceil(measure / per)``
staffing units, each needing ``headcount`` people on each of its shifts; its people per day
is that count summed over shifts (a post needing 2 per shift on 3 shifts needs 6 people a
day, as nobody works two shifts a day).
"""

from __future__ import annotations

from enum import StrEnum
from importlib import resources
from pathlib import Path

from pydantic import Field, model_validator

from planner.model.base import BUILTIN_CATEGORIES, Exposure, Frozen, PostType
from planner.model.calendar import ShiftTemplate
from planner.model.posts import AtLeast
from planner.model.rules import Rules


class GroupBy(StrEnum):
    """How units are grouped into posts: one post per site, grid, community or district."""

    SITE = "site"
    GRID = "grid"
    COMMUNITY = "community"
    DISTRICT = "district"


class Block(Frozen):
    """A total the breakdown sums into, e.g. ``sampling`` (核酸采样点)."""

    id: str = Field(min_length=1)
    name_zh: str = ""
    name_en: str = ""


class PostKind(Frozen):
    """How norms become posts: one post per group, with this type, exposure and priority."""

    id: str = Field(min_length=1)
    type: PostType
    name_zh: str = ""
    name_en: str = ""
    group_by: GroupBy
    exposure: Exposure = Exposure.LOW
    priority: int = Field(default=1, ge=1)
    shifts: list[str] = Field(min_length=1)
    at_least: list[AtLeast] = Field(default_factory=list)
    rationale: str = ""


class Norm(Frozen):
    """One staffing norm: ``headcount`` people per shift for every ``per`` units of ``measure``.

    ``headcount`` is a number (the same on every shift of the norm) or a map from shift id
    to number; ``shifts`` restricts the norm to some of its post kind's shifts.
    """

    id: str = Field(min_length=1)
    block: str
    post: str
    role: str = Field(min_length=1)
    name_zh: str = Field(min_length=1)
    name_en: str = Field(min_length=1)
    measure: str = Field(min_length=1)
    per: float = Field(default=1, gt=0)
    headcount: int | dict[str, int] = 1
    shifts: list[str] | None = None
    categories: list[str] = Field(default_factory=list)
    skills: list[str] = Field(default_factory=list)
    rationale: str = Field(min_length=1)
    source: str = ""

    def headcount_on(self, shift: str) -> int:
        """People per staffing unit on ``shift``."""
        if isinstance(self.headcount, int):
            return self.headcount
        return self.headcount.get(shift, 0)


class Norms(Frozen):
    """A whole norms file."""

    params: dict[str, float] = Field(default_factory=dict)
    shifts: list[ShiftTemplate] = Field(min_length=1)
    blocks: list[Block] = Field(min_length=1)
    post_kinds: list[PostKind] = Field(min_length=1)
    norms: list[Norm] = Field(min_length=1)
    category_sets: dict[str, list[str]] = Field(
        default_factory=dict, description="named category lists, for YAML anchors"
    )
    rules: Rules = Field(default_factory=Rules)
    custom_categories: list[str] = Field(default_factory=list)

    @property
    def post_kind_by_id(self) -> dict[str, PostKind]:
        """Post kinds by id."""
        return {k.id: k for k in self.post_kinds}

    def shifts_of(self, norm: Norm) -> list[str]:
        """The shifts ``norm`` staffs, in its post kind's order."""
        kind = self.post_kind_by_id[norm.post]
        wanted = kind.shifts if norm.shifts is None else norm.shifts
        return [s for s in kind.shifts if s in wanted and norm.headcount_on(s) > 0]

    @model_validator(mode="after")
    def _check_references(self) -> Norms:
        errors = list(self._errors())
        if errors:
            raise ValueError("\n".join(errors[:20]))
        return self

    def _errors(self) -> list[str]:
        errors: list[str] = []
        shifts = {s.id for s in self.shifts}
        blocks = {b.id for b in self.blocks}
        kinds = self.post_kind_by_id
        for seq, what in (
            ([s.id for s in self.shifts], "shifts"),
            ([b.id for b in self.blocks], "blocks"),
            ([k.id for k in self.post_kinds], "post_kinds"),
            ([n.id for n in self.norms], "norms"),
        ):
            dupes = sorted({x for x in seq if seq.count(x) > 1})
            errors += [f"{what}: duplicate id '{d}'" for d in dupes]
        roles = [(n.post, n.role) for n in self.norms]
        errors += [
            f"norms: role '{r}' appears twice on post kind '{k}'"
            for k, r in sorted({x for x in roles if roles.count(x) > 1})
        ]
        for i, kind in enumerate(self.post_kinds):
            errors += [
                f"post_kinds[{i}].shifts: unknown shift '{s}' (post kind '{kind.id}')"
                for s in kind.shifts
                if s not in shifts
            ]
        known = set(BUILTIN_CATEGORIES) | set(self.custom_categories)
        for i, norm in enumerate(self.norms):
            tag = f"(norm '{norm.id}')"
            errors += [
                f"norms[{i}].categories: unknown category '{c}' {tag}"
                for c in norm.categories
                if c not in known
            ]
            if norm.block not in blocks:
                errors.append(f"norms[{i}].block: unknown block '{norm.block}' {tag}")
            post_kind = kinds.get(norm.post)
            if post_kind is None:
                errors.append(f"norms[{i}].post: unknown post kind '{norm.post}' {tag}")
                continue
            named = list(norm.shifts or [])
            if isinstance(norm.headcount, dict):
                named += list(norm.headcount)
            errors += [
                f"norms[{i}]: shift '{s}' is not a shift of post kind '{post_kind.id}' {tag}"
                for s in named
                if s not in post_kind.shifts
            ]
            if not self.shifts_of(norm):
                errors.append(f"norms[{i}].headcount: nobody on any shift {tag}")
        return errors


def default_norms_path() -> Path:
    """Path of the norms shipped with the package."""
    return Path(str(resources.files("planner") / "data" / "norms.yaml"))
