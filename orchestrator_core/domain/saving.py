"""Write a subscription model into the current unit of work: the row, its instances, values, relations.

Everything is checked before the first write (lifecycle class, pydantic validation of the whole
tree, registered product blocks and resource types, blocks still used elsewhere), so a refusal
leaves the database untouched. Writes are diffs against what is stored, so saving twice leaves
the same rows; only `version` moves. A model loaded by `from_subscription` and not changed since
is not written at all (nor is its version bumped). Nothing here commits: the caller's
`transaction()` does.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING, Any
from uuid import UUID, uuid4

import sqlalchemy as sa
from pydantic_core import to_jsonable_python
from sqlalchemy.orm import aliased

from orchestrator_core.db.base import table_of
from orchestrator_core.db.database import lock_for_update, require_transaction, session
from orchestrator_core.db.product_tables import (
    ProductBlockTable,
    ResourceTypeTable,
    product_block_resource_types,
)
from orchestrator_core.db.subscription_tables import (
    SubscriptionInstanceRelationTable,
    SubscriptionInstanceTable,
    SubscriptionInstanceValueTable,
    SubscriptionTable,
)
from orchestrator_core.domain.errors import (
    BlockInUseError,
    DomainModelError,
    ProductBlockNotRegisteredError,
    WrongLifecycleError,
)
from orchestrator_core.domain.fields import BlockField, field_plan
from orchestrator_core.domain.variants import variant_for_status

if TYPE_CHECKING:
    from orchestrator_core.domain.product_block import ProductBlockModel
    from orchestrator_core.domain.subscription import SubscriptionModel

_si = table_of(SubscriptionInstanceTable)
_siv = table_of(SubscriptionInstanceValueTable)
_rel = table_of(SubscriptionInstanceRelationTable)
_pb = table_of(ProductBlockTable)
_rt = table_of(ResourceTypeTable)

Relation = tuple[UUID, UUID, int, str]


@dataclass
class BlockTree:
    """The blocks a subscription owns, and every parent -> child link (to owned or foreign blocks)."""

    owned: dict[UUID, ProductBlockModel] = field(default_factory=dict)
    relations: set[Relation] = field(default_factory=set)


@dataclass
class BlockCatalogue:
    product_block_id: UUID
    resource_types: dict[str, UUID]


def save_subscription(model: SubscriptionModel) -> None:
    require_transaction(f"{type(model).__name__}.save()")
    if model.unchanged_since_load():
        return  # what is stored already; nothing to write, no version to bump
    model._loaded = None  # once written, every later save writes (and bumps the version) as before
    db = session()
    db.flush()
    check_lifecycle_class(model)
    tree = collect_tree(model)
    type(model).__pydantic_validator__.validate_python(model.model_dump())
    catalogue = block_catalogue(tree)
    existing = existing_instances(model.subscription_id)
    gone = set(existing) - set(tree.owned)
    refuse_removing_used_blocks(model.subscription_id, gone)

    version = upsert_subscription_row(model)
    sync_instances(model.subscription_id, tree, existing, gone, catalogue)
    sync_values(tree, catalogue)
    sync_relations(tree)
    model.version = version


def check_lifecycle_class(model: SubscriptionModel) -> None:
    expected = variant_for_status(type(model), model.status)
    if not isinstance(model, expected):
        raise WrongLifecycleError(
            f"a subscription in lifecycle '{model.status}' must be a {expected.__name__}, "
            f"not a {type(model).__name__}: use change_lifecycle() to change its status"
        )


def block_children(parent: Any, block_field: BlockField) -> list[ProductBlockModel]:
    value = getattr(parent, block_field.name)
    if value is None:
        return []
    return list(value) if block_field.kind == "list" else [value]


def collect_tree(model: SubscriptionModel) -> BlockTree:
    """Walk the model; blocks without an owner become this subscription's."""
    tree = BlockTree()
    for block_field in field_plan(type(model)).blocks:
        for block in block_children(model, block_field):
            if block.owner_subscription_id not in (None, model.subscription_id):
                raise DomainModelError(
                    f"field '{block_field.name}': a block of subscription {block.owner_subscription_id} "
                    "cannot be a root block of another subscription; reference it from one of its blocks"
                )
            _collect_owned(block, model.subscription_id, tree, block_field.name)
    return tree


def _collect_owned(block: ProductBlockModel, subscription_id: UUID, tree: BlockTree, path: str) -> None:
    if block.owner_subscription_id is None:
        block.owner_subscription_id = subscription_id
    if block.subscription_instance_id in tree.owned:
        raise DomainModelError(
            f"{path}: block {block.subscription_instance_id} appears twice in the subscription"
        )
    tree.owned[block.subscription_instance_id] = block
    for block_field in field_plan(type(block)).blocks:
        for order, child in enumerate(block_children(block, block_field)):
            tree.relations.add(
                (block.subscription_instance_id, child.subscription_instance_id, order, block_field.name)
            )
            if child.owner_subscription_id in (None, subscription_id):
                _collect_owned(child, subscription_id, tree, f"{path}.{block_field.name}[{order}]")


