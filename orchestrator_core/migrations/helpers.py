"""Register products, product blocks, resource types and workflows from a migration.

Shaped like orchestrator-core's `helpers.create(conn, {...})` so product teams' migrations port
with their imports rewritten. Every function is idempotent (what exists is left as it is, so a
migration may run twice), works on Postgres and SQLite, and goes through lightweight table
definitions rather than the ORM classes, so that old migrations keep working when the ORM grows.

    create(conn, {
        "products": {"Node Enrollment": {"product_id": ..., "product_type": "NodeEnrollment",
                     "description": ..., "tag": "NodeEnrollment", "status": "active",
                     "product_blocks": ["Node Enrollment"], "fixed_inputs": {"speed": "1000"}}},
        "product_blocks": {"Node Enrollment": {"product_block_id": ..., "description": ...,
                           "tag": ..., "status": "active",
                           "resources": {"esdb_node_id": "ESDB id", "uuid": ("desc", "<id>")},
                           "depends_on_block_relations": ["Other Block"]}},
        "resources": {"Existing Block": {"new_field": "description"}},
        "workflows": {"create_node_enrollment": {"target": "CREATE", "description": ...,
                      "tag": "NodeEnrollment", "search_phrase": "Node Enrollment%"}},
    })
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from orchestrator_core.settings import app_settings

Conn = Any
"""A SQLAlchemy Connection (op.get_bind() in a migration) or Session."""


def _utc() -> sa.DateTime:
    return sa.DateTime(timezone=True)


_products = sa.table(
    "products",
    sa.column("product_id", sa.Uuid()),
    sa.column("name", sa.String()),
    sa.column("description", sa.Text()),
    sa.column("product_type", sa.String()),
    sa.column("tag", sa.String()),
    sa.column("status", sa.String()),
    sa.column("created_at", _utc()),
)
_fixed_inputs = sa.table(
    "fixed_inputs",
    sa.column("fixed_input_id", sa.Uuid()),
    sa.column("name", sa.String()),
    sa.column("value", sa.Text()),
    sa.column("product_id", sa.Uuid()),
    sa.column("created_at", _utc()),
)
_product_blocks = sa.table(
    "product_blocks",
    sa.column("product_block_id", sa.Uuid()),
    sa.column("name", sa.String()),
    sa.column("description", sa.Text()),
    sa.column("tag", sa.String()),
    sa.column("status", sa.String()),
    sa.column("created_at", _utc()),
)
_resource_types = sa.table(
    "resource_types",
    sa.column("resource_type_id", sa.Uuid()),
    sa.column("resource_type", sa.String()),
    sa.column("description", sa.Text()),
)
_product_product_blocks = sa.table(
    "product_product_blocks", sa.column("product_id", sa.Uuid()), sa.column("product_block_id", sa.Uuid())
)
_block_resource_types = sa.table(
    "product_block_resource_types",
    sa.column("product_block_id", sa.Uuid()),
    sa.column("resource_type_id", sa.Uuid()),
)
_block_relations = sa.table(
    "product_block_relations", sa.column("in_use_by_id", sa.Uuid()), sa.column("depends_on_id", sa.Uuid())
)
_workflows = sa.table(
    "workflows",
    sa.column("workflow_id", sa.Uuid()),
    sa.column("name", sa.String()),
    sa.column("target", sa.String()),
    sa.column("description", sa.Text()),
    sa.column("is_task", sa.Boolean()),
    sa.column("created_at", _utc()),
)
_products_workflows = sa.table(
    "products_workflows", sa.column("product_id", sa.Uuid()), sa.column("workflow_id", sa.Uuid())
)


def _uuid(value: Any) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def _now() -> datetime:
    return datetime.now(UTC)


def _find(conn: Conn, table: sa.TableClause, id_column: str, **where: Any) -> uuid.UUID | None:
    conditions = [table.c[name] == value for name, value in where.items()]
    return conn.execute(sa.select(table.c[id_column]).where(*conditions)).scalar()


def _link(conn: Conn, table: sa.TableClause, **row: Any) -> None:
    """Insert an association row unless it is there."""
    conditions = [table.c[name] == value for name, value in row.items()]
    if conn.execute(sa.select(sa.literal(1)).select_from(table).where(*conditions)).first() is None:
        conn.execute(sa.insert(table).values(**row))


def _get_id(conn: Conn, table: sa.TableClause, id_column: str, kind: str, **where: Any) -> uuid.UUID:
    found = _find(conn, table, id_column, **where)
    if found is None:
        raise ValueError(f"{kind} {', '.join(map(str, where.values()))} does not exist")
    return _uuid(found)


def get_product_id_by_name(conn: Conn, name: str) -> uuid.UUID:
    return _get_id(conn, _products, "product_id", "product", name=name)


def get_product_block_id_by_name(conn: Conn, name: str) -> uuid.UUID:
    return _get_id(conn, _product_blocks, "product_block_id", "product block", name=name)


def get_resource_type_id_by_name(conn: Conn, name: str) -> uuid.UUID:
    return _get_id(conn, _resource_types, "resource_type_id", "resource type", resource_type=name)


def get_workflow_id_by_name(conn: Conn, name: str) -> uuid.UUID:
    return _get_id(conn, _workflows, "workflow_id", "workflow", name=name)


def _split_id(value: Any) -> tuple[Any, uuid.UUID | None]:
    """`"text"` or `("text", "<uuid>")`, as the reference's dicts allow."""
    if isinstance(value, tuple):
        text, given_id = value
        return text, _uuid(given_id)
    return value, None


