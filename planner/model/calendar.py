"""Horizon and shift templates: when work happens.

Time convention used everywhere (solver, checker, reports): day ``d`` (0-based) is
``horizon.start + d``; a shift *belongs to the day it starts on*, starts at
``d * 1440 + start_minute`` minutes from the horizon start and ends ``duration_min`` later,
so a night shift may end on the next day.
"""

from __future__ import annotations

import datetime as dt

from pydantic import Field, field_validator

from planner.model.base import Frozen

MINUTES_PER_DAY = 1440


class Horizon(Frozen):
    """The planned period: ``days`` consecutive days from ``start``."""

    start: dt.date
    days: int = Field(ge=1, le=400)

    def dates(self) -> list[dt.date]:
        """Every date of the horizon, in order."""
        return [self.start + dt.timedelta(days=d) for d in range(self.days)]

    def day_index(self, date: dt.date) -> int:
        """0-based index of ``date``; may lie outside ``range(days)``."""
        return (date - self.start).days

    def contains(self, date: dt.date) -> bool:
        """True if ``date`` lies within the horizon."""
        return 0 <= self.day_index(date) < self.days


class ShiftTemplate(Frozen):
    """A kind of shift: e.g. ``early`` 08:00 for 480 minutes, ``night`` 22:00 for 600."""

    id: str = Field(min_length=1)
    name_zh: str = ""
    name_en: str = ""
    start: dt.time
    duration_min: int = Field(gt=0, le=MINUTES_PER_DAY, description="minutes, at most 24 h")
    night: bool = False

    @field_validator("duration_min", mode="before")
    @classmethod
    def _duration_in_range(cls, value: object) -> object:
        if isinstance(value, int) and value > MINUTES_PER_DAY:
            raise ValueError(f"a shift lasts at most 24 h (1440 minutes), got {value}")
        return value

    @property
    def start_minute(self) -> int:
        """Minutes after midnight at which the shift starts."""
        return self.start.hour * 60 + self.start.minute

    def start_at(self, day_idx: int) -> int:
        """Absolute start, in minutes from the horizon start, on day ``day_idx``."""
        return day_idx * MINUTES_PER_DAY + self.start_minute

    def end_at(self, day_idx: int) -> int:
        """Absolute end, in minutes from the horizon start, of the shift started on ``day_idx``."""
        return self.start_at(day_idx) + self.duration_min

    @property
    def label(self) -> str:
        """Chinese name if given, else English name, else id."""
        return self.name_zh or self.name_en or self.id
