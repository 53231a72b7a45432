"""Plan tables for planners: rosters, shortages, workload and KPIs, with bilingual headers.

Pure Python: the writers in :mod:`planner.io.plan_io` turn these into CSV and Excel.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from planner.model import CATEGORY_ZH, POST_TYPE_ZH, Plan, Scenario
from planner.report.build import post_community

Cell = str | int | float | None


@dataclass
class Table:
    """A sheet: ``columns`` as (Chinese, English) header pairs, then ``rows``.

    ``key_columns`` is how many leading columns identify a row (kept in view when
    scrolling); ``wide`` marks a table whose remaining columns are dates.
    """

    name_zh: str
    name_en: str
    columns: list[tuple[str, str]]
    rows: list[list[Cell]] = field(default_factory=list)
    key_columns: int = 1
    wide: bool = False


def category_label(category: str) -> str:
    """Chinese label of a category, or the category itself if it has none."""
    return CATEGORY_ZH.get(category, category)


def _person_name(scenario: Scenario, pid: str) -> str:
    person = scenario.person_by_id.get(pid)
    return person.name if person is not None and person.name else pid


def _post_name(scenario: Scenario, post_id: str) -> str:
    post = scenario.post_by_id.get(post_id)
    return post.name if post is not None and post.name else post_id


def _shift_name(scenario: Scenario, shift_id: str) -> str:
    shift = scenario.shift_by_id.get(shift_id)
    return shift.label if shift is not None else shift_id


def _community_label(scenario: Scenario, community: str) -> str:
    for c in scenario.communities:
        if c.id == community:
            return c.name or c.id
    return community


def roster_table(plan: Plan, scenario: Scenario) -> Table:
    """One row per assignment, with names, categories and post details."""
    columns = [
        ("日期", "date"),
        ("班次", "shift"),
        ("班次名称", "shift name"),
        ("开始", "start"),
        ("时长(分钟)", "minutes"),
        ("岗位", "post"),
        ("岗位名称", "post name"),
        ("岗位类型", "post type"),
        ("社区", "community"),
        ("角色", "role"),
        ("人员编号", "person"),
        ("姓名", "name"),
        ("人员类别", "category"),
    ]
    rows: list[list[Cell]] = []
    for a in plan.assignments:
        shift = scenario.shift_by_id.get(a.shift)
        post = scenario.post_by_id.get(a.post)
        person = scenario.person_by_id.get(a.person)
        rows.append(
            [
                a.date.isoformat(),
                a.shift,
                _shift_name(scenario, a.shift),
                shift.start.strftime("%H:%M") if shift else None,
                shift.duration_min if shift else None,
                a.post,
                _post_name(scenario, a.post),
                POST_TYPE_ZH.get(post.type.value, post.type.value) if post else None,
                _community_label(scenario, post_community(scenario, post)) if post else None,
                a.role,
                a.person,
                person.name if person else None,
                category_label(person.category) if person else None,
            ]
        )
    return Table("排班表", "roster", columns, rows, key_columns=2)


def by_person_table(plan: Plan, scenario: Scenario) -> Table:
    """Rows are people, columns dates; a cell lists the post and shift worked that day."""
    dates = scenario.horizon.dates()
    cells: dict[tuple[str, dt.date], list[str]] = defaultdict(list)
    for a in plan.assignments:
        cells[(a.person, a.date)].append(
            f"{_post_name(scenario, a.post)}/{_shift_name(scenario, a.shift)}"
        )
    columns = [("人员编号", "person"), ("姓名", "name"), ("人员类别", "category")]
    columns += [(d.isoformat(), d.strftime("%a")) for d in dates]
    rows: list[list[Cell]] = []
    for person in scenario.people:
        row: list[Cell] = [person.id, person.name, category_label(person.category)]
        for date in dates:
            if not person.is_available(date):
                row.append("；".join(cells[(person.id, date)]) or "不可用")
            else:
                row.append("；".join(cells[(person.id, date)]) or None)
        rows.append(row)
    return Table("按人员排班", "roster by person", columns, rows, key_columns=3, wide=True)


def by_post_table(plan: Plan, scenario: Scenario) -> Table:
    """Rows are post/shift/role, columns dates; a cell lists who works, and how many are missing."""
    dates = scenario.horizon.dates()
    who: dict[tuple[str, str, str, dt.date], list[str]] = defaultdict(list)
    for a in plan.assignments:
        who[(a.post, a.shift, a.role, a.date)].append(_person_name(scenario, a.person))
    missing = {(s.post, s.shift, s.role, s.date): s.missing for s in plan.shortages}
    columns = [("岗位", "post"), ("岗位名称", "post name"), ("班次", "shift"), ("角色", "role")]
    columns += [(d.isoformat(), d.strftime("%a")) for d in dates]
    rows: list[list[Cell]] = []
    for post in scenario.posts:
        for shift in scenario.shifts:
            if shift.id not in post.shifts:
                continue
            roles: dict[str, None] = {}
            for entry in post.demand:
                if entry.shift == shift.id:
                    roles.update((r.role, None) for r in entry.roles)
            for role in roles:
                row: list[Cell] = [post.id, post.name, shift.label, role]
                for date in dates:
                    key = (post.id, shift.id, role, date)
                    text = "、".join(who.get(key, []))
                    if key in missing:
                        text = f"{text}（缺{missing[key]}）" if text else f"缺{missing[key]}"
                    row.append(text or None)
                rows.append(row)
    return Table("按岗位排班", "roster by post", columns, rows, key_columns=4, wide=True)


def shortage_table(plan: Plan, scenario: Scenario) -> Table:
    """Shortages, most urgent first: by priority, then by people missing."""
    columns = [
        ("优先级", "priority"),
        ("缺员", "missing"),
        ("岗位", "post"),
        ("岗位名称", "post name"),
        ("岗位类型", "post type"),
        ("社区", "community"),
        ("日期", "date"),
        ("班次", "shift"),
        ("角色", "role"),
    ]
    ranked = sorted(plan.shortages, key=lambda s: (-s.priority, -s.missing))
    rows: list[list[Cell]] = []
    for s in ranked:
        post = scenario.post_by_id.get(s.post)
        rows.append(
            [
                s.priority,
                s.missing,
                s.post,
                _post_name(scenario, s.post),
                POST_TYPE_ZH.get(post.type.value, post.type.value) if post else None,
                _community_label(scenario, post_community(scenario, post)) if post else None,
                s.date.isoformat(),
                _shift_name(scenario, s.shift),
                s.role,
            ]
        )
    return Table("缺口", "shortages", columns, rows, key_columns=2)


def workload_table(plan: Plan, scenario: Scenario) -> Table:
    """Per person: shifts, minutes and hours, nights, days off, longest run of worked days."""
    columns = [
        ("人员编号", "person"),
        ("姓名", "name"),
        ("人员类别", "category"),
        ("班次数", "shifts"),
        ("工作分钟", "minutes"),
        ("工作小时", "hours"),
        ("夜班数", "nights"),
        ("休息天数", "days off"),
        ("最长连续上班天数", "longest run"),
    ]
    rows: list[list[Cell]] = []
    for w in plan.workload:
        person = scenario.person_by_id.get(w.person)
        rows.append(
            [
                w.person,
                person.name if person else None,
                category_label(w.category),
                w.shifts,
                w.minutes,
                round(w.minutes / 60, 1),
                w.nights,
                w.days_off,
                w.longest_run,
            ]
        )
    return Table("工作量", "workload", columns, rows, key_columns=2)


def kpi_table(plan: Plan, scenario: Scenario) -> Table:
    """Headline numbers, the solve's statistics and where the shortage falls."""
    columns = [("指标", "metric"), ("英文", "metric (en)"), ("数值", "value")]
    st = plan.stats
    rows: list[list[Cell]] = [
        ["场景", "scenario", plan.scenario],
        ["求解状态", "status", st.status.value],
        ["目标值", "objective", st.objective],
        ["下界", "bound", st.bound],
        ["相对差距", "gap", st.gap],
        ["求解用时(秒)", "wall time (s)", round(st.wall_time_s, 2)],
        ["求解器", "solver", st.solver],
    ]
    k = plan.kpis
    if k is not None:
        rows += [
            ["需求人次", "demand (person-shifts)", k.demand],
            ["已覆盖人次", "covered", k.covered],
            ["缺口人次", "missing", k.demand - k.covered],
            ["覆盖率(%)", "coverage %", k.coverage_pct],
            ["加权覆盖率(%)", "weighted coverage %", k.weighted_coverage_pct],
        ]
        for key, value in k.shortage_by_community.items():
            label = _community_label(scenario, key)
            rows.append([f"社区缺口：{label}", f"shortage in community {key}", value])
        for key, value in k.shortage_by_post_type.items():
            label = POST_TYPE_ZH.get(key, key)
            rows.append([f"岗位类型缺口：{label}", f"shortage at {key}", value])
        for key, value in k.shortage_by_shift.items():
            label = _shift_name(scenario, key)
            rows.append([f"班次缺口：{label}", f"shortage on shift {key}", value])
        for key, value in k.shortage_by_day.items():
            rows.append([f"日期缺口：{key}", f"shortage on {key}", value])
    for term, value in st.objective_terms.items():
        rows.append([f"目标分项：{term}", f"objective term {term}", value])
    return Table("指标", "KPIs", columns, rows, key_columns=1)
