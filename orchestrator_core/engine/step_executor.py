"""The step-run core: claim a process, run a step, decide how it ended, record it, finish.

Both drivers run processes through these functions and differ only in how many processes share
a transaction: the runner (`runner.py`, one process, a transaction per step, each step a Prefect
task) and the batch (`batch.py`, one transaction per step for many processes, a savepoint each).
The step log (`step_log`) writes the rows and finds the resume point; whether a step runs is
decided from it, never from Prefect's cache.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

import sqlalchemy as sa

from orchestrator_core.db import ProcessTable, WorkflowTable, lock_for_update, transaction
from orchestrator_core.db.base import utcnow
from orchestrator_core.engine import lease, step_log
from orchestrator_core.engine.state import merge, persistent_models, to_json
from orchestrator_core.errors import OrchestratorError, ProcessBusyError, ProcessNotFoundError
from orchestrator_core.injection import inject_args
from orchestrator_core.types import FINAL_STATUSES, ProcessStatus, State, StepStatus
from orchestrator_core.utils.errors import error_state_to_dict
from orchestrator_core.workflow import InvalidWorkflowError, Step, Workflow, get_workflow

logger = logging.getLogger(__name__)

RetryAuthorizer = Callable[[Workflow, Any, int, ProcessStatus], str | None]
"""Asked in the claim for each process, with its row as found (workflow, the row with its `process_id`
and `executor_id`, the next step's index, its status): whether this run was dispatched by our services,
and if not (a Retry from Prefect) whether it may run, raising an `OrchestratorError` to refuse before
anything is written. Returns who retried it, recorded on the steps this run executes (None: the
process's creator). The rule and the decision: services/prefect_actions.py."""


# ---------------------------------------------------------------- how a step ends

@dataclass(frozen=True)
class StepOutcome:
    """How a step ended, with the state its row records; the class says what follows."""

    state: State
    row_status: ClassVar[StepStatus]
    process_status: ClassVar[ProcessStatus] = ProcessStatus.RUNNING
    ends_run: ClassVar[bool] = False

    def process_values(self, step: Step) -> dict[str, Any]:
        """What the process row takes with the step's row: a running process renews its lease."""
        return {"last_status": str(self.process_status), "lease_expires_at": lease.expiry()}


class Success(StepOutcome):
    row_status = StepStatus.SUCCESS


class Skipped(StepOutcome):
    """A `conditional` step whose predicate was false: committed, not run."""

    row_status = StepStatus.SKIPPED


class Complete(StepOutcome):
    """`done` ran: the process completes, and steps after it never run."""

    row_status = StepStatus.COMPLETE
    ends_run = True


class Suspend(StepOutcome):
    """The step waits for a user's input; its row records where, and the process stops."""

    row_status = StepStatus.SUSPEND
    process_status = ProcessStatus.SUSPENDED
    ends_run = True

    def process_values(self, step: Step) -> dict[str, Any]:
        return {"last_status": str(self.process_status), "lease_expires_at": None,
                "assignee": str(step.assignee or "SYSTEM")}


class AwaitingCallback(Suspend):
    """The step waits for an external system's callback."""

    row_status = StepStatus.AWAITING_CALLBACK
    process_status = ProcessStatus.AWAITING_CALLBACK


class Failed(StepOutcome):
    """The step raised: its changes are rolled back; the state holds the error and traceback."""

    row_status = StepStatus.FAILED
    process_status = ProcessStatus.FAILED
    ends_run = True

    def process_values(self, step: Step) -> dict[str, Any]:
        return {"last_status": str(self.process_status), "failed_reason": self.state["error"],
                "traceback": self.state["traceback"], "lease_expires_at": None}


class Waiting(Failed):
    """A `retrystep` raised: the process waits to be retried."""

    row_status = StepStatus.WAITING
    process_status = ProcessStatus.WAITING


WAITS: dict[str, type[Suspend]] = {"inputstep": Suspend, "callback": AwaitingCallback}


def decide(step: Step, state: State, ran: State | BaseException | None = None) -> StepOutcome | None:
    """The one decision of how a step ends, from the state it sees and what running it gave.

    Before it runs (`ran` None): Skipped when its condition is false, Suspend at a step that waits,
    None when it must run. After it ran: Failed (Waiting for a retrystep) with the error it raised,
    Complete for `done`, else Success with the state it left."""
    if isinstance(ran, BaseException):
        failed = {**to_json(state), **to_json(error_state_to_dict(ran)), "error": failure_reason(step, ran)}
        return Waiting(failed) if step.kind == "retrystep" else Failed(failed)
    if ran is not None:
        return Complete(ran) if step.kind == "done" else Success(ran)
    if not step.should_run(state):
        return Skipped(dict(state))
    waits = WAITS.get(step.kind)
    return waits(to_json(state)) if waits is not None else None


def failure_reason(step: Step, exc: BaseException) -> str:
    """What an operator reads: a lost database connection says so, not the driver's SQL dump."""
    if isinstance(exc, sa.exc.DBAPIError) and exc.connection_invalidated:
        cause = (str(exc.orig).strip().splitlines() or [type(exc.orig).__name__])[0]
        return (f"The database connection was lost during step {step.name!r} ({cause}); the step's changes "
                "were rolled back. Resume the process to run the step again")
    return str(exc) or type(exc).__name__


def idempotency_key(process_id: uuid.UUID, index: int) -> str:
    """Handed to external systems so that a repeated call after a crash is recognised."""
    return f"{process_id}:{index}"


def run_step(step: Step, state: State, process_id: uuid.UUID, index: int) -> StepOutcome:
    """The only place a step's function is called: call it, merge its result, save the domain models in
    it, in the caller's transaction. Raises what the step raised; the caller rolls back and records it."""
    planned = decide(step, state)
    if planned is not None:
        return planned
    call_state = {**state, "idempotency_key": idempotency_key(process_id, index)}
    new_state = merge(state, step.func(**inject_args(step.func, call_state, step.name)), step.name)
    for model in persistent_models(new_state):
        model.save()
    outcome = decide(step, state, to_json(new_state))
    assert outcome is not None
    return outcome


def step_row(process_id: uuid.UUID, index: int, step: Step, outcome: StepOutcome, started_at: datetime,
             user: str | None) -> step_log.StepRow:
    return step_log.StepRow(process_id, index, step.name, outcome.row_status, outcome.state, started_at, user,
                            outcome.process_values(step))


def moved_on(position: tuple[str, int] | None, process_id: uuid.UUID, index: int, step: Step) -> str | None:
    """Why step `index` must not run now (the process is gone or aborted, or the log holds the step: another
    executor ran it, or this one crashed after its commit); None when it runs."""
    if position is None:
        return f"Process {process_id} no longer exists"
    if position[0] == ProcessStatus.ABORTED:
        return f"Process {process_id} was aborted; step {step.name!r} does not run"
    if position[1] >= index:
        return f"Step {index} ({step.name!r}) of process {process_id} is already committed; not running it again"
    return None


# ---------------------------------------------------------------- one process's step in its own transaction

class StepAlreadyCommittedError(RuntimeError):
    """The log shows this step (or a later one) committed, or the process aborted: running it would double it."""

    def __init__(self, message: str, status: ProcessStatus) -> None:
        self.status = status
        super().__init__(message)


class StepFailedError(RuntimeError):
    """A step raised; its changes were rolled back and a failed row records why."""

    recorded_in_step_log = True
    """Its traceback is in the step log already: logs say it in one line (logging_setup.RecordedFailures)."""

    def __init__(self, step_name: str, status: ProcessStatus, cause: BaseException) -> None:
        self.step_name = step_name
        self.status = status
        super().__init__(f"Step {step_name!r} failed: {type(cause).__name__}: {cause}")


def _locked_at(session: Any, process_id: uuid.UUID, index: int, step: Step) -> None:
    """Lock the process row; refuse when the step must not run (`moved_on`)."""
    position = step_log.committed_positions(session, [process_id], lock=True).get(process_id)
    reason = moved_on(position, process_id, index, step)
    if reason is not None:
        status = ProcessStatus(position[0]) if position is not None else ProcessStatus.FAILED
        raise StepAlreadyCommittedError(reason, status)


def execute_step(process_id: uuid.UUID, index: int, step: Step, state: State, user: str | None) -> StepOutcome:
    """Run one step of one process: its changes and its row commit together, with the row lock held. A step
    that raised is rolled back and recorded in a transaction of its own; StepFailedError says so (Prefect
    retries the task on it)."""
    started_at = utcnow()
    try:
        with transaction() as session:
            _locked_at(session, process_id, index, step)
            outcome = run_step(step, state, process_id, index)
            step_log.record_steps(session, [step_row(process_id, index, step, outcome, started_at, user)])
        return outcome
    except StepAlreadyCommittedError:
        raise
    except Exception as exc:
        failed = decide(step, state, exc)
        assert failed is not None
        try:
            with transaction() as session:
                _locked_at(session, process_id, index, step)
                step_log.record_steps(session, [step_row(process_id, index, step, failed, started_at, user)])
        except StepAlreadyCommittedError:
            pass
        except Exception:  # the database itself may be what failed; the lease reaper will notice
            logger.exception("Could not record the failure of step %r of process %s", step.name, process_id)
        raise StepFailedError(step.name, failed.process_status, exc) from exc


# ---------------------------------------------------------------- claim and finish, for one process or many

@dataclass
class Run:
    """One process in this run: where it is, the state its next step sees, and who runs it."""

    process_id: uuid.UUID
    workflow: Workflow
    state: State
    next_index: int
    user: str | None
    status: ProcessStatus | None = None  # set once this run of it ended

    def advanced(self, index: int, outcome: StepOutcome) -> None:
        """Take the outcome of step `index`: on to the next step, or this run of the process ends."""
        if isinstance(outcome, Complete):
            self.next_index = len(self.workflow.steps)  # the first `done` ends it, as in the reference
        elif outcome.ends_run:
            self.status = outcome.process_status
        else:
            self.state, self.next_index = outcome.state, index + 1


def workflow_code(name: str) -> Workflow | str:
    """The workflow's code, or why this executor cannot run it (its processes then fail with that reason)."""
    try:
        workflow = get_workflow(name)
    except InvalidWorkflowError as exc:
        return str(exc)
    return workflow if workflow is not None else f"Workflow {name!r} has no code in this executor"


def _claimable(process_id: uuid.UUID, row: Any, now: datetime) -> Workflow | ProcessStatus | str:
    """The claim decision: the code to run it with, the final status it has, or why it fails (no code here).
    Raises when it is gone or its lease is held by a living executor."""
    if row is None:
        raise ProcessNotFoundError(f"Process {process_id} does not exist")
    status = ProcessStatus(row.last_status)
    if status in FINAL_STATUSES:
        return status
    if (status == ProcessStatus.RUNNING and row.executor_id not in (None, lease.executor_id())
            and row.lease_expires_at is not None and row.lease_expires_at > now):
        raise ProcessBusyError(f"Process {process_id} is running on executor {row.executor_id}",
                               executor=row.executor_id)
    return workflow_code(row.name)


def claim(process_ids: Sequence[uuid.UUID], flow_run_id: uuid.UUID | None = None,
          authorize_retry: RetryAuthorizer | None = None
          ) -> tuple[list[Run], dict[uuid.UUID, ProcessStatus | OrchestratorError]]:
    """Mark each runnable process running under this executor's lease, in one transaction, at its resume
    point. Per process that must not run: its status (final; failed for want of code) or the refusal (gone,
    running elsewhere).

    With `authorize_retry`, each run is first put to it (a re-run our services did not dispatch must be
    authorized); its refusal propagates and nothing is written."""
    runs: list[Run] = []
    ended: dict[uuid.UUID, ProcessStatus | OrchestratorError] = {}
    with transaction() as session:
        stmt = (sa.select(ProcessTable.process_id, ProcessTable.last_status, ProcessTable.executor_id,
                          ProcessTable.lease_expires_at, ProcessTable.created_by, WorkflowTable.name)
                .join(WorkflowTable, WorkflowTable.workflow_id == ProcessTable.workflow_id)
                .where(ProcessTable.process_id.in_(process_ids)).order_by(ProcessTable.process_id))
        rows = {row.process_id: row for row in session.execute(lock_for_update(stmt, of=ProcessTable))}
        now = utcnow()
        claimable: list[tuple[Any, Workflow]] = []
        for pid in process_ids:
            try:
                verdict = _claimable(pid, rows.get(pid), now)
            except OrchestratorError as refusal:
                ended[pid] = refusal
                continue
            if isinstance(verdict, Workflow):
                claimable.append((rows[pid], verdict))
                continue
            if not isinstance(verdict, ProcessStatus):  # no code here: the process fails with the reason
                session.execute(sa.update(ProcessTable).where(ProcessTable.process_id == pid).values(
                    last_status=str(ProcessStatus.FAILED), failed_reason=verdict))
                verdict = ProcessStatus.FAILED
            ended[pid] = verdict
        if not claimable:
            return runs, ended
        ids = [row.process_id for row, _ in claimable]
        points = step_log.resume_points(session, ids)
        retried = step_log.retried_by(session, ids)
        for row, workflow in claimable:
            point = points.get(row.process_id)
            if point is None:
                raise LookupError(f"Process {row.process_id} has no initial state")
            user = retried.get(row.process_id) or row.created_by
            if authorize_retry is not None:
                user = authorize_retry(workflow, row, point.next_index, ProcessStatus(row.last_status)) or user
            runs.append(Run(row.process_id, workflow, point.state, point.next_index, user))
        values: dict[str, Any] = {"last_status": str(ProcessStatus.RUNNING), "executor_id": lease.executor_id(),
                                  "lease_expires_at": lease.expiry(), "failed_reason": None, "traceback": None}
        if flow_run_id is not None:
            values["flow_run_id"] = flow_run_id
        session.execute(sa.update(ProcessTable).where(ProcessTable.process_id.in_(ids)).values(**values))
    return runs, ended


def finish_completed(runs: Sequence[Run]) -> None:
    """Complete every process that ran its last step; one that moved on meanwhile (aborted) keeps its status."""
    ids = sorted(run.process_id for run in runs)
    with transaction() as session:
        step_log.committed_positions(session, ids, lock=True)  # the rows locked in id order, as every step does
        session.execute(sa.update(ProcessTable).where(ProcessTable.process_id.in_(ids)).values(
            last_status=sa.case((ProcessTable.last_status == str(ProcessStatus.RUNNING),
                                 str(ProcessStatus.COMPLETED)), else_=ProcessTable.last_status),
            lease_expires_at=None, last_modified_at=utcnow()))
    for run in runs:
        run.status = ProcessStatus.COMPLETED


Advance = Callable[[list[Run], int, Step], None]
"""Runs step `index` of a group of processes of one workflow and `advanced`s each of them."""


def drive(runs: list[Run], advance: Advance) -> None:
    """Run every process to its end, a suspend or a failure: the group at the lowest step index first."""
    while True:
        active = [run for run in runs if run.status is None]
        if not active:
            return
        done = [run for run in active if run.next_index >= len(run.workflow.steps)]
        if done:
            finish_completed(done)
            continue
        index = min(run.next_index for run in active)
        groups: dict[str, list[Run]] = {}
        for run in active:
            if run.next_index == index:
                groups.setdefault(run.workflow.name, []).append(run)
        for group in groups.values():
            advance(group, index, group[0].workflow.steps[index])
