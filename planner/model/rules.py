"""Working-time rules, locality, exposure and objective weights.

Every numeric rule is a :class:`Limit`: a ``value`` and, optionally, a ``weight``. Without a
weight the rule is hard (a plan that breaks it is infeasible); with a weight it is soft and
each unit of excess (or deficit, for minimum rules) costs ``weight`` in the objective. The
unit of each rule is given in its description: minutes, shifts, days, windows or blocks.

Rules resolve per person: ``Rules.defaults``, then ``Rules.categories[category]``, then the
person's own ``limits``; a field set later replaces the earlier one
(``max_shifts_per_template`` is merged per template). See :meth:`Rules.effective`.
"""

from __future__ import annotations

from pydantic import Field, model_validator

from planner.model.base import Exposure, Frozen, Locality


class Limit(Frozen):
    """A numeric rule: ``value``, hard unless a ``weight`` per unit of breach is given."""

    value: int = Field(ge=0)
    weight: int | None = Field(default=None, ge=1)

    @model_validator(mode="before")
    @classmethod
    def _from_number(cls, data: object) -> object:
        if isinstance(data, bool):
            raise ValueError("a limit is a whole number or {value, weight}")
        if isinstance(data, int):
            return {"value": data}
        return data

    @property
    def hard(self) -> bool:
        """True if breaking the limit makes a plan infeasible."""
        return self.weight is None


#: The numeric work rules, with the unit in which a soft breach is measured.
WORK_RULE_UNITS: dict[str, str] = {
    "max_shifts_per_day": "shifts over the limit, per person-day",
    "max_minutes_per_day": "minutes over the limit, per person-day",
    "max_minutes_per_7_days": "minutes over the limit, per person and rolling 7-day window",
    "max_minutes_per_horizon": "minutes over the limit, per person",
    "min_minutes_per_horizon": "minutes under the limit, per person",
    "max_consecutive_days": "fully worked windows of value+1 days, per person",
    "min_consecutive_days": "days short, per inner block of worked days",
    "min_consecutive_days_off": "days short, per inner block of days off",
    "min_rest_minutes": "pairs of shifts with too little rest, per person",
    "max_nights_per_7_days": "night shifts over the limit, per rolling 7-day window",
    "max_weekends": "worked weekends over the limit, per person",
}


class WorkRules(Frozen):
    """Per-person working-time limits; ``None`` means no limit of that kind.

    Definitions used by the solver and the checker alike:

    - a person *works day d* if any of their shifts starts on day d;
    - rolling 7-day windows are days ``[d, d+7)`` for ``d = 0 .. days-7``; a horizon shorter
      than 7 days has one window, the whole horizon;
    - a *block* is a maximal run of worked days (or of days off); an *inner* block touches
      neither day 0 nor the last day. Minimum-length rules apply to inner blocks only, so a
      run cut by the horizon's edge is never penalised. Days before ``available_from`` or after
      ``available_until`` count as days off;
    - *rest*: for two shifts of one person where the later starts at or after the end of the
      earlier, the gap from that end to that start must be at least ``min_rest_minutes``;
      each such pair with a shorter gap is one breach. (Overlapping shifts are always
      forbidden, whatever the rules.)
    - a *weekend* w is Saturday and Sunday of one calendar week; it is worked if the person
      works either day.
    """

    max_shifts_per_day: Limit | None = None
    max_minutes_per_day: Limit | None = None
    max_minutes_per_7_days: Limit | None = None
    max_minutes_per_horizon: Limit | None = None
    min_minutes_per_horizon: Limit | None = None
    max_consecutive_days: Limit | None = None
    min_consecutive_days: Limit | None = None
    min_consecutive_days_off: Limit | None = None
    min_rest_minutes: Limit | None = None
    max_nights_per_7_days: Limit | None = None
    max_weekends: Limit | None = None
    max_shifts_per_template: dict[str, Limit] = Field(
        default_factory=dict,
        description="template id -> most shifts of that template over the horizon "
        "(unit: shifts over the limit, per person)",
    )

    def merged(self, override: WorkRules | None) -> WorkRules:
        """These rules with every field that ``override`` sets replacing ours."""
        if override is None:
            return self
        data = self.model_dump(exclude={"max_shifts_per_template"})
        for name in WORK_RULE_UNITS:
            value = getattr(override, name)
            if value is not None:
                data[name] = value
        per_template = {**self.max_shifts_per_template, **override.max_shifts_per_template}
        return WorkRules(**data, max_shifts_per_template=per_template)


