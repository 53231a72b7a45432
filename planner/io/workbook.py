"""The Excel scenario workbook: a template planners fill in, and its reader.

Every table sheet has a Chinese header in row 1, the English column key in row 2 and data
from row 3; columns are found by their key (or, failing that, by their Chinese header), so
planners may reorder them. Lists go in one cell separated by commas (``,``, ``，``, ``、``
or ``;``); dates are Excel dates or ``YYYY-MM-DD``; Chinese labels are accepted for
categories, post types, exposure, sex, locality and request kinds. Only ``设置 (settings)``
and ``班次 (shifts)`` are required; a missing sheet is an empty table.

Errors are ``ValueError`` naming the sheet, the row and the column; they never quote a
name or a contact.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet
from pydantic import ValidationError

from planner.io._workbook_example import example_scenario
from planner.io._workbook_layout import SHEETS, CellError, Col, parse_cell, render_cell
from planner.io._workbook_rows import Where, build_scenario_data, scenario_rows
from planner.model import Scenario

__all__ = ["example_scenario", "read_workbook", "write_template", "write_workbook"]

_HEADER_FONT = Font(bold=True)
_KEY_FONT = Font(italic=True, color="666666")
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_README = [
    "街道疫情防控排班情景模板 (Scenario workbook for lockdown staffing)",
    "",
    "第1行为中文表头，第2行为英文列名（程序按英文列名识别），从第3行起填写数据。",
    "Row 1: Chinese header; row 2: English column key (what the reader matches); data from row 3.",
    "多个取值用逗号分隔；日期写作 2022-04-01 或使用 Excel 日期；权重留空表示硬性规则。",
    "Several values: separate with commas; dates: 2022-04-01 or Excel dates; "
    "blank weight = hard rule.",
    "必填工作表：设置 (settings)、班次 (shifts)；其他工作表可留空或删除。",
    "Required sheets: settings and shifts; the others may be empty or removed.",
    "类别 (categories) 表中列出的非内置类别即为自定义类别。",
    "Categories not built in that are listed in the categories sheet become custom categories.",
    "联系方式 (contact) 属于个人信息，仅用于排班通知，不会写入日志。",
    "Contact details are personal data: used for notices only, never logged.",
]


# ---------------------------------------------------------------------------- writing
def write_template(path: str | Path) -> Path:
    """Write the scenario workbook template, filled with a small example scenario.

    Parameters
    ----------
    path
        Where to write the ``.xlsx`` file.

    Returns
    -------
    Path
        The path written. :func:`read_workbook` reads it back into the example scenario.
    """
    return write_workbook(example_scenario(), path)


def write_workbook(scenario: Scenario, path: str | Path) -> Path:
    """Write ``scenario`` as a workbook in the template layout.

    Parameters
    ----------
    scenario
        The scenario to write; :func:`read_workbook` reads the file back into an equal one.
    path
        Where to write the ``.xlsx`` file.

    Returns
    -------
    Path
        The path written.
    """
    path = Path(path)
    book = openpyxl.Workbook()
    readme = book.active
    assert readme is not None
    readme.title = "说明 (readme)"
    for line in _README:
        readme.append([line])
    readme.column_dimensions["A"].width = 100
    rows = scenario_rows(scenario)
    for key, (title, cols) in SHEETS.items():
        sheet = book.create_sheet(title)
        _write_table(sheet, cols, rows.get(key, []))
    book.save(path)
    return path


def _write_table(sheet: Worksheet, cols: list[Col], rows: list[dict[str, Any]]) -> None:
    sheet.append([c.zh for c in cols])
    sheet.append([c.key for c in cols])
    for j, col in enumerate(cols, start=1):
        sheet.cell(1, j).font = _HEADER_FONT
        sheet.cell(1, j).fill = _HEADER_FILL
        sheet.cell(2, j).font = _KEY_FONT
        letter = sheet.cell(1, j).column_letter
        sheet.column_dimensions[letter].width = max(12, min(40, 2 * len(col.zh) + 4))
    for row in rows:
        sheet.append([render_cell(col, row.get(col.key)) for col in cols])
    for r in range(3, sheet.max_row + 1):
        for j in range(1, len(cols) + 1):
            if isinstance(sheet.cell(r, j).value, dt.date):
                sheet.cell(r, j).number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A3"


# ---------------------------------------------------------------------------- reading
def read_workbook(path: str | Path) -> Scenario:
    """Read a scenario workbook in the template layout.

    Parameters
    ----------
    path
        The ``.xlsx`` file.

    Returns
    -------
    Scenario
        The validated scenario.

    Raises
    ------
    ValueError
        If the file is not a workbook, a required sheet or column is missing, a cell cannot
        be read, or the scenario is invalid; the message names the sheet, row and column.
    """
    try:
        book = openpyxl.load_workbook(Path(path), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise ValueError(f"not an Excel workbook (.xlsx): {type(exc).__name__}") from None
    try:
        tables = {key: _read_table(book, key) for key in SHEETS}
    finally:
        book.close()
    data, where = build_scenario_data(tables)
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        raise ValueError(_explain(exc, where)) from None


def _find_sheet(book: Any, key: str) -> Worksheet | None:
    title, _ = SHEETS[key]
    zh = title.split(" ")[0]
    for sheet in book.worksheets:
        name = str(sheet.title).strip()
        if name in (title, zh, key) or name.lower() == key or name.endswith(f"({key})"):
            return sheet
    return None


def _read_table(book: Any, key: str) -> list[tuple[int, dict[str, Any]]]:
    """Rows of one sheet as (Excel row number, {column key: parsed value})."""
    title, cols = SHEETS[key]
    sheet = _find_sheet(book, key)
    if sheet is None:
        if key in ("settings", "shifts"):
            raise ValueError(f"sheet '{title}' is missing")
        return []
    rows = sheet.iter_rows(values_only=True)
    header_zh = [_text(v) for v in next(rows, ())]
    header_key = [_text(v) for v in next(rows, ())]
    index: dict[str, int] = {}
    by_zh = {c.zh: c.key for c in cols}
    known = {c.key for c in cols}
    for j in range(max(len(header_zh), len(header_key))):
        k = header_key[j] if j < len(header_key) else ""
        z = header_zh[j] if j < len(header_zh) else ""
        name = k if k in known else by_zh.get(z, "")
        if name:
            index.setdefault(name, j)
    for col in cols:
        if col.required and col.key not in index:
            raise ValueError(f"sheet '{title}': column '{col.key}' ({col.zh}) is missing")
    out: list[tuple[int, dict[str, Any]]] = []
    for r, values in enumerate(rows, start=3):
        cells: dict[str, object] = {
            k: values[j] if j < len(values) else None for k, j in index.items()
        }
        if all(v is None or _text(v) == "" for v in cells.values()):
            continue
        parsed: dict[str, Any] = {}
        for col in cols:
            raw = cells.get(col.key)
            try:
                parsed[col.key] = parse_cell(col, raw)
            except CellError as exc:
                raise ValueError(
                    f"sheet '{title}', row {r}, column '{col.key}' ({col.zh}): {exc}"
                ) from None
            if col.required and parsed[col.key] in (None, "", []):
                raise ValueError(
                    f"sheet '{title}', row {r}, column '{col.key}' ({col.zh}): required"
                )
        out.append((r, parsed))
    return out


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


# ---------------------------------------------------------------------------- errors
_PATH = re.compile(r"^([A-Za-z_][\w]*(?:\[\d+\]|\.[\w]+|\[\])*)(.*)$", re.S)


def _split_path(text: str) -> tuple[str | int, ...]:
    parts: list[str | int] = []
    for name, idx in re.findall(r"([A-Za-z_][\w]*)|\[(\d+)\]", text):
        parts.append(int(idx) if idx else name)
    return tuple(parts)


def _locate(loc: tuple[str | int, ...], where: Where) -> str:
    """'sheet ..., row ..., column ...' for the longest known prefix of ``loc``."""
    for cut in range(len(loc), 0, -1):
        spot = where.get(loc[:cut])
        if spot is not None:
            rest = [p for p in loc[cut:] if isinstance(p, str)]
            column = spot.column or (spot.rename.get(rest[0], rest[0]) if rest else None)
            return f"sheet '{spot.title}', row {spot.row}" + (
                f", column '{column}'" if column else ""
            )
    return ""


def _explain(exc: ValidationError, where: Where) -> str:
    lines: list[str] = []
    for err in exc.errors(include_input=False, include_url=False):
        loc = tuple(err["loc"])
        msg = str(err["msg"]).removeprefix("Value error, ")
        if loc:
            place = _locate(loc, where) or ".".join(map(str, loc))
            lines.append(f"{place}: {msg}")
            continue
        for line in msg.splitlines():
            match = _PATH.match(line)
            place = _locate(_split_path(match.group(1)), where) if match else ""
            lines.append(f"{place}: {line}" if place else line)
    return "\n".join(lines[:20])
