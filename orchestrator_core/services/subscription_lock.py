"""The per-subscription lock: the insync flag, flipped by compare-and-set, plus the process link.

A locking workflow takes the lock by `UPDATE ... SET insync = false WHERE insync = true`; the
database lets exactly one of two concurrent updates match, on Postgres and SQLite alike, in any
number of OS processes. The holder is found through `processes_subscriptions`, so no extra
column is needed and the lock is released by setting insync back.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.orm import Session

from orchestrator_core.db import ProcessStepTable
from orchestrator_core.db.subscription_tables import ProcessSubscriptionTable, SubscriptionTable
from orchestrator_core.engine.step_log import COMMITTED
from orchestrator_core.services.subscription_facts import lock_holder, lock_holder_query, subscription_row

LOCK_STEP = "Lock subscription"
UNLOCK_STEP = "Unlock subscription"
"""The names of the standard steps that hold and give back the lock (workflows/steps.py): the step
log's record of whether a process still holds its subscription at the point it resumes from."""


def try_lock(session: Session, subscription_id: uuid.UUID) -> bool:
    """Take the lock if it is free; False when another transaction took it first."""
    return subscription_id in lock_many(session, [subscription_id])


def lock_many(session: Session, subscription_ids: Sequence[uuid.UUID]) -> set[uuid.UUID]:
    """`try_lock` for many subscriptions in one compare-and-set; returns those it took."""
    if not subscription_ids:
        return set()
    return set(session.execute(
        sa.update(SubscriptionTable)
        .where(SubscriptionTable.subscription_id.in_(subscription_ids), SubscriptionTable.insync.is_(True))
        .values(insync=False).returning(SubscriptionTable.subscription_id)).scalars())


def unlock(session: Session, subscription_id: uuid.UUID) -> None:
    session.execute(
        sa.update(SubscriptionTable)
        .where(SubscriptionTable.subscription_id == subscription_id)
        .values(insync=True)
    )


def unlock_unless_held_by_another(session: Session, subscription_id: uuid.UUID, process_id: uuid.UUID) -> bool:
    """`unlock` when the lock holder is this process or none, in one statement; True if it did."""
    holder = lock_holder_query(SubscriptionTable.subscription_id).correlate(SubscriptionTable).scalar_subquery()
    released = session.execute(
        sa.update(SubscriptionTable)
        .where(SubscriptionTable.subscription_id == subscription_id,
               sa.func.coalesce(holder, process_id) == process_id)
        .values(insync=True)
        .returning(SubscriptionTable.subscription_id)
    ).first()
    return released is not None


def link_existing(session: Session, process_id: uuid.UUID, subscription_id: uuid.UUID, target: str | None) -> bool:
    """`link` for a subscription that must exist, checked in the same statement; False if it does not."""
    linked = (sa.select(ProcessSubscriptionTable.id)
              .where(ProcessSubscriptionTable.process_id == process_id,
                     ProcessSubscriptionTable.subscription_id == SubscriptionTable.subscription_id)
              .correlate(SubscriptionTable).exists())
    row = session.execute(sa.select(linked).where(SubscriptionTable.subscription_id == subscription_id)).first()
    if row is None:
        return False
    if not row[0]:
        session.add(ProcessSubscriptionTable(process_id=process_id, subscription_id=subscription_id,
                                            workflow_target=target))
    return True


def link(session: Session, process_id: uuid.UUID, subscription_id: uuid.UUID, target: str | None) -> None:
    """Record that the process works on the subscription (once; the store step repeats it harmlessly)."""
    exists = session.execute(
        sa.select(ProcessSubscriptionTable.id).where(
            ProcessSubscriptionTable.process_id == process_id,
            ProcessSubscriptionTable.subscription_id == subscription_id,
        )
    ).first()
    if exists is None:
        session.add(ProcessSubscriptionTable(process_id=process_id, subscription_id=subscription_id,
                                            workflow_target=target))


def linked_subscriptions(session: Session, process_id: uuid.UUID) -> list[uuid.UUID]:
    link_table = ProcessSubscriptionTable
    stmt = sa.select(link_table.subscription_id).where(link_table.process_id == process_id)
    return list(dict.fromkeys(session.execute(stmt).scalars()))


def released_in_log(session: Session, process_id: uuid.UUID) -> bool:
    """Whether the process's committed steps show its lock given back: its last committed lock step
    is "Unlock subscription". A resume from there must not take the lock again (issue 14)."""
    last = session.execute(
        sa.select(ProcessStepTable.name)
        .where(ProcessStepTable.process_id == process_id, ProcessStepTable.status.in_(COMMITTED),
               ProcessStepTable.name.in_((LOCK_STEP, UNLOCK_STEP)))
        .order_by(ProcessStepTable.step_id.desc()).limit(1)
    ).scalar_one_or_none()
    return last == UNLOCK_STEP


def release_held_by(session: Session, process_id: uuid.UUID) -> list[uuid.UUID]:
    """Unlock every subscription this process holds (and no other); returns their ids."""
    released = []
    for subscription_id in linked_subscriptions(session, process_id):
        row = subscription_row(session, subscription_id, lock=True)
        held = row is not None and not row.insync
        if held and lock_holder(session, subscription_id, also_open=process_id) == process_id:
            unlock(session, subscription_id)
            released.append(subscription_id)
    return released
