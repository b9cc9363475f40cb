"""Process reads the API needs beyond `process_queries`: filtered pages with a total, the
subscriptions a process touched, and the step rows added since a client last looked (for the
event stream, which must poll cheaply).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from orchestrator_core.db import ProcessStepTable, ProcessTable, WorkflowTable, transaction
from orchestrator_core.db.subscription_tables import ProcessSubscriptionTable


@dataclass(frozen=True)
class ProcessPage:
    items: list[dict[str, Any]]
    total: int


def _row(p: ProcessTable) -> dict[str, Any]:
    return {
        "process_id": p.process_id,
        "workflow_name": p.workflow.name,
        "workflow_target": p.workflow.target,
        "status": p.last_status,
        "last_step": p.last_step,
        "failed_reason": p.failed_reason,
        "created_by": p.created_by,
        "started_at": p.started_at,
        "last_modified_at": p.last_modified_at,
        "flow_run_id": p.flow_run_id,
        "is_task": p.is_task,
        "assignee": p.assignee,
    }


def search_processes(
    status: str | None = None,
    workflow: str | None = None,
    subscription_id: uuid.UUID | None = None,
    limit: int = 50,
    offset: int = 0,
) -> ProcessPage:
    """Newest first; filters combine with AND."""
    where: list[Any] = []
    if status:
        where.append(ProcessTable.last_status == status)
    if workflow:
        where.append(WorkflowTable.name == workflow)
    if subscription_id:
        where.append(
            ProcessTable.process_id.in_(
                sa.select(ProcessSubscriptionTable.process_id).where(
                    ProcessSubscriptionTable.subscription_id == subscription_id
                )
            )
        )
    with transaction() as session:
        total = session.execute(
            sa.select(sa.func.count()).select_from(ProcessTable).join(WorkflowTable).where(*where)
        ).scalar_one()
        rows = (
            session.execute(
                sa.select(ProcessTable)
                .join(WorkflowTable)
                .where(*where)
                .order_by(ProcessTable.started_at.desc(), ProcessTable.process_id)
                .limit(limit)
                .offset(offset)
            )
            .scalars()
            .all()
        )
        return ProcessPage([_row(p) for p in rows], total)


def subscriptions_of(process_id: uuid.UUID) -> list[uuid.UUID]:
    with transaction() as session:
        return list(
            session.execute(
                sa.select(ProcessSubscriptionTable.subscription_id)
                .where(ProcessSubscriptionTable.process_id == process_id)
                .order_by(ProcessSubscriptionTable.created_at)
            ).scalars()
        )


@dataclass(frozen=True)
class Progress:
    """What the event stream compares between polls."""

    status: str
    last_step: str | None
    failed_reason: str | None
    new_steps: list[dict[str, Any]]


def progress_since(process_id: uuid.UUID, after_step_id: int) -> Progress | None:
    """The process's status and its step rows after `after_step_id` (two indexed queries); None if gone."""
    with transaction() as session:
        head = session.execute(
            sa.select(ProcessTable.last_status, ProcessTable.last_step, ProcessTable.failed_reason).where(
                ProcessTable.process_id == process_id
            )
        ).one_or_none()
        if head is None:
            return None
        steps = session.execute(
            sa.select(
                ProcessStepTable.step_id,
                ProcessStepTable.step_index,
                ProcessStepTable.name,
                ProcessStepTable.status,
                ProcessStepTable.created_by,
                ProcessStepTable.completed_at,
            )
            .where(ProcessStepTable.process_id == process_id, ProcessStepTable.step_id > after_step_id)
            .order_by(ProcessStepTable.step_id)
        ).all()
        return Progress(
            head.last_status, head.last_step, head.failed_reason, [dict(s._mapping) for s in steps]
        )


def initial_state_of(process_id: uuid.UUID) -> dict[str, Any]:
    """The validated form input the first step saw; the base of the first step's diff."""
    from orchestrator_core.engine import step_log

    with transaction() as session:
        try:
            return step_log.initial_state(session, process_id)
        except LookupError:
            return {}
