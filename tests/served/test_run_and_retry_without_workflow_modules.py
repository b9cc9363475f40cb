"""With ORCHESTRATOR_WORKFLOW_MODULES=[] and a workflow its application registers itself, a Run
and a Retry from Prefect's API work: the worker's entry point wires the services in
(orchestrator_core/bootstrap.py), not the import of some workflow module that happens to need them."""

from __future__ import annotations

import sys

import httpx
import pytest
import sqlalchemy as sa

from orchestrator_core.db import ProcessTable, transaction
from orchestrator_core.services.process_queries import get_process
from orchestrator_core.services.workflow_registry import ensure_workflow_row
from tests.served import wiring_app
from tests.served.conftest import wait_for, wait_for_flow_run
from tests.served_stack import running_worker, served_env
from tests.waiting import wait_until


@pytest.fixture(scope="module")
def bare_worker(prefect_api, orchestrator_database, tmp_path_factory):
    """The application's own main.py running `worker`, with no workflow modules configured."""
    attempts = tmp_path_factory.mktemp("wiring-attempts")
    env = served_env(prefect_api, orchestrator_database, attempts, ORCHESTRATOR_WORKFLOW_MODULES="[]")
    with transaction() as s:
        ensure_workflow_row(s, wiring_app.wiring_probe)
    with running_worker(env, attempts, (sys.executable, "-m", "tests.served.wiring_app")) as worker:
        yield worker


def _process_of(flow_run_id: str, worker):
    def found():
        with transaction() as s:
            return s.execute(sa.select(ProcessTable.process_id)
                             .where(ProcessTable.flow_run_id == flow_run_id)).scalar_one_or_none()

    return wait_until(found, lambda: f"a process for flow run {flow_run_id}: {worker['log'].read_text()[-3000:]}")


def test_run_and_retry_from_prefect_with_no_workflow_modules(bare_worker):
    api = bare_worker["api"]
    deployment = httpx.get(f"{api}/deployments/name/wiring_probe/wiring_probe").raise_for_status().json()

    created = httpx.post(f"{api}/deployments/{deployment['id']}/create_flow_run",
                         json={"parameters": {"user_inputs": [{}]}})
    assert created.status_code == 201, created.text
    flow_run_id = created.json()["id"]
    process_id = _process_of(flow_run_id, bare_worker)
    assert wait_for(process_id, {"failed"}, bare_worker) == "failed"
    assert get_process(process_id).created_by == "prefect-ui"
    wait_for_flow_run(api, flow_run_id, "FAILED", bare_worker)  # where the Prefect UI offers Retry

    answer = httpx.post(f"{api}/flow_runs/{flow_run_id}/set_state", json={
        "state": {"type": "SCHEDULED", "name": "AwaitingRetry", "message": "Retry from the UI"}, "force": False})
    assert answer.json()["status"] == "ACCEPT"

    assert wait_for(process_id, {"completed"}, bare_worker) == "completed"
    ran = (bare_worker["attempts_dir"] / f"attempts-{process_id}").read_text().splitlines()
    assert ran == ["Reserve", "Configure", "Configure"]  # the retry continued at the failed step
    configure = [s for s in get_process(process_id).steps if s.name == "Configure"]
    assert [(s.status, s.created_by) for s in configure] == [("failed", "prefect-ui"), ("success", "prefect-ui")]