def create_resource_types_for_product_blocks(conn: Conn, new: dict[str, dict[str, Any]]) -> list[uuid.UUID]:
    """Create resource types (`{block: {resource_type: description | (description, id)}}`) and link them."""
    ids: list[uuid.UUID] = []
    for block_name, resource_types in new.items():
        block_id = get_product_block_id_by_name(conn, block_name)
        for resource_type, spec in resource_types.items():
            resource_type_id = _ensure_resource_type(conn, resource_type, *_split_id(spec))
            _link(conn, _block_resource_types, product_block_id=block_id, resource_type_id=resource_type_id)
            ids.append(resource_type_id)
    return ids


def _ensure_resource_type(
    conn: Conn, resource_type: str, description: str, given_id: uuid.UUID | None
) -> uuid.UUID:
    existing = _find(conn, _resource_types, "resource_type_id", resource_type=resource_type)
    if existing is not None:
        return _uuid(existing)
    new_id = given_id or uuid.uuid4()
    conn.execute(
        sa.insert(_resource_types).values(
            resource_type_id=new_id, resource_type=resource_type, description=description
        )
    )
    return new_id


def create_product_blocks(conn: Conn, new: dict[str, dict[str, Any]]) -> dict[str, uuid.UUID]:
    """Create product blocks with their resource types and block relations; returns name -> id."""
    ids = {name: _ensure_product_block(conn, name, spec) for name, spec in new.items()}
    for name, spec in new.items():
        resources = spec.get("resources") or spec.get("resource_types")
        if resources:
            create_resource_types_for_product_blocks(conn, {name: resources})
        for child in spec.get("depends_on_block_relations", []):
            _link(
                conn,
                _block_relations,
                in_use_by_id=ids[name],
                depends_on_id=get_product_block_id_by_name(conn, child),
            )
        for parent in spec.get("in_use_by_block_relations", []):
            _link(
                conn,
                _block_relations,
                in_use_by_id=get_product_block_id_by_name(conn, parent),
                depends_on_id=ids[name],
            )
    return ids


def _ensure_product_block(conn: Conn, name: str, spec: dict[str, Any]) -> uuid.UUID:
    existing = _find(conn, _product_blocks, "product_block_id", name=name)
    if existing is not None:
        return _uuid(existing)
    new_id = _uuid(spec["product_block_id"]) if spec.get("product_block_id") else uuid.uuid4()
    conn.execute(
        sa.insert(_product_blocks).values(
            product_block_id=new_id,
            name=name,
            description=spec.get("description", ""),
            tag=spec.get("tag"),
            status=spec.get("status", "active"),
            created_at=_now(),
        )
    )
    return new_id


