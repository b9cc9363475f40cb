"""Run a process: from the resume point in the step log to the end, a suspend or a failure.

The runner knows nothing of Prefect: it gets a `StepInvoker` that wraps each step's execution
(the Prefect layer passes one that runs it as a task). Whether a step runs is decided here,
from our log, never from Prefect's cache.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from datetime import timedelta

import sqlalchemy as sa

from orchestrator_core.db import ProcessTable, lock_for_update, transaction
from orchestrator_core.db.base import utcnow
from orchestrator_core.db.database import pinned_connection
from orchestrator_core.engine import lease, step_log
from orchestrator_core.engine.state import to_json
from orchestrator_core.engine.step_executor import (
    StepAlreadyCommittedError,
    StepFailedError,
    StepOutcome,
    execute_step,
)
from orchestrator_core.errors import ProcessBusyError, ProcessNotFoundError
from orchestrator_core.settings import app_settings
from orchestrator_core.types import FINAL_STATUSES, ProcessStatus, State, StepStatus
from orchestrator_core.workflow import InvalidWorkflowError, Step, Workflow, get_workflow

logger = logging.getLogger(__name__)

StepInvoker = Callable[[Step, int, Callable[[], StepOutcome]], StepOutcome]
RetryAuthorizer = Callable[[Workflow, ProcessTable, int, ProcessStatus], str | None]
"""Asked in the claim, with the process row as found (workflow, process, next step's index, status):
whether this run was dispatched by our services, and if not (a Retry from Prefect) whether it may run,
raising an `OrchestratorError` to refuse before anything is written. Returns who retried it, recorded
on the steps this run executes (None: the process's creator). See services/prefect_actions.py."""


def run_directly(_step: Step, _index: int, execute: Callable[[], StepOutcome]) -> StepOutcome:
    return execute()


class _Claim:
    def __init__(self, workflow: Workflow, state: State, next_index: int, user: str | None) -> None:
        self.workflow, self.state, self.next_index, self.user = workflow, state, next_index, user


def workflow_code(name: str) -> Workflow | str:
    """The workflow's code, or why this executor cannot run it (its processes then fail with that reason)."""
    try:
        workflow = get_workflow(name)
    except InvalidWorkflowError as exc:
        return str(exc)
    return workflow if workflow is not None else f"Workflow {name!r} has no code in this executor"


def _claim(process_id: uuid.UUID, flow_run_id: uuid.UUID | None,
           authorize_retry: RetryAuthorizer | None = None) -> _Claim | ProcessStatus:
    """Mark the process running under this executor's lease, or say why it must not run.

    With `authorize_retry`, the run is first put to it (a re-run our services did not dispatch must be
    authorized); its refusal propagates and nothing is written."""
    with transaction() as session:
        stmt = sa.select(ProcessTable).where(ProcessTable.process_id == process_id)
        process = session.execute(lock_for_update(stmt, of=ProcessTable)).scalar_one_or_none()
        if process is None:
            raise ProcessNotFoundError(f"Process {process_id} does not exist")
        status = ProcessStatus(process.last_status)
        if status in FINAL_STATUSES:
            return status
        now = utcnow()
        held_elsewhere = (
            status == ProcessStatus.RUNNING
            and process.executor_id not in (None, lease.executor_id())
            and process.lease_expires_at is not None
            and process.lease_expires_at > now
        )
        if held_elsewhere:
            raise ProcessBusyError(
                f"Process {process_id} is running on executor {process.executor_id}", executor=process.executor_id
            )
        workflow = workflow_code(process.workflow.name)
        if isinstance(workflow, str):
            process.last_status = str(ProcessStatus.FAILED)
            process.failed_reason = workflow
            return ProcessStatus.FAILED
        point = step_log.resume_point(session, process_id)
        user = step_log.last_retried_by(session, process_id) or process.created_by
        if authorize_retry is not None:
            user = authorize_retry(workflow, process, point.next_index, status) or user
        process.last_status = str(ProcessStatus.RUNNING)
        process.executor_id = lease.executor_id()
        process.lease_expires_at = now + timedelta(seconds=app_settings.ORCHESTRATOR_LEASE_SECONDS)
        process.failed_reason = None
        process.traceback = None
        if flow_run_id is not None:
            process.flow_run_id = flow_run_id
        return _Claim(workflow, point.state, point.next_index, user)


WAITS_FOR: dict[str, tuple[ProcessStatus, StepStatus]] = {
    "inputstep": (ProcessStatus.SUSPENDED, StepStatus.SUSPEND),
    "callback": (ProcessStatus.AWAITING_CALLBACK, StepStatus.AWAITING_CALLBACK),
}
"""Step kinds a process stops at, with the process status it waits in and the status of the step's row."""


def waits_at(step: Step, state: State) -> ProcessStatus | None:
    """The status a process waits in at `step` (for a user's input, or for a callback); None when the
    step runs now. A step whose `conditional` predicate is false never waits: it is skipped."""
    waiting = WAITS_FOR.get(step.kind)
    return waiting[0] if waiting is not None and step.should_run(state) else None


def finish(process_id: uuid.UUID, status: ProcessStatus, index: int | None = None, step: Step | None = None,
            state: State | None = None) -> ProcessStatus:
    """End this run of the process in `status`; at a waiting step, its row records where it waits."""
    with transaction() as session:
        stmt = sa.select(ProcessTable).where(ProcessTable.process_id == process_id)
        process = session.execute(lock_for_update(stmt, of=ProcessTable)).scalar_one()
        row_status = next((row for waiting, row in WAITS_FOR.values() if waiting == status), None)
        if row_status is not None and step is not None and index is not None:
            step_log.record_step(session, process, index, step.name, row_status, to_json(state or {}),
                                 utcnow(), process.created_by)
            process.assignee = str(step.assignee or "SYSTEM")
        if process.last_status == str(ProcessStatus.RUNNING) or status != ProcessStatus.COMPLETED:
            process.last_status = str(status)
        process.lease_expires_at = None
        process.last_modified_at = utcnow()
    return status


def _current_status(process_id: uuid.UUID) -> ProcessStatus:
    with transaction() as session:
        return ProcessStatus(session.execute(
            sa.select(ProcessTable.last_status).where(ProcessTable.process_id == process_id)).scalar_one())


def run_process(process_id: uuid.UUID, invoke: StepInvoker = run_directly,
                flow_run_id: uuid.UUID | None = None,
                authorize_retry: RetryAuthorizer | None = None) -> ProcessStatus:
    """Run from the resume point; return the status the process ends this run with.

    `authorize_retry` decides re-runs our services did not dispatch (see `_claim`); its refusal
    is raised from here with the process untouched."""
    with pinned_connection():  # one checkout for the run's transactions, not one (and a ping) per step
        return _run_claimed(process_id, invoke, flow_run_id, authorize_retry)


def _run_claimed(process_id: uuid.UUID, invoke: StepInvoker, flow_run_id: uuid.UUID | None,
                 authorize_retry: RetryAuthorizer | None) -> ProcessStatus:
    claim = _claim(process_id, flow_run_id, authorize_retry)
    if isinstance(claim, ProcessStatus):
        return claim
    with lease.renewing(process_id):
        state = claim.state
        steps = claim.workflow.steps
        for index in range(claim.next_index, len(steps)):
            step = steps[index]
            if (waiting := waits_at(step, state)) is not None:
                return finish(process_id, waiting, index, step, state)
            try:
                outcome = invoke(step, index, _bind(process_id, index, step, state, claim.user))
            except StepFailedError as failure:
                return failure.status
            except StepAlreadyCommittedError as stop:
                logger.warning("This run of process %s stops: %s", process_id, stop)
                return _current_status(process_id)
            state = outcome.state
            if outcome.status == StepStatus.COMPLETE:
                break  # the first `done` ends the process, as in the reference (a task nesting init...done)
        return finish(process_id, ProcessStatus.COMPLETED)


def _bind(process_id: uuid.UUID, index: int, step: Step, state: State, user: str | None) -> Callable[[], StepOutcome]:
    return lambda: execute_step(process_id, index, step, state, user)
