"""Load test of the HTTP service: many concurrent small solves against one server.

Loopback only, bounded in count and in time. By default it starts its own ``planner serve``
on a free 127.0.0.1 port with a temporary database; ``--url`` points it at a running server
(which must be on a loopback address). Each client submits one solve of the workbook
template's example scenario (inline), retries after ``Retry-After`` on 429, polls until the
solve finishes, and fetches the plan. It prints:

- completed: solves done with a plan fetched;
- rejected with 429: 429 answers received (each retried until the deadline);
- failed: solves that ended failed or cancelled;
- lost: solves accepted but never seen finished before the deadline, or gone (404);
- p50 / p95 latency from first submission to finished.

Usage::

    python benchmarks/load.py                 # 50 clients, 1 s solves, at most 600 s
    python benchmarks/load.py --count 5       # a quick look
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import httpx

ROOT = Path(__file__).resolve().parent.parent
MAX_COUNT = 200
MAX_SECONDS = 1800.0


@dataclass
class Tally:
    """What happened to the clients."""

    completed: int = 0
    rejected_429: int = 0
    failed: int = 0
    lost: int = 0
    latencies: list[float] = field(default_factory=list)


def _loopback(url: str) -> bool:
    host = urlparse(url).hostname or ""
    return host in ("localhost", "::1") or host.startswith("127.")


async def _client(
    http: httpx.AsyncClient, body: dict, tally: Tally, deadline: float, poll_s: float
) -> None:
    started = time.monotonic()
    solve_id = None
    while solve_id is None:
        if time.monotonic() > deadline:
            return  # never accepted: counted in rejected_429 only
        r = await http.post("/v1/solves", json=body)
        if r.status_code == 429:
            tally.rejected_429 += 1
            await asyncio.sleep(float(r.headers.get("Retry-After", "1")))
        elif r.status_code == 202:
            solve_id = r.json()["id"]
        else:
            tally.failed += 1
            return
    while time.monotonic() < deadline:
        await asyncio.sleep(poll_s)
        r = await http.get(f"/v1/solves/{solve_id}")
        if r.status_code == 404:
            break
        status = r.json()["status"]
        if status == "done":
            plan = await http.get(f"/v1/solves/{solve_id}/plan")
            if plan.status_code == 200:
                tally.completed += 1
                tally.latencies.append(time.monotonic() - started)
            else:
                tally.failed += 1
            return
        if status in ("failed", "cancelled"):
            tally.failed += 1
            return
    tally.lost += 1


async def _run(url: str, token: str, count: int, time_limit: float, seconds: float) -> Tally:
    from planner.io.workbook import example_scenario

    body = {"scenario": example_scenario().model_dump(mode="json"), "time_limit_s": time_limit}
    tally = Tally()
    deadline = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=count)
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=url, headers=headers, timeout=60, limits=limits) as http:
        await asyncio.gather(*(_client(http, body, tally, deadline, 0.5) for _ in range(count)))
    return tally


def _start_server(db: Path, token: str, running: int, queued: int) -> tuple[subprocess.Popen, str]:
    with socket.socket() as sock:  # a port free on loopback right now
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    env = {
        **os.environ,
        "PLANNER_API_TOKENS": token,
        "PLANNER_DATABASE_URL": f"sqlite:///{db}",
        "PLANNER_MAX_RUNNING": str(running),
        "PLANNER_MAX_QUEUED": str(queued),
        "PLANNER_SOLVER_WORKERS": "1",
    }
    cmd = [sys.executable, "-m", "planner", "serve", "--port", str(port), "--log-level", "warning"]
    proc = subprocess.Popen(cmd, env=env, cwd=ROOT)
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if httpx.get(f"{url}/v1/healthz", timeout=2).status_code == 200:
                return proc, url
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.terminate()
    raise SystemExit("the server did not start")


def main(argv: list[str] | None = None) -> int:
    """Run the load test; exit code 1 if any solve failed or was lost."""
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--url", help="a running server on a loopback address (default: start one)")
    p.add_argument("--token", default=os.environ.get("PLANNER_LOAD_TOKEN", "load-test-token"))
    p.add_argument("--count", type=int, default=50, help=f"concurrent clients (<= {MAX_COUNT})")
    p.add_argument("--time-limit", type=float, default=1.0, help="seconds per solve")
    p.add_argument("--seconds", type=float, default=600.0, help=f"deadline (<= {MAX_SECONDS:g})")
    p.add_argument("--max-running", type=int, default=2, help="own server: solves at once")
    p.add_argument("--max-queued", type=int, default=16, help="own server: queue length")
    args = p.parse_args(argv)
    if not 1 <= args.count <= MAX_COUNT or not 0 < args.seconds <= MAX_SECONDS:
        p.error(f"--count must be 1..{MAX_COUNT} and --seconds 0..{MAX_SECONDS:g}")
    if args.url and not _loopback(args.url):
        p.error("--url must be a loopback address (127.0.0.0/8, ::1, localhost)")
    proc = None
    with tempfile.TemporaryDirectory(prefix="planner-load-") as tmp:
        url = args.url
        if url is None:
            proc, url = _start_server(Path(tmp) / "load.sqlite", args.token, args.max_running,
                                      args.max_queued)  # fmt: skip
        try:
            began = time.monotonic()
            tally = asyncio.run(_run(url, args.token, args.count, args.time_limit, args.seconds))
            wall = time.monotonic() - began
        finally:
            if proc is not None:
                proc.terminate()
                proc.wait(timeout=30)
    lat = sorted(tally.latencies)
    p50 = statistics.median(lat) if lat else float("nan")
    p95 = lat[min(len(lat) - 1, int(0.95 * len(lat)))] if lat else float("nan")
    print(
        f"clients 客户端        {args.count}  (time limit {args.time_limit:g} s, wall {wall:.1f} s)"
    )
    print(f"completed 完成        {tally.completed}")
    print(f"rejected 429 拒绝     {tally.rejected_429}")
    print(f"failed 失败           {tally.failed}")
    print(f"lost 丢失             {tally.lost}")
    print(f"latency 延迟 p50/p95  {p50:.2f} s / {p95:.2f} s")
    return 0 if tally.failed == 0 and tally.lost == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
