"""The step log (`process_steps`): the audit trail, and the source of truth for resume.

A step is committed when its `success` or `skipped` row exists; that row holds the full state
after the step. Resuming replays nothing: it restores the state of the last committed row and
continues at the next index.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from orchestrator_core.db import InputStateTable, ProcessStepTable, ProcessTable
from orchestrator_core.db.base import utcnow
from orchestrator_core.settings import app_settings
from orchestrator_core.types import State, StepStatus

COMMITTED = (StepStatus.SUCCESS, StepStatus.SKIPPED, StepStatus.COMPLETE)


@dataclass(frozen=True)
class ResumePoint:
    next_index: int
    state: State


def initial_state(session: Session, process_id: uuid.UUID) -> State:
    row = session.execute(
        sa.select(InputStateTable.input_state)
        .where(InputStateTable.process_id == process_id, InputStateTable.input_type == "initial_state")
        .order_by(InputStateTable.input_time)
        .limit(1)
    ).scalar_one_or_none()
    if row is None:
        raise LookupError(f"Process {process_id} has no initial state")
    return dict(row)


def last_committed(session: Session, process_id: uuid.UUID) -> ProcessStepTable | None:
    return session.execute(
        sa.select(ProcessStepTable)
        .where(ProcessStepTable.process_id == process_id, ProcessStepTable.status.in_(COMMITTED))
        .order_by(ProcessStepTable.step_id.desc())
        .limit(1)
    ).scalar_one_or_none()


def resume_point(session: Session, process_id: uuid.UUID) -> ResumePoint:
    last = last_committed(session, process_id)
    if last is None:
        return ResumePoint(0, initial_state(session, process_id))
    return ResumePoint(last.step_index + 1, dict(last.state))


def record_step(
    session: Session,
    process: ProcessTable,
    index: int,
    name: str,
    status: StepStatus,
    state: dict[str, Any],
    started_at: datetime,
    user: str | None,
) -> ProcessStepTable:
    """Append a row and move the process's pointer, in the caller's transaction."""
    now = utcnow()
    row = ProcessStepTable(
        process_id=process.process_id,
        step_index=index,
        name=name,
        status=str(status),
        state=state,
        created_by=user,
        started_at=started_at,
        completed_at=now,
        commit_hash=app_settings.code_version,
    )
    session.add(row)
    process.last_step = name
    process.last_modified_at = now
    return row


def steps_of(session: Session, process_id: uuid.UUID) -> list[ProcessStepTable]:
    return list(
        session.execute(
            sa.select(ProcessStepTable)
            .where(ProcessStepTable.process_id == process_id)
            .order_by(ProcessStepTable.step_id)
        ).scalars()
    )
