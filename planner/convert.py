"""``planner convert INPUT OUTPUT``: read a scenario in any supported format, write YAML/JSON.

Any format :func:`planner.io.load_scenario` reads (YAML, JSON, a planning workbook, a
Curtois & Qu ``.txt`` instance) is written as a scenario document by
:func:`planner.io.dump_scenario`, chosen by the output suffix (``.yaml``, ``.yml``, ``.json``).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from planner.io import InputError, dump_scenario, load_scenario
from planner.model import Scenario

#: Suffixes the output may have.
OUTPUT_SUFFIXES = (".yaml", ".yml", ".json")

#: One-line help of the subcommand.
HELP = "convert a scenario (YAML, JSON, workbook, Curtois .txt) to YAML or JSON"


def convert(source: str | Path, target: str | Path) -> Scenario:
    """Read ``source`` and write it to ``target`` as YAML or JSON; return the scenario.

    Raises
    ------
    InputError
        If ``target`` has another suffix than ``.yaml``, ``.yml`` or ``.json`` (checked
        before reading), or if ``source`` cannot be read (a ``ScenarioError``).
    """
    target = Path(target)
    if target.suffix.lower() not in OUTPUT_SUFFIXES:
        raise InputError(target, [f"suffix must be one of {', '.join(OUTPUT_SUFFIXES)}"])
    scenario = load_scenario(source)
    dump_scenario(scenario, target)
    return scenario


def configure_convert(parser: argparse.ArgumentParser) -> None:
    """Add the arguments of ``planner convert``."""
    parser.add_argument(
        "input", type=Path, help="scenario file (.yaml, .json, .xlsx, Curtois .txt)"
    )
    parser.add_argument("output", type=Path, help="file to write (.yaml, .yml or .json)")


def run_convert(args: argparse.Namespace) -> int:
    """Run ``planner convert``; the exit code (input errors propagate as InputError)."""
    scenario = convert(args.input, args.output)
    print(
        f"已写入 wrote {args.output}: {len(scenario.people)} 人 people, "
        f"{len(scenario.posts)} 岗位 posts, {scenario.horizon.days} 天 days"
    )
    return 0
