"""The Excel scenario workbook: template, round trip, Chinese labels, located errors."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from planner.io import load_scenario
from planner.io.workbook import example_scenario, read_workbook, write_template, write_workbook
from planner.model import Scenario


def _edit(path: Path, sheet_key: str, row: int, column: str, value: Any) -> None:
    """Set the cell of ``column`` (matched by its row-2 key) in data row ``row``."""
    book = openpyxl.load_workbook(path)
    sheet = next(s for s in book.worksheets if s.title.endswith(f"({sheet_key})"))
    keys = [c.value for c in sheet[2]]
    sheet.cell(row, keys.index(column) + 1).value = value
    book.save(path)


@pytest.fixture
def template(tmp_path: Path) -> Path:
    return write_template(tmp_path / "scenario.xlsx")


def test_template_reads_back_as_the_example(template: Path) -> None:
    """The template is a valid workbook: reading it gives exactly the example scenario."""
    assert read_workbook(template) == example_scenario()


def test_template_has_chinese_and_english_headers(template: Path) -> None:
    """Every table sheet has Chinese headers in row 1 and English keys in row 2."""
    book = openpyxl.load_workbook(template)
    people = book["人员 (people)"]
    assert people["A1"].value == "编号" and people["A2"].value == "id"
    assert [c.value for c in book["班次 (shifts)"][2]][:4] == ["id", "name_zh", "name_en", "start"]
    assert "说明 (readme)" in book.sheetnames


def test_load_scenario_dispatches_xlsx(template: Path) -> None:
    """planner.io.load_scenario reads .xlsx files through the workbook reader."""
    assert load_scenario(template) == example_scenario()


def test_round_trip_of_a_richer_scenario(tmp_path: Path) -> None:
    """Custom categories, person limits, dated demand, soft at-least rules and an explicit
    'no age limit' survive a write and a read unchanged."""
    data = example_scenario().model_dump()
    d2 = dt.date(2022, 4, 3)
    data["custom_categories"] = ["party_member"]
    data["people"][5]["category"] = "party_member"
    data["people"][2]["limits"] = {"max_minutes_per_day": {"value": 600, "weight": 5}}
    data["people"][3]["unavailable"] = [d2]
    data["people"][3]["contact"] = "13800000000"
    data["posts"][0]["demand"].append(
        {"shift": "day", "days": [d2], "roles": [{"role": "guard", "headcount": 3}],
         "at_least": [{"count": 2, "categories": ["community_worker"], "weight": 7}]}
    )  # fmt: skip
    data["posts"][0]["demand"][0]["days"] = [dt.date(2022, 4, 1), dt.date(2022, 4, 2)]
    data["rules"]["exposure"]["vulnerable_age"] = None
    data["rules"]["locality"]["party_member"] = "community"
    data["rules"]["defaults"]["max_shifts_per_day"] = None
    data["fixed"] = []
    rich = Scenario.model_validate(data)
    path = write_workbook(rich, tmp_path / "rich.xlsx")
    assert read_workbook(path) == rich


def test_chinese_labels_are_read(template: Path) -> None:
    """Categories, post types, exposure and booleans may be typed as Chinese labels or ids."""
    _edit(template, "people", 3, "category", "街道干部")  # p01 street_cadre, in Chinese
    _edit(template, "posts", 3, "type", "checkpoint")  # gate1's type as its English id
    _edit(template, "shifts", 4, "night", "TRUE")
    scenario = read_workbook(template)
    assert scenario.people[0].category == "street_cadre"
    assert scenario.posts[0].type == "checkpoint"
    assert scenario.shifts[1].night


# Each row: (sheet, Excel row, column, new value, text the error must contain).
BAD_CELLS = [
    # an age that is no number: the row and column are named, the value is not (personal)
    ("people", 4, "age", "forty", "sheet '人员 (people)', row 4, column 'age'"),
    # a start time past midnight
    ("shifts", 3, "start", "25:00", "sheet '班次 (shifts)', row 3, column 'start'"),
    # a date that does not exist
    ("fixed", 3, "date", "2022-02-30", "sheet '固定排班 (fixed)', row 3, column 'date'"),
    # an unknown post type
    ("posts", 4, "type", "spaceport", "sheet '岗位 (posts)', row 4, column 'type'"),
    # a negative headcount: found by the model, located back to the demand row
    ("demand", 5, "headcount", -1, "sheet '需求 (demand)', row 5, column 'headcount'"),
    # an unknown community: found by the scenario's cross-reference check, located back
    ("people", 6, "community", "c9", "sheet '人员 (people)', row 6, column 'community'"),
    # a shift over 24 h
    ("shifts", 4, "duration_min", 2000, "sheet '班次 (shifts)', row 4, column 'duration_min'"),
    # demand for a post that is not in the posts sheet
    ("demand", 3, "post", "nowhere", "sheet '需求 (demand)', row 3, column 'post'"),
    # a rule that does not exist
    ("rules", 3, "rule", "max_fun", "sheet '规则 (rules)', row 3, column 'rule'"),
    # a category rule without its category
    ("rules", 6, "target", None, "sheet '规则 (rules)', row 6, column 'target'"),
    # an unknown setting
    ("settings", 3, "key", "colour", "sheet '设置 (settings)', row 3, column 'key'"),
    # a horizon of zero days
    ("settings", 6, "value", 0, "sheet '设置 (settings)', row 6, column 'value'"),
]


@pytest.mark.parametrize(("sheet", "row", "column", "value", "expected"), BAD_CELLS)
def test_bad_cells_are_located(
    template: Path, sheet: str, row: int, column: str, value: Any, expected: str
) -> None:
    """A bad cell gives a ValueError naming its sheet, row and column."""
    _edit(template, sheet, row, column, value)
    with pytest.raises(ValueError, match=r"(?s).*") as info:
        read_workbook(template)
    assert expected in str(info.value)


def _set_setting(path: Path, key: str, value: Any) -> int:
    """Set the value of setting ``key``; returns its row."""
    book = openpyxl.load_workbook(path)
    sheet = next(s for s in book.worksheets if s.title.endswith("(settings)"))
    row = next(r for r in range(3, sheet.max_row + 1) if sheet.cell(r, 1).value == key)
    sheet.cell(row, 3).value = value
    book.save(path)
    return row


@pytest.mark.parametrize(("raw", "expected"), [(0.02, 0.02), ("2%", 0.02), ("0.5", 0.5)])
def test_lexicographic_settings(template: Path, raw: Any, expected: float) -> None:
    """The settings sheet turns on the lexicographic objective; its tolerance is a number
    or a percentage."""
    _set_setting(template, "objective.lexicographic", "是")
    _set_setting(template, "objective.tolerance", raw)
    objective = read_workbook(template).objective
    assert objective.lexicographic is True
    assert objective.tolerance == pytest.approx(expected)


@pytest.mark.parametrize("raw", ["lots", "150%"])
def test_bad_tolerance_is_located(template: Path, raw: str) -> None:
    """A tolerance that is not a number, or above 100%, names the setting's cell."""
    row = _set_setting(template, "objective.tolerance", raw)
    with pytest.raises(ValueError) as info:
        read_workbook(template)
    assert f"sheet '设置 (settings)', row {row}, column 'value'" in str(info.value)


