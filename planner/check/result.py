"""What the checker returns: violations, a feasibility flag and the recomputed objective."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field


@dataclass
class Violation:
    """One broken rule.

    Attributes
    ----------
    family : str
        The constraint family, e.g. ``"availability"`` or ``"max_minutes_per_7_days"``.
    hard : bool
        True if the breach makes the plan infeasible; False for a soft, priced breach.
    message : str
        An English sentence naming the ids and the date concerned.
    person, post : str or None
        Ids concerned, when the rule is about one person or one post.
    date : datetime.date or None
        The date concerned (first day of a window or block), when there is one.
    amount : int
        Size of the breach in the rule's unit (minutes over, days short, pairs, ...).
    term : str or None
        Objective term a soft breach is charged to (None for hard breaches).
    cost : int
        What a soft breach adds to ``term`` (weight times amount; 0 when hard).
    """

    family: str
    hard: bool
    message: str
    person: str | None = None
    post: str | None = None
    date: dt.date | None = None
    amount: int = 1
    term: str | None = None
    cost: int = 0


@dataclass
class CheckResult:
    """The verdict on a plan.

    Attributes
    ----------
    violations : list of Violation
        Every hard and soft breach found, grouped by family in a fixed order.
    feasible : bool
        True if no violation is hard.
    objective : int
        The objective recomputed from scratch; equals ``sum(terms.values())``.
    terms : dict of str to int
        The objective by term.
    """

    violations: list[Violation] = field(default_factory=list)
    feasible: bool = True
    objective: int = 0
    terms: dict[str, int] = field(default_factory=dict)

    @property
    def hard_violations(self) -> list[Violation]:
        """The violations that make the plan infeasible."""
        return [v for v in self.violations if v.hard]

    def summary(self) -> str:
        """A short bilingual text: verdict, objective and violation counts per family."""
        verdict = "可行 feasible" if self.feasible else "不可行 infeasible"
        lines = [f"{verdict}; 目标值 objective {self.objective}"]
        for hard, label in ((True, "硬约束违反 hard"), (False, "软约束违反 soft")):
            counts = Counter(v.family for v in self.violations if v.hard == hard)
            if counts:
                parts = ", ".join(f"{family} {n}" for family, n in sorted(counts.items()))
                lines.append(f"{label}: {sum(counts.values())} ({parts})")
        return "\n".join(lines)


def breach(
    family: str,
    weight: int | None,
    amount: int,
    message: str,
    *,
    person: str | None = None,
    post: str | None = None,
    date: dt.date | None = None,
    term: str | None = None,
) -> Violation:
    """A breach of a rule: hard when ``weight`` is None, else priced at weight times amount.

    ``term`` defaults to ``"soft:<family>"``.
    """
    if weight is None:
        return Violation(family, True, message, person, post, date, amount)
    return Violation(
        family,
        False,
        message,
        person,
        post,
        date,
        amount,
        term=term or f"soft:{family}",
        cost=weight * amount,
    )
