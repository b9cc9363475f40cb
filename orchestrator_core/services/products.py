"""Reading the product catalogue, at the reference system's path (`services.products`).

Workflows call these from forms and steps, e.g. `get_product_by_id(product).fixed_input_value("speed")`;
they read through `db.session` (the current transaction's, or the read session outside one).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from orchestrator_core.db import ProductTable, db


def get_products(*, filters: list[Any] | None = None) -> list[ProductTable]:
    """Every product matching all the given SQLAlchemy clauses (`ProductTable.tag == "NODE"`, ...)."""
    stmt = sa.select(ProductTable).where(*(filters or []))
    return list(db.session.scalars(stmt.order_by(ProductTable.name)))


def get_product_by_id(product_id: UUID | str, join_fixed_inputs: bool = True) -> ProductTable | None:
    """The product with this id, or None (a malformed id is a ValueError naming it)."""
    try:
        pid = product_id if isinstance(product_id, UUID) else UUID(str(product_id))
    except ValueError:
        raise ValueError(f"not a product id: {product_id!r}") from None
    options = [joinedload(ProductTable.fixed_inputs)] if join_fixed_inputs else []
    return db.session.get(ProductTable, pid, options=options)


def get_product_by_name(name: str) -> ProductTable:
    """The product named `name` (NoResultFound if there is none)."""
    stmt = sa.select(ProductTable).options(joinedload(ProductTable.fixed_inputs)).where(ProductTable.name == name)
    return db.session.scalars(stmt).unique().one()


def get_types() -> list[str]:
    """The distinct product types."""
    return list(db.session.scalars(sa.select(ProductTable.product_type).distinct().order_by(ProductTable.product_type)))


def get_tags() -> list[str]:
    """The distinct product tags."""
    return list(db.session.scalars(sa.select(ProductTable.tag).distinct().order_by(ProductTable.tag)))
