"""Solve jobs in worker processes, a bounded queue, and progress written to the store.

Each solve runs in its own spawned process (never on the event loop, never in the server
process), so a stuck or stopped solve can be ended without touching the others. A monitor
thread starts queued jobs while fewer than ``max_running`` run, reads each worker's messages
(progress, plan, failure) from that worker's own pipe (so ending one worker can never
corrupt another's channel) and writes them to the store.

Stopping early: if the solver accepts a stop event (``SolveParams.stop``), a stopped job is
asked to finish and hands back its best plan so far, within ``cancel_grace_s``; otherwise
(as now) its process is ended and the job is cancelled without a plan.
"""

from __future__ import annotations

import dataclasses
import logging
import multiprocessing as mp
import threading
import time
from collections import deque
from multiprocessing import connection as mp_connection
from typing import Any

from api.settings import Settings
from api.store import JobStatus, Store

log = logging.getLogger("planner.api")

#: Least seconds between two progress messages of one worker (phase changes always pass).
PROGRESS_INTERVAL_S = 0.25


class QueueFull(Exception):
    """Raised by :meth:`JobRunner.submit` when the queue is at capacity."""


def solver_can_stop() -> bool:
    """True if ``SolveParams`` has a ``stop`` field (cooperative early stop)."""
    from planner.solvers import SolveParams

    return "stop" in {f.name for f in dataclasses.fields(SolveParams)}


def _worker(
    job_id: str, body: str, time_limit_s: float, seed: int, workers: int, out: Any, stop: Any
) -> None:
    """Body of a worker process: solve and send ("progress" | "done" | "failed", id, data)."""
    try:
        from planner.model import Scenario
        from planner.solvers import Progress, SolveParams, solve

        scenario = Scenario.model_validate_json(body)
        last: dict[str, Any] = {"t": 0.0, "phase": ""}

        def progress(p: Progress) -> None:
            now = time.monotonic()
            if p.phase == last["phase"] and now - float(last["t"]) < PROGRESS_INTERVAL_S:
                return
            last["t"], last["phase"] = now, p.phase
            out.send(("progress", job_id, dataclasses.asdict(p)))

        extra = {"stop": stop} if solver_can_stop() else {}
        params = SolveParams(
            time_limit_s=time_limit_s, workers=workers, seed=seed, progress=progress, **extra
        )
        plan = solve(scenario, params)
        out.send(("done", job_id, plan.model_dump_json()))
    except Exception as exc:  # the service reports every failure as a failed job
        out.send(("failed", job_id, f"{type(exc).__name__}: {exc}"[:2000]))
    finally:
        out.close()


@dataclasses.dataclass
class _Running:
    process: Any
    conn: Any
    stop: Any
    stopping_since: float | None = None
    finished: bool = False


