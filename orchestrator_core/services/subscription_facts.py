"""Read what the guard needs about one subscription: its row, its relations and its lock holder.

`lock=True` takes the row lock (SELECT ... FOR UPDATE) first, so that the facts cannot change
before the caller's transaction ends: that is what makes two simultaneous starts serialise.
"""

from __future__ import annotations

import uuid
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from orchestrator_core.db import ProcessTable, WorkflowTable, lock_for_update
from orchestrator_core.db.product_tables import products_workflows
from orchestrator_core.db.subscription_tables import (
    ProcessSubscriptionTable,
    SubscriptionInstanceRelationTable,
    SubscriptionInstanceTable,
    SubscriptionTable,
)
from orchestrator_core.services.guard_rules import WF_USABLE_WHILE_OUT_OF_SYNC, SubscriptionFacts
from orchestrator_core.types import FINAL_STATUSES, SubscriptionLifecycle

FINISHED = [str(s) for s in FINAL_STATUSES]
TERMINATED = str(SubscriptionLifecycle.TERMINATED)


def as_uuid(value: object) -> uuid.UUID | None:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        return None


def subscription_row(session: Session, subscription_id: uuid.UUID,
                     lock: bool = False) -> SubscriptionTable | None:
    stmt = sa.select(SubscriptionTable).where(SubscriptionTable.subscription_id == subscription_id)
    if lock:
        stmt = lock_for_update(stmt, of=SubscriptionTable)
    return session.execute(stmt.execution_options(populate_existing=True)).scalar_one_or_none()


def related(session: Session, subscription_id: uuid.UUID, *,
            users: bool) -> list[tuple[uuid.UUID, str, bool]]:
    """(id, status, insync) of the subscriptions using this one (`users`) or used by it."""
    ours, theirs = aliased(SubscriptionInstanceTable), aliased(SubscriptionInstanceTable)
    rel = SubscriptionInstanceRelationTable
    pair = (rel.depends_on_id, rel.in_use_by_id)
    our_end, their_end = pair if users else pair[::-1]
    matching = (
        sa.select(theirs.subscription_id)
        .join(rel, their_end == theirs.subscription_instance_id)
        .join(ours, our_end == ours.subscription_instance_id)
        .where(ours.subscription_id == subscription_id, theirs.subscription_id != subscription_id)
    )
    stmt = (sa.select(SubscriptionTable.subscription_id, SubscriptionTable.status, SubscriptionTable.insync)
            .where(SubscriptionTable.subscription_id.in_(matching)).order_by(SubscriptionTable.subscription_id))
    return [tuple(row) for row in session.execute(stmt).all()]  # type: ignore[misc]


def lock_holder_query(subscription_id: Any, also_open: uuid.UUID | None = None) -> sa.Select[Any]:
    """The query behind `lock_holder`; `subscription_id` may be a column to correlate with."""
    unfinished: sa.ColumnElement[bool] = ProcessTable.last_status.not_in(FINISHED)
    if also_open is not None:
        unfinished = sa.or_(unfinished, ProcessTable.process_id == also_open)
    return (
        sa.select(ProcessTable.process_id)
        .join(ProcessSubscriptionTable, ProcessSubscriptionTable.process_id == ProcessTable.process_id)
        .join(WorkflowTable, WorkflowTable.workflow_id == ProcessTable.workflow_id)
        .where(ProcessSubscriptionTable.subscription_id == subscription_id, unfinished,
               WorkflowTable.is_task.is_(False), WorkflowTable.name.not_in(list(WF_USABLE_WHILE_OUT_OF_SYNC)))
        .order_by(ProcessSubscriptionTable.created_at.desc(), ProcessTable.started_at.desc())
        .limit(1)
    )


def lock_holder(session: Session, subscription_id: uuid.UUID,
                also_open: uuid.UUID | None = None) -> uuid.UUID | None:
    """The latest unfinished process of a locking workflow linked to the subscription.

    `also_open` counts one process as unfinished whatever its status (an abort being recorded).
    """
    return session.execute(lock_holder_query(subscription_id, also_open)).scalar_one_or_none()


