"""The FastAPI app: ``create_app()``, and ``app`` for ``uvicorn api.main:app``.

Settings come from ``PLANNER_*`` environment variables (see :mod:`api.settings`). The app
refuses to start without bearer tokens (``PLANNER_API_TOKENS``) unless insecure-local mode
is on (``planner serve --insecure-local`` or ``PLANNER_INSECURE_LOCAL=1``), in which case it
answers loopback clients only.

Run one server process per database: solves already run in their own worker processes, and
at start-up a server marks the jobs it finds unfinished as failed (they were cut by a
restart), which would be wrong for jobs of a second live server on the same database.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.concurrency import run_in_threadpool

from api.errors import install_error_handlers
from api.jobs import JobRunner
from api.routers import check, health, scenarios, solves, templates
from api.settings import Settings
from api.store import Store
from planner import __version__

log = logging.getLogger("planner.api")

DESCRIPTION = """街道疫情防控人员排班服务 — workforce planning for street offices.

Upload a scenario (JSON, YAML or the Excel template), start a solve, follow its progress
(polling or server-sent events), stop it early, fetch the plan as JSON, CSV or Excel, and
check any plan against its scenario. Every route but `/v1/healthz` needs
`Authorization: Bearer <token>`.
"""


class BodyLimit:
    """ASGI middleware: 413 for a request body over ``settings.max_body_bytes``."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        settings: Settings | None = getattr(scope["app"].state, "settings", None)
        cap = settings.max_body_bytes if settings else 0
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length", b"").decode() or "0"
        if cap and (not length.isdigit() or int(length) > cap):
            await _too_large(send, cap)
            return
        if not cap or b"content-length" in headers:
            await self.app(scope, receive, send)
            return
        # No declared length (chunked): read at most the cap, then replay the body.
        chunks, size, more = [], 0, True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            more = message.get("more_body", False)
            if size > cap:
                await _too_large(send, cap)
                return
        replayed = False

        async def replay() -> Any:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": b"".join(chunks), "more_body": False}

        await self.app(scope, replay, send)


async def _too_large(send: Any, cap: int) -> None:
    body = f'{{"detail":"request body over {cap} bytes"}}'.encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": 413, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def create_app(settings: Settings | None = None) -> FastAPI:
    """The planner HTTP service.

    Parameters
    ----------
    settings
        What the service may do; read from the environment at start-up when None.

    Returns
    -------
    FastAPI
        The app. Its lifespan opens the store, marks jobs a previous run left unfinished as
        failed, and starts the job runner; shutting down stops running solves.
    """

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        active = settings or Settings.from_env()
        if not active.secure and not active.insecure_local:
            raise RuntimeError(
                "no API tokens: set PLANNER_API_TOKENS (comma-separated), or run "
                "`planner serve --insecure-local` on a loopback address"
            )
        store = Store(active.database_url)
        interrupted = store.fail_unfinished("interrupted by a server restart")
        if interrupted:
            log.info("%d jobs left unfinished by an earlier run marked failed", interrupted)
        runner = JobRunner(active, store)
        runner.start()
        app.state.settings, app.state.store, app.state.runner = active, store, runner
        try:
            yield
        finally:
            await run_in_threadpool(runner.close)
            store.close()

    app = FastAPI(
        title="planner",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
    )
    app.add_middleware(BodyLimit)
    install_error_handlers(app)
    for module in (health, scenarios, solves, check, templates):
        app.include_router(module.router)
    return app


app = create_app()
