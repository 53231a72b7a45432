"""Reader for the Curtois & Qu shift scheduling benchmark (plain-text ``.txt`` format).

The instances (schedulingbenchmarks.org, "Instance1" ... "Instance24") map onto the general
scenario model without any special case in the solver:

- horizon: ``h`` days from a fixed Monday (:data:`HORIZON_START`), so day ``d`` of the file
  is ``HORIZON_START + d`` and the file's weekends are the model's calendar weekends;
- one shift template per ``ShiftID`` (start 00:00, the file's length, not a night shift);
  each ``ForbiddenNext`` pair becomes a hard :class:`~planner.model.Succession`;
- one post per distinct under-cover weight (a single post ``ward`` in all 24 files) whose
  ``priority`` is that weight, with ``objective.shortage = 1``; one role ``nurse`` per
  (day, shift) whose ``headcount`` is the requirement and whose ``overstaff_weight`` is the
  over-cover weight (also on rows requiring 0 people);
- one person per staff row, of the custom category ``nurse``, whose personal hard limits
  are the file's: at most one shift a day, ``MaxShifts`` per template, total minutes,
  consecutive working days (max and min), consecutive days off (min) and worked weekends;
  a minimum of 0 or 1 binds nobody and is left out;
- days off become ``unavailable`` dates; shift on/off requests become weighted requests;
- the other objective terms (fatigue, fairness, preference, continuity) are switched off.

The model's minimum-length rules apply to inner blocks only, which is the benchmark's own
rule at the horizon's edges, so the scenario's objective is exactly the published one.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from planner.model import (
    Demand,
    Horizon,
    Limit,
    Person,
    Post,
    PostType,
    RequestKind,
    Role,
    Rules,
    Scenario,
    ShiftRequest,
    ShiftTemplate,
    Succession,
    Weights,
    WorkRules,
)

#: Day 0 of every instance: a Monday, as the format requires.
HORIZON_START = dt.date(2024, 1, 1)
#: The custom person category of every staff member.
CATEGORY = "nurse"
#: The one role of every demand entry.
ROLE = "nurse"

SECTIONS = (
    "SECTION_HORIZON",
    "SECTION_SHIFTS",
    "SECTION_STAFF",
    "SECTION_DAYS_OFF",
    "SECTION_SHIFT_ON_REQUESTS",
    "SECTION_SHIFT_OFF_REQUESTS",
    "SECTION_COVER",
)


@dataclass(frozen=True)
class CurtoisShift:
    """A ``SECTION_SHIFTS`` row: id, length in minutes, shifts barred on the next day."""

    id: str
    minutes: int
    forbidden_next: tuple[str, ...]


@dataclass(frozen=True)
class CurtoisStaff:
    """A ``SECTION_STAFF`` row."""

    id: str
    max_shifts: dict[str, int]
    max_total_minutes: int
    min_total_minutes: int
    max_consecutive: int
    min_consecutive: int
    min_days_off: int
    max_weekends: int


@dataclass(frozen=True)
class CurtoisRequest:
    """A shift on- or off-request row: staff id, day, shift id, weight."""

    staff: str
    day: int
    shift: str
    weight: int


@dataclass(frozen=True)
class CurtoisCover:
    """A ``SECTION_COVER`` row: day, shift, requirement, under- and over-cover weights."""

    day: int
    shift: str
    requirement: int
    under: int
    over: int


@dataclass(frozen=True)
class CurtoisInstance:
    """One instance as written in the file, before mapping to a scenario."""

    days: int
    shifts: list[CurtoisShift]
    staff: list[CurtoisStaff]
    days_off: dict[str, list[int]]
    on_requests: list[CurtoisRequest]
    off_requests: list[CurtoisRequest]
    cover: list[CurtoisCover]


def is_curtois_text(text: str) -> bool:
    """True if ``text`` looks like a Curtois & Qu instance (it has ``SECTION_HORIZON``)."""
    return "SECTION_HORIZON" in text[:4096]


def is_curtois_file(path: str | Path) -> bool:
    """True if ``path`` is a ``.txt`` file whose head has ``SECTION_HORIZON``."""
    path = Path(path)
    if path.suffix.lower() != ".txt" or not path.is_file():
        return False
    with path.open(encoding="utf-8", errors="replace") as handle:
        return is_curtois_text(handle.read(4096))


def read_curtois(path: str | Path) -> Scenario:
    """Read a Curtois & Qu ``.txt`` instance; the scenario is named after the file's stem.

    Raises
    ------
    ValueError
        If the file breaks the format; the message names the line.
    """
    path = Path(path)
    return parse_curtois(path.read_text(encoding="utf-8"), path.stem)


def parse_curtois(text: str, name: str) -> Scenario:
    """Parse the text of an instance into a :class:`~planner.model.Scenario` named ``name``."""
    return to_scenario(parse_instance(text), name)


# ---------------------------------------------------------------------- parsing
def _records(text: str) -> Iterator[tuple[int, str, list[str]]]:
    """Yield (line number, section, fields) for every data line."""
    section = ""
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("SECTION_"):
            if line not in SECTIONS:
                raise ValueError(f"line {number}: unknown section '{line}'")
            section = line
            continue
        if not section:
            raise ValueError(f"line {number}: data before the first section")
        yield number, section, [field.strip() for field in line.split(",")]


def _int(value: str, number: int, field: str) -> int:
    try:
        result = int(value)
    except ValueError:
        raise ValueError(f"line {number}: {field} must be a whole number, got '{value}'") from None
    if result < 0:
        raise ValueError(f"line {number}: {field} must not be negative, got {result}")
    return result


def _need(fields: list[str], count: int, number: int, section: str) -> None:
    if len(fields) < count:
        raise ValueError(f"line {number}: {section} needs {count} fields, got {len(fields)}")


def parse_instance(text: str) -> CurtoisInstance:
    """Parse the text of an instance into its rows, checking every cross-reference.

    Raises
    ------
    ValueError
        On a malformed line, an unknown staff id, shift id or day, or a (day, shift)
        with no cover row or more than one; the message names the line.
    """
    days: int | None = None
    shifts: list[CurtoisShift] = []
    staff: list[CurtoisStaff] = []
    days_off: dict[str, list[int]] = {}
    requests: dict[str, list[CurtoisRequest]] = {"on": [], "off": []}
    cover: list[CurtoisCover] = []
    refs: list[tuple[int, str, str, int | None]] = []  # (line, staff id, shift id, day)
    for number, section, f in _records(text):
        if section == "SECTION_HORIZON":
            days = _int(f[0], number, "horizon")
        elif section == "SECTION_SHIFTS":
            _need(f, 2, number, section)
            nxt = tuple(s.strip() for s in (f[2] if len(f) > 2 else "").split("|") if s.strip())
            shifts.append(CurtoisShift(f[0], _int(f[1], number, "length"), nxt))
        elif section == "SECTION_STAFF":
            _need(f, 8, number, section)
            caps: dict[str, int] = {}
            for item in filter(None, (s.strip() for s in f[1].split("|"))):
                sid, sep, cap = item.partition("=")
                if not sep:
                    raise ValueError(f"line {number}: MaxShifts item '{item}' lacks '='")
                caps[sid.strip()] = _int(cap, number, f"MaxShifts of '{sid.strip()}'")
                refs.append((number, "", sid.strip(), None))
            values = [_int(v, number, col) for v, col in zip(f[2:8], _STAFF_COLUMNS, strict=True)]
            staff.append(CurtoisStaff(f[0], caps, *values))
        elif section == "SECTION_DAYS_OFF":
            offs = [_int(v, number, "day") for v in f[1:] if v]
            days_off.setdefault(f[0], []).extend(offs)
            refs.extend((number, f[0], "", d) for d in offs)
        elif section in ("SECTION_SHIFT_ON_REQUESTS", "SECTION_SHIFT_OFF_REQUESTS"):
            _need(f, 4, number, section)
            req = CurtoisRequest(
                f[0], _int(f[1], number, "day"), f[2], _int(f[3], number, "weight")
            )
            requests["on" if "_ON_" in section else "off"].append(req)
            refs.append((number, req.staff, req.shift, req.day))
        else:
            _need(f, 5, number, section)
            row = CurtoisCover(
                _int(f[0], number, "day"),
                f[1],
                _int(f[2], number, "requirement"),
                _int(f[3], number, "under-cover weight"),
                _int(f[4], number, "over-cover weight"),
            )
            cover.append(row)
            refs.append((number, "", row.shift, row.day))
    if days is None or days < 1:
        raise ValueError("SECTION_HORIZON: missing or zero number of days")
    instance = CurtoisInstance(
        days, shifts, staff, days_off, requests["on"], requests["off"], cover
    )
    _check_references(instance, refs)
    return instance


_STAFF_COLUMNS = (
    "MaxTotalMinutes",
    "MinTotalMinutes",
    "MaxConsecutiveShifts",
    "MinConsecutiveShifts",
    "MinConsecutiveDaysOff",
    "MaxWeekends",
)


def _check_references(inst: CurtoisInstance, refs: list[tuple[int, str, str, int | None]]) -> None:
    shift_ids = {s.id for s in inst.shifts}
    staff_ids = {s.id for s in inst.staff}
    if len(shift_ids) != len(inst.shifts):
        raise ValueError("SECTION_SHIFTS: duplicate shift id")
    if len(staff_ids) != len(inst.staff):
        raise ValueError("SECTION_STAFF: duplicate staff id")
    for shift in inst.shifts:
        for sid in shift.forbidden_next:
            if sid not in shift_ids:
                raise ValueError(f"shift '{shift.id}': unknown shift '{sid}' in ForbiddenNext")
    for number, person, shift_id, day in refs:
        if person and person not in staff_ids:
            raise ValueError(f"line {number}: unknown staff id '{person}'")
        if shift_id and shift_id not in shift_ids:
            raise ValueError(f"line {number}: unknown shift '{shift_id}'")
        if day is not None and day >= inst.days:
            raise ValueError(f"line {number}: day {day} is outside the {inst.days}-day horizon")
    rows = Counter((row.day, row.shift) for row in inst.cover)
    for day in range(inst.days):
        for shift in inst.shifts:
            count = rows[(day, shift.id)]
            if count != 1:
                raise ValueError(
                    f"SECTION_COVER: {count} rows for day {day}, shift '{shift.id}' (need 1)"
                )


# ---------------------------------------------------------------------- mapping
def to_scenario(inst: CurtoisInstance, name: str) -> Scenario:
    """Map a parsed instance onto the general scenario model (see the module docstring)."""
    dates = [HORIZON_START + dt.timedelta(days=d) for d in range(inst.days)]
    shifts = [
        ShiftTemplate(id=s.id, name_en=s.id, start=dt.time(0, 0), duration_min=s.minutes)
        for s in inst.shifts
    ]
    successions = [
        Succession(first=s.id, then=nxt) for s in inst.shifts for nxt in s.forbidden_next
    ]
    requests: dict[str, list[tuple[RequestKind, CurtoisRequest]]] = defaultdict(list)
    for kind, rows in ((RequestKind.ON, inst.on_requests), (RequestKind.OFF, inst.off_requests)):
        for row in rows:
            requests[row.staff].append((kind, row))
    return Scenario(
        name=name,
        description=(
            f"Curtois & Qu shift scheduling benchmark {name}: {inst.days} days, "
            f"{len(inst.staff)} staff, {len(inst.shifts)} shift types"
        ),
        horizon=Horizon(start=HORIZON_START, days=inst.days),
        shifts=shifts,
        custom_categories=[CATEGORY],
        posts=_posts(inst, dates),
        people=[_person(inst, s, dates, requests.get(s.id, [])) for s in inst.staff],
        rules=Rules(
            defaults=WorkRules(max_shifts_per_day=Limit(value=1)),
            forbidden_successions=successions,
        ),
        objective=Weights(shortage=1, fatigue=0, fairness=0, preference=0, continuity=0),
    )


def _posts(inst: CurtoisInstance, dates: list[dt.date]) -> list[Post]:
    """One post per distinct under-cover weight; demand grouped by (shift, need, over)."""
    by_under: dict[int, dict[tuple[str, int, int], list[int]]] = defaultdict(dict)
    for row in inst.cover:
        if row.under < 1:
            raise ValueError(
                f"SECTION_COVER: day {row.day}, shift '{row.shift}': an under-cover weight "
                f"of {row.under} cannot be a post priority (need at least 1)"
            )
        by_under[row.under].setdefault((row.shift, row.requirement, row.over), []).append(row.day)
    order = [s.id for s in inst.shifts]
    posts = []
    for under, groups in sorted(by_under.items()):
        demand = []
        for (shift, need, over), days in sorted(groups.items(), key=lambda g: order.index(g[0][0])):
            role = Role(role=ROLE, name_zh="护士", headcount=need, overstaff_weight=over)
            every_day = len(days) == inst.days
            when = None if every_day else [dates[d] for d in sorted(days)]
            demand.append(Demand(shift=shift, days=when, roles=[role]))
        used = [s for s in order if any(e.shift == s for e in demand)]
        post_id = "ward" if len(by_under) == 1 else f"ward_u{under}"
        posts.append(
            Post(
                id=post_id,
                name="病区 ward",
                type=PostType.OTHER,
                priority=under,
                shifts=used,
                demand=demand,
            )
        )
    return posts


def _person(
    inst: CurtoisInstance,
    staff: CurtoisStaff,
    dates: list[dt.date],
    own_requests: list[tuple[RequestKind, CurtoisRequest]],
) -> Person:
    limits: dict[str, object] = {
        "max_shifts_per_day": Limit(value=1),
        "max_shifts_per_template": {k: Limit(value=v) for k, v in staff.max_shifts.items()},
        "max_minutes_per_horizon": Limit(value=staff.max_total_minutes),
        "max_consecutive_days": Limit(value=staff.max_consecutive),
        "max_weekends": Limit(value=staff.max_weekends),
    }
    # A minimum of 0 (or 1 for run lengths) binds nobody; the official XML leaves it out too.
    if staff.min_total_minutes > 0:
        limits["min_minutes_per_horizon"] = Limit(value=staff.min_total_minutes)
    if staff.min_consecutive > 1:
        limits["min_consecutive_days"] = Limit(value=staff.min_consecutive)
    if staff.min_days_off > 1:
        limits["min_consecutive_days_off"] = Limit(value=staff.min_days_off)
    # A request of weight 0 costs nothing either way, and the model needs a weight >= 1.
    requests = [
        ShiftRequest(date=dates[r.day], shift=r.shift, kind=kind, weight=r.weight)
        for kind, r in own_requests
        if r.weight > 0
    ]
    return Person(
        id=staff.id,
        category=CATEGORY,
        unavailable=[dates[d] for d in sorted(set(inst.days_off.get(staff.id, [])))],
        requests=requests,
        limits=WorkRules.model_validate(limits),
    )