def lock_state(session: Session, subscription_id: uuid.UUID) -> tuple[bool, uuid.UUID | None] | None:
    """(insync, lock holder) of the subscription in one statement, its row locked; None if it is gone."""
    holder = lock_holder_query(SubscriptionTable.subscription_id).correlate(SubscriptionTable).scalar_subquery()
    stmt = sa.select(SubscriptionTable.insync, holder).where(SubscriptionTable.subscription_id == subscription_id)
    row = session.execute(lock_for_update(stmt, of=SubscriptionTable)).one_or_none()
    return None if row is None else (bool(row[0]), row[1])


def _facts(session: Session, row: SubscriptionTable, users: list[tuple[uuid.UUID, str, bool]],
           used: list[tuple[uuid.UUID, str, bool]]) -> SubscriptionFacts:
    """What the guard rules need, from the row and its relations (each: id, status, insync)."""
    return SubscriptionFacts(
        subscription_id=row.subscription_id,
        status=row.status,
        insync=row.insync,
        product_id=row.product_id,
        unterminated_in_use_by=tuple(sid for sid, status, _ in users if status != TERMINATED),
        relations_out_of_sync=tuple(sid for sid, _, insync in users + used if not insync),
        lock_holder=None if row.insync else lock_holder(session, row.subscription_id),
    )


def is_linked(session: Session, workflow_name: str, product_id: uuid.UUID) -> bool:
    stmt = (
        sa.select(sa.literal(1))
        .select_from(products_workflows)
        .join(WorkflowTable, WorkflowTable.workflow_id == products_workflows.c.workflow_id)
        .where(products_workflows.c.product_id == product_id, WorkflowTable.name == workflow_name,
               WorkflowTable.deleted_at.is_(None))
    )
    return session.execute(stmt).first() is not None


def _related_many(session: Session, subscription_ids: list[uuid.UUID], *,
                  users: bool) -> dict[uuid.UUID, list[tuple[uuid.UUID, str, bool]]]:
    """`related` for many subscriptions in one query: per subscription, (id, status, insync) of the others."""
    ours, theirs = aliased(SubscriptionInstanceTable), aliased(SubscriptionInstanceTable)
    rel = SubscriptionInstanceRelationTable
    pair = (rel.depends_on_id, rel.in_use_by_id)
    our_end, their_end = pair if users else pair[::-1]
    stmt = (
        sa.select(ours.subscription_id, SubscriptionTable.subscription_id, SubscriptionTable.status,
                  SubscriptionTable.insync)
        .select_from(ours)
        .join(rel, our_end == ours.subscription_instance_id)
        .join(theirs, their_end == theirs.subscription_instance_id)
        .join(SubscriptionTable, SubscriptionTable.subscription_id == theirs.subscription_id)
        .where(ours.subscription_id.in_(subscription_ids), theirs.subscription_id != ours.subscription_id)
        .distinct()
        .order_by(ours.subscription_id, SubscriptionTable.subscription_id)
    )
    found: dict[uuid.UUID, list[tuple[uuid.UUID, str, bool]]] = {}
    for sid, other, status, insync in session.execute(stmt):
        found.setdefault(sid, []).append((other, status, insync))
    return found


def load_many_facts(session: Session, subscription_ids: list[uuid.UUID],
                    lock: bool = False) -> dict[uuid.UUID, tuple[SubscriptionTable, SubscriptionFacts]]:
    """What the guard rules need of each subscription, in three queries (plus one per out-of-sync subscription).

    With `lock` the rows are locked in id order, so that concurrent callers cannot deadlock.
    """
    stmt = (sa.select(SubscriptionTable).where(SubscriptionTable.subscription_id.in_(subscription_ids))
            .order_by(SubscriptionTable.subscription_id))
    if lock:
        stmt = lock_for_update(stmt, of=SubscriptionTable)
    rows = list(session.execute(stmt.execution_options(populate_existing=True)).scalars())
    if not rows:
        return {}
    ids = [row.subscription_id for row in rows]
    users_of = _related_many(session, ids, users=True)
    used_by = _related_many(session, ids, users=False)
    facts = {}
    for row in rows:
        users = users_of.get(row.subscription_id, [])
        used = used_by.get(row.subscription_id, [])
        facts[row.subscription_id] = (row, _facts(session, row, users, used))
    return facts
