"""Service settings, read from ``PLANNER_*`` environment variables."""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

#: Environment variable -> (field, kind, default, help).
_ENV: dict[str, tuple[str, type, Any, str]] = {
    "PLANNER_API_TOKENS": ("tokens", tuple, (), "comma-separated bearer tokens"),
    "PLANNER_INSECURE_LOCAL": (
        "insecure_local",
        bool,
        False,
        "1: allow no tokens, loopback clients only",
    ),
    "PLANNER_DATABASE_URL": (
        "database_url",
        str,
        "sqlite:///planner-api.sqlite",
        "SQLAlchemy URL: a SQLite file by default, or postgresql://...",
    ),
    "PLANNER_MAX_RUNNING": ("max_running", int, 1, "solves running at once"),
    "PLANNER_MAX_QUEUED": ("max_queued", int, 8, "solves waiting; more get 429"),
    "PLANNER_SOLVER_WORKERS": ("solver_workers", int, 2, "CP-SAT workers per solve"),
    "PLANNER_DEFAULT_TIME_LIMIT_S": ("default_time_limit_s", float, 30.0, "when not given"),
    "PLANNER_MAX_TIME_LIMIT_S": ("max_time_limit_s", float, 300.0, "largest time limit"),
    "PLANNER_MAX_PEOPLE": ("max_people", int, 5000, "largest scenario: people"),
    "PLANNER_MAX_POSTS": ("max_posts", int, 1000, "largest scenario: posts"),
    "PLANNER_MAX_DAYS": ("max_days", int, 62, "largest scenario: days"),
    "PLANNER_MAX_BODY_BYTES": ("max_body_bytes", int, 20 << 20, "largest request body"),
    "PLANNER_RETRY_AFTER_S": ("retry_after_s", int, 10, "Retry-After of a 429"),
    "PLANNER_CANCEL_GRACE_S": (
        "cancel_grace_s",
        float,
        10.0,
        "how long a stopped solve may take to hand back its best plan",
    ),
}


@dataclass(frozen=True)
class Settings:
    """What the service may do and where it keeps its data.

    Build it with :meth:`from_env`; every field has a ``PLANNER_*`` variable (see
    :func:`describe`).
    """

    tokens: tuple[str, ...] = ()
    insecure_local: bool = False
    database_url: str = "sqlite:///planner-api.sqlite"
    max_running: int = 1
    max_queued: int = 8
    solver_workers: int = 2
    default_time_limit_s: float = 30.0
    max_time_limit_s: float = 300.0
    max_people: int = 5000
    max_posts: int = 1000
    max_days: int = 62
    max_body_bytes: int = 20 << 20
    retry_after_s: int = 10
    cancel_grace_s: float = 10.0

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, int | float) and not isinstance(value, bool) and value < 0:
                raise ValueError(f"setting {f.name} must not be negative, got {value}")
        if self.max_running < 1:
            raise ValueError("setting max_running must be at least 1")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Settings from ``environ`` (default: ``os.environ``); unset variables keep defaults.

        Raises
        ------
        ValueError
            Naming the variable whose value cannot be read.
        """
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for var, (name, kind, _, _) in _ENV.items():
            raw = env.get(var)
            if raw is None or raw.strip() == "":
                continue
            values[name] = _parse(var, kind, raw.strip())
        return cls(**values)

    @property
    def secure(self) -> bool:
        """True if bearer tokens are configured."""
        return bool(self.tokens)


def _parse(var: str, kind: type, raw: str) -> Any:
    if kind is tuple:
        return tuple(t.strip() for t in raw.split(",") if t.strip())
    if kind is bool:
        if raw.lower() in ("1", "true", "yes", "on"):
            return True
        if raw.lower() in ("0", "false", "no", "off"):
            return False
        raise ValueError(f"{var}: expected 1 or 0, got '{raw[:20]}'")
    try:
        return kind(raw)
    except ValueError:
        raise ValueError(f"{var}: expected a {kind.__name__}, got '{raw[:20]}'") from None


def describe() -> list[tuple[str, str]]:
    """(variable, help with default) for every setting, for ``planner serve --help``."""
    out = []
    for var, (name, _, default, text) in _ENV.items():
        shown = "" if name == "tokens" else f" (default {default})"
        out.append((var, f"{text}{shown}"))
    return out


def is_loopback(host: str | None) -> bool:
    """True for 127.0.0.0/8, ::1 and ``localhost``."""
    if host is None:
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
