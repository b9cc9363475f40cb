"""Tables of the product catalogue: products, their fixed inputs, product blocks and resource types.

Product teams register these rows from migrations (`orchestrator_core.migrations.helpers.create`);
domain models look them up by name, so names are unique.
"""

from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from orchestrator_core.db.base import Base, UtcDateTime, utcnow

product_product_blocks = sa.Table(
    "product_product_blocks",
    Base.metadata,
    sa.Column(
        "product_id", sa.Uuid, sa.ForeignKey("products.product_id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column(
        "product_block_id",
        sa.Uuid,
        sa.ForeignKey("product_blocks.product_block_id", ondelete="CASCADE"),
        primary_key=True,
    ),
)
"""The root product blocks of a product."""

product_block_resource_types = sa.Table(
    "product_block_resource_types",
    Base.metadata,
    sa.Column(
        "product_block_id",
        sa.Uuid,
        sa.ForeignKey("product_blocks.product_block_id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column(
        "resource_type_id",
        sa.Uuid,
        sa.ForeignKey("resource_types.resource_type_id", ondelete="CASCADE"),
        primary_key=True,
    ),
)
"""Which resource types (scalar fields) a product block has."""

products_workflows = sa.Table(
    "products_workflows",
    Base.metadata,
    sa.Column(
        "product_id", sa.Uuid, sa.ForeignKey("products.product_id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column(
        "workflow_id", sa.Uuid, sa.ForeignKey("workflows.workflow_id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Index("ix_products_workflows_workflow_id", "workflow_id"),
)
"""Which workflows may run on subscriptions of a product."""


class ProductTable(Base):
    __tablename__ = "products"

    product_id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True, default=uuid.uuid4)
    name: Mapped[str] = mapped_column(sa.String(255), unique=True)
    description: Mapped[str] = mapped_column(sa.Text)
    product_type: Mapped[str] = mapped_column(sa.String(255))
    tag: Mapped[str] = mapped_column(sa.String(50), index=True)
    status: Mapped[str] = mapped_column(sa.String(32))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    end_date: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)

    fixed_inputs: Mapped[list[FixedInputTable]] = relationship(
        back_populates="product", cascade="all, delete-orphan", passive_deletes=True
    )
    product_blocks: Mapped[list[ProductBlockTable]] = relationship(secondary=product_product_blocks)


class FixedInputTable(Base):
    __tablename__ = "fixed_inputs"
    __table_args__ = (sa.UniqueConstraint("product_id", "name"),)

    fixed_input_id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True, default=uuid.uuid4)
    name: Mapped[str] = mapped_column(sa.String(255))
    value: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    product_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("products.product_id", ondelete="CASCADE"))

    product: Mapped[ProductTable] = relationship(back_populates="fixed_inputs")


class ProductBlockTable(Base):
    __tablename__ = "product_blocks"

    product_block_id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True, default=uuid.uuid4)
    name: Mapped[str] = mapped_column(sa.String(255), unique=True)
    description: Mapped[str] = mapped_column(sa.Text, default="")
    tag: Mapped[str | None] = mapped_column(sa.String(50), nullable=True)
    status: Mapped[str | None] = mapped_column(sa.String(32), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    end_date: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)

    resource_types: Mapped[list[ResourceTypeTable]] = relationship(secondary=product_block_resource_types)


class ProductBlockRelationTable(Base):
    """A product block nested in another one (parent `in_use_by`, child `depends_on`)."""

    __tablename__ = "product_block_relations"

    in_use_by_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("product_blocks.product_block_id", ondelete="CASCADE"), primary_key=True
    )
    depends_on_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("product_blocks.product_block_id", ondelete="CASCADE"), primary_key=True, index=True
    )
    min: Mapped[int | None] = mapped_column(sa.Integer, nullable=True)
    max: Mapped[int | None] = mapped_column(sa.Integer, nullable=True)


class ResourceTypeTable(Base):
    __tablename__ = "resource_types"

    resource_type_id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True, default=uuid.uuid4)
    resource_type: Mapped[str] = mapped_column(sa.String(510), unique=True)
    description: Mapped[str | None] = mapped_column(sa.Text, nullable=True)