def test_personal_data_is_not_quoted(template: Path) -> None:
    """Errors on a person's row never quote the person's name, age or contact."""
    _edit(template, "people", 3, "contact", "13912345678")
    _edit(template, "people", 3, "age", "13912345678x")
    with pytest.raises(ValueError) as info:
        read_workbook(template)
    assert "13912345678" not in str(info.value)
    assert "示例人员" not in str(info.value)


def test_missing_sheet_and_column(tmp_path: Path, template: Path) -> None:
    """A missing required sheet or column is named."""
    book = openpyxl.load_workbook(template)
    del book["班次 (shifts)"]
    book.save(tmp_path / "no_shifts.xlsx")
    with pytest.raises(ValueError, match=r"sheet '班次 \(shifts\)' is missing"):
        read_workbook(tmp_path / "no_shifts.xlsx")
    book = openpyxl.load_workbook(template)
    book["人员 (people)"].delete_cols(3)  # the category column
    book.save(tmp_path / "no_category.xlsx")
    with pytest.raises(ValueError, match=r"column 'category' \(人员类别\) is missing"):
        read_workbook(tmp_path / "no_category.xlsx")


def test_not_a_workbook(tmp_path: Path) -> None:
    """A file that is not an .xlsx workbook gives a ValueError, not an openpyxl crash."""
    path = tmp_path / "fake.xlsx"
    path.write_bytes(b"name: not a workbook\n")
    with pytest.raises(ValueError, match="not an Excel workbook"):
        read_workbook(path)


# District-sized scenarios (hundreds of kB) take seconds to load; the small ones cover the
# same sheets, so the round trip runs on those.
SHIPPED = [
    p
    for p in sorted((Path(__file__).parent.parent / "scenarios").glob("*/*.yaml"))
    if p.stat().st_size < 300_000
]


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_shipped_scenarios_round_trip(tmp_path: Path, path: Path) -> None:
    """Every shipped scenario written as a workbook reads back equal."""
    try:
        scenario = load_scenario(path)
    except ValueError:
        pytest.skip("not a scenario (a district profile)")
    assert read_workbook(write_workbook(scenario, tmp_path / "s.xlsx")) == scenario
