"""Rows the guard tests need, written directly through the tables: products, subscriptions,
relations between them, workflow registrations and processes holding a lock."""

from __future__ import annotations

import uuid

import sqlalchemy as sa

from orchestrator_core.db import ProcessTable, WorkflowTable, transaction
from orchestrator_core.db.product_tables import ProductBlockTable, ProductTable, products_workflows
from orchestrator_core.db.subscription_tables import (
    ProcessSubscriptionTable,
    SubscriptionInstanceRelationTable,
    SubscriptionInstanceTable,
    SubscriptionTable,
)
from orchestrator_core.workflow import Workflow

BLOCK_NAME = "Guard Test Block"


def product(name: str | None = None, tag: str = "GUARDTEST") -> uuid.UUID:
    with transaction() as s:
        row = ProductTable(name=name or f"Guard Product {uuid.uuid4().hex[:8]}", description="guard test",
                           product_type="GuardTest", tag=tag, status="active")
        s.add(row)
        s.flush()
        return row.product_id


def _block_id() -> uuid.UUID:
    with transaction() as s:
        found = s.execute(sa.select(ProductBlockTable.product_block_id)
                          .where(ProductBlockTable.name == BLOCK_NAME)).scalar_one_or_none()
        if found is None:
            row = ProductBlockTable(name=BLOCK_NAME, description="guard test", tag="GT", status="active")
            s.add(row)
            s.flush()
            found = row.product_block_id
        return found


def subscription(product_id: uuid.UUID, status: str = "active", insync: bool = True) -> uuid.UUID:
    with transaction() as s:
        row = SubscriptionTable(description="guard test", status=status, product_id=product_id,
                                customer_id="c1", insync=insync)
        s.add(row)
        s.flush()
        return row.subscription_id


def _instance(subscription_id: uuid.UUID) -> uuid.UUID:
    with transaction() as s:
        row = SubscriptionInstanceTable(subscription_id=subscription_id, product_block_id=_block_id())
        s.add(row)
        s.flush()
        return row.subscription_instance_id


def uses(user: uuid.UUID, used: uuid.UUID) -> None:
    """Make subscription `user` hold a block of subscription `used` (user is in_use_by of used)."""
    parent, child = _instance(user), _instance(used)
    with transaction() as s:
        s.add(SubscriptionInstanceRelationTable(in_use_by_id=parent, depends_on_id=child, order_id=0,
                                                domain_model_attr="other"))


def register(wf: Workflow, *product_ids: uuid.UUID) -> uuid.UUID:
    """The workflow's row, linked to the products (as a migration would)."""
    with transaction() as s:
        row = s.execute(sa.select(WorkflowTable).where(WorkflowTable.name == wf.name)).scalar_one_or_none()
        if row is None:
            row = WorkflowTable(name=wf.name, target=str(wf.target), description=wf.description,
                                is_task=wf.is_task)
            s.add(row)
            s.flush()
        for pid in product_ids:
            s.execute(sa.insert(products_workflows).values(product_id=pid, workflow_id=row.workflow_id))
        return row.workflow_id


def holding_process(wf: Workflow, subscription_id: uuid.UUID, status: str = "failed") -> uuid.UUID:
    """A process of `wf` linked to the subscription, as one that locked it and then stopped."""
    workflow_id = register(wf)
    with transaction() as s:
        process = ProcessTable(workflow_id=workflow_id, last_status=status, created_by="test",
                               is_task=wf.is_task)
        s.add(process)
        s.flush()
        s.add(ProcessSubscriptionTable(process_id=process.process_id, subscription_id=subscription_id,
                                       workflow_target=str(wf.target)))
        return process.process_id


def subscription_state(subscription_id: uuid.UUID) -> tuple[str, bool, str | None]:
    with transaction() as s:
        row = s.get_one(SubscriptionTable, subscription_id)
        return row.status, row.insync, row.note


def process_count() -> int:
    with transaction() as s:
        return s.execute(sa.select(sa.func.count()).select_from(ProcessTable)).scalar_one()
