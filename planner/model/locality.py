"""Communities (社区) and their grids (网格)."""

from __future__ import annotations

from pydantic import Field

from planner.model.base import Frozen


class Grid(Frozen):
    """A grid of a community: the smallest locality."""

    id: str = Field(min_length=1)
    name: str = ""
    households: int = Field(default=0, ge=0)
    residents: int = Field(default=0, ge=0)


class Community(Frozen):
    """A community and its grids."""

    id: str = Field(min_length=1)
    name: str = ""
    grids: list[Grid] = Field(default_factory=list)
