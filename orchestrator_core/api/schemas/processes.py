"""Shapes of process resources."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field


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
    note: str | None = Field(default=None, description="An operator's note on the process")
    flow_run_id: uuid.UUID | None
    prefect_url: str | None
    subscription_ids: list[uuid.UUID]
    current_state: dict[str, Any]
    form: dict[str, Any] | None = Field(
        default=None, description="A suspended process: the JSON schema of the first page of the form it waits for"
    )
    steps: list[ProcessStep]


class ProcessStatusCounts(BaseModel):
    """orchestrator-ui's badges and tabs: processes and tasks by status (crashed ones count as failed)."""

    process_counts: dict[str, int]
    task_counts: dict[str, int]


class ResumeAll(BaseModel):
    count: int = Field(description="How many failed tasks were resumed")
    refused: dict[str, str] = Field(default_factory=dict, description="Tasks not resumed: id -> reason code")


class ProcessPatch(BaseModel):
    note: str | None = Field(default=None, max_length=5000)
