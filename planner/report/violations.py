"""The checker's violations for planners: every one as a table, or grouped for a terminal.

A plan for a whole street office may break thousands of soft rules (Chongwen's 60 s plan
misses 1,182 soft "at least" rules, one per post-shift): a line each buries the few hard
ones. Grouped by rule and post (or person), the terminal shows where they lie; the table
(CSV or Excel, see :func:`planner.io.plan_io.write_violations`) keeps every one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from planner.check.result import CheckResult, Violation
from planner.model import Scenario
from planner.report.tables import Cell, Table

#: Label of a hard and of a soft violation.
KIND_LABEL = {True: "硬 hard", False: "软 soft"}


@dataclass(frozen=True)
class ViolationGroup:
    """Violations of one rule (``family``) at one post or of one person (``subject``)."""

    hard: bool
    family: str
    subject: str
    count: int
    amount: int
    cost: int


def _subject(v: Violation) -> str:
    parts = [f"{name}={value}" for name, value in (("person", v.person), ("post", v.post)) if value]
    return " ".join(parts)


def violation_line(v: Violation) -> str:
    """One violation on one line: kind, rule, ids, date, amount and the checker's sentence."""
    when = f" date={v.date.isoformat()}" if v.date is not None else ""
    subject = _subject(v)
    ids = f" {subject}" if subject else ""
    return f"[{KIND_LABEL[v.hard]}] {v.family}{ids}{when} amount={v.amount}: {v.message}"


def violation_groups(violations: Sequence[Violation]) -> list[ViolationGroup]:
    """Violations grouped by (hard, rule, post or person): hard ones first, then the
    dearest, then the most frequent."""
    totals: dict[tuple[bool, str, str], list[int]] = {}
    for v in violations:
        total = totals.setdefault((v.hard, v.family, _subject(v)), [0, 0, 0])
        total[0] += 1
        total[1] += v.amount
        total[2] += v.cost
    groups = [ViolationGroup(h, f, s, *t) for (h, f, s), t in totals.items()]
    return sorted(groups, key=lambda g: (not g.hard, -g.cost, -g.count, g.family, g.subject))


def violation_lines(result: CheckResult, limit: int) -> list[str]:
    """Each violation on a line if there are at most ``limit``; else at most ``limit``
    lines of groups (see :func:`violation_groups`) and a line saying how many are left."""
    if len(result.violations) <= limit:
        return [violation_line(v) for v in result.violations]
    groups = violation_groups(result.violations)
    lines = []
    for g in groups[:limit]:
        subject = f" {g.subject}" if g.subject else ""
        cost = f" cost={g.cost}" if not g.hard else ""
        lines.append(
            f"[{KIND_LABEL[g.hard]}] {g.family}{subject}: {g.count} 次 times, "
            f"amount={g.amount}{cost}"
        )
    if len(groups) > limit:
        rest = groups[limit:]
        lines.append(f"… 另有 {len(rest)} 组 more groups ({sum(g.count for g in rest)} violations)")
    return lines


def violation_table(result: CheckResult, scenario: Scenario) -> Table:
    """Every violation, hard ones first, with names beside the ids."""
    columns = [
        ("类型", "kind"),
        ("规则", "rule"),
        ("人员", "person"),
        ("姓名", "name"),
        ("岗位", "post"),
        ("岗位名称", "post name"),
        ("日期", "date"),
        ("数量", "amount"),
        ("扣分", "cost"),
        ("说明", "message"),
    ]
    rows: list[list[Cell]] = []
    for v in sorted(result.violations, key=lambda v: not v.hard):
        person = scenario.person_by_id.get(v.person) if v.person else None
        post = scenario.post_by_id.get(v.post) if v.post else None
        rows.append(
            [
                KIND_LABEL[v.hard],
                v.family,
                v.person,
                person.name if person is not None and person.name else None,
                v.post,
                post.name if post is not None and post.name else None,
                v.date.isoformat() if v.date is not None else None,
                v.amount,
                v.cost,
                v.message,
            ]
        )
    return Table("违规", "violations", columns, rows, key_columns=2)
