"""A run started from Prefect (the UI's Run button, a schedule) never passed our API: the flow
itself validates, guards and writes the process, linked to that flow run."""

from __future__ import annotations

import httpx
import sqlalchemy as sa

from orchestrator_core.db import ProcessTable, transaction
from orchestrator_core.services.process_queries import get_process
from orchestrator_core.services.workflow_registry import ensure_workflow_row
from orchestrator_core.workflow import get_workflow
from tests.engine import engine_workflows  # noqa: F401  (registers conditional_skip)
from tests.engine.engine_workflows import EFFECTS_DDL
from tests.served.conftest import wait_for, wait_for_flow_run
from tests.waiting import wait_until


def _deployment_id(api: str, name: str) -> str:
    return httpx.get(f"{api}/deployments/name/{name}/{name}").json()["id"]


def _process_of(flow_run_id: str, worker, timeout: float = 60):
    def found():
        with transaction() as s:
            return s.execute(sa.select(ProcessTable.process_id)
                             .where(ProcessTable.flow_run_id == flow_run_id)).scalar_one_or_none()

    return wait_until(found, lambda: f"a process for flow run {flow_run_id}: {worker['log'].read_text()[-2000:]}",
                      timeout, interval=0.1)


def test_a_run_created_in_prefect_becomes_a_process_of_ours(served_worker):
    with transaction() as s:
        ensure_workflow_row(s, get_workflow("conditional_skip"))
    api = served_worker["api"]

    created = httpx.post(f"{api}/deployments/{_deployment_id(api, 'conditional_skip')}/create_flow_run",
                         json={"parameters": {"user_inputs": [{}]}})
    assert created.status_code == 201

    process_id = _process_of(created.json()["id"], served_worker)
    assert wait_for(process_id, {"completed"}, served_worker) == "completed"
    view = get_process(process_id)
    assert view.created_by == "prefect-ui"
    assert ("Provision", "skipped") in [(s.name, s.status) for s in view.steps]


def test_a_run_created_in_prefect_and_retried_there_continues_its_own_process(served_worker):
    """Its flow run has no process_id: the retry finds the process written for it, not a second one."""
    with transaction() as s:
        s.execute(sa.text(EFFECTS_DDL))
        ensure_workflow_row(s, get_workflow("five_steps_third_fails_once"))
    api = served_worker["api"]
    created = httpx.post(f"{api}/deployments/{_deployment_id(api, 'five_steps_third_fails_once')}/create_flow_run",
                         json={"parameters": {"user_inputs": [{}]}})
    flow_run_id = created.json()["id"]
    process_id = _process_of(flow_run_id, served_worker)
    assert wait_for(process_id, {"failed"}, served_worker) == "failed"
    wait_for_flow_run(api, flow_run_id, "FAILED", served_worker)  # where the UI offers Retry; not Running

    answer = httpx.post(f"{api}/flow_runs/{flow_run_id}/set_state", json={
        "state": {"type": "SCHEDULED", "name": "AwaitingRetry", "message": "Retry from the UI"}, "force": False})
    assert answer.json()["status"] == "ACCEPT"

    assert wait_for(process_id, {"completed"}, served_worker) == "completed"
    attempts = (served_worker["attempts_dir"] / f"attempts-{process_id}").read_text().splitlines()
    assert attempts == ["Step 1", "Step 2", "Step 3", "Step 3", "Step 4", "Step 5"]
    with transaction() as s:
        assert s.execute(sa.select(sa.func.count()).select_from(ProcessTable)
                         .where(ProcessTable.flow_run_id == flow_run_id)).scalar_one() == 1
