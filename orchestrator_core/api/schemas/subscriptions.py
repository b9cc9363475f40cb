"""Shapes of subscription resources."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel


class SubscriptionSummary(BaseModel):
    subscription_id: uuid.UUID
    description: str
    status: str
    customer_id: str
    insync: bool
    start_date: datetime | None
    end_date: datetime | None
    note: str | None
    version: int
    product_id: uuid.UUID
    product_name: str
    product_tag: str
    product_type: str


class SubscriptionProcess(BaseModel):
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
    prefect_url: str | None


class WorkflowOption(BaseModel):
    name: str
    description: str
    allowed: bool | None
    reason: str | None
    message: str | None = None
    details: dict[str, Any]


class SubscriptionWorkflows(BaseModel):
    guard: str
    reason: str | None
    message: str | None = None
    workflows: dict[str, list[WorkflowOption]]


class SubscriptionDetail(SubscriptionSummary):
    domain_model: dict[str, Any]
    processes: list[SubscriptionProcess]
    workflows: SubscriptionWorkflows


class HistoryItem(BaseModel):
    process_id: uuid.UUID
    workflow_name: str
    workflow_target: str | None
    step_index: int
    step_name: str
    step_status: str
    completed_at: datetime


class SubscriptionAtStep(HistoryItem):
    subscription: dict[str, Any]
