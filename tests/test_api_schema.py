"""Schemathesis over the service's OpenAPI schema: generated requests never get a 5xx.

The schema comes from the app itself; the requests go to a real server on a loopback port,
with a valid token (so they reach the handlers) and small caps (so a generated scenario that
happens to be valid solves in a second). A bounded number of examples per operation.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from apihelpers import TOKEN, Server
from hypothesis import HealthCheck, settings

schemathesis = pytest.importorskip("schemathesis")

from api.main import create_app  # noqa: E402
from api.parsing import XLSX_TYPES  # noqa: E402

ENV = {
    "PLANNER_MAX_RUNNING": "1",
    "PLANNER_MAX_QUEUED": "2",
    "PLANNER_MAX_TIME_LIMIT_S": "2",
    "PLANNER_DEFAULT_TIME_LIMIT_S": "1",
    "PLANNER_MAX_BODY_BYTES": str(1 << 20),
    "PLANNER_CANCEL_GRACE_S": "1",
}

# A workbook upload is raw bytes, as application/octet-stream is.
schemathesis.serializer.alias(XLSX_TYPES[0], "application/octet-stream")
schema = schemathesis.openapi.from_dict(create_app().openapi())


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    srv = Server(tmp_path_factory.mktemp("schema") / "planner.sqlite", ENV).start()
    yield srv
    srv.stop()


@schema.parametrize()
@settings(
    max_examples=int(os.environ.get("PLANNER_SCHEMA_EXAMPLES", "10")),
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=os.environ.get("PLANNER_SCHEMA_EXAMPLES") is None,
)
def test_no_server_errors(case: object, server: Server) -> None:
    """Whatever schemathesis sends to an operation, the answer is never a 5xx."""
    response = case.call(  # type: ignore[attr-defined]
        base_url=server.url, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=30
    )
    assert response.status_code < 500, (case, response.status_code, response.text[:500])
