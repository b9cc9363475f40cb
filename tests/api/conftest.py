"""The API under test runs for real: uvicorn on a free loopback port in a background thread,
against the session's migrated Postgres and embedded Prefect; tests talk to it with httpx.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import jwt
import pytest
import uvicorn

from orchestrator_core.api.app import create_app
from orchestrator_core.db import transaction
from orchestrator_core.services.workflow_registry import ensure_workflow_row
from orchestrator_core.settings import app_settings
from orchestrator_core.workflow import get_workflow

JWT_SECRET = "test-secret-for-the-api-suite-32-bytes!"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def api_url(orchestrator_database: str) -> Iterator[str]:
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(import_workflows=False),
            host="127.0.0.1",
            port=port,
            log_level="warning",
            lifespan="off",
        )
    )
    thread = threading.Thread(target=server.run, name="api-under-test", daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def client(api_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=api_url, timeout=30) as c:
        yield c


@pytest.fixture
def auth_enabled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Authentication on, with the HS256 secret of `make_token`."""
    monkeypatch.setattr(app_settings, "ORCHESTRATOR_AUTH_DISABLED", False)
    monkeypatch.setattr(app_settings, "ORCHESTRATOR_JWT_SECRET", JWT_SECRET)


def make_token(user: str = "alice", secret: str = JWT_SECRET, ttl: int = 300, **claims: Any) -> str:
    now = int(time.time())
    return jwt.encode(
        {"sub": f"id-{user}", "preferred_username": user, "iat": now, "exp": now + ttl, **claims},
        secret,
        algorithm="HS256",
    )


def register(*names: str) -> None:
    """API starts need a `workflows` row, as a migration would write it."""
    with transaction() as session:
        for name in names:
            wf = get_workflow(name)
            assert wf is not None, name
            ensure_workflow_row(session, wf)


def wait_for(client: httpx.Client, process_id: str, statuses: set[str], timeout: float = 60) -> dict[str, Any]:
    """Poll GET /api/processes/{id} until its status is one of `statuses`."""
    deadline = time.monotonic() + timeout
    while True:
        body = client.get(f"/api/processes/{process_id}").raise_for_status().json()
        if body["status"] in statuses:
            return body
        if time.monotonic() > deadline:
            raise AssertionError(f"process {process_id} stayed {body['status']}, expected {statuses}")
        time.sleep(0.1)
