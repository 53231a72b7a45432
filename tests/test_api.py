"""The HTTP service, driven over a real loopback socket: a uvicorn server in a subprocess."""

from __future__ import annotations

import io
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import openpyxl
import pytest
from apihelpers import (
    ROOT,
    Server,
    busy_scenario,
    follow_events,
    free_port,
    small_scenario,
    upload_scenario,
    wait_for,
    wait_until,
)

from planner.io import dump_scenario
from planner.io.workbook import example_scenario, read_workbook, write_workbook
from planner.model import Plan

ENV = {
    "PLANNER_MAX_RUNNING": "1",
    "PLANNER_MAX_QUEUED": "1",
    "PLANNER_MAX_TIME_LIMIT_S": "20",
    "PLANNER_MAX_BODY_BYTES": str(2 << 20),
    "PLANNER_CANCEL_GRACE_S": "2",
}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    srv = Server(tmp_path_factory.mktemp("api") / "planner.sqlite", ENV).start()
    yield srv
    srv.stop()


@pytest.fixture
def client(server: Server) -> Iterator[httpx.Client]:
    with server.client() as c:
        yield c


def test_tokens_are_required_except_for_health(server: Server) -> None:
    """Health answers without a token; other routes answer 401 without or with a wrong one."""
    with server.client(token=None) as anon, server.client(token="wrong") as wrong:
        assert anon.get("/v1/healthz").status_code == 200
        assert anon.get("/v1/scenarios").status_code == 401
        assert wrong.get("/v1/scenarios").status_code == 401
        assert anon.post("/v1/solves", json={}).status_code == 401
        assert anon.get("/v1/templates/scenario.xlsx").status_code == 401


def test_uploads_yaml_and_workbook(client: httpx.Client, tmp_path: Path) -> None:
    """A scenario uploaded as YAML, as a multipart or raw workbook, reads back equal."""
    scenario = small_scenario()
    dump_scenario(scenario, tmp_path / "s.yaml")
    yaml_text = (tmp_path / "s.yaml").read_bytes()
    r = client.post(
        "/v1/scenarios", content=yaml_text, headers={"content-type": "application/yaml"}
    )
    assert r.status_code == 201, r.text
    stored = client.get(f"/v1/scenarios/{r.json()['id']}").json()
    assert stored["people"] == len(scenario.people)
    assert type(scenario).model_validate(stored["scenario"]) == scenario

    book = write_workbook(scenario, tmp_path / "s.xlsx").read_bytes()
    files = {"file": ("s.xlsx", book, "application/octet-stream")}
    r = client.post("/v1/scenarios", files=files)
    assert r.status_code == 201, r.text
    assert client.get(f"/v1/scenarios/{r.json()['id']}").json()["scenario"] == stored["scenario"]
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    r = client.post("/v1/scenarios", content=book, headers={"content-type": xlsx})
    assert r.status_code == 201, r.text

    page = client.get("/v1/scenarios", params={"limit": 2}).json()
    assert len(page["items"]) == 2 and page["total"] >= 3  # three uploads in this test


def test_template_download_reads_back(client: httpx.Client, tmp_path: Path) -> None:
    """The template served over HTTP is the workbook the reader turns into the example."""
    r = client.get("/v1/templates/scenario.xlsx")
    assert r.status_code == 200
    (tmp_path / "t.xlsx").write_bytes(r.content)
    assert read_workbook(tmp_path / "t.xlsx") == example_scenario()


def test_solve_progress_plan_formats_and_check(client: httpx.Client) -> None:
    """Solve, follow server-sent progress to the end, fetch JSON/CSV/Excel, check the plan."""
    scenario = small_scenario()  # the medium scenario: about 300 people, one week
    scenario_id = upload_scenario(client, scenario)
    r = client.post("/v1/solves", json={"scenario_id": scenario_id, "time_limit_s": 5})
    assert r.status_code == 202, r.text
    solve_id = r.json()["id"]
    events = follow_events(client, solve_id)
    assert events[-1][0] == "end" and events[-1][1]["status"] == "done"
    assert any(data["progress"]["phase"] for _, data in events)  # progress was recorded
    state = client.get(f"/v1/solves/{solve_id}").json()
    assert state["has_plan"] and state["progress"]["objective"] is not None

    plan = Plan.model_validate_json(client.get(f"/v1/solves/{solve_id}/plan").content)
    assert plan.scenario == scenario.name
    assert (
        client.get(f"/v1/solves/{solve_id}/plan.json").content
        == client.get(f"/v1/solves/{solve_id}/plan", params={"format": "json"}).content
    )
    csv = client.get(f"/v1/solves/{solve_id}/plan.csv")
    assert csv.status_code == 200
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert len(lines) == 1 + len(plan.assignments)  # a header, then one row per assignment
    xlsx = client.get(f"/v1/solves/{solve_id}/plan.xlsx")
    assert len(openpyxl.load_workbook(io.BytesIO(xlsx.content)).sheetnames) >= 5

    verdict = client.post("/v1/check", json={"scenario_id": scenario_id, "solve_id": solve_id})
    assert verdict.status_code == 200, verdict.text
    assert verdict.json()["feasible"]
    assert verdict.json()["objective"] == plan.stats.objective
    inline = {"scenario": scenario.model_dump(mode="json"), "plan": plan.model_dump(mode="json")}
    assert client.post("/v1/check", json=inline).json()["objective"] == plan.stats.objective


