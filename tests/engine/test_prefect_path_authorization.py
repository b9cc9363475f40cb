"""The Prefect UI is a door of its own: its resume form and its Retry button reach our processes
without passing our API. Prefect has no user identity, so the workflow's authorization callbacks
decide for an anonymous caller (None) there, with the same code the API uses; a refusal writes
nothing and says why and where to go instead. No Prefect server is needed: the input committer is
called as the flow calls it, and a retry from Prefect is the flow run again without our services."""

from __future__ import annotations

import logging
import uuid
from datetime import timedelta

import pytest
import sqlalchemy as sa

from orchestrator_core.db import InputStateTable, ProcessTable, transaction
from orchestrator_core.db.base import utcnow
from orchestrator_core.engine.prefect_flows import prefect_flow
from orchestrator_core.engine.prefect_runtime import executing
from orchestrator_core.engine.prefect_suspend import SUBMITTER
from orchestrator_core.errors import ForbiddenError
from orchestrator_core.services.prefect_actions import accept_input_from_flow_run, create_process_for_flow_run
from orchestrator_core.services.workflow_registry import ensure_workflow_row
from orchestrator_core.testing import (
    assert_complete,
    assert_failed,
    assert_suspended,
    result_of,
    resume_workflow,
    run_workflow,
)
from orchestrator_core.workflow import get_workflow
from tests.engine.engine_workflows import attempts_file
from tests.served import guarded_workflows, input_workflows


def _written(process_id: uuid.UUID) -> tuple[list[tuple[str, str, str]], int]:
    """The step log (name, status, who) and how many input rows the process has."""
    steps = [(s.name, s.status, s.created_by) for s in result_of(process_id).steps]
    with transaction() as s:
        inputs = s.execute(sa.select(sa.func.count()).select_from(InputStateTable)
                           .where(InputStateTable.process_id == process_id)).scalar_one()
    return steps, inputs


def _run_flow_again(workflow_name: str, process_id: uuid.UUID):
    """What the worker does when Prefect hands it a flow run again (the UI's Retry)."""
    with executing():
        return prefect_flow(get_workflow(workflow_name))(process_id=str(process_id), return_state=True)


def test_input_from_prefect_is_refused_and_writes_nothing_when_the_resume_callback_refuses_anonymous():
    suspended = run_workflow(guarded_workflows.guarded_approval.name)
    assert_suspended(suspended)
    before = _written(suspended.process_id)

    with pytest.raises(ForbiddenError) as refused:
        accept_input_from_flow_run(suspended.process_id, [{"approved": True}], SUBMITTER)

    assert refused.value.code == "auth.forbidden"
    assert refused.value.details["reason"] == "resume_not_authorized"
    message = refused.value.message
    assert "Approve as an operator" in message and "Prefect has no user identity" in message
    assert f"PUT /api/processes/{suspended.process_id}/resume" in message
    assert result_of(suspended.process_id).status == "suspended"
    assert _written(suspended.process_id) == before

    done = resume_workflow(suspended, {"approved": True}, user="alice")  # our services, as the API resumes
    assert_complete(done)
    assert [s.created_by for s in done.steps if s.name == "Approve as an operator"][-1] == "alice"


def test_input_from_prefect_that_the_callbacks_allow_is_recorded_as_from_the_prefect_ui():
    assert SUBMITTER == "prefect-ui"
    suspended = run_workflow(input_workflows.served_change_approval.name)
    assert_suspended(suspended)

    accept_input_from_flow_run(suspended.process_id, [{"approved": True, "ticket": "CHG-9"}], SUBMITTER)

    approve = [s for s in result_of(suspended.process_id).steps if s.name == "Approve the change"]
    assert [(s.status, s.created_by) for s in approve] == [("suspend", "test"), ("success", "prefect-ui")]


def _as_crashed(process_id: uuid.UUID) -> None:
    with transaction() as s:
        s.execute(sa.update(ProcessTable).where(ProcessTable.process_id == process_id)
                  .values(last_status="crashed"))


def _as_running_on_a_dead_executor(process_id: uuid.UUID) -> None:
    with transaction() as s:
        s.execute(sa.update(ProcessTable).where(ProcessTable.process_id == process_id)
                  .values(last_status="running", executor_id="gone:1:dead",
                          lease_expires_at=utcnow() - timedelta(seconds=1)))


@pytest.mark.parametrize("leave_it", [None, _as_crashed, _as_running_on_a_dead_executor],
                         ids=["failed", "crashed", "unreaped"])
