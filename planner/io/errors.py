"""Input errors: one message line per problem, naming the field path and the offending id.

Messages never carry input values (pydantic would put them there): a person's
``contact`` or name must not leak into a terminal, a log or an HTTP response.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

#: Singular nouns of the id-bearing collections, for "(person 'p3')" tags.
_SINGULAR = {
    "people": "person",
    "posts": "post",
    "shifts": "shift",
    "communities": "community",
    "grids": "grid",
}

_PREFIXES = ("Value error, ", "Assertion failed, ")


class InputError(ValueError):
    """An input file that cannot be read: one line per problem in ``errors``.

    Parameters
    ----------
    source
        The file (or other source) the errors are about.
    errors
        One message per problem, each ``<field.path>: <message>`` where a field is known.
    """

    def __init__(self, source: str | Path, errors: Sequence[str]) -> None:
        self.source = str(source)
        self.errors = list(errors) or ["unreadable input"]
        super().__init__("\n".join(f"{self.source}: {line}" for line in self.errors))


class ScenarioError(InputError):
    """A scenario file that is missing, unreadable or invalid."""


def loc_path(loc: Sequence[int | str]) -> str:
    """A pydantic error location as a field path: ``("people", 3, "age")`` -> ``people[3].age``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _id_tag(data: Any, loc: Sequence[int | str]) -> str:
    """``(post 'k1')`` for the innermost id-bearing item on the path through ``data``."""
    tag = ""
    node, field = data, ""
    for part in loc:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(part, int) and isinstance(node, dict) and isinstance(node.get("id"), str):
            tag = f"({_SINGULAR.get(field, 'id')} '{node['id']}')"
        if isinstance(part, str):
            field = part
    return tag


def validation_messages(exc: ValidationError, data: Any = None) -> list[str]:
    """One line per pydantic error: ``<field.path>: <message> (<kind> '<id>')``.

    Parameters
    ----------
    exc
        The validation error.
    data
        The raw input that was validated; used only to find the id of the item at fault.

    Returns
    -------
    list of str
        Messages without input values. The scenario's root validator already names
        paths and ids; its lines are passed through.
    """
    lines: list[str] = []
    for err in exc.errors(include_input=False, include_url=False, include_context=False):
        msg = str(err["msg"])
        for prefix in _PREFIXES:
            if msg.startswith(prefix):
                msg = msg[len(prefix) :]
        loc = err["loc"]
        where = loc_path(loc)
        if not where:
            lines.extend(line for line in msg.splitlines() if line.strip())
            continue
        tag = _id_tag(data, loc) if data is not None else ""
        if tag and tag[tag.index("'") : -1] in msg:  # the message already names the id
            tag = ""
        lines.append(f"{where}: {msg} {tag}".rstrip())
    return lines
