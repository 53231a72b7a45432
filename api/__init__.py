"""HTTP service for planner (FastAPI), under ``/v1``.

Run it with ``planner serve`` (or ``uvicorn api.main:app``); settings come from
``PLANNER_*`` environment variables (:mod:`api.settings`), bearer tokens from
``PLANNER_API_TOKENS``. Modules: :mod:`api.main` (app factory), :mod:`api.routers` (one
router per resource), :mod:`api.schemas` (envelopes), :mod:`api.store` (SQLAlchemy store),
:mod:`api.jobs` (solves in worker processes), :mod:`api.parsing` (bodies via planner.io).
"""
