"""What an operator sees for each way a step can end."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from orchestrator_core.db import transaction
from orchestrator_core.errors import ProcessNotResumableError
from orchestrator_core.forms import FormInvalidError
from orchestrator_core.services.processes import abort_process
from orchestrator_core.testing import (
    assert_aborted,
    assert_complete,
    assert_failed,
    assert_suspended,
    assert_waiting,
    extract_error,
    result_of,
    resume_workflow,
    run_workflow,
)
from tests.engine.engine_workflows import attempts_file


def test_a_step_that_writes_then_raises_leaves_nothing_behind():
    result = run_workflow("writes_then_raises")

    assert_failed(result)
    assert extract_error(result) == "the device refused the change"
    with transaction() as s:
        steps = s.execute(sa.text("SELECT step FROM step_effects WHERE process_id = :p"),
                          {"p": str(result.process_id)}).scalars().all()
    assert steps == ["Step 1"]


def test_missing_state_key_fails_the_step_with_a_clear_message():
    result = run_workflow("missing_argument")

    assert_failed(result)
    assert "Step 'Needs a missing key' needs 'vlan_id' from the state" in extract_error(result)


def test_retrystep_failure_puts_the_process_in_waiting():
    result = run_workflow("retrystep_fails")

    assert_waiting(result)
    assert result.steps[-1].status == "waiting"
    assert extract_error(result) == "NSO is not reachable"


def test_prefect_task_retry_recovers_a_transient_fault():
    result = run_workflow("transient_fault")

    assert_complete(result)
    assert attempts_file(str(result.process_id)).read_text().splitlines() == ["Flaky once", "Flaky once"]
    assert [s.status for s in result.steps if s.name == "Flaky once"] == ["failed", "success"]


def test_conditional_step_is_logged_as_skipped():
    result = run_workflow("conditional_skip")

    assert_complete(result)
    assert ("Provision", "skipped") in [(s.name, s.status) for s in result.steps]
    assert "provisioned" not in result.state


def test_initial_form_rejects_bad_input_and_writes_no_process():
    with transaction() as s:
        before = s.execute(sa.text("SELECT count(*) FROM processes")).scalar()

    with pytest.raises(FormInvalidError) as refused:
        run_workflow("needs_approval", {"vlan": "not a number"})

    assert refused.value.details["fields"][0]["field"] == "vlan"
    with transaction() as s:
        assert s.execute(sa.text("SELECT count(*) FROM processes")).scalar() == before


def test_inputstep_suspends_and_resumes_with_validated_input():
    result = run_workflow("needs_approval", {"vlan": 42})

    assert_suspended(result)
    assert result.steps[-1].name == "Approve the change"
    with pytest.raises(FormInvalidError, match="approved"):
        resume_workflow(result, {"comment": "missing the approval"})
    assert_suspended(result_of(result.process_id))

    result = resume_workflow(result, {"approved": True, "comment": "go"})

    assert_complete(result)
    assert result.state["applied"] is True and result.state["vlan"] == 42


def test_abort_ends_a_process_for_good():
    result = run_workflow("needs_approval", {"vlan": 7})

    abort_process(result.process_id, user="noc")

    aborted = result_of(result.process_id)
    assert_aborted(aborted)
    assert aborted.steps[-1].name == "Abort" and aborted.steps[-1].created_by == "noc"
    with pytest.raises(ProcessNotResumableError):
        resume_workflow(aborted, {"approved": True})
