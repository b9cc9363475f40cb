"""Shapes of subscription resources."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel

from orchestrator_core.api.schemas.processes import ProcessSummary


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


class SubscriptionProcess(ProcessSummary):
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
