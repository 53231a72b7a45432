"""``planner convert INPUT OUTPUT``: read a scenario in any supported format, write YAML/JSON.

Any format :func:`planner.io.load_scenario` reads (YAML, JSON, a planning workbook, a
Curtois & Qu ``.txt`` instance) is written as a scenario document by
:func:`planner.io.dump_scenario`, chosen by the output suffix (``.yaml``, ``.yml``, ``.json``).
"""

from __future__ import annotations

from pathlib import Path

from planner.io import dump_scenario, load_scenario
from planner.model import Scenario

#: Suffixes the output may have.
OUTPUT_SUFFIXES = (".yaml", ".yml", ".json")


def convert(source: str | Path, target: str | Path) -> Scenario:
    """Read ``source`` and write it to ``target`` as YAML or JSON; return the scenario.

    Raises
    ------
    ValueError
        If ``target`` has another suffix than ``.yaml``, ``.yml`` or ``.json`` (checked
        before reading), or if ``source`` cannot be read (a ``ScenarioError``).
    """
    target = Path(target)
    if target.suffix.lower() not in OUTPUT_SUFFIXES:
        raise ValueError(
            f"output '{target.name}': suffix must be one of {', '.join(OUTPUT_SUFFIXES)}"
        )
    scenario = load_scenario(source)
    dump_scenario(scenario, target)
    return scenario