def create_fixed_inputs(conn: Conn, product_id: Any, new: dict[str, Any]) -> dict[str, uuid.UUID]:
    """Create fixed inputs (`{name: value | (value, id)}`) of a product; returns name -> id."""
    product_id = _uuid(product_id)
    ids: dict[str, uuid.UUID] = {}
    for name, spec in new.items():
        value, given_id = _split_id(spec)
        existing = _find(conn, _fixed_inputs, "fixed_input_id", product_id=product_id, name=name)
        if existing is None:
            existing = given_id or uuid.uuid4()
            conn.execute(
                sa.insert(_fixed_inputs).values(
                    fixed_input_id=existing,
                    name=name,
                    value=str(value),
                    product_id=product_id,
                    created_at=_now(),
                )
            )
        ids[name] = _uuid(existing)
    return ids


def create_products(conn: Conn, new: dict[str, dict[str, Any]]) -> dict[str, uuid.UUID]:
    """Create products with their fixed inputs and root product blocks; returns name -> id."""
    ids: dict[str, uuid.UUID] = {}
    for name, spec in new.items():
        product_id = ids[name] = _ensure_product(conn, name, spec)
        for block_id in _root_block_ids(conn, spec):
            _link(conn, _product_product_blocks, product_id=product_id, product_block_id=block_id)
        create_fixed_inputs(conn, product_id, spec.get("fixed_inputs", {}))
    return ids


def _root_block_ids(conn: Conn, spec: dict[str, Any]) -> list[uuid.UUID]:
    if root := spec.get("root_product_block"):
        return [get_product_block_id_by_name(conn, root)]
    named = [get_product_block_id_by_name(conn, name) for name in spec.get("product_blocks", [])]
    return named + [_uuid(block_id) for block_id in spec.get("product_block_ids", [])]


def _ensure_product(conn: Conn, name: str, spec: dict[str, Any]) -> uuid.UUID:
    existing = _find(conn, _products, "product_id", name=name)
    if existing is not None:
        return _uuid(existing)
    new_id = _uuid(spec["product_id"]) if spec.get("product_id") else uuid.uuid4()
    conn.execute(
        sa.insert(_products).values(
            product_id=new_id,
            name=name,
            description=spec["description"],
            product_type=spec["product_type"],
            tag=spec["tag"],
            status=spec.get("status", "active"),
            created_at=_now(),
        )
    )
    return new_id


def _ensure_workflow(conn: Conn, params: dict[str, Any]) -> uuid.UUID:
    existing = _find(conn, _workflows, "workflow_id", name=params["name"])
    if existing is not None:
        return _uuid(existing)
    new_id = _uuid(params["workflow_id"]) if params.get("workflow_id") else uuid.uuid4()
    conn.execute(
        sa.insert(_workflows).values(
            workflow_id=new_id,
            name=params["name"],
            target=str(params["target"]),
            description=params.get("description", ""),
            is_task=bool(params.get("is_task", False)),
            created_at=_now(),
        )
    )
    return new_id


def _matching_product_ids(conn: Conn, params: dict[str, Any]) -> list[uuid.UUID]:
    """Products a workflow belongs to: every filter given must hold (search_phrase is SQL LIKE on name)."""
    conditions = []
    if params.get("search_phrase"):
        conditions.append(_products.c.name.like(params["search_phrase"]))
    if tag := params.get("tag") or params.get("product_tag"):
        conditions.append(_products.c.tag == tag)
    if params.get("product_type"):
        conditions.append(_products.c.product_type == params["product_type"])
    if not conditions:
        return []
    return [
        _uuid(pid) for pid in conn.execute(sa.select(_products.c.product_id).where(*conditions)).scalars()
    ]


def create_workflow(conn: Conn, workflow: dict[str, Any]) -> uuid.UUID:
    """Create a workflow (name, target, description, is_task) and link it to its products.

    Products are selected by `search_phrase` (LIKE on the product name), `tag` (or `product_tag`)
    and `product_type`; all that are given must match. Returns the workflow id.
    """
    workflow_id = _ensure_workflow(conn, workflow)
    for product_id in _matching_product_ids(conn, workflow):
        _link(conn, _products_workflows, product_id=product_id, workflow_id=workflow_id)
    return workflow_id


