"""Both drivers of the step-run core leave the same step log: every check runs for each.

`single` is the runner (a transaction per step, as the Prefect flow runs a process); `batch` is
the batch driver (one transaction per step for many processes, a savepoint each, as the
validation sweep runs them). What a user sees (statuses, step rows, failure rows, where a resume
continues) must not depend on which one ran the process.
"""

from __future__ import annotations

import threading
import uuid
from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from orchestrator_core.db import ProcessTable, get_engine, is_sqlite, transaction
from orchestrator_core.db.base import utcnow
from orchestrator_core.engine.batch import run_batch
from orchestrator_core.engine.embedded import run_in_process
from orchestrator_core.engine.runner import run_process
from orchestrator_core.errors import ProcessBusyError
from orchestrator_core.services.processes import abort_process, create_process
from orchestrator_core.testing import (
    WorkflowResult,
    assert_aborted,
    assert_complete,
    assert_failed,
    assert_suspended,
    assert_waiting,
    extract_error,
    result_of,
    resume_workflow,
)
from orchestrator_core.types import ProcessStatus
from orchestrator_core.workflow import get_workflow
from tests.engine.engine_workflows import HOLD_GATE, HOLDING, attempts_file
from tests.waiting import wait_until

DRIVERS = ("single", "batch")


def create(workflow: str, inputs: dict[str, Any] | None = None) -> uuid.UUID:
    found = get_workflow(workflow)
    assert found is not None
    with transaction() as session:
        return create_process(session, found, [inputs or {}], "test", register=True)


def drive(driver: str, *process_ids: uuid.UUID) -> dict[uuid.UUID, ProcessStatus]:
    """Run the processes from their resume points: one by one, or together in one batch."""
    if driver == "single":
        return {pid: run_process(pid) for pid in process_ids}
    return run_batch(list(process_ids))


def run(driver: str, workflow: str, inputs: dict[str, Any] | None = None) -> WorkflowResult:
    process_id = create(workflow, inputs)
    drive(driver, process_id)
    return result_of(process_id)


def rows(result: WorkflowResult) -> list[tuple[str, str]]:
    return [(s.name, s.status) for s in result.steps]


def process_row(process_id: uuid.UUID) -> dict[str, Any]:
    with transaction() as s:
        return dict(s.execute(sa.select(ProcessTable.executor_id, ProcessTable.lease_expires_at)
                              .where(ProcessTable.process_id == process_id)).mappings().one())


def effects(process_id: uuid.UUID) -> list[str]:
    with transaction() as s:
        return list(s.execute(sa.text("SELECT step FROM step_effects WHERE process_id = :p ORDER BY step"),
                              {"p": str(process_id)}).scalars())


def _normalised(value: Any, process_id: str) -> Any:
    """A state with this run's own identity (process id, idempotency keys) taken out."""
    if isinstance(value, dict):
        return {k: _normalised(v, process_id) for k, v in value.items() if k not in ("process_id", "traceback")}
    if isinstance(value, list):
        return [_normalised(v, process_id) for v in value]
    return value.replace(process_id, "<pid>") if isinstance(value, str) else value


def logged(result: WorkflowResult) -> list[tuple[str, str, Any, str | None]]:
    pid = str(result.process_id)
    return [(s.name, s.status, _normalised(s.state, pid), s.created_by) for s in result.steps]


@pytest.fixture(params=DRIVERS)
def driver(request) -> str:
    return request.param


def test_both_drivers_log_the_same_rows_with_the_same_states():
    single, batch = run("single", "conditional_skip"), run("batch", "conditional_skip")

    assert_complete(single)
    assert_complete(batch)
    assert logged(batch) == logged(single)
    assert batch.process.last_step == single.process.last_step == "Done"


def test_a_completed_run_commits_every_step_once(driver):
    result = run(driver, "fails_when_asked", {"fail": False})

    assert_complete(result)
    assert rows(result) == [("Start", "success"), ("Step 1", "success"), ("Fail if asked", "success"),
                            ("Step 2", "success"), ("Done", "complete")]
    assert effects(result.process_id) == ["Fail if asked", "Step 1", "Step 2"]
    assert process_row(result.process_id)["lease_expires_at"] is None


def test_a_step_that_raises_is_rolled_back_and_logged_failed(driver):
    result = run(driver, "writes_then_raises")

    assert_failed(result)
    assert rows(result)[-1] == ("Write then raise", "failed")
    assert extract_error(result) == result.process.failed_reason == "the device refused the change"
    assert "RuntimeError" in result.process.traceback and "RuntimeError" in result.steps[-1].state["traceback"]
    assert effects(result.process_id) == ["Step 1"]


def test_a_failing_process_fails_alone(driver):
    failing, healthy = create("fails_when_asked", {"fail": True}), create("fails_when_asked", {"fail": False})

    statuses = drive(driver, failing, healthy)

    assert statuses == {failing: ProcessStatus.FAILED, healthy: ProcessStatus.COMPLETED}
    assert rows(result_of(failing))[-1] == ("Fail if asked", "failed")
    assert effects(failing) == ["Step 1"]
    assert effects(healthy) == ["Fail if asked", "Step 1", "Step 2"]


