"""The comparison as planners read it: a table (CSV, markdown, Excel) and a chart (PNG).

The table has one row per measure and one column per variant, with bilingual row
labels; the chart draws each variant's coverage per day, labelled in Chinese with the
shipped font (:mod:`planner.whatif.fonts`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from planner.model import POST_TYPE_ZH
from planner.report.tables import Cell, Table
from planner.whatif.compare import VariantResult, horizon_dates

WEEKDAY_ZH = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")

#: File names written by :func:`write_outputs` (without suffix).
STEM = "comparison"


def _pct(value: float) -> float:
    return round(value, 2)


def _keys(
    results: list[VariantResult], get: Callable[[VariantResult], dict[str, int]]
) -> list[str]:
    seen: dict[str, None] = {}
    for r in results:
        for key in get(r):
            seen.setdefault(key, None)
    return sorted(seen)


def _by(field: str, key: str) -> Callable[[VariantResult], Cell]:
    """The count under ``key`` of the breakdown ``field`` of a result (0 when absent)."""

    def get(result: VariantResult) -> Cell:
        counts: dict[str, int] = getattr(result, field)
        return counts.get(key, 0)

    return get


def comparison_table(results: list[VariantResult]) -> Table:
    """One row per measure, one column per variant (see the module docstring)."""
    ok = [r for r in results if r.error is None]
    columns = [("指标", "measure")] + [(r.label, r.name) for r in results]
    rows: list[list[Cell]] = []

    def row(zh: str, en: str, value: Callable[[VariantResult], Cell]) -> None:
        cells: list[Cell] = [f"{zh} {en}"]
        cells += [value(r) if r.error is None else None for r in results]
        rows.append(cells)

    row("人数", "people", lambda r: r.people)
    row("需求人次", "demand (person-shifts)", lambda r: r.demand)
    row("已覆盖人次", "covered person-shifts", lambda r: r.covered)
    row("覆盖率 %", "coverage %", lambda r: _pct(r.coverage_pct))
    row("加权覆盖率 %", "priority-weighted coverage %", lambda r: _pct(r.weighted_coverage_pct))
    row("缺口人次", "shortage (person-shifts)", lambda r: r.shortage)
    row("需求工时", "demand (person-hours)", lambda r: r.demand_hours)
    row("缺口工时", "shortage (person-hours)", lambda r: r.shortage_hours)
    row("工时覆盖率 %", "coverage of person-hours %", lambda r: _pct(r.hours_coverage_pct))
    for key in _keys(ok, lambda r: r.shortage_by_post_type):
        row(
            f"缺口·{POST_TYPE_ZH.get(key, key)}",
            f"shortage: {key}",
            _by("shortage_by_post_type", key),
        )
    names: dict[str, str] = {}
    for r in ok:
        names.update(r.community_names)
    for key in _keys(ok, lambda r: r.shortage_by_community):
        row(
            f"缺口·{names.get(key, key)}",
            f"shortage: community {key}",
            _by("shortage_by_community", key),
        )
    for day in horizon_dates(ok):
        iso = day.isoformat()
        row(
            f"缺口·{day:%m-%d}{WEEKDAY_ZH[day.weekday()]}",
            f"shortage: {iso}",
            _by("shortage_by_day", iso),
        )
    row("人均工作分钟", "minutes per person (mean)", lambda r: r.minutes_mean)
    row("最多工作分钟", "minutes per person (max)", lambda r: r.minutes_max)
    row("夜班人次", "night shifts", lambda r: r.night_shifts)
    row("达到工时上限人数", "people at their hours limit", lambda r: r.at_limit)
    row("求解状态", "status", lambda r: r.status)
    row("目标值", "objective", lambda r: r.objective)
    row("差距 %", "gap %", lambda r: None if r.gap is None else round(100 * r.gap, 2))
    row("求解用时 s", "solve time s", lambda r: r.solve_s)
    row("检查", "check", lambda r: "通过 passed" if r.check_passed else "未通过 FAILED")
    errors: list[Cell] = ["错误 error"]
    errors += [r.error for r in results]
    rows.append(errors)
    if all(r.error is None for r in results):
        rows.pop()
    return Table("方案比较", "comparison", columns, rows, key_columns=1)


def _md_cell(value: Cell) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    if isinstance(value, int):
        return f"{value:,}"
    return str(value).replace("|", "\\|").replace("\n", " ")


def markdown(table: Table, results: list[VariantResult], title: str, notes: list[str]) -> str:
    """The table as markdown, with the variants' descriptions and ``notes`` above it."""
    lines = [f"# {title}", ""]
    lines += notes
    if notes:
        lines.append("")
    for r in results:
        text = f": {r.description}" if r.description else ""
        lines.append(f"- **{r.label}** (`{r.name}`){text}")
    lines.append("")
    head = [f"{zh} {en}" for zh, en in table.columns[:1]] + [zh for zh, _ in table.columns[1:]]
    lines.append("| " + " | ".join(head) + " |")
    lines.append("| --- |" + " ---: |" * (len(head) - 1))
    for row in table.rows:
        lines.append("| " + " | ".join(_md_cell(v) for v in row) + " |")
    return "\n".join(lines) + "\n"