def block_catalogue(tree: BlockTree) -> dict[str, BlockCatalogue]:
    """Product block ids and resource type ids of every block class in the tree, checked complete."""
    classes = {type(block) for block in tree.owned.values()}
    names = {cls.product_block_name for cls in classes}
    rows = session().execute(
        sa.select(_pb.c.name, _pb.c.product_block_id, _rt.c.resource_type, _rt.c.resource_type_id)
        .outerjoin(
            product_block_resource_types,
            product_block_resource_types.c.product_block_id == _pb.c.product_block_id,
        )
        .outerjoin(_rt, _rt.c.resource_type_id == product_block_resource_types.c.resource_type_id)
        .where(_pb.c.name.in_(names))
    )
    catalogue: dict[str, BlockCatalogue] = {}
    for name, block_id, resource_type, resource_type_id in rows:
        entry = catalogue.setdefault(name, BlockCatalogue(block_id, {}))
        if resource_type is not None:
            entry.resource_types[resource_type] = resource_type_id
    for cls in classes:
        _check_registered(cls, catalogue)
    return catalogue


def _check_registered(cls: type[ProductBlockModel], catalogue: dict[str, BlockCatalogue]) -> None:
    name = cls.product_block_name
    if name is None:
        raise ProductBlockNotRegisteredError(
            f"{cls.__name__} is abstract: declare it with product_block_name=..."
        )
    if name not in catalogue:
        raise ProductBlockNotRegisteredError(
            f"product block '{name}' is not in the database: register it with helpers.create() in a migration"
        )
    missing = [f for f in field_plan(cls).values if f not in catalogue[name].resource_types]
    if missing:
        raise ProductBlockNotRegisteredError(
            f"product block '{name}' has no resource type(s) {', '.join(missing)}: add them in a migration"
        )


def catalogue_entry(block: ProductBlockModel, catalogue: dict[str, BlockCatalogue]) -> BlockCatalogue:
    """The catalogue entry of a block's class (block_catalogue has checked every class is registered)."""
    name = type(block).product_block_name
    assert name is not None, f"{type(block).__name__} is abstract"
    return catalogue[name]


def existing_instances(subscription_id: UUID) -> dict[UUID, tuple[UUID, str | None]]:
    rows = session().execute(
        sa.select(_si.c.subscription_instance_id, _si.c.product_block_id, _si.c.label).where(
            _si.c.subscription_id == subscription_id
        )
    )
    return {iid: (block_id, label) for iid, block_id, label in rows}


def refuse_removing_used_blocks(subscription_id: UUID, gone: set[UUID]) -> None:
    if not gone:
        return
    user = aliased(SubscriptionInstanceTable)
    users = (
        session()
        .execute(
            sa.select(_rel.c.depends_on_id, user.subscription_id)
            .join(user, user.subscription_instance_id == _rel.c.in_use_by_id)
            .where(_rel.c.depends_on_id.in_(gone), user.subscription_id != subscription_id)
        )
        .all()
    )
    if users:
        details = "; ".join(f"block {block} is used by subscription {sub}" for block, sub in users)
        raise BlockInUseError(f"cannot remove blocks that other subscriptions use: {details}")


def upsert_subscription_row(model: SubscriptionModel) -> int:
    """Insert or update the subscription row; returns its new version."""
    db = session()
    columns = {
        "description": model.description,
        "status": str(model.status),
        "product_id": model.product.product_id,
        "customer_id": model.customer_id,
        "insync": model.insync,
        "start_date": model.start_date,
        "end_date": model.end_date,
        "note": model.note,
    }
    by_id = SubscriptionTable.subscription_id == model.subscription_id
    current = db.execute(
        lock_for_update(sa.select(SubscriptionTable.version).where(by_id))
    ).scalar_one_or_none()
    if current is None:
        db.execute(
            sa.insert(SubscriptionTable).values(
                subscription_id=model.subscription_id, version=model.version, **columns
            )
        )
        return model.version
    db.execute(sa.update(SubscriptionTable).where(by_id).values(version=current + 1, **columns))
    return current + 1


