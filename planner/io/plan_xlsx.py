"""Excel output of a plan: one sheet per table, Chinese headers over English ones."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from planner.report.tables import Table

_HEAD_FONT = Font(bold=True)
_HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
_SUB_FONT = Font(italic=True, color="666666")
_SHORT_FILL = PatternFill("solid", fgColor="FCE4D6")

#: Rows taken by the two header rows (Chinese, then English).
HEADER_ROWS = 2


def _text_width(value: object) -> float:
    # Chinese characters take about two columns of Excel's width unit.
    text = "" if value is None else str(value)
    return sum(2.0 if ord(ch) > 0x2E80 else 1.0 for ch in text)


def _write_sheet(sheet: Worksheet, table: Table) -> None:
    for col_idx, (zh, en) in enumerate(table.columns, start=1):
        top = sheet.cell(row=1, column=col_idx, value=zh)
        top.font, top.fill = _HEAD_FONT, _HEAD_FILL
        sub = sheet.cell(row=2, column=col_idx, value=en)
        sub.font, sub.fill = _SUB_FONT, _HEAD_FILL
    wrap = Alignment(wrap_text=True, vertical="top")
    for row_idx, row in enumerate(table.rows, start=HEADER_ROWS + 1):
        for col_idx, value in enumerate(row, start=1):
            cell = sheet.cell(row=row_idx, column=col_idx, value=value)
            if table.wide and col_idx > table.key_columns:
                cell.alignment = wrap
                if isinstance(value, str) and "缺" in value:
                    cell.fill = _SHORT_FILL
    sheet.freeze_panes = sheet.cell(row=HEADER_ROWS + 1, column=table.key_columns + 1)
    for col_idx, column in enumerate(table.columns, start=1):
        values = [column[0], column[1]] + [r[col_idx - 1] for r in table.rows[:500]]
        width = max(_text_width(v) for v in values) + 2
        cap = 24 if table.wide and col_idx > table.key_columns else 40
        sheet.column_dimensions[get_column_letter(col_idx)].width = min(max(width, 8), cap)


def write_tables(tables: list[Table], path: str | Path) -> Path:
    """Write each table to its own sheet, named by its Chinese name.

    Parameters
    ----------
    tables
        The sheets, in order.
    path
        The ``.xlsx`` file to write.

    Returns
    -------
    Path
        The file written.
    """
    book = Workbook()
    default = book.active
    for table in tables:
        _write_sheet(book.create_sheet(title=table.name_zh[:31]), table)
    if default is not None:
        book.remove(default)
    path = Path(path)
    book.save(path)
    return path
