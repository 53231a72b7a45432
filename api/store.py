"""The job store: scenarios, solve jobs, their progress and plans, through SQLAlchemy.

A SQLite file by default (embedded, nothing to set up); any SQLAlchemy URL works, e.g.
``postgresql+psycopg://user@host/db``. One explicit :class:`Store` object per app, never a
module-level registry.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    create_engine,
    event,
    func,
    select,
    update,
)
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    Session,
    mapped_column,
    sessionmaker,
    undefer,
)


class JobStatus(StrEnum):
    """Where a solve job is in its life."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


#: Statuses a job never leaves.
FINAL = (JobStatus.DONE, JobStatus.FAILED, JobStatus.CANCELLED)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def new_id() -> str:
    """A fresh random id (32 hex digits)."""
    return uuid.uuid4().hex


class Base(DeclarativeBase):
    """Declarative base of the store's tables."""


class ScenarioRow(Base):
    """An uploaded scenario, kept as its validated JSON."""

    __tablename__ = "scenarios"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(400))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now, index=True)
    num_people: Mapped[int] = mapped_column(Integer)
    num_posts: Mapped[int] = mapped_column(Integer)
    num_days: Mapped[int] = mapped_column(Integer)
    body: Mapped[str] = mapped_column(Text, deferred=True)


