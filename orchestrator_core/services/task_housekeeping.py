"""What orchestrator-ui's task pages do besides start, retry and abort: retry every failed task at once,
and delete a task's process.

Both go through the same doors as one process does: a retry is `resume_process` for the caller, which
asks the authorization at the step the task stands at, so a refusal for one task leaves it as it is and
the others go on. Only tasks may be deleted, as in the reference: a
workflow's process is the audit trail of a subscription's change and stays.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from orchestrator_core.db import ProcessTable, lock_for_update, transaction
from orchestrator_core.errors import OrchestratorError, ProcessBusyError, ProcessNotFoundError
from orchestrator_core.services import authorization, dispatch
from orchestrator_core.services.processes import resume_process, workflow_named
from orchestrator_core.types import ProcessStatus

RETRIED_TASK_STATUSES = (ProcessStatus.FAILED, ProcessStatus.WAITING, ProcessStatus.CRASHED)
"""What "retry all" retries: tasks that wait for an operator's retry (the reference's failed, waiting,
api_unavailable and inconsistent_data; ours has crashed instead of the last two)."""

MOVING = (ProcessStatus.CREATED, ProcessStatus.RUNNING)


class NotATaskError(OrchestratorError):
    code = "process.not_a_task"
    http_status = 400


@dataclass(frozen=True)
class RetryAll:
    resumed: list[uuid.UUID] = field(default_factory=list)
    refused: dict[uuid.UUID, OrchestratorError] = field(default_factory=dict)


def retry_failed_tasks(caller: Any, user: str) -> RetryAll:
    """Resume every task in RETRIED_TASK_STATUSES that the caller may retry; the others are reported."""
    p = ProcessTable.__table__
    statement = (
        sa.select(p.c.process_id)
        .where(p.c.is_task.is_(True), p.c.last_status.in_([str(s) for s in RETRIED_TASK_STATUSES]))
        .order_by(p.c.started_at)
    )
    with transaction() as session:
        candidates = session.execute(statement).scalars().all()
    result = RetryAll()
    for process_id in candidates:
        try:
            resume_process(process_id, [{}], user, wait=False, caller=caller)
            result.resumed.append(process_id)
        except OrchestratorError as exc:  # retried by someone else meanwhile, not authorized, no code here
            result.refused[process_id] = exc
    return result


def delete_task(process_id: uuid.UUID, caller: Any = authorization.OPERATOR) -> None:
    """Remove a task's process with its step log; refused for a workflow's process and while it runs, and
    unless `caller` may retry it."""
    with transaction() as session:
        stmt = sa.select(ProcessTable).where(ProcessTable.process_id == process_id)
        process = session.execute(lock_for_update(stmt, of=ProcessTable)).scalar_one_or_none()
        if process is None:
            raise ProcessNotFoundError(f"Process {process_id} does not exist", process_id=str(process_id))
        if process.is_task and authorization.asks(caller):
            authorization.authorize_resume(workflow_named(process.workflow.name), process_id, process.last_status,
                                           caller)
        if not process.is_task:
            raise NotATaskError(f"Process {process_id} is a workflow's, which is kept as the subscription's "
                                "history; only tasks may be deleted", process_id=str(process_id))
        if process.last_status in [str(s) for s in MOVING]:
            raise ProcessBusyError(f"Task {process_id} is {process.last_status}; abort it or wait until it stops "
                                   "before deleting it", process_id=str(process_id), status=process.last_status)
        flow_run_id = process.flow_run_id
        session.delete(process)
    dispatch.cancel(flow_run_id)