def chart(results: list[VariantResult], path: Path, title: str) -> Path:
    """A PNG line chart of each variant's coverage per day, with Chinese labels."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from planner.whatif.fonts import font_families

    ok = [r for r in results if r.error is None]
    days = horizon_dates(ok)
    ticks = [f"{d:%m-%d}\n{WEEKDAY_ZH[d.weekday()]}" for d in days]
    with plt.rc_context({"font.family": font_families(), "axes.unicode_minus": False}):
        fig, ax = plt.subplots(figsize=(10, 6.4), dpi=120)
        markers = "osD^vP*Xh<>"
        # the base is drawn last, dashed, so a variant equal to it still shows
        ordered = [r for r in ok if r.name != "base"] + [r for r in ok if r.name == "base"]
        for idx, r in enumerate(ordered):
            values = [r.coverage_by_day.get(d.isoformat(), float("nan")) for d in days]
            ax.plot(
                range(len(days)),
                values,
                marker=markers[idx % len(markers)],
                linewidth=1.5,
                color="black" if r.name == "base" else None,
                linestyle="--" if r.name == "base" else "-",
                label=f"{r.label}（{_pct(r.coverage_pct):g}%）",
            )
        ax.set_xticks(range(len(days)), ticks)
        ax.set_ylabel("覆盖率 coverage (%)")
        ax.set_xlabel("日期 date")
        ax.set_title(title)
        ax.grid(True, alpha=0.3)
        ax.legend(
            title="方案（全期覆盖率）",
            fontsize=9,
            loc="upper center",
            bbox_to_anchor=(0.5, -0.18),
            ncol=min(3, max(1, len(ordered))),
            frameon=False,
        )
        fig.tight_layout()
        fig.savefig(path)
        plt.close(fig)
    return path


def write_outputs(
    results: list[VariantResult], out_dir: Path, title: str, notes: list[str]
) -> list[Path]:
    """Write ``comparison.csv`` (UTF-8 with BOM), ``.md``, ``.xlsx`` and ``coverage_by_day.png``."""
    from planner.io.plan_io import write_csv
    from planner.io.plan_xlsx import write_tables

    out_dir.mkdir(parents=True, exist_ok=True)
    table = comparison_table(results)
    paths = [out_dir / f"{STEM}.csv", out_dir / f"{STEM}.md", out_dir / f"{STEM}.xlsx"]
    write_csv(table, paths[0])
    paths[1].write_text(markdown(table, results, title, notes), encoding="utf-8")
    write_tables([table], paths[2])
    if any(r.error is None for r in results):
        paths.append(chart(results, out_dir / "coverage_by_day.png", f"{title}：每日覆盖率"))
    return paths
