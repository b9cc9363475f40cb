"""A test product and a handful of subscriptions, written straight into the domain tables."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from orchestrator_core.db import WorkflowTable, transaction
from orchestrator_core.db.product_tables import ProductTable, products_workflows
from orchestrator_core.db.subscription_tables import SubscriptionTable

PRODUCT = "API Test Circuit"


def product_id() -> uuid.UUID:
    """The test product, created once, linked to the given workflows."""
    with transaction() as session:
        found = session.execute(sa.select(ProductTable.product_id).where(ProductTable.name == PRODUCT)).scalar()
        if found:
            return found
        product = ProductTable(
            name=PRODUCT,
            description="A circuit for API tests",
            product_type="Circuit",
            tag="APICIRCUIT",
            status="active",
        )
        session.add(product)
        session.flush()
        return product.product_id


def link_workflows(pid: uuid.UUID, *names: str) -> None:
    with transaction() as session:
        for name in names:
            wid = session.execute(sa.select(WorkflowTable.workflow_id).where(WorkflowTable.name == name)).scalar_one()
            exists = session.execute(
                sa.select(products_workflows).where(
                    products_workflows.c.product_id == pid, products_workflows.c.workflow_id == wid
                )
            ).first()
            if not exists:
                session.execute(products_workflows.insert().values(product_id=pid, workflow_id=wid))


def add_subscription(
    pid: uuid.UUID,
    description: str,
    customer: str,
    status: str = "active",
    insync: bool = True,
    days_ago: int = 0,
    note: str | None = None,
) -> uuid.UUID:
    with transaction() as session:
        row = SubscriptionTable(
            description=description,
            status=status,
            product_id=pid,
            customer_id=customer,
            insync=insync,
            note=note,
            start_date=datetime(2026, 1, 1, tzinfo=UTC) - timedelta(days=days_ago),
        )
        session.add(row)
        session.flush()
        return row.subscription_id
