"""The API under test runs for real: uvicorn on a free loopback port in a background thread,
against the session's migrated Postgres and embedded Prefect; tests talk to it with httpx.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import httpx
import jwt
import pytest

from orchestrator_core.api.app import create_app
from orchestrator_core.db import transaction
from orchestrator_core.services.workflow_registry import ensure_workflow_row
from orchestrator_core.settings import app_settings
from orchestrator_core.workflow import get_workflow
from tests.http_server import serving
from tests.waiting import wait_until

JWT_SECRET = "test-secret-for-the-api-suite-32-bytes!"


@pytest.fixture(scope="session")
def api_url(orchestrator_database: str) -> Iterator[str]:
    with serving(create_app(import_workflows=False)) as url:
        yield url


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
    """Poll GET /api/processes/{id} until its status is one of `statuses` (with a token when auth is on)."""
    token = make_token("observer", secret=app_settings.ORCHESTRATOR_JWT_SECRET or JWT_SECRET)
    headers = {} if app_settings.ORCHESTRATOR_AUTH_DISABLED else {"Authorization": f"Bearer {token}"}

    def status() -> dict[str, Any]:
        return client.get(f"/api/processes/{process_id}", headers=headers).raise_for_status().json()

    return wait_until(lambda: (body := status())["status"] in statuses and body,
                      lambda: f"process {process_id} left {status()['status']} for {statuses}", timeout, interval=0.1)
