"""The step log (`process_steps`): the audit trail, and the source of truth for resume.

A step is committed when its `success` or `skipped` row exists; that row holds the full state
after the step. Resuming replays nothing: it restores the state of the last committed row and
continues at the next index.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from orchestrator_core.db import InputStateTable, ProcessStepTable, ProcessTable
from orchestrator_core.db.base import table_of, utcnow
from orchestrator_core.db.database import is_sqlite
from orchestrator_core.settings import app_settings
from orchestrator_core.types import State, StepStatus

COMMITTED = (StepStatus.SUCCESS, StepStatus.SKIPPED, StepStatus.COMPLETE)


@dataclass(frozen=True)
class ResumePoint:
    next_index: int
    state: State


def initial_states(session: Session, process_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, State]:
    """Per process, the state its first step sees: its (oldest) initial state input."""
    rows = session.execute(
        sa.select(InputStateTable.process_id, InputStateTable.input_state)
        .where(InputStateTable.process_id.in_(process_ids), InputStateTable.input_type == "initial_state")
        .order_by(InputStateTable.input_time.desc()))
    return {pid: dict(state) for pid, state in rows}  # newest first: the oldest wins


def initial_state(session: Session, process_id: uuid.UUID) -> State:
    state = initial_states(session, [process_id]).get(process_id)
    if state is None:
        raise LookupError(f"Process {process_id} has no initial state")
    return state


RETRY_INPUT = "retry"
"""The input_states row a retry through our services writes: who retried, from which status (the audit of
retries; the steps that run then are recorded as done by that user)."""


def record_retry(session: Session, process_id: uuid.UUID, user: str, from_status: str) -> None:
    session.add(InputStateTable(process_id=process_id, input_type=RETRY_INPUT,
                                input_state={"retried_by": user, "from_status": from_status}))


def retried_by(session: Session, process_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, str]:
    """Per process, who retried it last through our services (API, CLI); absent if nobody did."""
    rows = session.execute(
        sa.select(InputStateTable.process_id, InputStateTable.input_state)
        .where(InputStateTable.process_id.in_(process_ids), InputStateTable.input_type == RETRY_INPUT)
        .order_by(InputStateTable.input_time))  # oldest first: the newest wins
    return {pid: str(state["retried_by"]) for pid, state in rows if isinstance(state, dict) and state.get("retried_by")}


def resume_points(session: Session, process_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, ResumePoint]:
    """Per process, where it continues: after its last committed row, with that row's state, or at the
    first step with its initial state. Two index lookups per process, in at most two statements."""
    steps = table_of(ProcessStepTable)
    last_id = (sa.select(steps.c.step_id)
               .where(steps.c.process_id == ProcessTable.process_id, steps.c.status.in_(_COMMITTED_NAMES))
               .order_by(steps.c.step_id.desc()).limit(1).correlate(ProcessTable).scalar_subquery())
    points = {pid: ResumePoint(index + 1, dict(state)) for pid, index, state in session.execute(
        sa.select(steps.c.process_id, steps.c.step_index, steps.c.state).where(
            steps.c.step_id.in_(sa.select(last_id).where(ProcessTable.process_id.in_(process_ids)))))}
    fresh = [pid for pid in process_ids if pid not in points]
    points.update({pid: ResumePoint(0, state) for pid, state in initial_states(session, fresh).items()})
    return points


def resume_point(session: Session, process_id: uuid.UUID) -> ResumePoint:
    process_id = uuid.UUID(str(process_id))  # callers may hold it as text
    point = resume_points(session, [process_id]).get(process_id)
    return point if point is not None else ResumePoint(0, initial_state(session, process_id))  # raises


@dataclass(frozen=True)
class StepRow:
    """One `process_steps` row to write, and the values the process row takes with it."""

    process_id: uuid.UUID
    index: int
    name: str
    status: StepStatus
    state: dict[str, Any]
    started_at: datetime
    user: str | None
    process_values: dict[str, Any] = field(default_factory=dict)


def record_step(session: Session, process: ProcessTable | uuid.UUID, index: int, name: str, status: StepStatus,
                state: dict[str, Any], started_at: datetime, user: str | None, **process_values: Any) -> None:
    """`record_steps` for one row."""
    process_id = process if isinstance(process, uuid.UUID) else process.process_id
    record_steps(session, [StepRow(process_id, index, name, status, state, started_at, user, process_values)])


def record_steps(session: Session, rows: Sequence[StepRow]) -> None:
    """The one writer of `process_steps`: append the rows and move each process's pointer, in the caller's
    transaction.

    No ORM unit of work: this runs for every step of every process. On Postgres each row is one statement
    (the row inserted in a CTE of the pointer's UPDATE), built once per set of `process_values` keys, so a
    step pays one round trip and no statement building; many rows go as one executemany per key set."""
    now = utcnow()
    by_keys: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in rows:
        values = {"s_process_id": row.process_id, "s_step_index": row.index, "s_name": row.name,
                  "s_status": str(row.status), "s_state": row.state, "s_created_by": row.user,
                  "s_started_at": row.started_at, "s_completed_at": now, "s_commit_hash": app_settings.code_version,
                  "p_last_step": row.name, "p_last_modified_at": now,
                  **{f"p_{k}": v for k, v in row.process_values.items()}}
        by_keys.setdefault(tuple(sorted(row.process_values)), []).append(values)
    connection = session.connection()
    postgres = connection.dialect.name == "postgresql"
    for keys, params in by_keys.items():
        if postgres:
            connection.execute(_record_statement(keys), params)
        else:
            connection.execute(_insert_statement(), params)
            connection.execute(_pointer_statement(keys), params)


_STEP_COLUMNS = ("process_id", "step_index", "name", "status", "state", "created_by", "started_at", "completed_at",
                 "commit_hash")
_COMMITTED_NAMES = [str(s) for s in COMMITTED]


@lru_cache(maxsize=1)
def _insert_statement() -> Any:
    steps = table_of(ProcessStepTable)
    return sa.insert(steps).values({c: sa.bindparam(f"s_{c}", type_=steps.c[c].type) for c in _STEP_COLUMNS})


@lru_cache(maxsize=64)
def _pointer_statement(process_keys: tuple[str, ...]) -> Any:
    processes = table_of(ProcessTable)
    values = {c: sa.bindparam(f"p_{c}", type_=processes.c[c].type)
              for c in ("last_step", "last_modified_at", *process_keys)}
    return sa.update(processes).where(processes.c.process_id == sa.bindparam("s_process_id")).values(values)


@lru_cache(maxsize=64)
def _record_statement(process_keys: tuple[str, ...]) -> Any:
    """INSERT the step row in a CTE of the process pointer's UPDATE: one statement, one round trip."""
    return _pointer_statement(process_keys).add_cte(_insert_statement().cte("step_row"))


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


def committed_positions(session: Session, process_ids: Sequence[uuid.UUID],
                        lock: bool) -> dict[uuid.UUID, tuple[str, int]]:
    """Per process: (status, index of its last committed step or -1), locking the process rows in id order.

    Executed on the session's connection (Core, a statement built once per shape): it is the first statement
    of every step's transaction. A process that does not exist is absent."""
    one = len(process_ids) == 1
    params = {"pid": process_ids[0]} if one else {"pids": list(process_ids)}
    rows = session.connection().execute(_position_statement(one, lock, is_sqlite()), params)
    return {pid: (status, -1 if index is None else index) for pid, status, index in rows}


@lru_cache(maxsize=8)
def _position_statement(one: bool, lock: bool, sqlite: bool) -> Any:
    steps, processes = table_of(ProcessStepTable), table_of(ProcessTable)
    last_index = (
        sa.select(steps.c.step_index)
        .where(steps.c.process_id == processes.c.process_id, steps.c.status.in_(_COMMITTED_NAMES))
        .order_by(steps.c.step_id.desc()).limit(1).correlate(processes).scalar_subquery()
    )
    which = (processes.c.process_id == sa.bindparam("pid") if one
             else processes.c.process_id.in_(sa.bindparam("pids", expanding=True)))
    stmt = sa.select(processes.c.process_id, processes.c.last_status, last_index).where(which)
    stmt = stmt.order_by(processes.c.process_id)
    return stmt.with_for_update(of=processes) if lock and not sqlite else stmt


def steps_of(session: Session, process_id: uuid.UUID) -> list[ProcessStepTable]:
    return list(
        session.execute(
            sa.select(ProcessStepTable)
            .where(ProcessStepTable.process_id == process_id)
            .order_by(ProcessStepTable.step_id)
        ).scalars()
    )
