"""Read-only views of the product catalogue and the registered workflows, for the API and page."""

from __future__ import annotations

import uuid
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from orchestrator_core.db import WorkflowTable, transaction
from orchestrator_core.db.product_tables import ProductTable, products_workflows
from orchestrator_core.workflow import InvalidWorkflowError, Workflow, get_workflow


def _linked_names(session: Any, key: Any, target: Any, name: Any, ids: list[uuid.UUID]) -> dict[uuid.UUID, list[str]]:
    """For each id (`key`, one side of products_workflows), the names on the other side (`target`), in
    one query."""
    names: dict[uuid.UUID, list[str]] = {i: [] for i in ids}
    rows = session.execute(
        sa.select(key, name).join_from(products_workflows, target).where(key.in_(ids)).order_by(name)
    )
    for linked_id, linked_name in rows:
        names[linked_id].append(linked_name)
    return names


def _product(p: ProductTable, workflows: list[str]) -> dict[str, Any]:
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
        "workflows": workflows,
    }


def _products(session: Any, where: list[Any]) -> list[dict[str, Any]]:
    """Products with their fixed inputs, blocks and workflows in four queries, however many products
    (it was three a product)."""
    stmt = (
        sa.select(ProductTable)
        .where(*where)
        .options(selectinload(ProductTable.fixed_inputs), selectinload(ProductTable.product_blocks))
        .order_by(ProductTable.name)
    )
    products = list(session.execute(stmt).scalars())
    ids = [p.product_id for p in products]
    workflows = _linked_names(session, products_workflows.c.product_id, WorkflowTable, WorkflowTable.name, ids)
    return [_product(p, workflows[p.product_id]) for p in products]


def list_products(tag: str | None = None) -> list[dict[str, Any]]:
    with transaction() as session:
        return _products(session, [ProductTable.tag == tag] if tag else [])


def get_product(product_id: uuid.UUID) -> dict[str, Any] | None:
    with transaction() as session:
        found = _products(session, [ProductTable.product_id == product_id])
        return found[0] if found else None


def _code(name: str) -> Workflow | None:
    """The workflow's code, or None when this process has none or its module does not load (the list shows
    `has_code: false`; the self-check and a start say why)."""
    try:
        return get_workflow(name)
    except InvalidWorkflowError:
        return None


def _workflow(row: WorkflowTable, products: list[str]) -> dict[str, Any]:
    code = _code(row.name)
    return {
        "workflow_id": row.workflow_id,
        "name": row.name,
        "target": row.target,
        "description": row.description,
        "is_task": row.is_task,
        "created_at": row.created_at,
        "has_code": code is not None,
        "steps": [s.name for s in code.steps] if code else [],
        "products": products,
    }


def _workflows(session: Any, where: list[Any]) -> list[dict[str, Any]]:
    stmt = sa.select(WorkflowTable).where(WorkflowTable.deleted_at.is_(None), *where).order_by(WorkflowTable.name)
    rows = list(session.execute(stmt).scalars())
    ids = [r.workflow_id for r in rows]
    products = _linked_names(session, products_workflows.c.workflow_id, ProductTable, ProductTable.name, ids)
    return [_workflow(r, products[r.workflow_id]) for r in rows]


def list_workflows(target: str | None = None) -> list[dict[str, Any]]:
    with transaction() as session:
        return _workflows(session, [sa.func.lower(WorkflowTable.target) == target.lower()] if target else [])


def get_workflow_info(name: str) -> dict[str, Any] | None:
    with transaction() as session:
        found = _workflows(session, [WorkflowTable.name == name])
        return found[0] if found else None