# Each row: (method, path, body or None, expected status, expected loc prefix or None).
BAD_REQUESTS = [
    # an age below the model's minimum: the field path is given
    ("POST", "/v1/scenarios", {"people": [{"age": 5}]}, 422, ["body", "people", 0, "age"]),
    # a time limit above the server's cap (20 s in these tests)
    (
        "POST",
        "/v1/solves",
        {"scenario_id": "x", "time_limit_s": 999},
        422,
        ["body", "time_limit_s"],
    ),
    # neither a stored nor an inline scenario
    ("POST", "/v1/solves", {"time_limit_s": 1}, 422, ["body"]),
    # an unknown field
    ("POST", "/v1/solves", {"scenario_id": "x", "colour": 1}, 422, ["body", "colour"]),
    # an invalid inline scenario
    ("POST", "/v1/solves", {"scenario": {"name": ""}}, 422, ["body", "scenario"]),
    # a paging limit out of range
    ("GET", "/v1/scenarios?limit=0", None, 422, ["query", "limit"]),
    # unknown ids
    ("GET", "/v1/scenarios/nope", None, 404, None),
    ("GET", "/v1/solves/nope", None, 404, None),
    ("GET", "/v1/solves/nope/plan.csv", None, 404, None),
    ("GET", "/v1/solves/nope/events", None, 404, None),
    ("DELETE", "/v1/solves/nope", None, 404, None),
    ("POST", "/v1/solves", {"scenario_id": "nope"}, 404, None),
    ("POST", "/v1/check", {"scenario_id": "nope", "solve_id": "nope"}, 404, None),
]


@pytest.mark.parametrize(("method", "path", "body", "status", "loc"), BAD_REQUESTS)
def test_bad_requests(
    client: httpx.Client, method: str, path: str, body: object, status: int, loc: list | None
) -> None:
    """Bad input answers 422 with the field path; unknown ids answer 404; never a 500."""
    if path == "/v1/scenarios" and isinstance(body, dict):
        data = example_scenario().model_dump(mode="json")
        data["people"][0]["age"] = 5
        body = data
    r = client.request(method, path, json=body)
    assert r.status_code == status, r.text
    if loc is not None:
        assert any(item["loc"][: len(loc)] == loc for item in r.json()["detail"]), r.text


def test_bad_bodies_are_422_or_413_and_quote_no_personal_data(client: httpx.Client) -> None:
    """Broken YAML, an unknown media type, a too large body and a YAML alias bomb are refused
    without a 500; an error on a person's row never quotes their contact."""
    r = client.post("/v1/scenarios", content=b"a: [", headers={"content-type": "application/yaml"})
    assert r.status_code == 422 and "line" in r.json()["detail"][0]["msg"]
    r = client.post("/v1/scenarios", content=b"x", headers={"content-type": "image/png"})
    assert r.status_code == 422
    files = {"file": ("s.xlsx", b"PK not a zip", "application/octet-stream")}
    r = client.post("/v1/scenarios", files=files)
    assert r.status_code == 422 and "Excel" in r.json()["detail"][0]["msg"]
    r = client.post("/v1/scenarios", content=b" " * (3 << 20))  # over the 2 MiB cap
    assert r.status_code == 413
    # ten levels of ten aliases each: 10**10 nodes once expanded, from a few hundred bytes
    bomb = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]\n" for i in range(1, 10)
    )
    r = client.post("/v1/scenarios", content=bomb, headers={"content-type": "application/yaml"})
    assert r.status_code == 422
    data = example_scenario().model_dump(mode="json")
    data["people"][0] |= {"contact": "13812345678", "age": 7}
    r = client.post("/v1/scenarios", json=data)
    assert r.status_code == 422 and "13812345678" not in r.text


