"""Tables of the product catalogue: products, their fixed inputs, product blocks and resource types.

Product teams register these rows from migrations (`orchestrator_core.migrations.helpers.create`);
domain models look them up by name, so names are unique. The relationships and helpers the
reference's applications use on these rows (`product.workflows`, `product.fixed_input_value(name)`,
`block.in_use_by`, ...) are here too; they only read and write the columns the schema has.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.ext.associationproxy import AssociationProxy, association_proxy
from sqlalchemy.orm import Mapped, mapped_column, object_session, relationship, with_parent

from orchestrator_core.db.base import Base, UtcDateTime, utcnow
from orchestrator_core.targets import Target

if TYPE_CHECKING:
    from orchestrator_core.db.process_tables import WorkflowTable

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
    product_blocks: Mapped[list[ProductBlockTable]] = relationship(
        secondary=product_product_blocks, back_populates="products", passive_deletes=True
    )
    workflows: Mapped[list[WorkflowTable]] = relationship(
        secondary=products_workflows,
        secondaryjoin="and_(products_workflows.c.workflow_id == WorkflowTable.workflow_id, "
        "WorkflowTable.deleted_at.is_(None))",
        back_populates="products",
        passive_deletes=True,
    )
    """The workflows registered for this product and not deleted."""

    def _session(self) -> sa.orm.Session:
        found = object_session(self)
        if found is None:
            raise RuntimeError(f"product {self.name!r} is not attached to a session")
        return found

    def fixed_input_value(self, name: str) -> str:
        """The value of this product's fixed input `name` (NoResultFound if it has none)."""
        return self._session().scalars(
            sa.select(FixedInputTable.value).where(
                with_parent(self, ProductTable.fixed_inputs), FixedInputTable.name == name
            )
        ).one()

    def find_block_by_name(self, name: str) -> ProductBlockTable:
        """This product's root product block `name` (NoResultFound if it has none)."""
        return self._session().scalars(
            sa.select(ProductBlockTable).where(
                with_parent(self, ProductTable.product_blocks), ProductBlockTable.name == name
            )
        ).one()

    def _workflow_name(self, target: Target, name: str | None = None) -> str | None:
        for workflow in self.workflows:
            if workflow.target == target and (name is None or workflow.name == name):
                return workflow.name
        return None

    def create_subscription_workflow_key(self) -> str | None:
        return self._workflow_name(Target.CREATE)

    def terminate_subscription_workflow_key(self) -> str | None:
        return self._workflow_name(Target.TERMINATE)

    def modify_subscription_workflow_key(self, name: str) -> str | None:
        return self._workflow_name(Target.MODIFY, name)

    def workflow_by_key(self, name: str) -> WorkflowTable | None:
        return next((workflow for workflow in self.workflows if workflow.name == name), None)


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

    products: Mapped[list[ProductTable]] = relationship(
        secondary=product_product_blocks, back_populates="product_blocks"
    )
    resource_types: Mapped[list[ResourceTypeTable]] = relationship(
        secondary=product_block_resource_types, back_populates="product_blocks", passive_deletes=True
    )
    in_use_by_block_relations: Mapped[list[ProductBlockRelationTable]] = relationship(
        back_populates="depends_on",
        foreign_keys="ProductBlockRelationTable.depends_on_id",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    depends_on_block_relations: Mapped[list[ProductBlockRelationTable]] = relationship(
        back_populates="in_use_by",
        foreign_keys="ProductBlockRelationTable.in_use_by_id",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    in_use_by: AssociationProxy[list[ProductBlockTable]] = association_proxy(
        "in_use_by_block_relations", "in_use_by", creator=lambda block: ProductBlockRelationTable(in_use_by=block)
    )
    """The product blocks that nest this one."""
    depends_on: AssociationProxy[list[ProductBlockTable]] = association_proxy(
        "depends_on_block_relations", "depends_on", creator=lambda block: ProductBlockRelationTable(depends_on=block)
    )
    """The product blocks nested in this one."""

    @staticmethod
    def find_by_name(name: str) -> ProductBlockTable:
        return ProductBlockTable.query.filter(ProductBlockTable.name == name).one()

    @staticmethod
    def find_by_tag(tag: str) -> ProductBlockTable:
        return ProductBlockTable.query.filter(ProductBlockTable.tag == tag).one()

    def find_resource_type_by_name(self, name: str) -> ResourceTypeTable:
        found = object_session(self)
        if found is None:
            raise RuntimeError(f"product block {self.name!r} is not attached to a session")
        return found.scalars(
            sa.select(ResourceTypeTable).where(
                with_parent(self, ProductBlockTable.resource_types), ResourceTypeTable.resource_type == name
            )
        ).one()


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

    depends_on: Mapped[ProductBlockTable] = relationship(
        back_populates="in_use_by_block_relations", foreign_keys=[depends_on_id]
    )
    in_use_by: Mapped[ProductBlockTable] = relationship(
        back_populates="depends_on_block_relations", foreign_keys=[in_use_by_id]
    )


class ResourceTypeTable(Base):
    __tablename__ = "resource_types"

    resource_type_id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True, default=uuid.uuid4)
    resource_type: Mapped[str] = mapped_column(sa.String(510), unique=True)
    description: Mapped[str | None] = mapped_column(sa.Text, nullable=True)

    product_blocks: Mapped[list[ProductBlockTable]] = relationship(
        secondary=product_block_resource_types, back_populates="resource_types"
    )
