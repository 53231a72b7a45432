"""The bilingual breakdown table of an estimate: what, units, norm, people per day."""

from __future__ import annotations

import unicodedata

from planner.district.estimate import Estimate, Line
from planner.district.units import measure_label


def display_width(text: str) -> int:
    """Terminal columns ``text`` takes: wide (CJK) characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool = False) -> str:
    fill = " " * max(0, width - display_width(text))
    return fill + text if right else text + fill


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def norm_text(line: Line) -> tuple[str, str]:
    """Chinese and English wording of ``line``'s norm, e.g. ``每6户 1人/班 × 1班``."""
    norm = line.norm
    zh_unit, en_unit = measure_label(norm.measure)
    heads = [norm.headcount_on(s) for s in line.shift_ids]
    shifts = len(heads)
    if len(set(heads)) == 1:
        zh = f"{heads[0]}人/班 × {shifts}班"
        en = f"{heads[0]} per shift x {shifts} shift{'s' if shifts > 1 else ''}"
    else:
        zh = "+".join(str(h) for h in heads) + f"人 ({shifts}班)"
        en = "+".join(str(h) for h in heads) + f" on {shifts} shifts"
    if norm.per != 1:
        per = _number(norm.per)
        word = zh_unit.split("(")[0]
        if len(word) > 1 and word[0] in "个名条栋块所辆" and not word[1].isdigit():
            word = word[1:]
        zh = f"每{per}{word} {zh}"
        en = f"{en}, per {per} {en_unit.split(' (')[0]}"
    return zh, en


def format_breakdown(est: Estimate) -> str:
    """The breakdown of ``est`` as a bilingual text table summing to the total.

    Each item takes two rows (Chinese, then English). *Staffed* units are the measure divided
    by the norm's ``per``, rounded up on each post; people per day are staffed units times
    the people per shift, summed over shifts. Each block ends with its subtotal and, where
    the profile gives one, the published figure.
    """
    header = (
        "项目 / Item",
        "数量 / Units",
        "标准 / Norm",
        "单元 / Staffed",
        "每日人数 / People/day",
    )
    rows: list[tuple[str, ...]] = []
    for block in est.blocks:
        lines = [ln for ln in est.lines if ln.norm.block == block.id and ln.people_per_day]
        if not lines:
            continue
        rows.append((f"{block.name_zh} {block.name_en}", "", "", "", ""))
        for line in lines:
            zh_unit, en_unit = measure_label(line.norm.measure)
            zh_norm, en_norm = norm_text(line)
            rows.append(
                (
                    f"  {line.norm.name_zh}",
                    f"{_number(line.units)} {zh_unit}",
                    zh_norm,
                    f"{line.staffing_units:,}",
                    f"{line.people_per_day:,}",
                )
            )
            rows.append((f"    {line.norm.name_en}", f"  {en_unit}", en_norm, "", ""))
        subtotal = est.block_total(block.id)
        rows.append(
            ("  小计 subtotal", "", _published(est, block.id, subtotal), "", f"{subtotal:,}")
        )
    total_published = sum(est.published.values()) if est.published else None
    check = ""
    if total_published is not None:
        check = _compare(total_published, est.total)
    rows.append(("合计 total", "", check, "", f"{est.total:,}"))
    widths = [max(display_width(r[i]) for r in [header, *rows]) for i in range(5)]
    rule = "-" * (sum(widths) + 6)
    out = [f"{est.district}: 封控期间每日所需人员测算 / people needed per day in lockdown", rule]
    out.append(
        "  ".join(
            _pad(h, w, right=i >= 3) for i, (h, w) in enumerate(zip(header, widths, strict=True))
        )
    )
    out.append(rule)
    for row in rows:
        if row[0] == "合计 total":
            out.append(rule)
        text = "  ".join(
            _pad(c, w, right=i >= 3) for i, (c, w) in enumerate(zip(row, widths, strict=True))
        )
        out.append(text.rstrip())
    return "\n".join(out)


def _published(est: Estimate, block: str, value: int) -> str:
    if block not in est.published:
        return ""
    return _compare(est.published[block], value)


def _compare(published: int, value: int) -> str:
    mark = "一致 matches" if published == value else f"差 off by {value - published:+,}"
    return f"报告 published {published:,}: {mark}"
