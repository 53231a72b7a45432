"""Request dependencies: the app's settings, store and job runner, and bearer-token auth."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.jobs import JobRunner
from api.settings import Settings, is_loopback
from api.store import Store

_bearer = HTTPBearer(auto_error=False, description="a token from PLANNER_API_TOKENS")


def get_settings(request: Request) -> Settings:
    """The app's settings."""
    settings: Settings = request.app.state.settings
    return settings


def get_store(request: Request) -> Store:
    """The app's store."""
    store: Store = request.app.state.store
    return store


def get_runner(request: Request) -> JobRunner:
    """The app's job runner."""
    runner: JobRunner = request.app.state.runner
    return runner


def require_token(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> None:
    """Let the request through with a valid bearer token (or, insecure-local, from loopback).

    Raises
    ------
    HTTPException
        401 without a valid token; 403 for a non-loopback client of an insecure server.
    """
    settings = get_settings(request)
    if not settings.secure:
        client = request.client.host if request.client else None
        if not is_loopback(client):
            raise HTTPException(403, "this server runs without tokens: loopback clients only")
        return
    given = credentials.credentials.encode() if credentials else b""
    if not any(hmac.compare_digest(given, t.encode()) for t in settings.tokens):
        raise HTTPException(
            401, "a valid bearer token is required", headers={"WWW-Authenticate": "Bearer"}
        )


SettingsDep = Annotated[Settings, Depends(get_settings)]
StoreDep = Annotated[Store, Depends(get_store)]
RunnerDep = Annotated[JobRunner, Depends(get_runner)]
