"""Served-mode tests use the session's Prefect server and worker (tests/served_stack.py); this
module holds what they share on top: following a process in our database, and Prefect's view."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
from prefect.settings import PREFECT_API_URL, temporary_settings

from orchestrator_core.db import transaction
from orchestrator_core.services.process_queries import get_process
from orchestrator_core.services.workflow_registry import ensure_workflow_row
from orchestrator_core.settings import app_settings
from orchestrator_core.workflow import get_workflow
from tests.waiting import wait_until


@contextmanager
def serving(worker: dict[str, Any], monkeypatch: pytest.MonkeyPatch, *workflows: str) -> Iterator[dict[str, Any]]:
    """Our services in served mode against the session's Prefect server, `workflows` registered."""
    monkeypatch.setattr(app_settings, "ORCHESTRATOR_EXECUTION_MODE", "served")
    with transaction() as s:
        for name in workflows:
            ensure_workflow_row(s, get_workflow(name))
    with temporary_settings({PREFECT_API_URL: worker["api"]}):
        yield worker


def wait_for(process_id: uuid.UUID, statuses: set[str], worker, timeout: float = 60) -> str:
    """Poll our process table until the status is one of `statuses`; fail with the worker's log."""
    def status() -> str:
        return get_process(process_id, with_steps=False).status

    def reached() -> str | None:
        if (now := status()) in statuses:
            return now
        assert worker["process"].poll() is None, worker["log"].read_text()[-3000:]
        return None

    return wait_until(reached, lambda: f"process {process_id} left {status()} for {statuses}; worker log:\n"
                                       f"{worker['log'].read_text()[-3000:]}", timeout, interval=0.1)


def wait_for_flow_run(api: str, flow_run_id: uuid.UUID, state_type: str, worker, timeout: float = 30,
                      auth: tuple[str, str] | None = None, **expected: Any) -> dict[str, Any]:
    """Poll Prefect until the flow run's state has `state_type` (and the expected fields); `auth` is the
    basic auth of a Prefect server that requires it."""
    def state() -> dict[str, Any]:
        return httpx.get(f"{api}/flow_runs/{flow_run_id}", auth=auth).raise_for_status().json()["state"]

    def reached() -> dict[str, Any] | None:
        now = state()
        return now if now["type"] == state_type and all(now.get(k) == v for k, v in expected.items()) else None

    return wait_until(reached, lambda: f"flow run {flow_run_id} is {state_type} {expected}, not {state()['type']}/"
                                       f"{state()['name']}; worker log:\n{worker['log'].read_text()[-3000:]}",
                      timeout, interval=0.1)
