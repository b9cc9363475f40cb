"""Read-only views of the product catalogue and the registered workflows, for the API and page."""

from __future__ import annotations

import uuid
from typing import Any

import sqlalchemy as sa

from orchestrator_core.db import WorkflowTable, transaction
from orchestrator_core.db.product_tables import ProductTable, products_workflows
from orchestrator_core.workflow import get_workflow


def _product(session: Any, p: ProductTable) -> dict[str, Any]:
    workflows = (
        session.execute(
            sa.select(WorkflowTable.name)
            .join(products_workflows, products_workflows.c.workflow_id == WorkflowTable.workflow_id)
            .where(products_workflows.c.product_id == p.product_id)
            .order_by(WorkflowTable.name)
        )
        .scalars()
        .all()
    )
    return {
        "product_id": p.product_id,
        "name": p.name,
        "description": p.description,
        "product_type": p.product_type,
        "tag": p.tag,
        "status": p.status,
        "created_at": p.created_at,
        "end_date": p.end_date,
        "fixed_inputs": {f.name: f.value for f in p.fixed_inputs},
        "product_blocks": sorted(b.name for b in p.product_blocks),
        "workflows": list(workflows),
    }


def list_products(tag: str | None = None) -> list[dict[str, Any]]:
    with transaction() as session:
        stmt = sa.select(ProductTable).order_by(ProductTable.name)
        if tag:
            stmt = stmt.where(ProductTable.tag == tag)
        return [_product(session, p) for p in session.execute(stmt).scalars()]


def get_product(product_id: uuid.UUID) -> dict[str, Any] | None:
    with transaction() as session:
        p = session.get(ProductTable, product_id)
        return _product(session, p) if p else None


def _workflow(session: Any, row: WorkflowTable) -> dict[str, Any]:
    code = get_workflow(row.name)
    products = (
        session.execute(
            sa.select(ProductTable.name)
            .join(products_workflows, products_workflows.c.product_id == ProductTable.product_id)
            .where(products_workflows.c.workflow_id == row.workflow_id)
            .order_by(ProductTable.name)
        )
        .scalars()
        .all()
    )
    return {
        "workflow_id": row.workflow_id,
        "name": row.name,
        "target": row.target,
        "description": row.description,
        "is_task": row.is_task,
        "created_at": row.created_at,
        "has_code": code is not None,
        "steps": [s.name for s in code.steps] if code else [],
        "products": list(products),
    }


def list_workflows(target: str | None = None) -> list[dict[str, Any]]:
    with transaction() as session:
        stmt = sa.select(WorkflowTable).where(WorkflowTable.deleted_at.is_(None)).order_by(WorkflowTable.name)
        if target:
            stmt = stmt.where(sa.func.lower(WorkflowTable.target) == target.lower())
        return [_workflow(session, r) for r in session.execute(stmt).scalars()]


def get_workflow_info(name: str) -> dict[str, Any] | None:
    with transaction() as session:
        row = session.execute(
            sa.select(WorkflowTable).where(WorkflowTable.name == name, WorkflowTable.deleted_at.is_(None))
        ).scalar_one_or_none()
        return _workflow(session, row) if row else None