def create_workflows(conn: Conn, new: dict[str, dict[str, Any]]) -> dict[str, uuid.UUID]:
    """`{workflow_name: params}`, as the "workflows" key of `create()`."""
    return {name: create_workflow(conn, {**params, "name": name}) for name, params in new.items()}


def create_task(conn: Conn, task: dict[str, Any]) -> uuid.UUID:
    """A task: a SYSTEM workflow that belongs to no product."""
    return _ensure_workflow(conn, {**task, "target": "SYSTEM", "is_task": True})


def ensure_default_workflows(conn: Conn) -> None:
    """Link every product to every existing workflow named in DEFAULT_PRODUCT_WORKFLOWS."""
    names = list(app_settings.DEFAULT_PRODUCT_WORKFLOWS)
    if not names:
        return
    workflow_ids = (
        conn.execute(sa.select(_workflows.c.workflow_id).where(_workflows.c.name.in_(names))).scalars().all()
    )
    product_ids = conn.execute(sa.select(_products.c.product_id)).scalars().all()
    for product_id in product_ids:
        for workflow_id in workflow_ids:
            _link(conn, _products_workflows, product_id=product_id, workflow_id=workflow_id)


def create(conn: Conn, new: dict[str, Any]) -> None:
    """Create product blocks, products, resource types and workflows from one dict (see module doc)."""
    new = copy.deepcopy(new)
    if "product_blocks" in new:
        create_product_blocks(conn, new["product_blocks"])
    if "products" in new:
        create_products(conn, new["products"])
    if new.get("resources"):
        create_resource_types_for_product_blocks(conn, new["resources"])
    if "workflows" in new:
        create_workflows(conn, new["workflows"])
    ensure_default_workflows(conn)


def delete_product(conn: Conn, name: str) -> None:
    """Remove a product; its fixed inputs, root-block links and workflow links go with it."""
    conn.execute(sa.delete(_products).where(_products.c.name == name))


def delete_products_by_tag(conn: Conn, name: str) -> None:
    """As the reference's: despite its name it removes the product called `name`."""
    delete_product(conn, name)


def delete_product_block(conn: Conn, name: str) -> None:
    """Remove a product block and its links to products and resource types (the resource types stay)."""
    conn.execute(sa.delete(_product_blocks).where(_product_blocks.c.name == name))


def delete_workflow(conn: Conn, name: str) -> None:
    """Remove a workflow and its links to products (a workflow that has processes cannot be removed)."""
    conn.execute(sa.delete(_workflows).where(_workflows.c.name == name))


def delete_resource_type(conn: Conn, resource_type: str) -> None:
    """Remove a resource type and its links to product blocks."""
    conn.execute(sa.delete(_resource_types).where(_resource_types.c.resource_type == resource_type))


def delete_resource_type_by_id(conn: Conn, id: Any) -> None:  # noqa: A002 - the reference's keyword
    conn.execute(sa.delete(_resource_types).where(_resource_types.c.resource_type_id == _uuid(id)))


def delete_resource_types(conn: Conn, delete: Iterable[str]) -> None:
    """Remove resource types by name, with their links to product blocks."""
    for resource_type in list(delete):
        delete_resource_type(conn, resource_type)


def delete_resource_types_from_product_blocks(conn: Conn, delete: dict[str, Any]) -> None:
    """Unlink resource types from blocks (`{block: {resource_type: ...}}`); the resource types stay."""
    for block_name, resource_types in delete.items():
        block_id = get_product_block_id_by_name(conn, block_name)
        type_ids = sa.select(_resource_types.c.resource_type_id).where(
            _resource_types.c.resource_type.in_(list(resource_types)))
        conn.execute(sa.delete(_block_resource_types).where(
            _block_resource_types.c.product_block_id == block_id,
            _block_resource_types.c.resource_type_id.in_(type_ids)))


