"""A real planner server on a loopback port, for the HTTP tests and the load benchmark."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx

from planner.io.workbook import example_scenario
from planner.model import Scenario

TOKEN = "test-token-1"
ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """``planner serve`` in a subprocess with its own database file.

    Parameters
    ----------
    db
        The SQLite file (kept across restarts).
    env
        Extra ``PLANNER_*`` settings.
    args
        Extra command-line arguments of ``planner serve``.
    """

    def __init__(self, db: Path, env: dict[str, str] | None = None, args: list[str] | None = None):
        self.db = db
        self.port = free_port()
        self.env = {
            **os.environ,
            "PLANNER_API_TOKENS": TOKEN,
            "PLANNER_DATABASE_URL": f"sqlite:///{db}",
            "PLANNER_SOLVER_WORKERS": "1",
            **(env or {}),
        }
        self.args = args or []
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout_s: float = 60) -> Server:
        """Start and wait until ``/v1/healthz`` answers."""
        cmd = [sys.executable, "-m", "planner", "serve", "--port", str(self.port)]
        cmd += ["--log-level", "warning", *self.args]
        self.proc = subprocess.Popen(cmd, env=self.env, cwd=ROOT)
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with code {self.proc.returncode}")
            try:
                if httpx.get(f"{self.url}/v1/healthz", timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError("server did not start in time")

    def stop(self) -> None:
        """Stop gracefully (SIGINT), killing it if it does not stop in time."""
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGINT)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)

    def client(self, token: str | None = TOKEN) -> httpx.Client:
        """An HTTP client for this server, with the bearer token unless None."""
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=60)


def upload_scenario(client: httpx.Client, scenario: Scenario) -> str:
    """POST a scenario as JSON; its id."""
    response = client.post("/v1/scenarios", content=scenario.model_dump_json())
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def follow_events(client: httpx.Client, solve_id: str) -> list[tuple[str, dict[str, Any]]]:
    """Read the server-sent events of a solve until its 'end' event: (event, data) pairs."""
    events: list[tuple[str, dict[str, Any]]] = []
    with client.stream("GET", f"/v1/solves/{solve_id}/events") as response:
        assert response.status_code == 200
        kind, data = "message", ""
        for line in response.iter_lines():
            if line.startswith("event:"):
                kind = line[6:].strip()
            elif line.startswith("data:"):
                data += line[5:].strip()
            elif line == "" and data:
                events.append((kind, json.loads(data)))
                if kind == "end":
                    break
                kind, data = "message", ""
    return events


def wait_until(
    client: httpx.Client, solve_id: str, done: Callable[[Any], bool], timeout_s: float = 60
) -> Any:
    """Poll a solve until ``done`` holds of its state (or ``timeout_s`` passes); its last
    state."""
    deadline = time.monotonic() + timeout_s
    while True:
        state = client.get(f"/v1/solves/{solve_id}").json()
        if done(state) or time.monotonic() > deadline:
            return state
        time.sleep(0.2)


def wait_for(client: httpx.Client, solve_id: str, statuses: set[str], timeout_s: float = 60) -> Any:
    """Poll a solve until its status is one of ``statuses``; its last state."""
    return wait_until(client, solve_id, lambda state: state["status"] in statuses, timeout_s)


def busy_scenario(people: int = 40, days: int = 14) -> Scenario:
    """A scenario CP-SAT does not finish proving within a few seconds (it runs to its limit)."""
    cats = ["community_worker", "volunteer", "street_cadre", "assistant"]
    shifts = ["e", "l", "n"]
    return Scenario.model_validate(
        {
            "name": "busy",
            "horizon": {"start": dt.date(2022, 4, 4), "days": days},
            "shifts": [
                {"id": "e", "start": "06:00", "duration_min": 480},
                {"id": "l", "start": "14:00", "duration_min": 480},
                {"id": "n", "start": "22:00", "duration_min": 480, "night": True},
            ],
            "posts": [
                {
                    "id": f"k{i}",
                    "type": "checkpoint",
                    "priority": 1 + i % 3,
                    "shifts": shifts,
                    "demand": [{"shift": s, "roles": [{"role": "guard", "headcount": 2}]}
                               for s in shifts],
                }
                for i in range(4)
            ],
            "people": [
                {"id": f"p{i}", "category": cats[i % 4], "preferred_shifts": [shifts[i % 3]]}
                for i in range(people)
            ],
            "rules": {"defaults": {"max_shifts_per_day": 1, "min_rest_minutes": 660,
                                   "max_consecutive_days": 5, "max_minutes_per_7_days": 2400}},
        }
    )  # fmt: skip


def small_scenario() -> Scenario:
    """The shipped medium scenario when there is one, else the workbook template's example."""
    from planner.io import load_scenario

    found = sorted((ROOT / "scenarios" / "medium").glob("*.yaml"))
    return load_scenario(found[0]) if found else example_scenario()


def scenarios_iter() -> Iterator[Path]:
    """Every shipped scenario file (YAML)."""
    yield from sorted((ROOT / "scenarios").glob("*/*.yaml"))
