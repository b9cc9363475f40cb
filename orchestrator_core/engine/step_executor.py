"""Execute one step as one unit of work: its changes and its step row commit together.

This is the only place a step's function is called. It holds the process row lock while the
step runs, checks that the log has not moved on (another executor, or a crash after commit),
and on an exception rolls everything back and records a failed row instead.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from orchestrator_core.db import transaction
from orchestrator_core.db.base import utcnow
from orchestrator_core.engine import lease, step_log
from orchestrator_core.engine.state import merge, persistent_models, to_json
from orchestrator_core.injection import inject_args
from orchestrator_core.types import ProcessStatus, State, StepStatus
from orchestrator_core.utils.errors import error_state_to_dict
from orchestrator_core.workflow import Step

logger = logging.getLogger(__name__)


class StepAlreadyCommittedError(RuntimeError):
    """The log shows this step (or a later one) committed: running it again would double it."""


class StepFailedError(RuntimeError):
    """A step raised; its changes were rolled back and a failed row records why."""

    recorded_in_step_log = True
    """Its traceback is in the step log already: logs say it in one line (logging_setup.RecordedFailures)."""

    def __init__(self, step_name: str, status: ProcessStatus, cause: BaseException) -> None:
        self.step_name = step_name
        self.status = status
        super().__init__(f"Step {step_name!r} failed: {type(cause).__name__}: {cause}")


@dataclass(frozen=True)
class StepOutcome:
    status: StepStatus
    state: State


def idempotency_key(process_id: uuid.UUID, index: int) -> str:
    """Handed to external systems so that a repeated call after a crash is recognised."""
    return f"{process_id}:{index}"


def _lock_at_position(session: Any, process_id: uuid.UUID, index: int, step: Step) -> None:
    """Lock the process row; refuse if the log already holds this step or the process was aborted."""
    position = step_log.committed_position(session, process_id, lock=True)
    if position is None:
        raise StepAlreadyCommittedError(f"Process {process_id} no longer exists")
    status, last_index = position
    if status == ProcessStatus.ABORTED:
        raise StepAlreadyCommittedError(f"Process {process_id} was aborted; step {step.name!r} does not run")
    if last_index >= index:
        raise StepAlreadyCommittedError(
            f"Step {index} ({step.name!r}) of process {process_id} is already committed; not running it again"
        )


def call_step(step: Step, state: State, process_id: uuid.UUID, index: int) -> Any:
    call_state = {**state, "idempotency_key": idempotency_key(process_id, index)}
    return step.func(**inject_args(step.func, call_state, step.name))


def execute_step(process_id: uuid.UUID, index: int, step: Step, state: State, user: str | None) -> StepOutcome:
    started_at = utcnow()
    try:
        with transaction() as session:
            _lock_at_position(session, process_id, index, step)
            if step.should_run(state):
                new_state = merge(state, call_step(step, state, process_id, index), step.name)
                for model in persistent_models(new_state):
                    model.save()
                status = StepStatus.COMPLETE if step.kind == "done" else StepStatus.SUCCESS
            else:
                new_state, status = dict(state), StepStatus.SKIPPED
            json_state = to_json(new_state)
            step_log.record_step(session, process_id, index, step.name, status, json_state, started_at, user,
                                 last_status=str(ProcessStatus.RUNNING),
                                 lease_expires_at=lease.expiry())  # a long step's commit renews its own lease
        return StepOutcome(status, json_state)
    except StepAlreadyCommittedError:
        raise
    except Exception as exc:
        failed_status = ProcessStatus.WAITING if step.kind == "retrystep" else ProcessStatus.FAILED
        _record_failure(process_id, index, step, state, exc, failed_status, started_at, user)
        raise StepFailedError(step.name, failed_status, exc) from exc


def failure_reason(step: Step, exc: BaseException) -> str:
    """What an operator reads: a lost database connection says so, not the driver's SQL dump."""
    if isinstance(exc, sa.exc.DBAPIError) and exc.connection_invalidated:
        cause = (str(exc.orig).strip().splitlines() or [type(exc.orig).__name__])[0]
        return (f"The database connection was lost during step {step.name!r} ({cause}); the step's changes "
                "were rolled back. Resume the process to run the step again")
    return str(exc) or type(exc).__name__


def error_state(state: State, exc: BaseException) -> dict[str, Any]:
    """The state a failed step records: the state it saw, and the error (with a `ProcessFailureError`'s details)."""
    return {**to_json(state), **to_json(error_state_to_dict(exc))}


def _record_failure(process_id: uuid.UUID, index: int, step: Step, state: State, exc: BaseException,
                    status: ProcessStatus, started_at: Any, user: str | None) -> None:
    try:
        with transaction() as session:
            if step_log.committed_position(session, process_id, lock=True) is None:
                return
            failed = {**error_state(state, exc), "error": failure_reason(step, exc)}
            row_status = StepStatus.WAITING if status == ProcessStatus.WAITING else StepStatus.FAILED
            step_log.record_step(session, process_id, index, step.name, row_status, failed, started_at, user,
                                 last_status=str(status), failed_reason=failed["error"],
                                 traceback=failed["traceback"], lease_expires_at=None)
    except Exception:  # the database itself may be what failed; the lease reaper will notice
        logger.exception("Could not record the failure of step %r of process %s", step.name, process_id)