def delete(conn: Conn, obsolete: dict[str, Any]) -> None:
    """Remove what `create` made: names (a list, or the same dict given to create) under
    "resource_types", "product_blocks", "products" and "workflows", in that order."""
    for resource_type in obsolete.get("resource_types", []):
        delete_resource_type(conn, resource_type)
    for block_name in obsolete.get("product_blocks", []):
        delete_product_block(conn, block_name)
    for product_name in obsolete.get("products", []):
        delete_product(conn, product_name)
    for workflow_name in obsolete.get("workflows", []):
        delete_workflow(conn, workflow_name)


def has_table_column(table_name: str, column_name: str, conn: Conn) -> bool:
    """Whether the table exists and has the column; for migrations that must run on older schemas."""
    inspector = sa.inspect(conn.connection() if isinstance(conn, Session) else conn)
    if not inspector.has_table(table_name):
        return False
    return any(column["name"] == column_name for column in inspector.get_columns(table_name))


def get_fixed_input_id_by_name(conn: Conn, name: str) -> uuid.UUID:
    return _get_id(conn, _fixed_inputs, "fixed_input_id", "fixed input", name=name)


def get_product_by_id(conn: Conn, id: Any) -> dict[str, Any]:  # noqa: A002 - the reference's keyword
    row = conn.execute(sa.select(_products).where(_products.c.product_id == _uuid(id))).mappings().first()
    if row is None:
        raise ValueError(f"product {id} does not exist")
    return dict(row)


def get_product_name_by_id(conn: Conn, id: Any) -> str:  # noqa: A002 - the reference's keyword
    return str(get_product_by_id(conn, id)["name"])


def get_product_ids_by_product_type(conn: Conn, product_type: str) -> list[uuid.UUID]:
    query = sa.select(_products.c.product_id).where(_products.c.product_type == product_type)
    return [_uuid(product_id) for product_id in conn.execute(query).scalars()]


def get_fixed_inputs_by_product_id(conn: Conn, id: Any) -> list[sa.Row[Any]]:  # noqa: A002
    return list(conn.execute(sa.select(_fixed_inputs).where(_fixed_inputs.c.product_id == _uuid(id))))


def get_all_active_products_and_ids(conn: Conn) -> list[dict[str, Any]]:
    query = sa.select(_products.c.product_id, _products.c.name).where(_products.c.status == "active")
    return [{"product_id": _uuid(row.product_id), "name": row.name} for row in conn.execute(query)]


def insert_resource_type(conn: Conn, resource_type: str, description: str) -> None:
    """A resource type on its own (no block yet); nothing happens if it exists."""
    _ensure_resource_type(conn, resource_type, description, None)


def _products_by_tag(product_tag: str, product_name_like: str) -> sa.Select[Any]:
    return sa.select(_products.c.product_id).where(_products.c.tag == product_tag,
                                                   _products.c.name.like(product_name_like))


def add_products_to_workflow_by_product_tag(conn: Conn, workflow_name: str, product_tag: str,
                                            product_name_like: str = "%%") -> None:
    """Link a workflow to the products with this tag (and a name LIKE `product_name_like`)."""
    workflow_id = get_workflow_id_by_name(conn, workflow_name)
    for product_id in conn.execute(_products_by_tag(product_tag, product_name_like)).scalars():
        _link(conn, _products_workflows, product_id=_uuid(product_id), workflow_id=workflow_id)


def remove_products_from_workflow_by_product_tag(conn: Conn, workflow_name: str, product_tag: str,
                                                 product_name_like: str = "%%") -> None:
    workflow_id = get_workflow_id_by_name(conn, workflow_name)
    conn.execute(sa.delete(_products_workflows).where(
        _products_workflows.c.workflow_id == workflow_id,
        _products_workflows.c.product_id.in_(_products_by_tag(product_tag, product_name_like))))


def add_product_block_relation_between_products_by_id(conn: Conn, in_use_by_id: Any, depends_on_id: Any) -> None:
    _link(conn, _block_relations, in_use_by_id=_uuid(in_use_by_id), depends_on_id=_uuid(depends_on_id))


def remove_product_block_relation_between_products_by_id(conn: Conn, in_use_by_id: Any,
                                                         depends_on_id: Any) -> None:
    conn.execute(sa.delete(_block_relations).where(_block_relations.c.in_use_by_id == _uuid(in_use_by_id),
                                                   _block_relations.c.depends_on_id == _uuid(depends_on_id)))


