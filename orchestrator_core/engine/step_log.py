"""The step log (`process_steps`): the audit trail, and the source of truth for resume.

A step is committed when its `success` or `skipped` row exists; that row holds the full state
after the step. Resuming replays nothing: it restores the state of the last committed row and
continues at the next index.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from orchestrator_core.db import InputStateTable, ProcessStepTable, ProcessTable
from orchestrator_core.db.base import utcnow
from orchestrator_core.db.database import is_sqlite
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


RETRY_INPUT = "retry"
"""The input_states row a retry through our services writes: who retried, from which status (the audit of
retries; the steps that run then are recorded as done by that user)."""


def record_retry(session: Session, process_id: uuid.UUID, user: str, from_status: str) -> None:
    session.add(InputStateTable(process_id=process_id, input_type=RETRY_INPUT,
                                input_state={"retried_by": user, "from_status": from_status}))


def last_retried_by(session: Session, process_id: uuid.UUID) -> str | None:
    """Who retried the process last through our services (API, CLI); None if nobody did."""
    state = session.execute(
        sa.select(InputStateTable.input_state)
        .where(InputStateTable.process_id == process_id, InputStateTable.input_type == RETRY_INPUT)
        .order_by(InputStateTable.input_time.desc()).limit(1)
    ).scalar_one_or_none()
    return str(state.get("retried_by")) if isinstance(state, dict) and state.get("retried_by") else None


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
    process: ProcessTable | uuid.UUID,
    index: int,
    name: str,
    status: StepStatus,
    state: dict[str, Any],
    started_at: datetime,
    user: str | None,
    **process_values: Any,
) -> None:
    """Append a row and move the process's pointer, in the caller's transaction.

    No ORM unit of work: this runs once per step of every process. On Postgres it is one statement
    (the row inserted in a CTE of the pointer's UPDATE), built once per set of `process_values`
    keys, so each step pays one round trip and no statement building."""
    process_id = process if isinstance(process, uuid.UUID) else process.process_id
    now = utcnow()
    row = {"process_id": process_id, "step_index": index, "name": name, "status": str(status), "state": state,
           "created_by": user, "started_at": started_at, "completed_at": now,
           "commit_hash": app_settings.code_version}
    pointer = {"last_step": name, "last_modified_at": now, **process_values}
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        stmt = _record_statement(tuple(sorted(process_values)))
        connection.execute(stmt, {**{f"s_{k}": v for k, v in row.items()}, **{f"p_{k}": v for k, v in pointer.items()}})
        return
    connection.execute(sa.insert(ProcessStepTable).values(**row))
    connection.execute(sa.update(ProcessTable).where(ProcessTable.process_id == process_id).values(**pointer))


_STEP_COLUMNS = ("process_id", "step_index", "name", "status", "state", "created_by", "started_at", "completed_at",
                 "commit_hash")


@lru_cache(maxsize=64)
def _record_statement(process_keys: tuple[str, ...]) -> Any:
    """INSERT the step row in a CTE of the process pointer's UPDATE: one statement, one round trip."""
    steps: sa.Table = ProcessStepTable.__table__  # type: ignore[assignment]
    processes: sa.Table = ProcessTable.__table__  # type: ignore[assignment]
    insert = sa.insert(steps).values(
        {c: sa.bindparam(f"s_{c}", type_=steps.c[c].type) for c in _STEP_COLUMNS}).cte("step_row")
    values = {c: sa.bindparam(f"p_{c}", type_=processes.c[c].type)
              for c in ("last_step", "last_modified_at", *process_keys)}
    return (sa.update(processes).where(processes.c.process_id == sa.bindparam("s_process_id"))
            .values(values).add_cte(insert))


def update_last_state(session: Session, process_id: uuid.UUID, values: dict[str, Any]) -> None:
    """Add `values` to the state of the process's last row: a waiting step's row, which commits nothing
    (a callback's progress report); committed rows are never changed."""
    last = session.execute(
        sa.select(ProcessStepTable).where(ProcessStepTable.process_id == process_id)
        .order_by(ProcessStepTable.step_id.desc()).limit(1)
    ).scalar_one()
    if last.status in COMMITTED:
        raise ValueError(f"The last step of process {process_id} is committed; its state is not changed")
    last.state = {**last.state, **values}


def committed_position(session: Session, process_id: uuid.UUID, lock: bool) -> tuple[str, int] | None:
    """(status, index of the last committed step or -1) in one statement, locking the process row.

    Executed on the session's connection (Core, a statement built once): it is the first statement of
    every step's transaction."""
    row = session.connection().execute(_position_statement(lock, is_sqlite()), {"pid": process_id}).one_or_none()
    if row is None:
        return None
    return row[0], -1 if row[1] is None else row[1]


@lru_cache(maxsize=4)
def _position_statement(lock: bool, sqlite: bool) -> Any:
    steps: sa.Table = ProcessStepTable.__table__  # type: ignore[assignment]
    processes: sa.Table = ProcessTable.__table__  # type: ignore[assignment]
    last_index = (
        sa.select(steps.c.step_index)
        .where(steps.c.process_id == sa.bindparam("pid"), steps.c.status.in_([str(s) for s in COMMITTED]))
        .order_by(steps.c.step_id.desc()).limit(1).scalar_subquery()
    )
    stmt = sa.select(processes.c.last_status, last_index).where(processes.c.process_id == sa.bindparam("pid"))
    return stmt.with_for_update(of=processes) if lock and not sqlite else stmt


def steps_of(session: Session, process_id: uuid.UUID) -> list[ProcessStepTable]:
    return list(
        session.execute(
            sa.select(ProcessStepTable)
            .where(ProcessStepTable.process_id == process_id)
            .order_by(ProcessStepTable.step_id)
        ).scalars()
    )