def test_a_retry_from_prefect_that_the_retry_callback_refuses_runs_nothing(leave_it, caplog):
    failed = run_workflow(guarded_workflows.guarded_retry.name)
    assert_failed(failed)
    pid = failed.process_id
    if leave_it is not None:
        leave_it(pid)
    status = result_of(pid).status
    before = _written(pid)

    with caplog.at_level(logging.WARNING, logger="orchestrator_core.engine.flow_run_warnings"):
        state = _run_flow_again(guarded_workflows.guarded_retry.name, pid)

    assert state.is_failed()
    assert "not authorized" in (state.message or "")
    logged = caplog.text
    assert "Retrying process" in logged and "Fails once" in logged
    assert "Prefect has no user identity" in logged and f"PUT /api/processes/{pid}/resume" in logged
    # A dead executor's process may be reaped meanwhile by any reaper on this database (the suite's
    # served worker reaps every few seconds): crashed is the one change a refusal may be followed by.
    assert result_of(pid).status in ({status, "crashed"} if leave_it is _as_running_on_a_dead_executor else {status})
    assert _written(pid) == before
    assert attempts_file(str(pid)).read_text().splitlines() == ["Before the failure", "Fails once"]

    assert_complete(resume_workflow(pid, user="alice"))
    assert attempts_file(str(pid)).read_text().splitlines() == ["Before the failure", "Fails once", "Fails once"]


def test_a_retry_from_prefect_that_the_callbacks_allow_continues_at_the_failed_step():
    failed = run_workflow("five_steps_third_fails_once")
    assert_failed(failed)

    state = _run_flow_again("five_steps_third_fails_once", failed.process_id)

    assert state.is_completed()
    assert_complete(result_of(failed.process_id))
    assert attempts_file(str(failed.process_id)).read_text().splitlines() == [
        "Step 1", "Step 2", "Step 3", "Step 3", "Step 4", "Step 5"]


def test_a_run_started_in_prefect_and_retried_there_is_the_same_process():
    """Its flow run has no process_id parameter: the retry must find the process, not write a second."""
    run_workflow("five_steps_third_fails_once")  # registers the workflow's row
    flow_run_id = uuid.uuid4()

    first = create_process_for_flow_run("five_steps_third_fails_once", [{}], flow_run_id)
    again = create_process_for_flow_run("five_steps_third_fails_once", [{}], flow_run_id)

    assert again == first
    with transaction() as s:
        assert s.execute(sa.select(sa.func.count()).select_from(ProcessTable)
                         .where(ProcessTable.flow_run_id == flow_run_id)).scalar_one() == 1


def _processes_of_run(flow_run_id: uuid.UUID) -> list[tuple[str, str]]:
    with transaction() as s:
        return [(str(p.last_status), p.created_by) for p in s.execute(
            sa.select(ProcessTable).where(ProcessTable.flow_run_id == flow_run_id)).scalars()]


@pytest.fixture()
def guarded_start_registered():
    with transaction() as s:
        ensure_workflow_row(s, get_workflow(guarded_workflows.guarded_start.name))
    return guarded_workflows.guarded_start.name


def test_a_start_from_the_prefect_ui_that_the_workflow_refuses_to_anonymous_writes_nothing(guarded_start_registered):
    flow_run_id = uuid.uuid4()

    with pytest.raises(ForbiddenError) as refused:
        create_process_for_flow_run(guarded_start_registered, [{}], flow_run_id)

    assert refused.value.details["reason"] == "start_not_authorized"
    assert "from the Prefect UI is not authorized" in refused.value.message
    assert f"POST /api/processes/{guarded_start_registered}" in refused.value.message
    assert _processes_of_run(flow_run_id) == []


def test_a_run_of_a_deployment_schedule_is_the_operators_own_and_starts(guarded_start_registered):
    flow_run_id = uuid.uuid4()

    create_process_for_flow_run(guarded_start_registered, [{}], flow_run_id, scheduled=True)

    assert _processes_of_run(flow_run_id) == [("created", "prefect-schedule")]


def test_the_flow_run_refused_at_its_start_ends_failed_with_the_reason_and_no_process(
        guarded_start_registered, caplog):
    with executing(), caplog.at_level(logging.WARNING):
        state = prefect_flow(get_workflow(guarded_start_registered))(return_state=True)

    assert state.is_failed()
    assert "is not authorized" in state.message
    assert any("refuses an anonymous caller" in r.getMessage() for r in caplog.records)
    assert _processes_of_run(state.state_details.flow_run_id) == []


def test_a_run_started_in_prefect_is_recorded_as_started_there():
    run_workflow("five_steps_third_fails_once")  # registers the workflow's row
    flow_run_id = uuid.uuid4()

    create_process_for_flow_run("five_steps_third_fails_once", [{}], flow_run_id)

    assert _processes_of_run(flow_run_id) == [("created", SUBMITTER)]
