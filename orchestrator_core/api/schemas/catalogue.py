"""Shapes of products and workflows."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel


class Product(BaseModel):
    product_id: uuid.UUID
    name: str
    description: str
    product_type: str
    tag: str
    status: str
    created_at: datetime
    end_date: datetime | None
    fixed_inputs: dict[str, str]
    product_blocks: list[str]
    workflows: list[str]


class WorkflowInfo(BaseModel):
    workflow_id: uuid.UUID
    name: str
    target: str
    description: str
    is_task: bool
    created_at: datetime
    has_code: bool
    steps: list[str]
    products: list[str]


class WorkflowForm(BaseModel):
    """The next form page to fill (a JSON schema), or null when the workflow needs no (more) input."""

    workflow: str
    form: dict[str, Any] | None
    meta: dict[str, Any] | None = None
