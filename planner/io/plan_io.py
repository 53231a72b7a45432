"""Reading and writing plans: JSON, a CSV roster, an Excel workbook for planners."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError

from planner.io.errors import InputError, validation_messages
from planner.model import Plan, Scenario
from planner.report.tables import (
    Table,
    by_person_table,
    by_post_table,
    kpi_table,
    roster_table,
    shortage_table,
    workload_table,
)

if TYPE_CHECKING:
    from planner.check.result import CheckResult

#: File suffixes :func:`write_plan` understands.
PLAN_SUFFIXES = (".json", ".csv", ".xlsx")
#: File suffixes :func:`write_violations` understands.
VIOLATION_SUFFIXES = (".csv", ".xlsx")


def load_plan(path: str | Path) -> Plan:
    """Read a plan written as JSON.

    Raises
    ------
    InputError
        If the file is missing, not JSON or not a plan (one line per problem).
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(path, ["no such file"])
    try:
        return Plan.model_validate_json(path.read_bytes())
    except ValidationError as exc:
        raise InputError(path, validation_messages(exc)) from None


def header(column: tuple[str, str]) -> str:
    """A one-line bilingual header: ``日期(date)``."""
    zh, en = column
    return zh if zh == en else f"{zh}({en})"


def write_csv(table: Table, path: Path) -> None:
    """Write a table as CSV in UTF-8 with a BOM, so Excel shows the Chinese right."""
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow([header(c) for c in table.columns])
        for row in table.rows:
            writer.writerow(["" if v is None else v for v in row])


def plan_tables(plan: Plan, scenario: Scenario) -> list[Table]:
    """The workbook's sheets, in order: by person, by post, shortages, workload, KPIs, roster."""
    return [
        by_person_table(plan, scenario),
        by_post_table(plan, scenario),
        shortage_table(plan, scenario),
        workload_table(plan, scenario),
        kpi_table(plan, scenario),
        roster_table(plan, scenario),
    ]


def write_plan(plan: Plan, scenario: Scenario, path: str | Path) -> Path:
    """Write a plan in the format its suffix names.

    Parameters
    ----------
    plan
        The plan to write.
    scenario
        Its scenario, for names, categories and post details.
    path
        ``.json``: the plan itself; ``.csv``: the roster, one row per assignment;
        ``.xlsx``: a workbook with rosters by person and by post, shortages, workload, KPIs.

    Returns
    -------
    Path
        The file written.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".json":
        path.write_text(plan.model_dump_json(indent=2) + "\n", encoding="utf-8")
    elif suffix == ".csv":
        write_csv(roster_table(plan, scenario), path)
    elif suffix == ".xlsx":
        from planner.io.plan_xlsx import write_tables

        write_tables(plan_tables(plan, scenario), path)
    else:
        raise ValueError(f"cannot write a plan to '{path.name}': use .json, .csv or .xlsx")
    return path


def write_violations(result: CheckResult, scenario: Scenario, path: str | Path) -> Path:
    """Write every violation the checker found, one row each, as ``.csv`` or ``.xlsx``
    (see :func:`planner.report.violations.violation_table`); returns the file written."""
    from planner.report.violations import violation_table

    path = Path(path)
    table = violation_table(result, scenario)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        write_csv(table, path)
    elif suffix == ".xlsx":
        from planner.io.plan_xlsx import write_tables

        write_tables([table], path)
    else:
        raise ValueError(f"cannot write violations to '{path.name}': use .csv or .xlsx")
    return path
