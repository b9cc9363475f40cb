"""Tables of subscriptions: the subscription row, its block instances, their values and relations.

A subscription owns a tree of instances (one per product block). Scalar fields of an instance are
rows in `subscription_instance_values`; nesting, and references to instances owned by *other*
subscriptions, are rows in `subscription_instance_relations` (parent `in_use_by`, child `depends_on`).
`processes_subscriptions` links the processes that touched a subscription, for history and guards.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.ext.associationproxy import AssociationProxy, association_proxy
from sqlalchemy.orm import Mapped, Query, mapped_column, relationship

from orchestrator_core.db.base import Base, UtcDateTime, utcnow
from orchestrator_core.db.product_tables import ProductBlockTable, ProductTable, ResourceTypeTable

if TYPE_CHECKING:
    from orchestrator_core.db.process_tables import ProcessTable


class SubscriptionTable(Base):
    __tablename__ = "subscriptions"
    __table_args__ = (
        sa.Index("ix_subscriptions_product_id_status", "product_id", "status"),
        sa.Index("ix_subscriptions_customer_id_status", "customer_id", "status"),
        sa.Index("ix_subscriptions_status", "status"),
        sa.Index("ix_subscriptions_start_date", "start_date"),  # created by migration 0004 (API search)
    )

    subscription_id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True, default=uuid.uuid4)
    description: Mapped[str] = mapped_column(sa.Text)
    status: Mapped[str] = mapped_column(sa.String(32))
    product_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("products.product_id"))
    customer_id: Mapped[str] = mapped_column(sa.String(255))
    insync: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    start_date: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    end_date: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    note: Mapped[str | None] = mapped_column(sa.Text, nullable=True)
    version: Mapped[int] = mapped_column(sa.Integer, default=1, server_default="1")

    product: Mapped[ProductTable] = relationship(lazy="joined")
    instances: Mapped[list[SubscriptionInstanceTable]] = relationship(
        back_populates="subscription",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="SubscriptionInstanceTable.subscription_instance_id",
    )
    processes: Mapped[list[ProcessSubscriptionTable]] = relationship(
        back_populates="subscription", passive_deletes=True
    )
    """The links to the processes that ran on this subscription."""

    @staticmethod
    def find_by_product_tag(tag: str) -> Query[SubscriptionTable]:
        return SubscriptionTable.query.join(ProductTable).filter(ProductTable.tag == tag)

    def find_instance_by_block_name(self, name: str) -> list[SubscriptionInstanceTable]:
        return [instance for instance in self.instances if instance.product_block.name == name]

    def find_values_for_resource_type(self, name: str | None) -> list[SubscriptionInstanceValueTable]:
        found = (instance.value_for_resource_type(name) for instance in self.instances)
        return [value for value in found if value is not None]

    def product_blocks_with_values(self) -> list[dict[str, list[dict[str, str]]]]:
        """Per instance, its product block name and its values (`[{block: [{resource_type: value}]}]`)."""
        return [
            {instance.product_block.name: [{v.resource_type.resource_type: v.value} for v in instance.values]}
            for instance in self.instances
        ]


class SubscriptionInstanceTable(Base):
    """One product block of a subscription."""

    __tablename__ = "subscription_instances"

    subscription_instance_id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True, default=uuid.uuid4)
    subscription_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("subscriptions.subscription_id", ondelete="CASCADE"), index=True
    )
    product_block_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("product_blocks.product_block_id"), index=True
    )
    label: Mapped[str | None] = mapped_column(sa.String(255), nullable=True)

    subscription: Mapped[SubscriptionTable] = relationship(back_populates="instances")
    product_block: Mapped[ProductBlockTable] = relationship(lazy="joined")
    values: Mapped[list[SubscriptionInstanceValueTable]] = relationship(
        back_populates="subscription_instance",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="SubscriptionInstanceValueTable.value",
    )
    in_use_by_block_relations: Mapped[list[SubscriptionInstanceRelationTable]] = relationship(
        back_populates="depends_on",
        foreign_keys="SubscriptionInstanceRelationTable.depends_on_id",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    depends_on_block_relations: Mapped[list[SubscriptionInstanceRelationTable]] = relationship(
        back_populates="in_use_by",
        foreign_keys="SubscriptionInstanceRelationTable.in_use_by_id",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by=lambda: [_relation.domain_model_attr, _relation.order_id],
    )
    in_use_by: AssociationProxy[list[SubscriptionInstanceTable]] = association_proxy(
        "in_use_by_block_relations", "in_use_by"
    )
    """The instances (of this or other subscriptions) that hold this one."""
    depends_on: AssociationProxy[list[SubscriptionInstanceTable]] = association_proxy(
        "depends_on_block_relations", "depends_on"
    )
    """The instances this one holds, in field and list order."""

    def value_for_resource_type(self, name: str | None) -> SubscriptionInstanceValueTable | None:
        return next((value for value in self.values if value.resource_type.resource_type == name), None)


class SubscriptionInstanceValueTable(Base):
    """One scalar field of an instance, stored as text (the domain model types it back on load)."""

    __tablename__ = "subscription_instance_values"

    subscription_instance_value_id: Mapped[uuid.UUID] = mapped_column(
        sa.Uuid, primary_key=True, default=uuid.uuid4
    )
    subscription_instance_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("subscription_instances.subscription_instance_id", ondelete="CASCADE"), index=True
    )
    resource_type_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("resource_types.resource_type_id"), index=True
    )
    value: Mapped[str] = mapped_column(sa.Text)

    resource_type: Mapped[ResourceTypeTable] = relationship(lazy="joined")
    subscription_instance: Mapped[SubscriptionInstanceTable] = relationship(back_populates="values")


class SubscriptionInstanceRelationTable(Base):
    """Instance `in_use_by_id` holds `depends_on_id` in its field `domain_model_attr`, at `order_id`."""

    __tablename__ = "subscription_instance_relations"

    in_use_by_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("subscription_instances.subscription_instance_id", ondelete="CASCADE"), primary_key=True
    )
    depends_on_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("subscription_instances.subscription_instance_id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    )
    order_id: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    domain_model_attr: Mapped[str | None] = mapped_column(sa.String(255), nullable=True)

    in_use_by: Mapped[SubscriptionInstanceTable] = relationship(
        back_populates="depends_on_block_relations", foreign_keys=[in_use_by_id]
    )
    depends_on: Mapped[SubscriptionInstanceTable] = relationship(
        back_populates="in_use_by_block_relations", foreign_keys=[depends_on_id]
    )


_relation = SubscriptionInstanceRelationTable


class ProcessSubscriptionTable(Base):
    """A process that ran on a subscription, and with which workflow target."""

    __tablename__ = "processes_subscriptions"
    __table_args__ = (
        sa.Index("ix_processes_subscriptions_process_id_subscription_id", "process_id", "subscription_id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True, default=uuid.uuid4)
    process_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("processes.process_id", ondelete="CASCADE"))
    subscription_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("subscriptions.subscription_id", ondelete="CASCADE"), index=True
    )
    workflow_target: Mapped[str | None] = mapped_column(sa.String(32), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    process: Mapped[ProcessTable] = relationship(back_populates="process_subscriptions")
    subscription: Mapped[SubscriptionTable] = relationship(back_populates="processes")
