"""Readers and writers: scenario files, plans, workbooks. The only user of pandas/openpyxl."""

from planner.io.errors import InputError, ScenarioError
from planner.io.plan_io import load_plan, write_plan
from planner.io.scenario_io import dump_scenario, load_scenario, scenario_from_data

__all__ = [
    "InputError",
    "ScenarioError",
    "dump_scenario",
    "load_plan",
    "load_scenario",
    "scenario_from_data",
    "write_plan",
]
