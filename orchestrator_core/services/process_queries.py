"""Read models of processes for the API, the CLI and workflow authors' tests."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from orchestrator_core.db import ProcessTable, WorkflowTable, transaction
from orchestrator_core.engine import step_log
from orchestrator_core.errors import ProcessNotFoundError


@dataclass(frozen=True)
class StepView:
    name: str
    status: str
    step_index: int
    state: dict[str, Any]
    created_by: str | None
    started_at: datetime
    completed_at: datetime
    commit_hash: str | None


@dataclass(frozen=True)
class ProcessView:
    process_id: uuid.UUID
    workflow_name: str
    status: str
    last_step: str | None
    failed_reason: str | None
    traceback: str | None
    created_by: str | None
    started_at: datetime
    last_modified_at: datetime
    flow_run_id: uuid.UUID | None
    assignee: str
    is_task: bool
    steps: list[StepView] = field(default_factory=list)
    note: str | None = None

    @property
    def state(self) -> dict[str, Any]:
        """The state after the last step that committed (or failed: its error is in it)."""
        return dict(self.steps[-1].state) if self.steps else {}


def _step_view(row: Any) -> StepView:
    return StepView(row.name, row.status, row.step_index, dict(row.state), row.created_by, row.started_at,
                    row.completed_at, row.commit_hash)


def _view(process: ProcessTable, steps: list[StepView]) -> ProcessView:
    return ProcessView(process.process_id, process.workflow.name, process.last_status, process.last_step,
                       process.failed_reason, process.traceback, process.created_by, process.started_at,
                       process.last_modified_at, process.flow_run_id, process.assignee, process.is_task, steps,
                       process.note)


def get_process(process_id: uuid.UUID, with_steps: bool = True) -> ProcessView:
    with transaction() as session:
        process = session.get(ProcessTable, process_id)
        if process is None:
            raise ProcessNotFoundError(f"Process {process_id} does not exist", process_id=str(process_id))
        steps = [_step_view(r) for r in step_log.steps_of(session, process_id)] if with_steps else []
        return _view(process, steps)


def list_processes(status: str | None = None, workflow: str | None = None, limit: int = 50,
                   offset: int = 0) -> list[ProcessView]:
    with transaction() as session:
        stmt = sa.select(ProcessTable).join(WorkflowTable).order_by(ProcessTable.started_at.desc())
        if status:
            stmt = stmt.where(ProcessTable.last_status == status)
        if workflow:
            stmt = stmt.where(WorkflowTable.name == workflow)
        rows = session.execute(stmt.limit(limit).offset(offset)).scalars().all()
        return [_view(p, []) for p in rows]
