"""The product catalogue and the registered workflows as lists shaped by field name (`list_query`), and
the whole catalogue's links read at once (`load_links`), for orchestrator-ui's GraphQL.

The catalogue is small (products, product blocks, resource types, workflows: tens to hundreds of rows),
so a reader that follows links between them (a product's blocks, a block's resource types, a workflow's
products) reads every link once per request rather than once per row.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
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
        "target": Field("vocabulary", _w.c.target),
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


@dataclass
class CatalogueLinks:
    """Rows by id, and each link of the catalogue in both directions, ids in name order."""

    products: dict[uuid.UUID, dict[str, Any]] = field(default_factory=dict)
    product_blocks: dict[uuid.UUID, dict[str, Any]] = field(default_factory=dict)
    resource_types: dict[uuid.UUID, dict[str, Any]] = field(default_factory=dict)
    fixed_inputs: dict[uuid.UUID, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    blocks_of_product: dict[uuid.UUID, list[uuid.UUID]] = field(default_factory=lambda: defaultdict(list))
    resource_types_of_block: dict[uuid.UUID, list[uuid.UUID]] = field(default_factory=lambda: defaultdict(list))
    blocks_of_resource_type: dict[uuid.UUID, list[uuid.UUID]] = field(default_factory=lambda: defaultdict(list))
    depends_on: dict[uuid.UUID, list[uuid.UUID]] = field(default_factory=lambda: defaultdict(list))
    products_of_workflow: dict[uuid.UUID, list[uuid.UUID]] = field(default_factory=lambda: defaultdict(list))


def load_links() -> CatalogueLinks:
    """The catalogue's rows and links in eight queries."""
    links = CatalogueLinks()
    with read_connection() as connection:
        links.products = {r["product_id"]: dict(r) for r in connection.execute(sa.select(_p)).mappings()}
        links.product_blocks = {r["product_block_id"]: dict(r) for r in connection.execute(sa.select(_b)).mappings()}
        links.resource_types = {r["resource_type_id"]: dict(r) for r in connection.execute(sa.select(_r)).mappings()}
        fixed = sa.select(FixedInputTable.__table__).order_by(FixedInputTable.name)
        for row in connection.execute(fixed).mappings():
            links.fixed_inputs[row["product_id"]].append(dict(row))
        pairs = [
            (product_product_blocks, "product_id", "product_block_id", links.blocks_of_product, None, _b.c.name),
            (product_block_resource_types, "product_block_id", "resource_type_id", links.resource_types_of_block,
             links.blocks_of_resource_type, _r.c.resource_type),
            (ProductBlockRelationTable.__table__, "in_use_by_id", "depends_on_id", links.depends_on, None, _b.c.name),
            (products_workflows, "workflow_id", "product_id", links.products_of_workflow, None, _p.c.name),
        ]
        for table, left, right, forward, backward, order in pairs:
            target = order.table
            key = next(iter(target.primary_key.columns))
            statement = sa.select(table.c[left], table.c[right]).join(target, key == table.c[right]).order_by(order)
            for a, b in connection.execute(statement):
                forward[a].append(b)
                if backward is not None:
                    backward[b].append(a)
    for block_ids in links.blocks_of_resource_type.values():
        block_ids.sort(key=lambda i: links.product_blocks[i]["name"])
    return links
