"""A subscription's product blocks as a flat list for orchestrator-ui's tree: each block with a number,
its parent's number, its scalar values as `{field, value}` (field names in lowerCamelCase, as the
reference's GraphQL gives them) and the blocks that hold it (`in_use_by_relations`).

The blocks are read from the domain model as readers see it (`subscription_model_view`): the product's
model when this process has it, else the raw instances, nested the same way.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from itertools import count
from typing import Any

import sqlalchemy as sa
from pydantic.alias_generators import to_camel

from orchestrator_core.db import read_connection
from orchestrator_core.db.subscription_tables import SubscriptionInstanceRelationTable, SubscriptionInstanceTable
from orchestrator_core.services.subscription_model_view import domain_model

PROPERTY_KEYS = frozenset({"subscription_instance_id", "owner_subscription_id", "in_use_by_ids", "in_use_by_relations"})
"""Keys of a block that are about the block, not values of it."""


def product_block_instances(subscription_id: uuid.UUID) -> list[dict[str, Any]]:
    """Depth first, in field order: `id`, `parent` (None for the subscription's own top blocks),
    `subscription_instance_id`, `owner_subscription_id`, `values`, `in_use_by_relations`."""
    view = domain_model(subscription_id)
    tree = view["model"] if view["kind"] == "model" else _nested(view["model"]["blocks"], subscription_id)
    blocks = _flatten(tree)
    holders = _holders([uuid.UUID(str(b["subscription_instance_id"])) for _, _, b in blocks])
    return [
        {
            "id": number,
            "parent": parent,
            "subscription_instance_id": uuid.UUID(str(block["subscription_instance_id"])),
            "owner_subscription_id": uuid.UUID(str(block["owner_subscription_id"])),
            "values": _values(block),
            "in_use_by_relations": holders.get(uuid.UUID(str(block["subscription_instance_id"])), []),
        }
        for number, parent, block in blocks
    ]


def _is_block(value: Any) -> bool:
    return isinstance(value, dict) and value.get("owner_subscription_id") is not None


def _flatten(tree: dict[str, Any]) -> list[tuple[int, int | None, dict[str, Any]]]:
    numbers = count()
    found: list[tuple[int, int | None, dict[str, Any]]] = []

    def visit(node: dict[str, Any], parent: int | None) -> None:
        for value in node.values():
            for item in value if isinstance(value, list) else [value]:
                if _is_block(item):
                    number = next(numbers)
                    found.append((number, parent, item))
                    visit(item, number)

    visit(tree, None)
    return found


def _scalar(value: Any) -> Any:
    return value if isinstance(value, str | int | float | bool | None) else str(value)


def _values(block: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {"field": to_camel(key), "value": [_scalar(v) for v in value] if isinstance(value, list) else _scalar(value)}
        for key, value in block.items()
        if key not in PROPERTY_KEYS
        and not isinstance(value, dict)
        and not (isinstance(value, list) and any(isinstance(v, dict) for v in value))
    ]


def _nested(blocks: list[dict[str, Any]], subscription_id: uuid.UUID) -> dict[str, Any]:
    """The raw instances (`subscription_model_view`'s generic view) nested as a model dump nests them."""
    by_id = {str(b["subscription_instance_id"]): b for b in blocks}
    children = {str(c["subscription_instance_id"]) for b in blocks for c in b["children"]}

    def node(block: dict[str, Any]) -> dict[str, Any]:
        fields: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for child in block["children"]:
            if (found := by_id.get(str(child["subscription_instance_id"]))) is not None:
                fields[child["field"] or "blocks"].append(node(found))
        return {
            "name": block["product_block"],
            "label": block["label"],
            "subscription_instance_id": block["subscription_instance_id"],
            "owner_subscription_id": block["owner_subscription_id"],
            **block["values"],
            **fields,
        }

    own = str(subscription_id)
    roots = [b for b in blocks if str(b["owner_subscription_id"]) == own and str(b["subscription_instance_id"])
             not in children]
    return {"blocks": [node(b) for b in roots]}


def _holders(instance_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[dict[str, str]]]:
    """Per instance, the instances that hold it: `{subscription_instance_id, subscription_id}` (as strings)."""
    if not instance_ids:
        return {}
    rel = SubscriptionInstanceRelationTable.__table__
    si = SubscriptionInstanceTable.__table__
    statement = (
        sa.select(rel.c.depends_on_id, rel.c.in_use_by_id, si.c.subscription_id)
        .join(si, si.c.subscription_instance_id == rel.c.in_use_by_id)
        .where(rel.c.depends_on_id.in_(instance_ids))
        .order_by(rel.c.depends_on_id, rel.c.in_use_by_id)
        .distinct()
    )
    found: dict[uuid.UUID, list[dict[str, str]]] = defaultdict(list)
    with read_connection() as connection:
        for held, holder, owner in connection.execute(statement):
            found[held].append({"subscription_instance_id": str(holder), "subscription_id": str(owner)})
    return found