class JobRunner:
    """Runs queued jobs in worker processes and records what they report.

    Parameters
    ----------
    settings
        Capacity (``max_running``, ``max_queued``), solver workers, stop grace.
    store
        Where jobs, progress and plans are kept.
    """

    def __init__(self, settings: Settings, store: Store) -> None:
        self.settings = settings
        self.store = store
        self._ctx = mp.get_context("spawn")
        self._pending: deque[str] = deque()
        self._running: dict[str, _Running] = {}
        self._cancelled: set[str] = set()
        self._lock = threading.Lock()
        self._closing = threading.Event()
        self._thread = threading.Thread(target=self._monitor, name="planner-jobs", daemon=True)

    # ---------------------------------------------------------------- public
    def start(self) -> None:
        """Start the monitor thread."""
        self._thread.start()

    @property
    def capacity(self) -> int:
        """Most jobs queued or running at once."""
        return self.settings.max_running + self.settings.max_queued

    def load(self) -> int:
        """Jobs queued or running now."""
        with self._lock:
            return len(self._pending) + len(self._running)

    def submit(self, scenario_id: str, time_limit_s: float, seed: int) -> str:
        """Queue a solve; returns the job id.

        Raises
        ------
        QueueFull
            If ``max_running + max_queued`` jobs are already queued or running.
        """
        with self._lock:
            if len(self._pending) + len(self._running) >= self.capacity:
                raise QueueFull
            job_id = self.store.add_job(scenario_id, time_limit_s, seed)
            self._pending.append(job_id)
        log.info("job %s queued (time limit %.1f s)", job_id, time_limit_s)
        return job_id

    def cancel(self, job_id: str) -> bool:
        """Stop a queued or running job; False if it is not queued or running here."""
        with self._lock:
            if job_id in self._pending:
                self._pending.remove(job_id)
                self.store.finish(job_id, JobStatus.CANCELLED, error="stopped before it started")
                log.info("job %s cancelled while queued", job_id)
                return True
            run = self._running.get(job_id)
            if run is None:
                return False
            self._cancelled.add(job_id)
            run.stop.set()
            if run.stopping_since is None:
                run.stopping_since = time.monotonic()
            if not solver_can_stop():
                run.process.terminate()
        log.info("job %s asked to stop", job_id)
        return True

    def close(self) -> None:
        """Stop the monitor, end running workers, mark unfinished jobs failed."""
        self._closing.set()
        if self._thread.is_alive():
            self._thread.join(timeout=10)
        with self._lock:
            for run in self._running.values():
                run.process.terminate()
            for run in self._running.values():
                run.process.join(timeout=5)
                run.conn.close()
            self._running.clear()
            self._pending.clear()
        count = self.store.fail_unfinished("interrupted: the server stopped")
        if count:
            log.info("%d unfinished jobs marked failed at shutdown", count)

    # ---------------------------------------------------------------- monitor
    def _monitor(self) -> None:
        while not self._closing.is_set():
            try:
                self._drain(timeout=0.1)
                self._reap()
                self._launch()
            except Exception:  # keep serving: one bad write must not stop every job
                log.exception("job monitor error")
                time.sleep(0.5)

    def _drain(self, timeout: float) -> None:
        with self._lock:
            conns = {run.conn: job_id for job_id, run in self._running.items()}
        if not conns:
            self._closing.wait(timeout)
            return
        for conn in mp_connection.wait(list(conns), timeout=timeout):
            self._read(conns[conn], conn)

    def _read(self, job_id: str, conn: Any) -> None:
        """Handle every message waiting on a worker's pipe."""
        try:
            while not conn.closed and conn.poll():
                self._handle(*conn.recv())
        except (EOFError, OSError, ValueError, TypeError):
            pass  # the worker ended (or was ended) mid-message; _reap decides what it means

    def _handle(self, kind: str, job_id: str, data: Any) -> None:
        if kind == "progress":
            self.store.record_progress(job_id, data)
            return
        cancelled = job_id in self._cancelled
        if kind == "done":
            status = JobStatus.CANCELLED if cancelled else JobStatus.DONE
            note = "stopped early: best plan so far" if cancelled else None
            self.store.finish(job_id, status, plan=data, error=note)
        else:
            self.store.finish(job_id, JobStatus.FAILED, error=str(data))
        log.info("job %s %s", job_id, "cancelled" if cancelled else kind)
        with self._lock:
            if job_id in self._running:
                self._running[job_id].finished = True

    def _reap(self) -> None:
        now = time.monotonic()
        with self._lock:
            runs = list(self._running.items())
        for job_id, run in runs:
            grace = self.settings.cancel_grace_s
            if run.stopping_since is not None and now - run.stopping_since > grace:
                run.process.terminate()
            if run.process.is_alive():
                continue
            self._read(job_id, run.conn)  # a last message may still be in the pipe
            if not run.finished:
                if job_id in self._cancelled:
                    self.store.finish(job_id, JobStatus.CANCELLED, error="stopped; no plan yet")
                    log.info("job %s cancelled", job_id)
                else:
                    code = run.process.exitcode
                    error = f"worker process ended (exit code {code})"
                    self.store.finish(job_id, JobStatus.FAILED, error=error)
                    log.warning("job %s failed: worker exit code %s", job_id, code)
            with self._lock:
                self._running.pop(job_id, None)
                self._cancelled.discard(job_id)
            run.process.join(timeout=1)
            run.process.close()
            run.conn.close()

    def _launch(self) -> None:
        with self._lock:
            while self._pending and len(self._running) < self.settings.max_running:
                job_id = self._pending.popleft()
                job = self.store.get_job(job_id)
                body = self.store.scenario_body_of(job_id)
                if job is None or body is None:
                    continue
                stop = self._ctx.Event()
                reader, writer = self._ctx.Pipe(duplex=False)
                args = (
                    job_id,
                    body,
                    job.time_limit_s,
                    job.seed,
                    self.settings.solver_workers,
                    writer,
                    stop,
                )
                process = self._ctx.Process(target=_worker, args=args, daemon=True)
                self.store.mark_running(job_id)
                process.start()
                writer.close()  # the worker holds the only writing end: EOF when it ends
                self._running[job_id] = _Running(process, reader, stop)
                log.info("job %s started", job_id)