def test_queue_full_and_stopping(client: httpx.Client) -> None:
    """With one solve running and one queued, a third gets 429 with Retry-After; DELETE stops
    the queued one (no plan) and the running one, which keeps its best plan so far."""
    scenario_id = upload_scenario(client, busy_scenario())
    body = {"scenario_id": scenario_id, "time_limit_s": 15}
    first = client.post("/v1/solves", json=body).json()["id"]
    second = client.post("/v1/solves", json=body).json()["id"]
    r = client.post("/v1/solves", json=body)
    assert r.status_code == 429 and int(r.headers["Retry-After"]) >= 1
    assert wait_for(client, first, {"running"})["status"] == "running"
    # the running solve is stopped once it has a plan (on a loaded machine its first plan
    # may come after it starts running)
    planned = wait_until(
        client, first, lambda state: state["progress"]["objective"] is not None, 30
    )
    assert planned["progress"]["objective"] is not None
    stopped = client.delete(f"/v1/solves/{second}")
    assert stopped.status_code == 200 and stopped.json()["status"] == "cancelled"
    stopped = client.delete(f"/v1/solves/{first}")
    assert stopped.status_code == 200 and stopped.json()["status"] == "cancelled"
    state = wait_for(client, first, {"cancelled"})
    assert state["status"] == "cancelled" and state["has_plan"]
    assert "best plan so far" in (state.get("error") or "")
    assert client.delete(f"/v1/solves/{first}").status_code == 409  # already finished
    plan = client.get(f"/v1/solves/{first}/plan")
    assert plan.status_code == 200 and "assignments" in plan.json()  # the best plan so far
    assert client.get(f"/v1/solves/{second}/plan").status_code == 409  # stopped before running


def test_restart_keeps_plans_and_fails_interrupted_jobs(tmp_path: Path) -> None:
    """A restarted server serves the same plan; a solve cut by the restart fails with a reason."""
    srv = Server(tmp_path / "restart.sqlite", ENV).start()
    try:
        with srv.client() as c:
            inline = {"scenario": example_scenario().model_dump(mode="json"), "time_limit_s": 2}
            done = c.post("/v1/solves", json=inline).json()["id"]
            assert wait_for(c, done, {"done", "failed"})["status"] == "done"
            before = c.get(f"/v1/solves/{done}/plan").content
            busy = upload_scenario(c, busy_scenario())
            cut = c.post("/v1/solves", json={"scenario_id": busy, "time_limit_s": 15}).json()["id"]
            assert wait_for(c, cut, {"running"})["status"] == "running"
        srv.stop()
        srv.start()
        with srv.client() as c:
            assert c.get(f"/v1/solves/{done}/plan").content == before
            state = c.get(f"/v1/solves/{cut}").json()
            assert state["status"] == "failed" and "interrupted" in state["error"]
    finally:
        srv.stop()


def test_refuses_to_start_without_tokens(tmp_path: Path) -> None:
    """Without PLANNER_API_TOKENS the server will not start, unless --insecure-local on
    loopback, where it answers loopback clients without a token."""
    env = {k: v for k, v in Server(tmp_path / "x.sqlite").env.items() if k != "PLANNER_API_TOKENS"}
    port = str(free_port())
    serve = [sys.executable, "-m", "planner", "serve", "--port", port]
    run = subprocess.run(serve, env=env, cwd=ROOT, capture_output=True, timeout=60)
    assert run.returncode == 2
    run = subprocess.run(
        [*serve, "--insecure-local", "--host", "0.0.0.0"], env=env, cwd=ROOT,
        capture_output=True, timeout=60,
    )  # fmt: skip
    assert run.returncode == 2
    uvicorn = [sys.executable, "-m", "uvicorn", "api.main:app", "--port", port]
    run = subprocess.run(uvicorn, env=env, cwd=ROOT, capture_output=True, timeout=60)
    assert run.returncode != 0
    srv = Server(tmp_path / "insecure.sqlite", args=["--insecure-local"])
    srv.env.pop("PLANNER_API_TOKENS")
    srv.start()
    try:
        with srv.client(token=None) as anon:
            assert anon.get("/v1/scenarios").status_code == 200
    finally:
        srv.stop()


def test_settings_from_environment() -> None:
    """Settings read PLANNER_* variables; an unreadable value names its variable."""
    from api.settings import Settings

    env = {"PLANNER_API_TOKENS": "a, b,,", "PLANNER_MAX_RUNNING": "3", "PLANNER_MAX_DAYS": ""}
    settings = Settings.from_env(env)
    assert settings.tokens == ("a", "b") and settings.max_running == 3
    assert settings.max_days == Settings().max_days  # empty means unset
    with pytest.raises(ValueError, match="PLANNER_MAX_QUEUED"):
        Settings.from_env({"PLANNER_MAX_QUEUED": "many"})
    with pytest.raises(ValueError, match="max_running"):
        Settings.from_env({"PLANNER_MAX_RUNNING": "0"})
