"""Event streams cannot starve the API: at most so many per client and in total (429 beyond, with a
reason), each for a limited time (then `expired`), and a closed stream gives its place back."""

from __future__ import annotations

import contextlib
import time
import uuid
from collections.abc import Iterator

import httpx
import pytest
import sqlalchemy as sa

from orchestrator_core.db import ProcessTable, WorkflowTable, transaction
from orchestrator_core.settings import app_settings
from tests.api import api_workflows
from tests.api.conftest import register
from tests.security.conftest import bearer, hs256_token
from tests.waiting import wait_until


@pytest.fixture
def running_process(orchestrator_database) -> Iterator[uuid.UUID]:
    """A process that stays running (as one whose step takes long), so its streams stay open."""
    register(*api_workflows.ALL)
    with transaction() as session:
        workflow_id = session.execute(
            sa.select(WorkflowTable.workflow_id).where(WorkflowTable.name == "api_flaky")
        ).scalar_one()
        row = ProcessTable(workflow_id=workflow_id, last_status="running", created_by="test", is_task=False)
        session.add(row)
        session.flush()
        process_id = row.process_id
    yield process_id
    with transaction() as session:
        session.execute(sa.delete(ProcessTable).where(ProcessTable.process_id == process_id))


@pytest.fixture
def limits(monkeypatch):
    def set_limits(per_client: int, total: int) -> None:
        monkeypatch.setattr(app_settings, "ORCHESTRATOR_SSE_MAX_STREAMS_PER_CLIENT", per_client)
        monkeypatch.setattr(app_settings, "ORCHESTRATOR_SSE_MAX_STREAMS", total)

    return set_limits


@contextlib.contextmanager
def streams(client: httpx.Client, process_id: uuid.UUID, count: int, headers: dict[str, str] | None = None):
    """`count` open event streams of the process (each has sent its first bytes)."""
    with contextlib.ExitStack() as stack:
        opened = []
        for _ in range(count):
            response = stack.enter_context(client.stream("GET", f"/api/processes/{process_id}/events",
                                                         headers=headers or {}))
            assert response.status_code == 200, response.read()
            opened.append(response)
        yield opened


def refused(client: httpx.Client, process_id: uuid.UUID, headers: dict[str, str] | None = None) -> dict:
    response = client.get(f"/api/processes/{process_id}/events", headers=headers or {})
    assert response.status_code == 429, response.text
    assert response.json()["code"] == "events.too_many_streams"
    return response.json()["details"]


def opens_again(client: httpx.Client, process_id: uuid.UUID, headers: dict[str, str] | None = None) -> None:
    """A new stream is accepted once the server has noticed that a closed one is gone."""
    def accepted() -> bool:
        with client.stream("GET", f"/api/processes/{process_id}/events", headers=headers or {}) as response:
            return response.status_code == 200

    wait_until(accepted, "the closed stream's place was given back", timeout=10)


def test_streams_are_capped_per_client(client, api_url, running_process, limits):
    limits(per_client=3, total=50)
    with streams(client, running_process, 3) as open_ones:
        assert refused(client, running_process) == {"reason": "per_client", "limit": 3}
        open_ones[0].close()
        with httpx.Client(base_url=api_url, timeout=30) as other:
            opens_again(other, running_process)


@pytest.mark.usefixtures("auth_on")
def test_streams_are_capped_in_total_and_counted_per_user(client, running_process, limits):
    limits(per_client=3, total=5)
    alice, bob, carol = (bearer(hs256_token(user)) for user in ("alice", "bob", "carol"))
    with streams(client, running_process, 3, alice), streams(client, running_process, 2, bob):
        assert refused(client, running_process, alice)["reason"] == "per_client"
        assert refused(client, running_process, carol) == {"reason": "total", "limit": 5}
    opens_again(client, running_process, carol)


def test_a_stream_ends_after_its_maximum_lifetime(client, running_process, monkeypatch):
    monkeypatch.setattr(app_settings, "ORCHESTRATOR_SSE_MAX_SECONDS", 0.5)
    monkeypatch.setattr(app_settings, "ORCHESTRATOR_SSE_POLL_SECONDS", 0.05)
    with client.stream("GET", f"/api/processes/{running_process}/events", timeout=20) as response:
        events = [line.removeprefix("event: ") for line in response.iter_lines() if line.startswith("event: ")]
    assert events[0] == "status" and events[-1] == "expired"


def test_refused_and_unknown_streams_hold_no_place(client, limits):
    limits(per_client=1, total=1)
    for _ in range(5):
        assert client.get(f"/api/processes/{uuid.uuid4()}/events").status_code == 404


def test_with_every_stream_taken_the_api_still_answers_at_once(client, api_url, running_process, limits):
    """Was: 1,000 streams raised /api/health from 2 ms to 5.6 s."""
    limits(per_client=200, total=100)
    with httpx.Client(base_url=api_url, timeout=30, limits=httpx.Limits(max_connections=200)) as many:
        with streams(many, running_process, 100):
            for _ in range(20):
                assert refused(client, running_process)["reason"] == "total"
            timings = []
            for _ in range(5):
                started = time.perf_counter()
                assert client.get("/api/health").status_code == 200
                timings.append(time.perf_counter() - started)
            assert sorted(timings)[2] < 1.0, timings
