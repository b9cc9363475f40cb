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
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

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
    """Remove a product (its fixed inputs and links go with it); for a migration's downgrade."""
    conn.execute(sa.delete(_products).where(_products.c.name == name))


def delete_product_block(conn: Conn, name: str) -> None:
    """Remove a product block and the resource types no other block uses; for a migration's downgrade."""
    block_id = _find(conn, _product_blocks, "product_block_id", name=name)
    if block_id is None:
        return
    resource_type_ids = (
        conn.execute(
            sa.select(_block_resource_types.c.resource_type_id).where(
                _block_resource_types.c.product_block_id == block_id
            )
        )
        .scalars()
        .all()
    )
    conn.execute(sa.delete(_product_blocks).where(_product_blocks.c.product_block_id == block_id))
    still_used = sa.select(_block_resource_types.c.resource_type_id)
    conn.execute(
        sa.delete(_resource_types).where(
            _resource_types.c.resource_type_id.in_(resource_type_ids),
            _resource_types.c.resource_type_id.not_in(still_used),
        )
    )