class JobRow(Base):
    """A solve job: parameters, status, latest progress, and the plan once there is one."""

    __tablename__ = "jobs"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    scenario_id: Mapped[str] = mapped_column(ForeignKey("scenarios.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), index=True)
    time_limit_s: Mapped[float] = mapped_column(Float)
    seed: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now, index=True)
    started_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    phase: Mapped[str | None] = mapped_column(String(40), nullable=True)
    objective: Mapped[int | None] = mapped_column(Integer, nullable=True)
    bound: Mapped[int | None] = mapped_column(Integer, nullable=True)
    gap: Mapped[float | None] = mapped_column(Float, nullable=True)
    elapsed_s: Mapped[float | None] = mapped_column(Float, nullable=True)
    progress_seq: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    has_plan: Mapped[bool] = mapped_column(Boolean, default=False)
    plan: Mapped[str | None] = mapped_column(Text, nullable=True, deferred=True)


class Store:
    """Scenarios and jobs in one database.

    Parameters
    ----------
    url
        A SQLAlchemy database URL; ``sqlite:///path`` makes the file if it does not exist.
    """

    def __init__(self, url: str) -> None:
        kwargs: dict[str, Any] = {}
        if url.startswith("sqlite"):
            kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
        self.engine = create_engine(url, **kwargs)
        if url.startswith("sqlite"):
            event.listen(self.engine, "connect", _sqlite_pragmas)
        Base.metadata.create_all(self.engine)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session committed on success and rolled back on error."""
        with self._sessions() as session, session.begin():
            yield session

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()

    # ---------------------------------------------------------------- scenarios
    def add_scenario(self, name: str, body: str, people: int, posts: int, days: int) -> str:
        """Store a validated scenario (its JSON); returns its new id."""
        row = ScenarioRow(
            id=new_id(),
            name=name[:400],
            body=body,
            num_people=people,
            num_posts=posts,
            num_days=days,
            created_at=_now(),
        )
        with self.session() as s:
            s.add(row)
        return row.id

    def get_scenario(self, scenario_id: str, with_body: bool = True) -> ScenarioRow | None:
        """The scenario with this id (with its body unless ``with_body`` is False), or None."""
        options = [undefer(ScenarioRow.body)] if with_body else []
        with self.session() as s:
            return s.get(ScenarioRow, scenario_id, options=options)

    def list_scenarios(self, offset: int, limit: int) -> tuple[list[ScenarioRow], int]:
        """A page of scenarios, newest first, and the total count (bodies not loaded)."""
        with self.session() as s:
            total = s.scalar(select(func.count()).select_from(ScenarioRow)) or 0
            query = (
                select(ScenarioRow)
                .order_by(ScenarioRow.created_at.desc(), ScenarioRow.id)
                .offset(offset)
                .limit(limit)
            )
            return list(s.scalars(query)), total

    # ---------------------------------------------------------------- jobs
    def add_job(self, scenario_id: str, time_limit_s: float, seed: int) -> str:
        """A new queued job; returns its id."""
        row = JobRow(
            id=new_id(),
            scenario_id=scenario_id,
            status=JobStatus.QUEUED.value,
            has_plan=False,
            time_limit_s=time_limit_s,
            seed=seed,
            created_at=_now(),
            progress_seq=0,
        )
        with self.session() as s:
            s.add(row)
        return row.id

    def get_job(self, job_id: str) -> JobRow | None:
        """The job with this id (without its plan: see :meth:`plan_of`), or None."""
        with self.session() as s:
            return s.get(JobRow, job_id)

    def plan_of(self, job_id: str) -> str | None:
        """The plan JSON of a job, or None if it has none (or there is no such job)."""
        with self.session() as s:
            return s.scalar(select(JobRow.plan).where(JobRow.id == job_id))

    def list_jobs(self, offset: int, limit: int) -> tuple[list[JobRow], int]:
        """A page of jobs, newest first, and the total count."""
        with self.session() as s:
            total = s.scalar(select(func.count()).select_from(JobRow)) or 0
            query = (
                select(JobRow)
                .order_by(JobRow.created_at.desc(), JobRow.id)
                .offset(offset)
                .limit(limit)
            )
            return list(s.scalars(query)), total

    def scenario_body_of(self, job_id: str) -> str | None:
        """The scenario JSON a job solves."""
        with self.session() as s:
            query = select(ScenarioRow.body).join(JobRow).where(JobRow.id == job_id)
            return s.scalar(query)

    def mark_running(self, job_id: str) -> None:
        """The job's worker has started."""
        self._update(job_id, status=JobStatus.RUNNING.value, started_at=_now())

    def record_progress(self, job_id: str, progress: dict[str, Any]) -> None:
        """Store the latest progress report and bump the job's progress counter."""
        keys = ("phase", "objective", "bound", "gap", "elapsed_s")
        values = {k: progress.get(k) for k in keys}
        with self.session() as s:
            s.execute(
                update(JobRow)
                .where(JobRow.id == job_id, JobRow.status == JobStatus.RUNNING.value)
                .values(**values, progress_seq=JobRow.progress_seq + 1)
            )

    def finish(
        self, job_id: str, status: JobStatus, plan: str | None = None, error: str | None = None
    ) -> bool:
        """Move an unfinished job to a final status; False if it had already finished."""
        values: dict[str, Any] = {"status": status.value, "finished_at": _now(), "error": error}
        if plan is not None:
            values["plan"], values["has_plan"] = plan, True
        with self.session() as s:
            result = s.execute(
                update(JobRow)
                .where(JobRow.id == job_id, JobRow.status.not_in([f.value for f in FINAL]))
                .values(**values, progress_seq=JobRow.progress_seq + 1)
            )
            return bool(getattr(result, "rowcount", 0))

    def fail_unfinished(self, reason: str) -> int:
        """Mark every queued or running job failed with ``reason``; returns how many."""
        with self.session() as s:
            result = s.execute(
                update(JobRow)
                .where(JobRow.status.in_([JobStatus.QUEUED.value, JobStatus.RUNNING.value]))
                .values(status=JobStatus.FAILED.value, error=reason, finished_at=_now())
            )
            return int(getattr(result, "rowcount", 0))

    def _update(self, job_id: str, **values: Any) -> None:
        with self.session() as s:
            s.execute(update(JobRow).where(JobRow.id == job_id).values(**values))


def _sqlite_pragmas(conn: Any, _record: Any) -> None:
    """WAL lets readers (progress, events) proceed while a writer commits."""
    cur = conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()
