"""People: who can work, where they live, when they are available."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import Field, model_validator

from planner.model.base import Frozen
from planner.model.rules import WorkRules


class Sex(StrEnum):
    """Sex as recorded on the roster."""

    MALE = "male"
    FEMALE = "female"


class RequestKind(StrEnum):
    """``on``: the person asks to work; ``off``: the person asks not to."""

    ON = "on"
    OFF = "off"


class ShiftRequest(Frozen):
    """A wish for or against working on a date (a given shift, or any shift when omitted).

    An ``on`` request is granted if the person works that shift (any shift, without one) on
    that date; an ``off`` request is granted if they do not. An ungranted request costs
    ``weight``.
    """

    date: dt.date
    shift: str | None = None
    kind: RequestKind
    weight: int = Field(default=1, ge=1)


class Person(Frozen):
    """One person who can be rostered.

    ``contact`` is personal data: it is never logged and never shown in error messages.
    """

    id: str = Field(min_length=1)
    name: str = ""
    category: str = Field(min_length=1)
    community: str | None = None
    grid: str | None = None
    age: int | None = Field(default=None, ge=14, le=100)
    sex: Sex | None = None
    skills: list[str] = Field(default_factory=list)
    vulnerable: bool = False
    available_from: dt.date | None = None
    available_until: dt.date | None = None
    unavailable: list[dt.date] = Field(default_factory=list)
    preferred_shifts: list[str] = Field(default_factory=list)
    avoided_shifts: list[str] = Field(default_factory=list)
    requests: list[ShiftRequest] = Field(default_factory=list)
    limits: WorkRules | None = None
    contact: str | None = Field(default=None, repr=False)

    @model_validator(mode="after")
    def _window_in_order(self) -> Person:
        if (
            self.available_from is not None
            and self.available_until is not None
            and self.available_until < self.available_from
        ):
            raise ValueError(
                f"available_until {self.available_until} is before available_from "
                f"{self.available_from} (person '{self.id}')"
            )
        return self

    def is_available(self, date: dt.date) -> bool:
        """True if the person may work on ``date`` (window and unavailable days)."""
        if self.available_from is not None and date < self.available_from:
            return False
        if self.available_until is not None and date > self.available_until:
            return False
        return date not in self.unavailable
