"""Shapes of process resources."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel


class ProcessId(BaseModel):
    id: uuid.UUID


class ProcessSummary(BaseModel):
    process_id: uuid.UUID
    workflow_name: str
    workflow_target: str
    status: str
    last_step: str | None
    failed_reason: str | None
    created_by: str | None
    started_at: datetime
    last_modified_at: datetime
    flow_run_id: uuid.UUID | None
    is_task: bool
    assignee: str


class StateDiff(BaseModel):
    added: dict[str, Any]
    changed: dict[str, dict[str, Any]]
    removed: list[str]


class ProcessStep(BaseModel):
    step_index: int
    name: str
    status: str
    created_by: str | None
    started_at: datetime
    completed_at: datetime
    commit_hash: str | None
    state: dict[str, Any]
    diff: StateDiff


class ProcessDetail(BaseModel):
    process_id: uuid.UUID
    workflow_name: str
    status: str
    last_step: str | None
    failed_reason: str | None
    traceback: str | None
    created_by: str | None
    started_at: datetime
    last_modified_at: datetime
    assignee: str
    is_task: bool
    flow_run_id: uuid.UUID | None
    prefect_url: str | None
    subscription_ids: list[uuid.UUID]
    current_state: dict[str, Any]
    steps: list[ProcessStep]
