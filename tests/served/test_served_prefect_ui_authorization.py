"""Served mode, through Prefect's REST API as its UI uses it: the resume form and the Retry button
of a workflow whose callbacks refuse an anonymous caller change nothing in our tables, and the
flow run's logs say why and that an authorized user must act through our API."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import httpx
import pytest
import sqlalchemy as sa

from orchestrator_core.db import ProcessTable, transaction
from orchestrator_core.services.process_queries import get_process
from orchestrator_core.services.processes import resume_process, start_process
from tests.served import guarded_workflows
from tests.served.conftest import serving, wait_for, wait_for_flow_run
from tests.waiting import wait_until

APPROVAL = guarded_workflows.guarded_approval.name
RETRY = guarded_workflows.guarded_retry.name
START = guarded_workflows.guarded_start.name
NIGHTLY = guarded_workflows.guarded_nightly.name


@pytest.fixture()
def served(served_worker, monkeypatch):
    with serving(served_worker, monkeypatch, APPROVAL, RETRY, START, NIGHTLY) as worker:
        yield worker


def steps_of(process_id) -> list[tuple[str, str, str]]:
    return [(s.name, s.status, s.created_by) for s in get_process(process_id).steps]


def run_log_with(served, flow_run_id, text: str, timeout: float = 15) -> str:
    """The flow run's log line containing `text`, as the Prefect UI shows it (logs arrive in batches)."""
    def found() -> list[str]:
        logs = httpx.post(f"{served['api']}/logs/filter",
                          json={"logs": {"flow_run_id": {"any_": [str(flow_run_id)]}}}).raise_for_status().json()
        return [entry["message"] for entry in logs if text in entry["message"]]

    return wait_until(found, lambda: f"a log line with {text!r} on flow run {flow_run_id}; worker log:\n"
                                     f"{served['log'].read_text()[-3000:]}", timeout, interval=0.2)[-1]


def test_resume_from_the_prefect_ui_that_the_step_refuses_to_anonymous_writes_nothing(served):
    process_id = start_process(APPROVAL, [{}], "ops", wait=False)
    assert wait_for(process_id, {"suspended"}, served) == "suspended"
    flow_run_id = get_process(process_id).flow_run_id
    wait_for_flow_run(served["api"], flow_run_id, "PAUSED", served, name="Suspended")
    before = steps_of(process_id)

    answer = httpx.post(f"{served['api']}/flow_runs/{flow_run_id}/resume", json={"run_input": {"approved": True}})
    assert answer.json()["status"] == "ACCEPT"  # Prefect cannot know; our flow decides

    state = wait_for_flow_run(served["api"], flow_run_id, "PAUSED", served, name="Suspended")
    assert state["state_details"]["pause_key"] == "input-2-2"  # suspended again, the form open again
    line = run_log_with(served, flow_run_id, "not authorized")
    assert "Approve as an operator" in line and f"PUT /api/processes/{process_id}/resume" in line
    assert get_process(process_id, with_steps=False).status == "suspended"
    assert steps_of(process_id) == before

    resume_process(process_id, [{"approved": True}], user="alice", wait=False)  # as our API does once allowed
    assert wait_for(process_id, {"completed"}, served) == "completed"
    assert steps_of(process_id)[-3][1:] == ("success", "alice")


def test_retry_from_the_prefect_ui_that_the_workflow_refuses_to_anonymous_runs_nothing(served):
    process_id = start_process(RETRY, [{}], "ops", wait=False)
    assert wait_for(process_id, {"failed"}, served) == "failed"
    flow_run_id = get_process(process_id).flow_run_id
    wait_for_flow_run(served["api"], flow_run_id, "FAILED", served)
    before = steps_of(process_id)

    answer = httpx.post(f"{served['api']}/flow_runs/{flow_run_id}/set_state", json={
        "state": {"type": "SCHEDULED", "name": "AwaitingRetry", "message": "Retry from the UI"}, "force": False})
    assert answer.json()["status"] == "ACCEPT"

    line = run_log_with(served, flow_run_id, "not authorized")
    assert "'Fails once'" in line and f"PUT /api/processes/{process_id}/resume" in line
    state = wait_for_flow_run(served["api"], flow_run_id, "FAILED", served)
    assert "not authorized" in state["message"]
    assert get_process(process_id, with_steps=False).status == "failed"
    assert steps_of(process_id) == before
    attempts = served["attempts_dir"] / f"attempts-{process_id}"
    assert attempts.read_text().splitlines() == ["Before the failure", "Fails once"]

    resume_process(process_id, user="alice", wait=False)  # as our API does once allowed
    assert wait_for(process_id, {"completed"}, served) == "completed"
    assert attempts.read_text().splitlines() == ["Before the failure", "Fails once", "Fails once"]