def sync_instances(
    subscription_id: UUID,
    tree: BlockTree,
    existing: dict[UUID, tuple[UUID, str | None]],
    gone: set[UUID],
    catalogue: dict[str, BlockCatalogue],
) -> None:
    db = session()
    if gone:
        db.execute(sa.delete(_si).where(_si.c.subscription_instance_id.in_(gone)))
    wanted = {
        iid: (catalogue_entry(block, catalogue).product_block_id, block.label)
        for iid, block in tree.owned.items()
    }
    new = [_instance_row(iid, subscription_id, *row) for iid, row in wanted.items() if iid not in existing]
    changed = [
        {"b_id": iid, "b_block": row[0], "b_label": row[1]}
        for iid, row in wanted.items()
        if iid in existing and existing[iid] != row
    ]
    if new:
        db.execute(sa.insert(_si), new)
    if changed:
        db.execute(
            sa.update(_si)
            .where(_si.c.subscription_instance_id == sa.bindparam("b_id"))
            .values(product_block_id=sa.bindparam("b_block"), label=sa.bindparam("b_label")),
            changed,
        )


def _instance_row(iid: UUID, subscription_id: UUID, block_id: UUID, label: str | None) -> dict[str, Any]:
    return {
        "subscription_instance_id": iid,
        "subscription_id": subscription_id,
        "product_block_id": block_id,
        "label": label,
    }


def value_text(value: Any) -> str:
    """A field value as the text stored in subscription_instance_values (pydantic parses it back)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Enum):
        value = value.value
    jsonable = to_jsonable_python(value)
    return jsonable if isinstance(jsonable, str) else json.dumps(jsonable)


def wanted_values(tree: BlockTree, catalogue: dict[str, BlockCatalogue]) -> dict[tuple[UUID, UUID], str]:
    wanted: dict[tuple[UUID, UUID], str] = {}
    for iid, block in tree.owned.items():
        resource_types = catalogue_entry(block, catalogue).resource_types
        for name in field_plan(type(block)).values:
            value = getattr(block, name)
            if value is not None:
                wanted[(iid, resource_types[name])] = value_text(value)
    return wanted


def sync_values(tree: BlockTree, catalogue: dict[str, BlockCatalogue]) -> None:
    db = session()
    wanted = wanted_values(tree, catalogue)
    stored = db.execute(
        sa.select(
            _siv.c.subscription_instance_value_id,
            _siv.c.subscription_instance_id,
            _siv.c.resource_type_id,
            _siv.c.value,
        ).where(_siv.c.subscription_instance_id.in_(list(tree.owned)))
    )
    seen: set[tuple[UUID, UUID]] = set()
    stale: list[UUID] = []
    changed: list[dict[str, Any]] = []
    for value_id, iid, resource_type_id, text in stored:
        key = (iid, resource_type_id)
        if key not in wanted or key in seen:
            stale.append(value_id)
        elif wanted[key] != text:
            changed.append({"b_id": value_id, "b_value": wanted[key]})
        seen.add(key)
    _write_values(stale, changed, [(key, text) for key, text in wanted.items() if key not in seen])


def _write_values(
    stale: list[UUID], changed: list[dict[str, Any]], new: list[tuple[tuple[UUID, UUID], str]]
) -> None:
    db = session()
    if stale:
        db.execute(sa.delete(_siv).where(_siv.c.subscription_instance_value_id.in_(stale)))
    if changed:
        db.execute(
            sa.update(_siv)
            .where(_siv.c.subscription_instance_value_id == sa.bindparam("b_id"))
            .values(value=sa.bindparam("b_value")),
            changed,
        )
    if new:
        rows = [
            {
                "subscription_instance_value_id": uuid4(),
                "subscription_instance_id": iid,
                "resource_type_id": rt,
                "value": text,
            }
            for (iid, rt), text in new
        ]
        db.execute(sa.insert(_siv), rows)


def sync_relations(tree: BlockTree) -> None:
    db = session()
    stored = {
        (parent, child, order, attr)
        for parent, child, order, attr in db.execute(
            sa.select(
                _rel.c.in_use_by_id, _rel.c.depends_on_id, _rel.c.order_id, _rel.c.domain_model_attr
            ).where(_rel.c.in_use_by_id.in_(list(tree.owned)))
        )
    }
    stale = [{"b_parent": p, "b_child": c, "b_order": o} for p, c, o, _attr in stored - tree.relations]
    new = [
        {"in_use_by_id": p, "depends_on_id": c, "order_id": o, "domain_model_attr": a}
        for p, c, o, a in tree.relations - stored
    ]
    if stale:
        db.execute(
            sa.delete(_rel).where(
                _rel.c.in_use_by_id == sa.bindparam("b_parent"),
                _rel.c.depends_on_id == sa.bindparam("b_child"),
                _rel.c.order_id == sa.bindparam("b_order"),
            ),
            stale,
        )
    if new:
        db.execute(sa.insert(_rel), new)