_instances = sa.table(
    "subscription_instances",
    sa.column("subscription_instance_id", sa.Uuid()),
    sa.column("subscription_id", sa.Uuid()),
    sa.column("product_block_id", sa.Uuid()),
)
_instance_values = sa.table(
    "subscription_instance_values",
    sa.column("subscription_instance_value_id", sa.Uuid()),
    sa.column("subscription_instance_id", sa.Uuid()),
    sa.column("resource_type_id", sa.Uuid()),
    sa.column("value", sa.Text()),
)
_instance_relations = sa.table(
    "subscription_instance_relations",
    sa.column("in_use_by_id", sa.Uuid()),
    sa.column("depends_on_id", sa.Uuid()),
    sa.column("order_id", sa.Integer()),
    sa.column("domain_model_attr", sa.String()),
)


def backfill_resource_type_with_default(conn: Conn, resource_type_id: Any, product_block_name: str,
                                        value: Any) -> None:
    """Give every instance of a block the new resource type, with `value`."""
    block_id = get_product_block_id_by_name(conn, product_block_name)
    instance_ids = conn.execute(sa.select(_instances.c.subscription_instance_id)
                                .where(_instances.c.product_block_id == block_id)).scalars().all()
    rows = [{"subscription_instance_value_id": uuid.uuid4(), "subscription_instance_id": instance_id,
             "resource_type_id": _uuid(resource_type_id), "value": str(value)} for instance_id in instance_ids]
    if rows:
        conn.execute(sa.insert(_instance_values), rows)


def remove_resource_type_from_subscription_instance(conn: Conn, resource_type_name: str) -> None:
    """Drop every stored value of a resource type (the resource type itself stays)."""
    resource_type_id = get_resource_type_id_by_name(conn, resource_type_name)
    conn.execute(sa.delete(_instance_values).where(_instance_values.c.resource_type_id == resource_type_id))


def convert_resource_type_relations_to_instance_relations(conn: Conn, resource_type_id: Any, domain_model_attr: str,
                                                          cleanup: bool = True) -> None:
    """Values holding another subscription's id become relations to that subscription's instances."""
    values = conn.execute(sa.select(_instance_values.c.subscription_instance_id, _instance_values.c.value)
                          .where(_instance_values.c.resource_type_id == _uuid(resource_type_id))).all()
    for in_use_by_id, subscription_id in values:
        depends_on = conn.execute(sa.select(_instances.c.subscription_instance_id)
                                  .where(_instances.c.subscription_id == _uuid(subscription_id))).scalars().all()
        for order_id, depends_on_id in enumerate(depends_on):
            _link(conn, _instance_relations, in_use_by_id=_uuid(in_use_by_id), depends_on_id=_uuid(depends_on_id),
                  order_id=order_id, domain_model_attr=domain_model_attr)
    if cleanup:
        conn.execute(sa.delete(_instance_values).where(_instance_values.c.resource_type_id == _uuid(resource_type_id)))


def convert_instance_relations_to_resource_type_relations_by_domain_model_attr(
        conn: Conn, domain_model_attr: str, resource_type_id: Any, cleanup: bool = True) -> None:
    """The reverse: relations of a domain model attribute become values holding the other subscription's id."""
    related = conn.execute(
        sa.select(_instance_relations.c.in_use_by_id, _instances.c.subscription_id)
        .join(_instances, _instances.c.subscription_instance_id == _instance_relations.c.depends_on_id)
        .where(_instance_relations.c.domain_model_attr == domain_model_attr)).all()
    rows = [{"subscription_instance_value_id": uuid.uuid4(), "subscription_instance_id": _uuid(in_use_by_id),
             "resource_type_id": _uuid(resource_type_id), "value": str(_uuid(subscription_id))}
            for in_use_by_id, subscription_id in related]
    if rows:
        conn.execute(sa.insert(_instance_values), rows)
    if cleanup:
        conn.execute(sa.delete(_instance_relations).where(_instance_relations.c.domain_model_attr == domain_model_attr))
