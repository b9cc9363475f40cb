"""The reference's read functions on subscriptions (`services.subscriptions.get_subscription`, ...).

`services.subscriptions` re-exports them at the reference's path; it stays the guard's module.
They read through `db.session`: the current transaction's, or the read session outside one.
Relations are the block relations only (`subscription_instance_relations`); the reference also
counts resource-type values that hold a subscription id, which this schema does not use.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import TypeVar
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.orm import Query

from orchestrator_core.db import (
    ResourceTypeTable,
    SubscriptionInstanceTable,
    SubscriptionInstanceValueTable,
    SubscriptionTable,
    db,
)
from orchestrator_core.domain.queries import related_ids
from orchestrator_core.types import SubscriptionLifecycle

T = TypeVar("T", bound=SubscriptionTable)


def get_subscription(
    subscription_id: UUID | str,
    for_update: bool = False,
    model: type[T] = SubscriptionTable,  # type: ignore[assignment]
) -> T:
    """The subscription's row; ValueError if the id is malformed or no subscription has it.

    `for_update` locks the row until the enclosing transaction ends (outside one there is nothing to
    hold a lock: the read session refuses it).
    """
    try:
        sid = subscription_id if isinstance(subscription_id, UUID) else UUID(str(subscription_id))
    except ValueError:
        raise ValueError(f"Invalid subscription id: {subscription_id!r}") from None
    found = db.session.get(model, sid, with_for_update=for_update or None)
    if found is None:
        raise ValueError(f"Subscription with {subscription_id} does not exist in the database")
    return found


def retrieve_subscription_by_subscription_instance_value(
    resource_type: str, value: str, sub_status: Iterable[str] = ("provisioning", "active")
) -> SubscriptionTable | None:
    """The one subscription in `sub_status` with a block whose `resource_type` is `value`, or None."""
    matching = (
        sa.select(SubscriptionInstanceTable.subscription_id)
        .join(SubscriptionInstanceValueTable)
        .join(ResourceTypeTable)
        .where(ResourceTypeTable.resource_type == resource_type, SubscriptionInstanceValueTable.value == value)
    )
    stmt = sa.select(SubscriptionTable).where(
        SubscriptionTable.subscription_id.in_(matching), SubscriptionTable.status.in_([str(s) for s in sub_status])
    )
    return db.session.scalars(stmt).one_or_none()


def find_values_for_resource_types(
    subscription_id: UUID | str, resource_types: Sequence[str], strict: bool = True
) -> dict[str, list[str]]:
    """Per resource type, the values the subscription's own blocks hold, in instance order (so that the
    n-th values of several types belong to the same block). `strict`: ValueError naming missing types."""
    stmt = (
        sa.select(ResourceTypeTable.resource_type, SubscriptionInstanceValueTable.value)
        .join(SubscriptionInstanceValueTable.resource_type)
        .join(SubscriptionInstanceValueTable.subscription_instance)
        .where(
            SubscriptionInstanceTable.subscription_id == UUID(str(subscription_id)),
            ResourceTypeTable.resource_type.in_(resource_types),
        )
        .order_by(SubscriptionInstanceTable.subscription_instance_id)
    )
    found: dict[str, list[str]] = defaultdict(list)
    for resource_type, value in db.session.execute(stmt):
        found[resource_type].append(value)
    missing = [name for name in resource_types if name not in found]
    if strict and missing:
        raise ValueError(f"Could not find requested resource types: '{','.join(missing)}'!")
    return found


def _related_query(subscription_id: UUID | str, filter_statuses: list[str] | None, *,
                   ours_is_parent: bool) -> Query[SubscriptionTable]:
    statuses = filter_statuses or [str(s) for s in SubscriptionLifecycle]
    return SubscriptionTable.query.filter(
        SubscriptionTable.subscription_id.in_(related_ids(subscription_id, ours_is_parent=ours_is_parent)),
        SubscriptionTable.status.in_(statuses),
    )


def query_in_use_by_subscriptions(subscription_id: UUID | str,
                                  filter_statuses: list[str] | None = None) -> Query[SubscriptionTable]:
    """A query of the subscriptions whose blocks hold a block of this one (refine it with `.filter`)."""
    return _related_query(subscription_id, filter_statuses, ours_is_parent=False)


def query_depends_on_subscriptions(subscription_id: UUID | str,
                                   filter_statuses: list[str] | None = None) -> Query[SubscriptionTable]:
    """A query of the subscriptions owning a block that a block of this one holds."""
    return _related_query(subscription_id, filter_statuses, ours_is_parent=True)
