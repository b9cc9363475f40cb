"""Read-only queries product teams need: find subscriptions, follow their relations, read their history.

Relations: subscription A *depends on* B when a block of A holds a block owned by B; B is then
*in use by* A. History: the subscription as each step of each process that touched it left it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from orchestrator_core.db.database import session
from orchestrator_core.db.process_tables import ProcessStepTable, ProcessTable, WorkflowTable
from orchestrator_core.db.product_tables import ProductTable
from orchestrator_core.db.subscription_tables import (
    ProcessSubscriptionTable,
    SubscriptionInstanceRelationTable,
    SubscriptionInstanceTable,
    SubscriptionTable,
)


def _as_list(value: str | Iterable[str] | None) -> list[str] | None:
    if value is None:
        return None
    return [str(value)] if isinstance(value, str) else [str(v) for v in value]


def subscriptions_by(
    *,
    product_name: str | None = None,
    product_id: UUID | str | None = None,
    product_tag: str | None = None,
    status: str | Iterable[str] | None = None,
    customer_id: str | None = None,
) -> list[SubscriptionTable]:
    """Subscriptions matching every filter given (status may be one or several), oldest first."""
    stmt = sa.select(SubscriptionTable).join(
        ProductTable, ProductTable.product_id == SubscriptionTable.product_id
    )
    if product_name is not None:
        stmt = stmt.where(ProductTable.name == product_name)
    if product_id is not None:
        stmt = stmt.where(SubscriptionTable.product_id == UUID(str(product_id)))
    if product_tag is not None:
        stmt = stmt.where(ProductTable.tag == product_tag)
    if (statuses := _as_list(status)) is not None:
        stmt = stmt.where(SubscriptionTable.status.in_(statuses))
    if customer_id is not None:
        stmt = stmt.where(SubscriptionTable.customer_id == str(customer_id))
    stmt = stmt.order_by(SubscriptionTable.start_date, SubscriptionTable.subscription_id)
    return list(session().scalars(stmt).unique())


def related_ids(subscription_id: UUID | str, *, ours_is_parent: bool) -> sa.Select[UUID]:
    """The ids of the other subscriptions whose blocks this one's blocks hold (`ours_is_parent`) or that
    hold this one's blocks, as a subquery."""
    ours = aliased(SubscriptionInstanceTable)
    theirs = aliased(SubscriptionInstanceTable)
    rel = SubscriptionInstanceRelationTable
    our_end, their_end = (
        (rel.in_use_by_id, rel.depends_on_id) if ours_is_parent else (rel.depends_on_id, rel.in_use_by_id)
    )
    sid = UUID(str(subscription_id))
    return (
        sa.select(theirs.subscription_id)
        .join(rel, their_end == theirs.subscription_instance_id)
        .join(ours, our_end == ours.subscription_instance_id)
        .where(ours.subscription_id == sid, theirs.subscription_id != sid)
    )


def _related(subscription_id: UUID | str, *, ours_is_parent: bool, status: Any) -> list[SubscriptionTable]:
    matching = related_ids(subscription_id, ours_is_parent=ours_is_parent)
    stmt = sa.select(SubscriptionTable).where(SubscriptionTable.subscription_id.in_(matching))
    if (statuses := _as_list(status)) is not None:
        stmt = stmt.where(SubscriptionTable.status.in_(statuses))
    return list(session().scalars(stmt.order_by(SubscriptionTable.subscription_id)).unique())


def in_use_by(
    subscription_id: UUID | str, status: str | Iterable[str] | None = None
) -> list[SubscriptionTable]:
    """Subscriptions whose blocks hold a block of this subscription."""
    return _related(subscription_id, ours_is_parent=False, status=status)


def depends_on(
    subscription_id: UUID | str, status: str | Iterable[str] | None = None
) -> list[SubscriptionTable]:
    """Subscriptions owning a block that a block of this subscription holds."""
    return _related(subscription_id, ours_is_parent=True, status=status)


@dataclass(frozen=True)
class HistoryEntry:
    """The subscription as one step left it."""

    process_id: UUID
    workflow_name: str
    workflow_target: str | None
    step_index: int
    step_name: str
    step_status: str
    completed_at: datetime
    subscription: dict[str, Any]


def subscription_in_state(state: dict[str, Any], subscription_id: UUID) -> dict[str, Any] | None:
    """`state["subscription"]` if it is this subscription, else any top-level subscription dict that is."""
    wanted = str(subscription_id)
    candidates = [state.get("subscription"), *state.values()]
    for value in candidates:
        if isinstance(value, dict) and str(value.get("subscription_id")) == wanted:
            return value
    return None


def subscription_history(subscription_id: UUID | str) -> list[HistoryEntry]:
    """Every step of every process linked to the subscription whose state carries it, in order."""
    sid = UUID(str(subscription_id))
    rows = session().execute(
        sa.select(ProcessSubscriptionTable.workflow_target, WorkflowTable.name, ProcessStepTable)
        .join(ProcessTable, ProcessTable.process_id == ProcessSubscriptionTable.process_id)
        .join(WorkflowTable, WorkflowTable.workflow_id == ProcessTable.workflow_id)
        .join(ProcessStepTable, ProcessStepTable.process_id == ProcessTable.process_id)
        .where(ProcessSubscriptionTable.subscription_id == sid)
        .order_by(ProcessTable.started_at, ProcessStepTable.step_id)
    )
    history, seen = [], set()
    for target, workflow_name, step in rows:
        found = subscription_in_state(step.state or {}, sid)
        if found is not None and step.step_id not in seen:
            seen.add(step.step_id)
            history.append(
                HistoryEntry(
                    step.process_id,
                    workflow_name,
                    target,
                    step.step_index,
                    step.name,
                    step.status,
                    step.completed_at,
                    found,
                )
            )
    return history
