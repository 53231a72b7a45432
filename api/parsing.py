"""Request bodies to scenarios, through planner.io: JSON, YAML or an Excel workbook."""

from __future__ import annotations

import email.parser
import email.policy
import io
import tempfile
import zipfile
from pathlib import Path

import yaml

from api.errors import BadInput
from api.settings import Settings
from planner.io import InputError, load_scenario, write_plan
from planner.model import Plan, Scenario

#: Content types read as each scenario format.
XLSX_TYPES = (
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/octet-stream",
)
YAML_TYPES = ("application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml", "text/plain")
JSON_TYPES = ("application/json",)

#: Plan formats and their media types.
PLAN_MEDIA = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "xlsx": XLSX_TYPES[0],
}


def _suffix_for(content_type: str) -> str:
    kind = content_type.split(";")[0].strip().lower()
    if kind in JSON_TYPES or kind.endswith("+json"):
        return ".json"
    if kind in YAML_TYPES:
        return ".yaml"
    if kind in XLSX_TYPES:
        return ".xlsx"
    raise BadInput.at(
        ["header", "content-type"],
        f"unsupported content type '{kind[:60]}': send application/json, application/yaml, "
        "an .xlsx workbook, or multipart/form-data with a 'file' part",
    )


def _multipart_file(body: bytes, content_type: str) -> tuple[bytes, str]:
    """The ``file`` part (or the only part) of a multipart body: its bytes and suffix."""
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
    parts = [p for p in message.iter_parts()] if message.is_multipart() else []
    chosen = [p for p in parts if p.get_param("name", header="content-disposition") == "file"]
    if not chosen and len(parts) == 1:
        chosen = parts
    if not chosen:
        raise BadInput.at(["body", "file"], "a multipart upload needs a part named 'file'")
    part = chosen[0]
    data = part.get_payload(decode=True)
    if not isinstance(data, bytes):
        data = b""
    filename = str(part.get_filename() or "")
    suffix = Path(filename).suffix.lower()
    if suffix not in (".xlsx", ".yaml", ".yml", ".json"):
        suffix = _suffix_for(part.get_content_type())
    return data, suffix


def parse_scenario(body: bytes, content_type: str, settings: Settings) -> Scenario:
    """The scenario in a request body, within the server's size caps.

    Raises
    ------
    BadInput
        If the body cannot be read or the scenario is invalid or too large; each item
        names the field path (``body.people[3].age``) or the sheet, row and column.
    """
    if content_type.lower().startswith("multipart/form-data"):
        body, suffix = _multipart_file(body, content_type)
    else:
        suffix = _suffix_for(content_type or "application/json")
    if not body.strip():
        raise BadInput.at(["body"], "the body is empty: send a scenario")
    _check_expansion(body, suffix, settings)
    with tempfile.TemporaryDirectory(prefix="planner-api-") as tmp:
        path = Path(tmp) / f"scenario{suffix}"
        path.write_bytes(body)
        try:
            scenario = load_scenario(path)
        except InputError as exc:
            raise BadInput.from_lines(["body"], exc.errors) from None
        except (ValueError, UnicodeDecodeError, RecursionError) as exc:
            raise BadInput.at(["body"], f"unreadable scenario: {type(exc).__name__}") from None
    check_caps(scenario, settings, ["body"])
    return scenario


#: How many times its own size a body may grow when unpacked (workbook) or expanded (YAML).
EXPANSION = 20


def _check_expansion(body: bytes, suffix: str, settings: Settings) -> None:
    """Refuse zip bombs and YAML alias bombs before anything parses them in full."""
    limit = EXPANSION * max(settings.max_body_bytes, 1 << 20)
    if suffix == ".xlsx":
        try:
            with zipfile.ZipFile(io.BytesIO(body)) as archive:
                unpacked = sum(info.file_size for info in archive.infolist())
        except (zipfile.BadZipFile, ValueError):
            raise BadInput.at(["body"], "not an Excel workbook (.xlsx)") from None
        if unpacked > limit:
            raise BadInput.at(["body"], f"the workbook unpacks to over {limit} bytes")
    elif suffix == ".yaml":
        try:
            root = yaml.compose(body, Loader=yaml.SafeLoader)
        except yaml.YAMLError:
            return  # planner.io reports the syntax error with its line
        if root is not None and _expanded_nodes(root, {}) > limit // 8:
            raise BadInput.at(["body"], "the YAML expands (through aliases) far beyond its size")


def _expanded_nodes(node: yaml.Node, memo: dict[int, int]) -> int:
    """Nodes in the document with every alias expanded, counted without expanding them."""
    key = id(node)
    if key not in memo:
        memo[key] = 1  # a cycle counts once; the loader rejects or bounds it later
        total = 1
        if isinstance(node, yaml.SequenceNode):
            total += sum(_expanded_nodes(child, memo) for child in node.value)
        elif isinstance(node, yaml.MappingNode):
            total += sum(_expanded_nodes(k, memo) + _expanded_nodes(v, memo) for k, v in node.value)
        memo[key] = total
    return memo[key]


def check_caps(scenario: Scenario, settings: Settings, prefix: list[str | int]) -> None:
    """Refuse a scenario larger than the server's caps (people, posts, days)."""
    sizes = (
        ("people", len(scenario.people), settings.max_people),
        ("posts", len(scenario.posts), settings.max_posts),
        ("horizon", scenario.horizon.days, settings.max_days),
    )
    for field, size, cap in sizes:
        if size > cap:
            what = "days" if field == "horizon" else field
            loc = [*prefix, field] + (["days"] if field == "horizon" else [])
            raise BadInput.at(loc, f"at most {cap} {what} on this server, got {size}")


def render_plan(plan: Plan, scenario: Scenario, fmt: str) -> bytes:
    """A plan as the bytes of a ``json``, ``csv`` or ``xlsx`` file (the CLI's writers)."""
    with tempfile.TemporaryDirectory(prefix="planner-api-") as tmp:
        path = write_plan(plan, scenario, Path(tmp) / f"plan.{fmt}")
        return path.read_bytes()
