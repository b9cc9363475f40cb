"""The product catalogue and the registered workflows as lists shaped by field name (`list_query`), and
the catalogue's rows and links by id (`CatalogueLinks`), for orchestrator-ui's GraphQL.

The catalogue is small (products, product blocks, resource types, workflows: tens to hundreds of rows),
so a reader that follows links between them (a product's blocks, a block's resource types, a workflow's
products) reads each kind of link once per request, whole, rather than once per row.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from functools import cached_property
from typing import Any

import sqlalchemy as sa

from orchestrator_core.db import FixedInputTable, ProductBlockRelationTable, WorkflowTable, read_connection
from orchestrator_core.db.product_tables import (
    ProductBlockTable,
    ProductTable,
    ResourceTypeTable,
    product_block_resource_types,
    product_product_blocks,
    products_workflows,
)
from orchestrator_core.services.list_query import (
    Field,
    Listing,
    ListPage,
    ListRequest,
    SortKey,
    read_page,
    substring_words,
)

_p = ProductTable.__table__
_b = ProductBlockTable.__table__
_r = ResourceTypeTable.__table__
_w = WorkflowTable.__table__
_f = FixedInputTable.__table__

PRODUCTS = Listing(
    "products",
    {
        "productId": Field("uuid", _p.c.product_id),
        "name": Field("text", _p.c.name),
        "description": Field("text", _p.c.description),
        "productType": Field("name", _p.c.product_type),
        "type": Field("name", _p.c.product_type),
        "tag": Field("vocabulary", _p.c.tag),
        "status": Field("text", _p.c.status),
        "createdAt": Field("datetime", _p.c.created_at),
        "endDate": Field("datetime", _p.c.end_date),
    },
    substring_words(_p.c.name, _p.c.description, _p.c.product_type, _p.c.tag, _p.c.status),
    (SortKey("name"),),
    _p.c.product_id,
)

PRODUCT_BLOCKS = Listing(
    "product blocks",
    {
        "productBlockId": Field("uuid", _b.c.product_block_id),
        "name": Field("text", _b.c.name),
        "description": Field("text", _b.c.description),
        "tag": Field("vocabulary", _b.c.tag),
        "status": Field("text", _b.c.status),
        "createdAt": Field("datetime", _b.c.created_at),
        "endDate": Field("datetime", _b.c.end_date),
    },
    substring_words(_b.c.name, _b.c.description, _b.c.tag, _b.c.status),
    (SortKey("name"),),
    _b.c.product_block_id,
)

RESOURCE_TYPES = Listing(
    "resource types",
    {
        "resourceTypeId": Field("uuid", _r.c.resource_type_id),
        "resourceType": Field("text", _r.c.resource_type),
        "description": Field("text", _r.c.description),
    },
    substring_words(_r.c.resource_type, _r.c.description),
    (SortKey("resourceType"),),
    _r.c.resource_type_id,
)

WORKFLOWS = Listing(
    "workflows",
    {
        "workflowId": Field("uuid", _w.c.workflow_id),
        "name": Field("text", _w.c.name),
        "description": Field("text", _w.c.description),
        "target": Field("vocabulary", _w.c.target, fold=str.upper),
        "isTask": Field("bool", _w.c.is_task),
        "createdAt": Field("datetime", _w.c.created_at),
    },
    substring_words(_w.c.name, _w.c.description, _w.c.target),
    (SortKey("name"),),
    _w.c.workflow_id,
)

PRODUCT_ROWS = sa.select(_p)
PRODUCT_BLOCK_ROWS = sa.select(_b)
RESOURCE_TYPE_ROWS = sa.select(_r)
WORKFLOW_ROWS = sa.select(_w).where(_w.c.deleted_at.is_(None))


def list_products(request: ListRequest) -> ListPage:
    return read_page(PRODUCTS, PRODUCT_ROWS, request)


def list_product_blocks(request: ListRequest) -> ListPage:
    return read_page(PRODUCT_BLOCKS, PRODUCT_BLOCK_ROWS, request)


def list_resource_types(request: ListRequest) -> ListPage:
    return read_page(RESOURCE_TYPES, RESOURCE_TYPE_ROWS, request)


def list_workflows(request: ListRequest) -> ListPage:
    """Registered workflows that are not deleted."""
    return read_page(WORKFLOWS, WORKFLOW_ROWS, request)


class CatalogueLinks:
    """Rows by id, and each link of the catalogue by id (in name order); each part read on first use, in one
    query, so that a reader pays for what it follows."""

    @cached_property
    def products(self) -> dict[uuid.UUID, dict[str, Any]]:
        return {r["product_id"]: r for r in _rows(sa.select(_p))}

    @cached_property
    def product_blocks(self) -> dict[uuid.UUID, dict[str, Any]]:
        return {r["product_block_id"]: r for r in _rows(sa.select(_b))}

    @cached_property
    def resource_types(self) -> dict[uuid.UUID, dict[str, Any]]:
        return {r["resource_type_id"]: r for r in _rows(sa.select(_r))}

    @cached_property
    def fixed_inputs(self) -> dict[uuid.UUID, list[dict[str, Any]]]:
        found: dict[uuid.UUID, list[dict[str, Any]]] = defaultdict(list)
        for row in _rows(sa.select(_f).order_by(_f.c.name)):
            found[row["product_id"]].append(row)
        return found

    @cached_property
    def blocks_of_product(self) -> dict[uuid.UUID, list[uuid.UUID]]:
        return _links(product_product_blocks.c.product_id, product_product_blocks.c.product_block_id, _b.c.name)

    @cached_property
    def resource_types_of_block(self) -> dict[uuid.UUID, list[uuid.UUID]]:
        table = product_block_resource_types
        return _links(table.c.product_block_id, table.c.resource_type_id, _r.c.resource_type)

    @cached_property
    def blocks_of_resource_type(self) -> dict[uuid.UUID, list[uuid.UUID]]:
        table = product_block_resource_types
        return _links(table.c.resource_type_id, table.c.product_block_id, _b.c.name)

    @cached_property
    def depends_on(self) -> dict[uuid.UUID, list[uuid.UUID]]:
        table = ProductBlockRelationTable.__table__
        return _links(table.c.in_use_by_id, table.c.depends_on_id, _b.c.name)

    @cached_property
    def products_of_workflow(self) -> dict[uuid.UUID, list[uuid.UUID]]:
        return _links(products_workflows.c.workflow_id, products_workflows.c.product_id, _p.c.name)


def _rows(statement: Any) -> list[dict[str, Any]]:
    with read_connection() as connection:
        return [dict(r) for r in connection.execute(statement).mappings()]


def _links(key: Any, other: Any, name: Any) -> dict[uuid.UUID, list[uuid.UUID]]:
    """Per `key`, the `other` ids of a link table, in the order of the linked rows' `name`."""
    target = name.table
    statement = (
        sa.select(key, other).join(target, next(iter(target.primary_key.columns)) == other).order_by(key, name)
    )
    found: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
    with read_connection() as connection:
        for a, b in connection.execute(statement):
            found[a].append(b)
    return found