def test_a_failed_process_continues_at_the_failed_step(driver):
    process_id = create("five_steps_third_fails_once")
    assert drive(driver, process_id) == {process_id: ProcessStatus.FAILED}
    assert result_of(process_id).process.last_step == "Step 3"

    assert drive(driver, process_id) == {process_id: ProcessStatus.COMPLETED}

    result = result_of(process_id)
    assert attempts_file(str(process_id)).read_text().splitlines() == [
        "Step 1", "Step 2", "Step 3", "Step 3", "Step 4", "Step 5"]
    assert rows(result) == [
        ("Start", "success"), ("Step 1", "success"), ("Step 2", "success"), ("Step 3", "failed"),
        ("Step 3", "success"), ("Step 4", "success"), ("Step 5", "success"), ("Done", "complete")]
    assert effects(process_id) == [f"Step {i}" for i in range(1, 6)]
    assert result.state["key_4"] == f"{process_id}:4"


def test_a_process_a_driver_failed_resumes_through_the_services(driver):
    failed = run(driver, "five_steps_third_fails_once")
    assert_failed(failed)

    resumed = resume_workflow(failed)

    assert_complete(resumed)
    assert [s.name for s in resumed.steps].count("Step 2") == 1


def test_a_failing_retrystep_leaves_the_process_waiting(driver):
    result = run(driver, "retrystep_fails")

    assert_waiting(result)
    assert rows(result)[-1] == ("Wait for the NOC", "waiting")
    assert extract_error(result) == "NSO is not reachable"


def test_a_conditional_step_whose_condition_is_false_is_logged_skipped(driver):
    result = run(driver, "conditional_skip")

    assert_complete(result)
    assert ("Provision", "skipped") in rows(result)
    assert "provisioned" not in result.state


def test_an_inputstep_suspends_the_process_until_its_input_comes(driver):
    result = run(driver, "needs_approval", {"vlan": 42})

    assert_suspended(result)
    assert rows(result) == [("Start", "success"), ("Approve the change", "suspend")]
    assert process_row(result.process_id)["lease_expires_at"] is None

    resumed = resume_workflow(result, {"approved": True})

    assert_complete(resumed)
    assert resumed.state["applied"] is True and resumed.state["vlan"] == 42


def test_an_aborted_process_is_not_run_again(driver):
    process_id = create("five_steps_third_fails_once")
    abort_process(process_id, user="noc")

    assert drive(driver, process_id) == {process_id: ProcessStatus.ABORTED}

    result = result_of(process_id)
    assert_aborted(result)
    assert rows(result) == [("Abort", "abort")]
    assert effects(process_id) == []


def test_a_process_running_on_a_living_executor_is_left_to_it(driver):
    process_id = create("five_steps_third_fails_once")
    with transaction() as s:
        s.execute(sa.update(ProcessTable).where(ProcessTable.process_id == process_id).values(
            last_status="running", executor_id="elsewhere", lease_expires_at=utcnow() + timedelta(hours=1)))

    if driver == "single":
        with pytest.raises(ProcessBusyError):
            drive(driver, process_id)
    else:
        assert drive(driver, process_id) == {process_id: ProcessStatus.RUNNING}

    assert result_of(process_id).steps == [] and process_row(process_id)["executor_id"] == "elsewhere"


WAITING_FOR_A_LOCK = sa.text(
    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'")


def test_an_abort_during_a_step_stops_the_process_after_that_step(driver):
    """Ordered by events: the Hold step says when it holds the process row; the abort is seen waiting for
    that lock; the run is joined before the step log is read. The single driver runs as the Prefect flow
    runs it, each step a task: Postgres's row locks are not granted in order of arrival, so a next step
    that asked for the row the moment the Hold step committed could be granted it before the abort."""
    if is_sqlite():
        pytest.skip("SQLite serialises writers: there is no row lock for the abort to wait on")
    HOLD_GATE.clear()
    process_id = create("holds_then_continues")
    runner = (threading.Thread(target=run_in_process, args=("holds_then_continues", process_id)) if driver == "single"
              else threading.Thread(target=drive, args=(driver, process_id)))
    runner.start()
    assert HOLDING.get(timeout=60) == str(process_id)

    aborter = threading.Thread(target=abort_process, args=(process_id, "noc"))
    aborter.start()
    with get_engine().connect() as conn:
        wait_until(lambda: conn.execute(WAITING_FOR_A_LOCK).scalar() > 0, "the abort waits for the step's lock")
    HOLD_GATE.set()
    aborter.join(60)
    runner.join(60)
    assert not runner.is_alive() and not aborter.is_alive()

    result = result_of(process_id)
    assert result.status == "aborted"
    assert rows(result) == [("Start", "success"), ("Hold", "success"), ("Abort", "abort")]
    assert effects(process_id) == []
