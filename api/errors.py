"""Error envelopes: 422 with field paths (never the input values), and no 500 leaks."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel

log = logging.getLogger("planner.api")

_PATH = re.compile(r"^([A-Za-z_]\w*(?:\[\d+\]|\.\w+)*): ")


class ErrorItem(BaseModel):
    """One problem with the input: where (a path into the request) and what."""

    loc: list[str | int]
    msg: str
    type: str = "value_error"


class ErrorBody(BaseModel):
    """The body of every error response."""

    detail: str | list[ErrorItem]


class BadInput(Exception):
    """Input the service refuses with 422; each item names a field path and a message."""

    def __init__(self, items: Sequence[ErrorItem]) -> None:
        super().__init__("; ".join(i.msg for i in items))
        self.items = list(items)

    @classmethod
    def at(cls, loc: Sequence[str | int], msg: str) -> BadInput:
        """One problem at ``loc``."""
        return cls([ErrorItem(loc=list(loc), msg=msg)])

    @classmethod
    def from_lines(cls, prefix: Sequence[str | int], lines: Sequence[str]) -> BadInput:
        """Problems from ``<field.path>: <message>`` lines (as planner.io writes them)."""
        items = []
        for line in lines:
            match = _PATH.match(line)
            loc: list[str | int] = list(prefix)
            if match:
                for name, idx in re.findall(r"([A-Za-z_]\w*)|\[(\d+)\]", match.group(1)):
                    loc.append(int(idx) if idx else name)
            items.append(ErrorItem(loc=loc, msg=line))
        return cls(items or [ErrorItem(loc=list(prefix), msg="invalid input")])


def _validation_items(errors: Sequence[Any]) -> list[ErrorItem]:
    items = []
    for err in errors:
        msg = str(err.get("msg", "invalid"))
        for prefix in ("Value error, ", "Assertion failed, "):
            msg = msg.removeprefix(prefix)
        loc = [p if isinstance(p, int) else str(p) for p in err.get("loc", ())]
        items.append(ErrorItem(loc=loc, msg=msg, type=str(err.get("type", "value_error"))))
    return items


def install_error_handlers(app: FastAPI) -> None:
    """422 for invalid requests (paths and messages, no input values), 500 without details."""

    async def invalid_request(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        body = ErrorBody(detail=_validation_items(exc.errors()))
        return JSONResponse(body.model_dump(), status_code=422)

    async def bad_input(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, BadInput)
        return JSONResponse(ErrorBody(detail=exc.items).model_dump(), status_code=422)

    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        # The exception's text may quote input; log only its type and the route.
        log.error(
            "internal error %s on %s %s", type(exc).__name__, request.method, request.url.path
        )
        return JSONResponse({"detail": "internal error"}, status_code=500)

    app.add_exception_handler(RequestValidationError, invalid_request)
    app.add_exception_handler(BadInput, bad_input)
    app.add_exception_handler(Exception, unexpected)