def test_start_from_the_prefect_ui_that_the_workflow_refuses_to_anonymous_writes_nothing(served):
    api = served["api"]
    deployment = httpx.get(f"{api}/deployments/name/{START}/{START}").raise_for_status().json()["id"]
    with transaction() as s:
        processes_before = s.execute(sa.select(sa.func.count()).select_from(ProcessTable)).scalar_one()

    created = httpx.post(f"{api}/deployments/{deployment}/create_flow_run",  # the UI's Run button
                         json={"parameters": {"user_inputs": [{}]}})
    assert created.status_code == 201
    flow_run_id = created.json()["id"]

    state = wait_for_flow_run(api, flow_run_id, "FAILED", served)
    assert "not authorized" in state["message"]
    line = run_log_with(served, flow_run_id, "not authorized")
    assert f"POST /api/processes/{START}" in line
    with transaction() as s:
        assert s.execute(sa.select(sa.func.count()).select_from(ProcessTable)).scalar_one() == processes_before


@contextmanager
def run_of_a_schedule(api: str, workflow: str) -> Iterator[str]:
    """A schedule added in Prefect to the workflow's deployment, and the run Prefect's scheduler makes of it;
    the schedule is removed on exit (which removes its runs that have not started)."""
    deployment = httpx.get(f"{api}/deployments/name/{workflow}/{workflow}").raise_for_status().json()["id"]
    now = datetime.now(UTC)
    schedule = httpx.post(f"{api}/deployments/{deployment}/schedules", json=[{
        "schedule": {"interval": 3600, "anchor_date": (now - timedelta(minutes=5)).isoformat()}, "active": True,
    }]).raise_for_status().json()[0]["id"]
    try:
        httpx.post(f"{api}/deployments/{deployment}/schedule", json={  # what Prefect's scheduler service does
            "start_time": (now - timedelta(minutes=10)).isoformat(), "end_time": now.isoformat(), "max_runs": 1,
        }).raise_for_status()
        runs = [run for run in httpx.post(f"{api}/flow_runs/filter", json={
            "deployments": {"id": {"any_": [deployment]}}}).raise_for_status().json()
            if (run["idempotency_key"] or "").startswith(f"scheduled {deployment} {schedule} ")]
        # this schedule's own (the deployment's cron schedule has runs too: one just past, after 02:00 UTC)
        assert len(runs) == 1, runs
        yield runs[0]["id"]
    finally:
        httpx.delete(f"{api}/deployments/{deployment}/schedules/{schedule}").raise_for_status()


def processes_of(flow_run_id: str) -> list[tuple[str, str]]:
    with transaction() as s:
        return [tuple(row) for row in s.execute(sa.select(ProcessTable.created_by, ProcessTable.last_status)
                                                .where(ProcessTable.flow_run_id == flow_run_id)).all()]


def test_a_run_of_our_schedule_starts_although_the_workflow_refuses_anonymous(served):
    """The workflows of ORCHESTRATOR_SCHEDULED_TASKS run on the operators' schedule: not an anonymous caller;
    the process says who started it."""
    with run_of_a_schedule(served["api"], NIGHTLY) as flow_run_id:
        wait_for_flow_run(served["api"], flow_run_id, "COMPLETED", served)
    assert processes_of(flow_run_id) == [("prefect-schedule", "completed")]


def test_a_schedule_added_in_prefect_to_another_workflow_is_decided_like_the_run_button(served):
    """Anyone who can add a schedule in Prefect could start any workflow with it: its runs are Prefect-side
    starts, put to the workflow's start authorization for an anonymous caller."""
    with run_of_a_schedule(served["api"], START) as flow_run_id:
        state = wait_for_flow_run(served["api"], flow_run_id, "FAILED", served)
    assert "not authorized" in state["message"]
    assert processes_of(flow_run_id) == []
