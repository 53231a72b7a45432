"""The staffing need as planners read it: counts by category and community, in two languages."""

from __future__ import annotations

from collections import defaultdict

from planner.model import CATEGORY_ZH, Scenario
from planner.report.tables import Cell, Table
from planner.whatif.need import NeedResult
from planner.whatif.need_pools import RECRUIT_AGE, horizon_note

#: Column key for recruits without a home community (district-wide categories).
DISTRICT = "district-wide"
DISTRICT_ZH = "全街道"


def _cat(category: str) -> str:
    zh = CATEGORY_ZH.get(category)
    return f"{zh} {category}" if zh else category


def need_table(result: NeedResult, scenario: Scenario) -> Table:
    """Recruits: one row per category, one column per community (and district-wide), total."""
    names = {c.id: c.name or c.id for c in scenario.communities}
    by: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for key, count in result.counts.items():
        pool = result.pools[key]
        by[pool.category][pool.community or DISTRICT] += count
    used = [c.id for c in scenario.communities if any(c.id in row for row in by.values())]
    if any(DISTRICT in row for row in by.values()):
        used.append(DISTRICT)
    columns = [("人员类别", "category")]
    names[DISTRICT] = DISTRICT_ZH
    columns += [(names.get(c, c), c) for c in used]
    columns += [("合计", "total"), ("每人减少缺口(人次)", "marginal value")]
    rows: list[list[Cell]] = []
    for cat in result.categories:
        row = by.get(cat, {})
        cells: list[Cell] = [_cat(cat)]
        cells += [row.get(c, 0) for c in used]
        cells += [sum(row.values()), result.marginal.get(cat)]
        rows.append(cells)
    total: list[Cell] = ["合计 total"]
    total += [sum(by[c].get(u, 0) for c in by) for u in used]
    total += [result.total, None]
    rows.append(total)
    return Table("补充人员需求", "staffing need", columns, rows, key_columns=1)


def assumptions(result: NeedResult, scenario: Scenario) -> list[str]:
    """The method and the assumptions behind the numbers, one bilingual line each."""
    lines = [
        f"新增人员假设 recruits assumed: 全期每天可上岗 available every day "
        f"({horizon_note(scenario)})，无班次偏好 no shift preferences，按本类别规则 "
        f"the category's own rules，具备本类别可承担岗位所需全部技能 trained for every duty "
        f"open to the category，年龄 age {RECRUIT_AGE}（不属易感人群 not vulnerable）；"
        f"同类别同住地（网格/社区/全街道）的人员可互换 interchangeable within a category and home.",
    ]
    if result.method == "exact":
        lines.append(
            "方法 method: 精确模型 exact — 现有人员与候选新增人员同在一个CP-SAT模型中，"
            "遵守全部规则，先使新增人数最少（可证明最少时标注），再优先所列靠前的类别。 "
            "One CP-SAT model over the roster and potential recruits under every rule; "
            "fewest recruits first (proven when marked), then categories listed first."
        )
    else:
        lines.append(
            "方法 method: 聚合模型 aggregate — 保留求解器给出的现有人员排班，按"
            "（类别，住地）计数新增人员填补缺口，各项硬性规则按人数放大为汇总约束；"
            "最优值是在保留现有排班前提下的下界；随后由求解器逐人排班、合并并经检查器核验。 "
            "The solver's roster is kept; recruits are counted per (category, home) to fill "
            "its holes, every hard rule scaled by the count (a relaxation, so its optimum is "
            "a lower bound given that roster); the solver then rosters them person by "
            "person, and the merged plan is checked from scratch."
        )
    lines.append(
        "边际价值 marginal value: 在不增人的方案上再加一名该类别人员（放在最合适的住地）"
        "可减少的缺口人次。 Person-shifts of shortage one more person of the category removes "
        "from the plan without recruits, placed at the best home."
    )
    return lines


def need_text(result: NeedResult, scenario: Scenario) -> str:
    """A bilingual terminal report: headline, table, assumptions."""
    base_pct = 100.0 * result.base_covered / result.demand if result.demand else 100.0
    sure = "（已证明最少 proven least）" if result.proven else ""
    lines = [
        f"补充人员需求 staffing need「{result.scenario}」",
        f"  目标覆盖率 target {100 * result.target:g}%；现状 now {base_pct:.2f}%"
        f"（{result.base_covered}/{result.demand} 人次 person-shifts）",
        f"  需新增 additional people: {result.total} 人{sure}"
        + (f"；下界 lower bound {result.lower_bound}" if result.lower_bound is not None else ""),
    ]
    if result.coverage_pct is not None:
        verdict = "通过 passed" if result.check_passed else "未通过 FAILED"
        reach = "达到 reached" if result.reached else "未达到 NOT reached"
        lines.append(
            f"  加人后覆盖率 coverage with them {result.coverage_pct:.2f}%（{reach}；"
            f"方案检查 plan check {verdict}）"
        )
    if result.rounds > 1:
        lines.append(f"  轮次 rounds {result.rounds}")
    lines += [f"  {note}" for note in result.notes]
    lines.append(f"  方法 method {result.method}，用时 time {result.wall_time_s:.1f} s")
    table = need_table(result, scenario)
    widths = [
        max(_width(str(c[0])), *(_width(_show(r[i])) for r in table.rows))
        for i, c in enumerate(table.columns)
    ]
    lines.append("")
    lines.append("  ".join(_pad(str(c[0]), w) for c, w in zip(table.columns, widths, strict=True)))
    for row in table.rows:
        lines.append("  ".join(_pad(_show(v), w) for v, w in zip(row, widths, strict=True)))
    lines.append("")
    lines += assumptions(result, scenario)
    return "\n".join(lines)


def need_markdown(result: NeedResult, scenario: Scenario, command: str = "") -> str:
    """The report as markdown: headline, table and assumptions."""
    text = need_text(result, scenario).split("\n\n")[0]
    table = need_table(result, scenario)
    lines = [f"# 补充人员需求 staffing need: {result.scenario}", ""]
    if command:
        lines += ["```", command, "```", ""]
    lines += [line.strip() + "  " for line in text.splitlines()[1:]]
    lines.append("")
    lines.append("| " + " | ".join(f"{zh} {en}" for zh, en in table.columns) + " |")
    lines.append("| --- |" + " ---: |" * (len(table.columns) - 1))
    for row in table.rows:
        lines.append("| " + " | ".join(_show(v) for v in row) + " |")
    lines.append("")
    lines += [f"- {line}" for line in assumptions(result, scenario)]
    return "\n".join(lines) + "\n"


def _show(value: Cell) -> str:
    return "—" if value is None else str(value)


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
