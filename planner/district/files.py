"""Reading profile, norms and roster files; writing compact scenario YAML."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from planner.district.norms import Norms, default_norms_path
from planner.district.profile import DistrictProfile
from planner.district.roster import RosterSpec
from planner.io.errors import InputError, validation_messages
from planner.io.yaml_json import read_data, to_plain
from planner.model import Scenario

M = TypeVar("M", bound=BaseModel)


def _load(path: str | Path, model: type[M], what: str) -> M:
    source = Path(path)
    data = read_data(source)
    if not isinstance(data, dict):
        raise InputError(source, [f"a {what} file is a mapping of fields"])
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise InputError(source, validation_messages(exc, data)) from None


def load_profile(path: str | Path) -> DistrictProfile:
    """Read a district profile (YAML or JSON).

    Raises
    ------
    InputError
        One line per problem, naming the field path and id.
    """
    return _load(path, DistrictProfile, "profile")


def load_norms(path: str | Path | None = None) -> Norms:
    """Read a norms file (the packaged default when ``path`` is None).

    A file with ``extends: default`` (or ``extends: <path>``, relative to the file) changes
    another norms file instead of repeating it: items of ``shifts``, ``blocks``,
    ``post_kinds`` and ``norms`` replace the base's items of the same id or are added;
    ``remove_norms`` drops base norms by id; mappings (``params``, ``rules``, ...) are merged
    key by key; ``custom_categories`` are added.

    Raises
    ------
    InputError
        One line per problem, naming the field path and id.
    """
    source = Path(path) if path is not None else default_norms_path()
    data = _norms_data(source, depth=0)
    try:
        return Norms.model_validate(data)
    except ValidationError as exc:
        raise InputError(source, validation_messages(exc, data)) from None


_ID_LISTS = ("shifts", "blocks", "post_kinds", "norms")


def _norms_data(source: Path, depth: int) -> dict[str, Any]:
    data = read_data(source)
    if not isinstance(data, dict):
        raise InputError(source, ["a norms file is a mapping of fields"])
    base_ref = data.pop("extends", None)
    removed = data.pop("remove_norms", [])
    if base_ref is None:
        if removed:
            raise InputError(source, ["remove_norms: only a file that extends another may remove"])
        return data
    if depth > 4:
        raise InputError(source, ["extends: too many levels of extension"])
    base_path = default_norms_path() if base_ref == "default" else source.parent / str(base_ref)
    merged = _merge(_norms_data(base_path, depth + 1), data)
    unknown = set(removed) - {n.get("id") for n in merged.get("norms", [])}
    if unknown:
        raise InputError(source, [f"remove_norms: unknown norm '{u}'" for u in sorted(unknown)])
    merged["norms"] = [n for n in merged.get("norms", []) if n.get("id") not in set(removed)]
    return merged


def _merge(base: Any, change: Any, key: str = "") -> Any:
    """``change`` laid over ``base``: mappings by key, id lists by id, the rest replaced."""
    if isinstance(base, dict) and isinstance(change, dict):
        out = dict(base)
        for k, v in change.items():
            out[k] = _merge(base[k], v, k) if k in base else v
        return out
    if key in _ID_LISTS and isinstance(base, list) and isinstance(change, list):
        items = {item.get("id"): item for item in base if isinstance(item, dict)}
        order = [item.get("id") for item in base if isinstance(item, dict)]
        for item in change:
            ident = item.get("id") if isinstance(item, dict) else None
            if ident not in items:
                order.append(ident)
            items[ident] = item
        return [items[i] for i in order]
    if key == "custom_categories" and isinstance(base, list) and isinstance(change, list):
        return base + [c for c in change if c not in base]
    return change


def load_roster(path: str | Path) -> RosterSpec:
    """Read a roster file: groups to generate and/or people listed outright."""
    return _load(path, RosterSpec, "roster")


def _flow(data: Any) -> str:
    text = yaml.safe_dump(
        data, default_flow_style=True, allow_unicode=True, width=1_000_000, sort_keys=False
    )
    text = text.strip()
    if text.endswith("\n..."):  # the document-end marker PyYAML adds after a bare scalar
        text = text[: -len("\n...")]
    return text


def _block(data: dict[str, Any], indent: str) -> list[str]:
    """``key: value`` lines; scalar lists and small mappings written on one line."""
    return [f"{indent}{key}: {_flow(value)}" for key, value in data.items()]


#: Lists whose items are written as blocks, each with a nested list in flow style.
_NESTED = {"communities": "grids", "posts": "demand"}


def scenario_yaml(scenario: Scenario) -> str:
    """``scenario`` as compact YAML: one line per person, shift, grid and demand entry.

    Loading the text gives back an equal scenario.
    """
    data = to_plain(scenario)
    out: list[str] = []
    for key, value in data.items():
        if key in ("people", "shifts", "fixed", "forbidden"):
            out.append(f"{key}:")
            out.extend(f"  - {_flow(item)}" for item in value)
        elif key in _NESTED:
            inner = _NESTED[key]
            out.append(f"{key}:")
            for item in value:
                children = item.pop(inner, [])
                lines = _block(item, "    ")
                lines[0] = "  - " + lines[0].lstrip()
                out.extend(lines)
                out.append(f"    {inner}:")
                out.extend(f"      - {_flow(child)}" for child in children)
        elif isinstance(value, dict | list):
            out.append(f"{key}:")
            nested = yaml.safe_dump(value, allow_unicode=True, sort_keys=False, width=100)
            out.extend("  " + line for line in nested.rstrip().splitlines())
        else:
            out.append(f"{key}: {_flow(value)}")
    return "\n".join(out) + "\n"


def write_scenario(scenario: Scenario, path: str | Path, header: str = "") -> None:
    """Write ``scenario`` as compact YAML to ``path``, after ``header`` comment lines."""
    lines = [f"# {line}".rstrip() for line in header.splitlines()]
    text = "\n".join(lines) + ("\n" if lines else "") + scenario_yaml(scenario)
    Path(path).write_text(text, encoding="utf-8")