class ExposureRule(Frozen):
    """Who may stand on exposed posts.

    A person is *vulnerable* if flagged so, or if ``vulnerable_age`` is set and their age is
    at least that. A vulnerable person may only take posts whose exposure is at most
    ``vulnerable_max_exposure``.
    """

    vulnerable_age: int | None = Field(default=60, ge=0)
    vulnerable_max_exposure: Exposure = Exposure.MEDIUM


class Succession(Frozen):
    """Shift ``then`` may not start on the day after a shift ``first`` (e.g. night → early)."""

    first: str
    then: str
    weight: int | None = Field(default=None, ge=1, description="soft if set: cost per breach")


class Rules(Frozen):
    """All hard and soft rules of a scenario."""

    defaults: WorkRules = Field(
        default_factory=lambda: WorkRules(max_shifts_per_day=Limit(value=1)),
        description="rules for everyone unless a category or a person overrides them",
    )
    categories: dict[str, WorkRules] = Field(
        default_factory=dict, description="category -> rules replacing the defaults field-wise"
    )
    locality: dict[str, Locality] = Field(
        default_factory=dict,
        description="category -> how far from home its people serve (default: district). "
        "grid: posts of the person's grid, or grid-less posts of their community; "
        "community: posts of their community; district: any post.",
    )
    exposure: ExposureRule = Field(default_factory=ExposureRule)
    forbidden_successions: list[Succession] = Field(default_factory=list)

    def effective(self, category: str, person_limits: WorkRules | None) -> WorkRules:
        """The rules that bind one person of ``category`` with their own ``person_limits``."""
        return self.defaults.merged(self.categories.get(category)).merged(person_limits)

    def locality_of(self, category: str) -> Locality:
        """How far from home people of ``category`` may serve."""
        return self.locality.get(category, Locality.DISTRICT)


class Weights(Frozen):
    """Objective weights. The objective (minimised, an integer) is the sum of these terms:

    - ``shortage``: ``shortage * priority`` per missing person on a post-day-shift-role;
    - ``overstaff``: the role's ``overstaff_weight`` per person above its headcount;
    - ``at_least``: a soft "at least k of these categories" rule's weight per person short;
    - ``soft_rules``: each soft limit's weight times its breach (see :data:`WORK_RULE_UNITS`);
    - ``fatigue``: ``fatigue`` times, summed over categories, the most minutes any one
      person of the category works;
    - ``fairness``: ``fairness`` times, summed over categories with at least two people
      available on every day of the horizon, (most minutes - fewest minutes) among those
      people;
    - ``preference``: ``preference`` per shift worked that is not among the person's
      ``preferred_shifts`` (when they list any), plus ``preference`` per shift worked that
      is among their ``avoided_shifts``;
    - ``requests``: each request's weight when it is not granted;
    - ``continuity``: ``continuity`` per person and per distinct post they work beyond the
      first (a person kept on one post costs nothing).

    The default shortage weight makes one missing person-shift outweigh any realistic sum
    of the other terms, so coverage comes first.

    With ``lexicographic`` the solver does not trade between levels (see
    :data:`OBJECTIVE_LEVELS`): it minimises coverage first; then, holding coverage within
    ``tolerance`` of the best it found (``tolerance`` 0.01 allows 1% more), the burden on
    people; then, holding that too, their wishes. The weights still price the terms within
    a level, and the objective reported is the same weighted sum.
    """

    shortage: int = Field(default=1_000_000, ge=0)
    fatigue: int = Field(default=1, ge=0)
    fairness: int = Field(default=1, ge=0)
    preference: int = Field(default=100, ge=0)
    continuity: int = Field(default=1_000, ge=0)
    lexicographic: bool = Field(
        default=False,
        description="optimise coverage, then people's burden, then wishes, in that order",
    )
    tolerance: float = Field(
        default=0.0,
        ge=0.0,
        le=1.0,
        description="in lexicographic mode, how much worse (a fraction) a level may become "
        "while later levels are optimised",
    )


#: The levels of the lexicographic objective: coverage; the burden on people (working time,
#: fairness, soft work rules, whose terms are named ``soft:<rule>``); people's wishes.
OBJECTIVE_LEVELS: tuple[tuple[str, ...], ...] = (
    ("shortage", "overstaff", "at_least"),
    ("fatigue", "fairness", "soft:"),
    ("preference", "requests", "continuity"),
)


def objective_level(term: str) -> int:
    """The level (0, 1 or 2) of the objective term called ``term``."""
    for level, names in enumerate(OBJECTIVE_LEVELS):
        if term in names or any(n.endswith(":") and term.startswith(n) for n in names):
            return level
    raise ValueError(f"objective term '{term}' belongs to no level")
