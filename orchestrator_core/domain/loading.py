"""Read a subscription's block tree from the database into plain dicts for pydantic.

Four queries whatever the size or depth: the ids of every instance reachable from the
subscription (its own, and blocks of other subscriptions it references, recursively), then
those instances, their values and their relations. Pydantic then types the text values.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

import sqlalchemy as sa

from orchestrator_core.db.database import session
from orchestrator_core.db.product_tables import ProductBlockTable, ResourceTypeTable
from orchestrator_core.db.subscription_tables import (
    SubscriptionInstanceRelationTable,
    SubscriptionInstanceTable,
    SubscriptionInstanceValueTable,
)
from orchestrator_core.domain.fields import BlockField, field_plan

_si = SubscriptionInstanceTable.__table__
_siv = SubscriptionInstanceValueTable.__table__
_rel = SubscriptionInstanceRelationTable.__table__
_pb = ProductBlockTable.__table__
_rt = ResourceTypeTable.__table__


@dataclass
class InstanceRows:
    """Every row needed to rebuild one subscription's blocks."""

    subscription_id: UUID
    instances: dict[UUID, Any] = field(default_factory=dict)
    values: dict[UUID, dict[str, str]] = field(default_factory=lambda: defaultdict(dict))
    children: dict[tuple[UUID, str | None], list[UUID]] = field(default_factory=lambda: defaultdict(list))

    def root_ids(self) -> list[UUID]:
        """Instances of this subscription that no other instance of it holds."""
        held = {
            child
            for (parent, _attr), kids in self.children.items()
            if self.instances[parent].subscription_id == self.subscription_id
            for child in kids
        }
        return [
            iid
            for iid, row in self.instances.items()
            if row.subscription_id == self.subscription_id and iid not in held
        ]


def reachable_instance_ids(subscription_id: UUID, instance_id: UUID | None = None) -> list[UUID]:
    """The subscription's instances (or only `instance_id`) and every instance they hold, recursively."""
    start = _si.c.subscription_id == subscription_id
    if instance_id is not None:
        start = _si.c.subscription_instance_id == instance_id
    seed = sa.select(_si.c.subscription_instance_id.label("id")).where(start).cte("reachable", recursive=True)
    step = sa.select(_rel.c.depends_on_id).join(seed, _rel.c.in_use_by_id == seed.c.id)
    reachable = seed.union(step)
    return list(session().scalars(sa.select(reachable.c.id)))


def fetch_instance_rows(subscription_id: UUID, instance_id: UUID | None = None) -> InstanceRows:
    """The rows of the subscription's blocks, or of the one block `instance_id` (of that subscription)."""
    rows = InstanceRows(subscription_id)
    ids = reachable_instance_ids(subscription_id, instance_id)
    if not ids:
        return rows
    db = session()
    instances = db.execute(
        sa.select(_si.c.subscription_instance_id, _si.c.subscription_id, _si.c.label, _pb.c.name)
        .join(_pb, _pb.c.product_block_id == _si.c.product_block_id)
        .where(_si.c.subscription_instance_id.in_(ids))
    )
    rows.instances = {row.subscription_instance_id: row for row in instances}
    values = db.execute(
        sa.select(_siv.c.subscription_instance_id, _rt.c.resource_type, _siv.c.value)
        .join(_rt, _rt.c.resource_type_id == _siv.c.resource_type_id)
        .where(_siv.c.subscription_instance_id.in_(ids))
    )
    for iid, resource_type, value in values:
        rows.values[iid][resource_type] = value
    relations = db.execute(
        sa.select(_rel.c.in_use_by_id, _rel.c.depends_on_id, _rel.c.domain_model_attr)
        .where(_rel.c.in_use_by_id.in_(ids))
        .order_by(_rel.c.in_use_by_id, _rel.c.domain_model_attr, _rel.c.order_id)
    )
    for parent, child, attr in relations:
        rows.children[(parent, attr)].append(child)
    return rows


def block_data(block_type: type[Any], iid: UUID, rows: InstanceRows) -> dict[str, Any]:
    """The dict pydantic validates into `block_type` for instance `iid`, children included."""
    instance = rows.instances[iid]
    data: dict[str, Any] = {
        "subscription_instance_id": iid,
        "owner_subscription_id": instance.subscription_id,
        "label": instance.label,
        **rows.values.get(iid, {}),
    }
    for block_field in field_plan(block_type).blocks:
        kids = [
            block_data(block_field.block_type, kid, rows)
            for kid in rows.children.get((iid, block_field.name), [])
        ]
        _put_children(data, block_field, kids)
    return data


def root_blocks_data(model_type: type[Any], rows: InstanceRows) -> dict[str, Any]:
    """The block fields of a subscription, matched to its root instances by product block name."""
    by_block_name: dict[str, list[UUID]] = defaultdict(list)
    for iid in sorted(rows.root_ids()):
        by_block_name[rows.instances[iid].name].append(iid)
    data: dict[str, Any] = {}
    for block_field in field_plan(model_type).blocks:
        ids = by_block_name.get(block_field.block_type.product_block_name, [])
        _put_children(data, block_field, [block_data(block_field.block_type, iid, rows) for iid in ids])
    return data


def _put_children(data: dict[str, Any], block_field: BlockField, kids: list[dict[str, Any]]) -> None:
    if block_field.kind == "list":
        data[block_field.name] = kids
    elif kids:
        data[block_field.name] = kids[0]
    elif block_field.kind == "optional":
        data[block_field.name] = None
