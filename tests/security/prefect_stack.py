"""The secured served stack as the tests of tests/security/test_prefect_*.py use it: our API with
alice's token, Prefect's API without credentials (anyone) and with them (an operator in its UI),
and what they look at in our database and in Prefect."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import sqlalchemy as sa

from orchestrator_core.db import ProcessStepTable, ProcessTable, transaction
from orchestrator_core.db.subscription_tables import SubscriptionTable
from orchestrator_core.services.process_queries import get_process
from tests.api.conftest import register
from tests.engine.engine_workflows import EFFECTS_DDL
from tests.served.conftest import wait_for
from tests.served_stack import bearer
from tests.waiting import wait_until

WORKFLOWS = ("five_steps_third_fails_once", "api_approval", "api_greet")
"""Besides the demo's Node Enrollment workflows, which its migrations register."""
RETRY = {"state": {"type": "SCHEDULED", "name": "AwaitingRetry", "message": "Retry from the UI"}, "force": False}
DENIED = "actions taken in Prefect are off"


@contextmanager
def secured_stack(secured_worker: dict[str, Any], secured_api: str) -> Iterator[dict[str, Any]]:
    """Each test module's `stack` fixture: the module's secured worker and the session's secured API."""
    import tests.api.api_workflows  # noqa: F401  (registers what the stack's processes run)
    import tests.engine.engine_workflows  # noqa: F401

    with transaction() as session:
        session.execute(sa.text(EFFECTS_DDL))
    register(*WORKFLOWS)
    prefect = secured_worker["api"]
    with httpx.Client(base_url=secured_api, headers=bearer("alice"), timeout=60) as api, \
            httpx.Client(base_url=prefect, timeout=30) as anonymous, \
            httpx.Client(base_url=prefect, auth=secured_worker["auth"], timeout=30) as operator:
        yield {"api": api, "anonymous": anonymous, "operator": operator, "worker": secured_worker,
               "api_url": secured_api}


def start(stack: dict[str, Any], workflow: str, form: list[dict[str, Any]], until: set[str]) -> uuid.UUID:
    """Through our API with a token, as an authorized user does; waits for one of the `until` statuses."""
    answer = stack["api"].post(f"/api/processes/{workflow}", json=form)
    assert answer.status_code == 201, answer.text
    process_id = uuid.UUID(answer.json()["id"])
    wait_for(process_id, until, stack["worker"])
    return process_id




def subscription(subscription_id: str) -> dict[str, Any]:
    with transaction() as session:
        row = session.get_one(SubscriptionTable, uuid.UUID(subscription_id))
        return {"status": row.status, "insync": row.insync, "end_date": row.end_date, "description": row.description}


def rows() -> tuple[int, int]:
    """(processes, step rows) in our database."""
    with transaction() as session:
        return (session.execute(sa.select(sa.func.count()).select_from(ProcessTable)).scalar_one(),
                session.execute(sa.select(sa.func.count()).select_from(ProcessStepTable)).scalar_one())


def steps_of(process_id: uuid.UUID) -> list[tuple[str, str, str | None]]:
    return [(s.name, s.status, s.created_by) for s in get_process(process_id).steps]


def failed_with(stack: dict[str, Any], flow_run_id: str, text: str, timeout: float = 30) -> str:
    """The message of the flow run's Failed state once it contains `text`, as the Prefect UI shows it."""
    def state() -> dict[str, Any]:
        return stack["operator"].get(f"/flow_runs/{flow_run_id}").raise_for_status().json()["state"]

    def failed() -> str | None:
        now = state()
        return now["message"] if now["type"] == "FAILED" and text in (now.get("message") or "") else None

    return wait_until(failed, lambda: f"flow run {flow_run_id} failed with {text!r}, not {state()['type']}: "
                                      f"{state().get('message')}; worker log:\n"
                                      f"{stack['worker']['log'].read_text()[-3000:]}", timeout, interval=0.1)


def logged(stack: dict[str, Any], flow_run_id: str, text: str, timeout: float = 15) -> str:
    """The flow run's log line containing `text`, as the Prefect UI shows it (logs arrive in batches)."""
    def found() -> list[str]:
        logs = stack["operator"].post("/logs/filter", json={"logs": {"flow_run_id": {"any_": [flow_run_id]}}})
        return [entry["message"] for entry in logs.raise_for_status().json() if text in entry["message"]]

    return wait_until(found, f"a log line with {text!r} on flow run {flow_run_id}", timeout, interval=0.2)[-1]


def process_of_flow_run(stack: dict[str, Any], flow_run_id: str, timeout: float = 60) -> uuid.UUID:
    """The process the worker wrote for a run started in Prefect."""
    def found() -> uuid.UUID | None:
        with transaction() as session:
            return session.execute(sa.select(ProcessTable.process_id)
                                   .where(ProcessTable.flow_run_id == flow_run_id)).scalar_one_or_none()

    return wait_until(found, lambda: f"a process for flow run {flow_run_id}; worker log:\n"
                                     f"{stack['worker']['log'].read_text()[-3000:]}", timeout, interval=0.1)
