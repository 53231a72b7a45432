"""Reading and writing scenario files, whatever their format."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from planner.io.errors import InputError, ScenarioError, validation_messages
from planner.io.yaml_json import read_data, to_plain, write_data
from planner.model import Scenario

#: File suffixes read as YAML or JSON.
TEXT_SUFFIXES = (".yaml", ".yml", ".json")

#: The marker of a Curtois/Qu benchmark instance (``.txt``).
CURTOIS_MARKER = "SECTION_HORIZON"


def scenario_from_data(data: Any, source: str | Path = "<data>") -> Scenario:
    """Validate plain data (a parsed YAML/JSON document) into a scenario.

    Raises
    ------
    ScenarioError
        With one ``<field.path>: <message>`` line per problem.
    """
    if not isinstance(data, dict):
        kind = "empty" if data is None else type(data).__name__
        raise ScenarioError(source, [f"a scenario is a mapping of fields, got {kind}"])
    try:
        return Scenario.model_validate(_pad_times(data))
    except ValidationError as exc:
        raise ScenarioError(source, validation_messages(exc, data)) from None


_SHORT_TIME = re.compile(r"^\d:\d\d(:\d\d)?$")


def _pad_times(data: dict[str, Any]) -> dict[str, Any]:
    """Accept ``8:00`` for ``08:00`` in shift starts, as people write it."""
    shifts = data.get("shifts")
    if not isinstance(shifts, list):
        return data
    padded = [
        {**s, "start": "0" + s["start"]}
        if isinstance(s, dict) and isinstance(s.get("start"), str) and _SHORT_TIME.match(s["start"])
        else s
        for s in shifts
    ]
    return {**data, "shifts": padded}


def _delegate(path: Path, module: str, func: str, what: str) -> Scenario:
    """Call ``planner.io.<module>.<func>(path)``, imported only when needed."""
    try:
        mod = __import__(f"planner.io.{module}", fromlist=[func])
        reader: Callable[[Path], Scenario] = getattr(mod, func)
    except (ImportError, AttributeError):
        raise ScenarioError(
            path, [f"reading {what} is not available in this installation"]
        ) from None
    try:
        return reader(path)
    except ValidationError as exc:
        raise ScenarioError(path, validation_messages(exc)) from None
    except InputError:
        raise
    except ValueError as exc:
        raise ScenarioError(path, str(exc).splitlines()) from None


def load_scenario(path: str | Path) -> Scenario:
    """Read a scenario, choosing the reader by format.

    ``.yaml``/``.yml``/``.json`` are scenario documents; ``.xlsx`` is a planning workbook
    (:func:`planner.io.workbook.read_workbook`); a ``.txt`` file containing
    ``SECTION_HORIZON`` is a Curtois benchmark instance (:func:`planner.io.curtois.read_curtois`).

    Parameters
    ----------
    path
        The file to read.

    Returns
    -------
    Scenario
        The validated scenario.

    Raises
    ------
    ScenarioError
        If the file is missing, of an unknown format, unparsable (the message gives the
        line) or invalid (one ``<field.path>: <message>`` line per problem, naming the id).
    """
    path = Path(path)
    if not path.is_file():
        raise ScenarioError(path, ["no such file"])
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        return scenario_from_data(read_data(path), path)
    if suffix in (".xlsx", ".xlsm"):
        return _delegate(path, "workbook", "read_workbook", "Excel workbooks")
    if suffix == ".txt":
        with path.open(encoding="utf-8", errors="replace") as fh:
            head = fh.read(1 << 16)
        if CURTOIS_MARKER in head:
            return _delegate(path, "curtois", "read_curtois", "Curtois instances")
    raise ScenarioError(
        path, ["unknown format: expected .yaml, .yml, .json, .xlsx or a Curtois .txt instance"]
    )


def dump_scenario(scenario: Scenario, path: str | Path) -> None:
    """Write a scenario as YAML (``.yaml``/``.yml``) or JSON (``.json``).

    Fields equal to their defaults are left out, dates are ISO and times ``HH:MM``;
    :func:`load_scenario` reads the file back into an equal scenario.
    """
    write_data(to_plain(scenario), Path(path))
