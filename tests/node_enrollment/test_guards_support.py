"""Put a subscription in a state no workflow of ours leaves it in, to test the guard on it."""

from __future__ import annotations

import uuid

import sqlalchemy as sa

from orchestrator_core.db import transaction
from orchestrator_core.db.subscription_tables import SubscriptionTable


def _update(subscription_id: str, **values: object) -> None:
    with transaction() as session:
        session.execute(sa.update(SubscriptionTable)
                        .where(SubscriptionTable.subscription_id == uuid.UUID(subscription_id)).values(**values))


def set_status(subscription_id: str, status: str) -> None:
    _update(subscription_id, status=status)


def set_insync(subscription_id: str, insync: bool) -> None:
    _update(subscription_id, insync=insync)
