"""Our API served for real in served mode: uvicorn in a thread, configured with the session's
Prefect server, while the session's `orchestrator worker` subprocess executes the flow runs.

A second API instance points at a port where no Prefect listens, for the 503 answer.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from orchestrator_core.api.app import create_app
from orchestrator_core.db import transaction
from orchestrator_core.devtools import free_port
from orchestrator_core.settings import app_settings
from tests.api.conftest import register
from tests.http_server import serving
from tests.waiting import wait_until

WORKFLOWS = ("api_greet", "api_approval", "five_steps_third_fails_once")


@pytest.fixture(scope="session")
def served_api(served_worker) -> Iterator[str]:
    import tests.api.api_workflows  # noqa: F401  (the API needs the code of what it starts)
    import tests.engine.engine_workflows  # noqa: F401

    with transaction() as session:
        session.execute(sa.text(tests.engine.engine_workflows.EFFECTS_DDL))
    register(*WORKFLOWS)
    with serving(create_app(import_workflows=False), prefect_api_url=served_worker["api"]) as url:
        yield url


@pytest.fixture(scope="session")
def api_without_prefect(served_api) -> Iterator[str]:
    with serving(create_app(import_workflows=False), prefect_api_url=f"http://127.0.0.1:{free_port()}/api") as url:
        yield url


@pytest.fixture(autouse=True)
def served_mode(monkeypatch):
    """Execution mode is a process-wide setting: served only while these tests run."""
    monkeypatch.setattr(app_settings, "ORCHESTRATOR_EXECUTION_MODE", "served")


@pytest.fixture
def api(served_api) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=served_api, timeout=30) as client:
        yield client


@pytest.fixture
def prefect(served_worker) -> Iterator[httpx.Client]:
    """Prefect's REST API, as the Prefect UI uses it."""
    with httpx.Client(base_url=served_worker["api"], timeout=30) as client:
        yield client


def follow(api: httpx.Client, process_id: str, statuses: set[str], worker: dict[str, Any],
           timeout: float = 60) -> dict[str, Any]:
    """GET the process until its status is one of `statuses`; fail with the worker's log otherwise."""
    def ended() -> dict[str, Any] | None:
        body = api.get(f"/api/processes/{process_id}").raise_for_status().json()
        if body["status"] in statuses:
            return body
        assert worker["process"].poll() is None, worker["log"].read_text()[-3000:]
        return None

    return wait_until(ended, lambda: f"process {process_id} reached {statuses}; worker log:\n"
                                     f"{worker['log'].read_text()[-3000:]}", timeout, interval=0.1)
