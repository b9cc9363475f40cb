"""Moving a subscription to another lifecycle status, as the guide's steps do with `change_lifecycle`.

The copy is validated against the class declared for the target status, so a field that the
target variant requires and the subscription lacks is refused with that field's name. Blocks of
this subscription that other subscriptions use may only move in step with them.
"""

from __future__ import annotations

from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from orchestrator_core.db.base import utcnow
from orchestrator_core.db.database import transaction
from orchestrator_core.db.subscription_tables import (
    SubscriptionInstanceRelationTable,
    SubscriptionInstanceTable,
    SubscriptionTable,
)
from orchestrator_core.domain.errors import UnsafeLifecycleChangeError
from orchestrator_core.domain.subscription import SubscriptionModel, _class_for
from orchestrator_core.types import SAFE_USED_BY_TRANSITIONS_FOR_STATUS, SubscriptionLifecycle

S = TypeVar("S", bound=SubscriptionModel)
L = SubscriptionLifecycle


def change_lifecycle(model: SubscriptionModel, status: SubscriptionLifecycle | str) -> SubscriptionModel:
    """The subscription in `status`, as the class declared for it; sets start_date / end_date."""
    status = SubscriptionLifecycle(status)
    target = _class_for(type(model).__base_type__ or SubscriptionModel, model.product.name, status)
    refuse_unsafe_change(model, status)
    return with_status(target, model, status)


def with_status(target: type[S], model: SubscriptionModel, status: SubscriptionLifecycle) -> S:
    data: dict[str, Any] = model.model_dump()
    data["status"] = status
    if status == L.ACTIVE and data["start_date"] is None:
        data["start_date"] = utcnow()
    if status == L.TERMINATED and data["end_date"] is None:
        data["end_date"] = utcnow()
    return target.__pydantic_validator__.validate_python(data)


def refuse_unsafe_change(model: SubscriptionModel, status: SubscriptionLifecycle) -> None:
    user_statuses = using_subscription_statuses(model.subscription_id)
    unsafe = {
        sid: s
        for sid, s in user_statuses.items()
        if SubscriptionLifecycle(s) not in SAFE_USED_BY_TRANSITIONS_FOR_STATUS[status]
    }
    if unsafe:
        listed = ", ".join(f"{sid} ({s})" for sid, s in unsafe.items())
        raise UnsafeLifecycleChangeError(
            f"subscription {model.subscription_id} cannot become '{status}': it is in use by {listed}"
        )


def using_subscription_statuses(subscription_id: Any) -> dict[Any, str]:
    """Other subscriptions whose blocks reference a block of this one, with their status."""
    ours = aliased(SubscriptionInstanceTable)
    theirs = aliased(SubscriptionInstanceTable)
    rel = SubscriptionInstanceRelationTable
    stmt = (
        sa.select(SubscriptionTable.subscription_id, SubscriptionTable.status)
        .join(theirs, theirs.subscription_id == SubscriptionTable.subscription_id)
        .join(rel, rel.in_use_by_id == theirs.subscription_instance_id)
        .join(ours, ours.subscription_instance_id == rel.depends_on_id)
        .where(ours.subscription_id == subscription_id, theirs.subscription_id != subscription_id)
        .distinct()
    )
    with transaction() as db:
        return {sid: status for sid, status in db.execute(stmt)}
