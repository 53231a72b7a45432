"""YAML and JSON scenario files: parsing to plain data, and writing scenarios back.

YAML is read with a YAML 1.2-like core schema rather than PyYAML's YAML 1.1 defaults:
``on``/``off``/``yes``/``no`` stay strings (a request ``kind: off`` must not become
``False``), ``22:00`` stays a string (YAML 1.1 reads it as the base-60 integer 1320), dates
stay strings for pydantic to parse and report (``2022-13-45`` is an error message, not a
crash), and numbers with a leading zero (``007``) stay strings, as ids often look like that.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from enum import Enum
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel

from planner.io.errors import ScenarioError
from planner.model import Limit


class _Loader(yaml.SafeLoader):
    """SafeLoader with core-schema scalars (see the module docstring)."""


_DROPPED = {
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:timestamp",
}
_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in _DROPPED]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:int",
    re.compile(r"^(?:[-+]?(?:0|[1-9][0-9]*)|0x[0-9a-fA-F]+)$"),
    list("-+0123456789"),
)
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(
        r"""^(?:[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?
        |[-+]?[0-9]+[eE][-+]?[0-9]+
        |[-+]?\.(?:inf|Inf|INF)
        |\.(?:nan|NaN|NAN))$""",
        re.X,
    ),
    list("-+0123456789."),
)


class _Dumper(yaml.SafeDumper):
    """SafeDumper writing lists of scalars on one line (``shifts: [early, night]``)."""

    def represent_list(self, data: Any) -> yaml.Node:  # type: ignore[override]
        flow = all(not isinstance(item, dict | list) for item in data)
        return self.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)

    def ignore_aliases(self, data: Any) -> bool:
        return True


_Dumper.add_representer(list, _Dumper.represent_list)


def read_data(path: Path) -> Any:
    """Parse a ``.yaml``/``.yml``/``.json`` file into plain data.

    Raises
    ------
    ScenarioError
        If the file cannot be parsed; the message gives the line (and column) at fault.
    """
    text = path.read_text(encoding="utf-8-sig")
    if path.suffix.lower() == ".json":
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise ScenarioError(
                path, [f"line {exc.lineno}, column {exc.colno}: invalid JSON: {exc.msg}"]
            ) from None
    try:
        return yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = exc.problem or exc.context or "not valid YAML"
        raise ScenarioError(path, [f"{where}invalid YAML: {problem}"]) from None
    except yaml.YAMLError as exc:
        raise ScenarioError(path, [f"invalid YAML: {exc}"]) from None


def to_plain(value: Any) -> Any:
    """A model as plain data, leaving out fields equal to their defaults.

    Dates become ISO strings, times ``HH:MM`` (``HH:MM:SS`` if they have seconds), enums
    their values, and a hard :class:`~planner.model.Limit` a bare number. Loading the
    result gives back an equal model.
    """
    if isinstance(value, Limit) and value.weight is None:
        return value.value
    if isinstance(value, BaseModel):
        out: dict[str, Any] = {}
        for name, field in type(value).model_fields.items():
            item = getattr(value, name)
            if not field.is_required():
                default = field.get_default(call_default_factory=True)
                if item == default:
                    continue
            out[name] = to_plain(item)
        return out
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.strftime("%H:%M:%S" if value.second else "%H:%M")
    if isinstance(value, dict):
        return {str(k): to_plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_plain(v) for v in value]
    return value


def write_data(data: Any, path: Path) -> None:
    """Write plain data as YAML (``.yaml``/``.yml``) or JSON (``.json``), UTF-8."""
    suffix = path.suffix.lower()
    if suffix == ".json":
        text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    elif suffix in (".yaml", ".yml"):
        text = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)
    else:
        raise ValueError(f"cannot write '{path.name}': use .yaml, .yml or .json")
    path.write_text(text, encoding="utf-8")
