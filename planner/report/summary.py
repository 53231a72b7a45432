"""A short bilingual summary of a plan for the terminal: Chinese first, English after."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from planner.model import CATEGORY_ZH, POST_TYPE_ZH, Plan, Scenario

#: Chinese labels of solve statuses.
STATUS_ZH = {"optimal": "最优", "feasible": "可行", "infeasible": "不可行", "unknown": "未知"}

#: How many entries a breakdown line shows (the largest ones).
MAX_ITEMS = 7

#: How many posts the "most uncovered" line shows.
NUM_POSTS = 5


def _num(value: float) -> str:
    return f"{value:,.1f}".rstrip("0").rstrip(".")


def _minutes(value: float) -> str:
    return f"{_num(value)} 分钟 min（{_num(value / 60)} h）"


def _breakdown(counts: Mapping[str, int], label: Callable[[str], str]) -> str:
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    parts = [f"{label(key)} {value}" for key, value in ranked[:MAX_ITEMS]]
    if len(ranked) > MAX_ITEMS:
        parts.append(f"… (+{len(ranked) - MAX_ITEMS})")
    return "，".join(parts)


def _solve_lines(plan: Plan) -> list[str]:
    st = plan.stats
    status = st.status.value
    lines = [f"方案 plan「{plan.scenario}」：{STATUS_ZH.get(status, status)} ({status})"]
    parts = []
    if st.objective is not None:
        parts.append(f"目标值 objective {st.objective:,}")
    if st.bound is not None:
        parts.append(f"下界 bound {st.bound:,}")
    if st.gap is not None:
        parts.append(f"差距 gap {100 * st.gap:.2f}%")
    parts.append(f"用时 time {st.wall_time_s:.1f} s")
    lines.append("  " + " · ".join(parts))
    return lines


def _coverage_lines(plan: Plan, scenario: Scenario) -> list[str]:
    k = plan.kpis
    if k is None:
        return []
    missing = k.demand - k.covered
    lines = [
        f"覆盖率 coverage {_num(k.coverage_pct)}%（{k.covered}/{k.demand} 人次 person-shifts）"
        f" · 加权覆盖率 weighted {_num(k.weighted_coverage_pct)}%",
        f"缺口 shortage：{missing} 人次 person-shifts",
    ]
    if missing == 0:
        return lines
    communities = {c.id: c.name or c.id for c in scenario.communities}
    shifts = {s.id: s.label for s in scenario.shifts}
    posts = {p.id: p.name for p in scenario.posts}

    def post_type(key: str) -> str:
        return f"{POST_TYPE_ZH.get(key, key)} {key}"

    def shift(key: str) -> str:
        label = shifts.get(key, key)
        return label if label == key else f"{label} {key}"

    def community(key: str) -> str:
        return communities.get(key, key)

    lines += [
        f"  按社区 by community：{_breakdown(k.shortage_by_community, community)}",
        f"  按岗位类型 by post type：{_breakdown(k.shortage_by_post_type, post_type)}",
        f"  按班次 by shift：{_breakdown(k.shortage_by_shift, shift)}",
        f"  按日期 by day：{_breakdown(k.shortage_by_day, str)}",
    ]
    worst = [
        f"{posts.get(pid) or pid} ({pid}) {n}" if posts.get(pid) else f"{pid} {n}"
        for pid, n in k.most_uncovered_posts[:NUM_POSTS]
    ]
    lines.append(f"  缺口最多的岗位 most uncovered posts：{'，'.join(worst)}")
    return lines


def _people_lines(plan: Plan) -> list[str]:
    loads = plan.workload
    if not loads:
        return []
    busy = [w for w in loads if w.shifts > 0]
    minutes = [w.minutes for w in loads]
    nights = sum(w.nights for w in loads)
    lines = [
        f"人员 people：{len(loads)} 人，已排班 rostered {len(busy)}；"
        f"平均 mean {_minutes(sum(minutes) / len(loads))}，最多 max {_minutes(max(minutes))}；"
        f"夜班 nights {nights}，单人最多 max {max(w.nights for w in loads)}；"
        f"最长连续上班 longest run {max(w.longest_run for w in loads)} 天 days"
    ]
    by_cat: dict[str, list[int]] = {}
    for w in loads:
        by_cat.setdefault(w.category, []).append(w.minutes)
    parts = [
        f"{CATEGORY_ZH.get(cat, cat)} {_num(sum(m) / len(m) / 60)}/{_num(max(m) / 60)}"
        for cat, m in sorted(by_cat.items())
    ]
    lines.append(f"  按类别 平均/最多小时 by category mean/max h：{'，'.join(parts)}")
    return lines


def summary_text(plan: Plan, scenario: Scenario) -> str:
    """The plan's headline numbers as a few bilingual lines.

    Parameters
    ----------
    plan
        The plan, with its KPIs and workload (see :func:`planner.report.build_plan`).
    scenario
        Its scenario, for community, post and shift names.

    Returns
    -------
    str
        Status, objective, bound and gap; coverage and weighted coverage; the shortage by
        community, post type, shift and day and the posts left most uncovered; the load
        on people. Person names are never shown, only counts.
    """
    lines = _solve_lines(plan) + _coverage_lines(plan, scenario) + _people_lines(plan)
    return "\n".join(lines)
