"""Posts and their demand: where people are needed, when, how many, of which kind."""

from __future__ import annotations

import datetime as dt

from pydantic import Field, model_validator

from planner.model.base import Exposure, Frozen, PostType


class Role(Frozen):
    """A role at a post-shift: ``headcount`` people who qualify.

    A person qualifies if their category is in ``categories`` (any category when empty) and
    they have every skill in ``skills``. Without ``overstaff_weight`` at most ``headcount``
    people may take the role; with it, more may, each extra one costing that weight.
    """

    role: str = Field(min_length=1)
    name_zh: str = ""
    headcount: int = Field(ge=0)
    categories: list[str] = Field(default_factory=list)
    skills: list[str] = Field(default_factory=list)
    overstaff_weight: int | None = Field(default=None, ge=0)


class AtLeast(Frozen):
    """At least ``count`` of a staffed post-shift's people must be of ``categories``.

    Applies only when somebody is assigned to the post-shift (an empty post-shift is a
    shortage, not a breach). Hard unless ``weight`` is set; soft, each person short costs it.
    """

    count: int = Field(ge=1)
    categories: list[str] = Field(min_length=1)
    weight: int | None = Field(default=None, ge=1)


class Demand(Frozen):
    """The roles needed at one shift of a post, on ``days`` (every day the post runs if None)."""

    shift: str
    days: list[dt.date] | None = None
    roles: list[Role] = Field(min_length=1)
    at_least: list[AtLeast] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique_roles(self) -> Demand:
        seen: set[str] = set()
        for role in self.roles:
            if role.role in seen:
                raise ValueError(
                    f"role '{role.role}' appears twice in demand for shift '{self.shift}'"
                )
            seen.add(role.role)
        return self


class Post(Frozen):
    """A place of work: a checkpoint, sampling station, grid duty, ...

    ``priority`` is a positive weight: each missing person costs ``priority`` times the
    shortage weight, so higher means more important.
    """

    id: str = Field(min_length=1)
    name: str = ""
    type: PostType
    community: str | None = None
    grid: str | None = None
    exposure: Exposure = Exposure.LOW
    priority: int = Field(default=1, ge=1)
    shifts: list[str] = Field(min_length=1, description="shift template ids this post uses")
    days: list[dt.date] | None = Field(default=None, description="days it runs; None: every day")
    demand: list[Demand] = Field(default_factory=list)

    def runs_on(self, date: dt.date) -> bool:
        """True if the post runs on ``date``."""
        return self.days is None or date in self.days

    def demand_on(self, date: dt.date, shift: str) -> Demand | None:
        """The demand entry for ``shift`` on ``date``, or None if nobody is needed."""
        if not self.runs_on(date):
            return None
        for entry in self.demand:
            if entry.shift == shift and (entry.days is None or date in entry.days):
                return entry
        return None
