"""Scenario files (load, dump, errors) and plan writers (JSON, CSV, XLSX).

See ``tests/planhelpers.py`` for the scenario and the roster.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml
from planhelpers import SECRET, roster, scenario, scenario_data

from planner.io import (
    InputError,
    ScenarioError,
    dump_scenario,
    load_plan,
    load_scenario,
    scenario_from_data,
    write_plan,
)
from planner.model import Stats, Status
from planner.report import build_plan


def _write_yaml(tmp_path: Path, data: Any, name: str = "s.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


# ---------------------------------------------------------------- round trip
@pytest.mark.parametrize("suffix", [".yaml", ".yml", ".json"])
def test_dump_then_load_round_trips(tmp_path, suffix):
    """Dumping a scenario and loading the file back gives an equal scenario."""
    original = scenario()
    path = tmp_path / f"s{suffix}"
    dump_scenario(original, path)
    assert load_scenario(path) == original


def test_dump_is_readable(tmp_path):
    """Dumped YAML keeps Chinese as is, writes times as HH:MM and drops default fields."""
    path = tmp_path / "s.yaml"
    dump_scenario(scenario(), path)
    text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert "东门卡口" in text
    assert data["shifts"][1]["start"] == "20:00"
    assert data["horizon"]["start"] == "2022-03-01"
    assert "vulnerable" not in data["people"][0]  # default False
    assert "rules" not in data  # all defaults


def test_yaml_keeps_on_off_times_and_leading_zeros_as_text(tmp_path):
    """YAML 1.1 would read ``off`` as False, ``20:00`` as 1200 and ``007`` as 7; we do not."""
    text = (
        "name: t\nhorizon: {start: 2022-03-01, days: 2}\n"
        "shifts: [{id: night, start: 20:00, duration_min: 600}]\n"
        "people:\n  - id: 007\n    category: volunteer\n"
        "    requests: [{date: 2022-03-02, kind: off}]\n"
    )
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    s = load_scenario(path)
    assert s.shifts[0].start_minute == 20 * 60
    assert s.people[0].id == "007"
    assert s.people[0].requests[0].kind == "off"


def test_short_hour_is_accepted(tmp_path):
    """A shift start written ``8:00`` means 08:00."""
    data = scenario_data()
    data["shifts"][0]["start"] = "8:00"
    assert load_scenario(_write_yaml(tmp_path, data)).shifts[0].start_minute == 480


# ---------------------------------------------------------------- invalid input
def _set(path: str, value: Any):
    """A mutation setting ``data[path]`` (dotted keys, integer list indices)."""

    def apply(data: dict[str, Any]) -> None:
        *parents, last = [int(k) if k.isdigit() else k for k in path.split(".")]
        node: Any = data
        for key in parents:
            node = node[key]
        node[last] = value

    return apply


def _duplicate_person(data: dict[str, Any]) -> None:
    data["people"].append({"id": "p2", "category": "volunteer"})


INVALID = [
    # a person's community that does not exist: path, id and the unknown value named
    (_set("people.1.community", "c9"), ["people[1].community", "'c9'", "(person 'p2')"]),
    # a negative headcount fails field validation; the post id is looked up in the input
    (
        _set("posts.0.demand.0.roles.0.headcount", -1),
        ["posts[0].demand[0].roles[0].headcount", "(post 'k1')"],
    ),
    # a shift of 25 h
    (_set("shifts.1.duration_min", 1500), ["shifts[1].duration_min", "24 h", "(shift 'night')"]),
    # availability ending before the horizon starts
    (
        _set("people.0.available_until", "2022-02-01"),
        ["people[0].available_until", "(person 'p1')"],
    ),
    # two people with one id
    (_duplicate_person, ["people", "duplicate person id 'p2'"]),
    # a category that is neither built in nor declared
    (_set("people.2.category", "alien"), ["people[2].category", "'alien'", "(person 'p3')"]),
    # a date that does not exist, at the horizon and in a person's list
    (_set("horizon.start", "2022-13-45"), ["horizon.start", "date"]),
    (_set("people.2.unavailable", ["2022-13-45"]), ["people[2].unavailable[0]", "(person 'p3')"]),
]


@pytest.mark.parametrize(("mutate", "expected"), INVALID)
def test_invalid_input_names_field_and_id(tmp_path, mutate, expected):
    """Each invalid scenario raises a ScenarioError whose message names the field path and id."""
    data = scenario_data()
    mutate(data)
    path = _write_yaml(tmp_path, data)
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    message = str(info.value)
    for part in expected:
        assert part in message
    assert all(line.startswith(str(path)) for line in message.splitlines())


def test_contact_never_in_messages():
    """A wrong contact (a number, not text) is reported by field and id, without its value."""
    data = scenario_data()
    data["people"][3]["contact"] = int(SECRET)
    data["people"][3]["age"] = 5  # a second error on the same person
    with pytest.raises(ScenarioError) as info:
        scenario_from_data(data)
    message = str(info.value)
    assert "people[3].contact" in message and "(person 'p4')" in message
    assert SECRET not in message


def test_unparsable_yaml_gives_the_line(tmp_path):
    """A YAML syntax error is reported with its line number, not a traceback."""
    path = tmp_path / "s.yaml"
    path.write_text("name: t\nhorizon: [2022-03-01\n  days: 2\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match="line 3"):
        load_scenario(path)


def test_unparsable_json_gives_the_line(tmp_path):
    """A JSON syntax error is reported with its line number."""
    path = tmp_path / "s.json"
    path.write_text('{\n  "name": "t",\n  oops\n}', encoding="utf-8")
    with pytest.raises(ScenarioError, match="line 3"):
        load_scenario(path)


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("missing.yaml", None, "no such file"),  # the file does not exist
        ("s.txt", "hello", "unknown format"),  # a .txt that is no Curtois instance
        ("s.csv", "a,b", "unknown format"),  # an unsupported suffix
        ("s.yaml", "- just\n- a list\n", "mapping"),  # a document that is not a mapping
        ("s.yaml", "", "empty"),  # an empty document
    ],
)
def test_unreadable_files(tmp_path, name, content, expected):
    """Missing files, unknown formats and non-mappings are ScenarioErrors saying why."""
    path = tmp_path / name
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(ScenarioError, match=expected):
        load_scenario(path)


def test_xlsx_is_read_by_the_workbook_reader(tmp_path):
    """``load_scenario`` hands .xlsx files to the workbook reader: a written workbook reads back."""
    workbook = pytest.importorskip("planner.io.workbook")
    path = tmp_path / "s.xlsx"
    workbook.write_workbook(scenario(), path)
    assert load_scenario(path) == scenario()


# ---------------------------------------------------------------- plans
def _plan():
    return build_plan(scenario(), roster(), Stats(status=Status.FEASIBLE, objective=7))


def test_plan_json_round_trips(tmp_path):
    """A plan written as JSON loads back equal."""
    plan = _plan()
    path = write_plan(plan, scenario(), tmp_path / "plan.json")
    assert load_plan(path) == plan
    assert json.loads(path.read_text(encoding="utf-8"))["scenario"] == "tiny"


def test_load_plan_rejects_bad_files(tmp_path):
    """A missing or malformed plan file is an InputError."""
    with pytest.raises(InputError, match="no such file"):
        load_plan(tmp_path / "none.json")
    bad = tmp_path / "bad.json"
    bad.write_text('{"scenario": "x"}', encoding="utf-8")
    with pytest.raises(InputError, match="horizon"):
        load_plan(bad)


def test_plan_csv_is_the_roster_with_bom(tmp_path):
    """The CSV starts with a UTF-8 BOM, has Chinese headers and one row per assignment."""
    path = write_plan(_plan(), scenario(), tmp_path / "plan.csv")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0][0] == "日期(date)"
    assert "姓名(name)" in rows[0]
    assert len(rows) == 1 + 6  # header + the 6 assignments
    assert rows[1][rows[0].index("姓名(name)")] == "张三"


def test_plan_xlsx_sheets_headers_and_rows(tmp_path):
    """The workbook has the five planner sheets (plus the flat roster) with two header rows.

    Rows: 4 people; 3 post/shift/role lines for k1-day, k1-night and s1-day-swab/reg (4);
    3 shortages; 4 workload rows; the flat roster has 6 assignments.
    """
    path = write_plan(_plan(), scenario(), tmp_path / "plan.xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["按人员排班", "按岗位排班", "缺口", "工作量", "指标", "排班表"]
    expected_rows = {"按人员排班": 4, "按岗位排班": 4, "缺口": 3, "工作量": 4, "排班表": 6}
    for name, count in expected_rows.items():
        sheet = book[name]
        assert sheet.max_row == 2 + count, name
        assert sheet.freeze_panes is not None and sheet.freeze_panes.endswith("3")
    by_person = book["按人员排班"]
    assert [c.value for c in by_person[1]][:4] == ["人员编号", "姓名", "人员类别", "2022-03-01"]
    assert by_person["A2"].value == "person"
    # the shortage sheet is ranked by priority first: k1 (priority 3) before s1 (1)
    assert [book["缺口"].cell(row=r, column=1).value for r in (3, 4, 5)] == [3, 3, 1]
    # p3 is unavailable on day 1
    assert by_person.cell(row=5, column=4).value == "不可用"


def test_write_plan_rejects_unknown_suffix(tmp_path):
    """Only .json, .csv and .xlsx are written."""
    with pytest.raises(ValueError, match=r"plan\.txt"):
        write_plan(_plan(), scenario(), tmp_path / "plan.txt")
