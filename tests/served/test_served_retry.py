"""Served mode: our API path creates deployment runs that `orchestrator worker` executes, and
Prefect's Retry (AwaitingRetry over its REST API) resumes at the failed step."""

from __future__ import annotations

import httpx
import pytest
import sqlalchemy as sa

from orchestrator_core.db import transaction
from orchestrator_core.services.process_queries import get_process
from orchestrator_core.services.processes import resume_process, start_process
from tests.engine.engine_workflows import EFFECTS_DDL
from tests.served.conftest import serving, wait_for, wait_for_flow_run


@pytest.fixture()
def served(served_worker, monkeypatch):
    with transaction() as s:
        s.execute(sa.text(EFFECTS_DDL))
    with serving(served_worker, monkeypatch, "five_steps_third_fails_once") as worker:
        yield worker


def attempts(worker, process_id) -> list[str]:
    return (worker["attempts_dir"] / f"attempts-{process_id}").read_text().splitlines()


def test_prefect_ui_retry_resumes_at_the_failed_step(served):
    process_id = start_process("five_steps_third_fails_once", [{}], "ops", wait=False)
    assert wait_for(process_id, {"failed"}, served) == "failed"
    flow_run_id = get_process(process_id).flow_run_id
    assert flow_run_id is not None
    wait_for_flow_run(served["api"], flow_run_id, "FAILED", served)  # where the UI offers Retry; not Running

    answer = httpx.post(f"{served['api']}/flow_runs/{flow_run_id}/set_state", json={
        "state": {"type": "SCHEDULED", "name": "AwaitingRetry", "message": "Retry from the UI"}, "force": False})
    assert answer.status_code == 201 and answer.json()["status"] == "ACCEPT"

    assert wait_for(process_id, {"completed"}, served) == "completed"
    assert attempts(served, process_id) == ["Step 1", "Step 2", "Step 3", "Step 3", "Step 4", "Step 5"]
    view = get_process(process_id)
    assert view.flow_run_id == flow_run_id  # one flow run, retried in place
    assert [s.status for s in view.steps if s.name == "Step 3"] == ["failed", "success"]


def test_resume_through_our_service_retries_the_same_flow_run(served):
    process_id = start_process("five_steps_third_fails_once", [{}], "ops", wait=False)
    wait_for(process_id, {"failed"}, served)
    flow_run_id = get_process(process_id).flow_run_id

    resume_process(process_id, user="ops", wait=False)

    assert wait_for(process_id, {"completed"}, served) == "completed"
    assert get_process(process_id).flow_run_id == flow_run_id
    assert attempts(served, process_id).count("Step 2") == 1
