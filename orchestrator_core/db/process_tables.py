"""Tables of the engine: registered workflows, processes, their step log and their form inputs."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.ext.associationproxy import AssociationProxy, association_proxy
from sqlalchemy.orm import Mapped, mapped_column, relationship

from orchestrator_core.db.base import Base, BigIntPK, JSONType, UtcDateTime, utcnow

if TYPE_CHECKING:
    from orchestrator_core.db.product_tables import ProductTable
    from orchestrator_core.db.subscription_tables import ProcessSubscriptionTable, SubscriptionTable


class WorkflowTable(Base):
    __tablename__ = "workflows"

    workflow_id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True, default=uuid.uuid4)
    name: Mapped[str] = mapped_column(sa.String(255), unique=True)
    target: Mapped[str] = mapped_column(sa.String(32))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    is_task: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)

    products: Mapped[list[ProductTable]] = relationship(
        secondary="products_workflows", back_populates="workflows", passive_deletes=True
    )
    processes: Mapped[list[ProcessTable]] = relationship(viewonly=True, order_by="ProcessTable.started_at")

    @staticmethod
    def select() -> sa.Select[WorkflowTable]:
        """Workflows that are not deleted."""
        return sa.select(WorkflowTable).where(WorkflowTable.deleted_at.is_(None))

    def delete(self) -> WorkflowTable:
        """Mark deleted (kept for the processes that ran it)."""
        self.deleted_at = utcnow()
        return self


class ProcessTable(Base):
    __tablename__ = "processes"
    __table_args__ = (
        sa.Index("ix_processes_status_started", "last_status", "started_at"),
        sa.Index("ix_processes_flow_run_id", "flow_run_id"),
    )

    process_id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True, default=uuid.uuid4)
    workflow_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("workflows.workflow_id"), index=True)
    assignee: Mapped[str] = mapped_column(sa.String(50), default="SYSTEM")
    last_status: Mapped[str] = mapped_column(sa.String(50))
    last_step: Mapped[str | None] = mapped_column(sa.String(255), nullable=True)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    last_modified_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    failed_reason: Mapped[str | None] = mapped_column(sa.Text, nullable=True)
    traceback: Mapped[str | None] = mapped_column(sa.Text, nullable=True)
    created_by: Mapped[str | None] = mapped_column(sa.String(255), nullable=True)
    is_task: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    flow_run_id: Mapped[uuid.UUID | None] = mapped_column(sa.Uuid, nullable=True)
    executor_id: Mapped[str | None] = mapped_column(sa.String(255), nullable=True)
    lease_expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    note: Mapped[str | None] = mapped_column(sa.Text, nullable=True)

    workflow: Mapped[WorkflowTable] = relationship(lazy="joined", innerjoin=True)
    steps: Mapped[list[ProcessStepTable]] = relationship(
        back_populates="process", order_by="ProcessStepTable.step_id", cascade="all, delete-orphan"
    )
    input_states: Mapped[list[InputStateTable]] = relationship(
        order_by="desc(InputStateTable.input_time)", cascade="all, delete-orphan", passive_deletes=True
    )
    process_subscriptions: Mapped[list[ProcessSubscriptionTable]] = relationship(
        back_populates="process", passive_deletes=True
    )
    subscriptions: AssociationProxy[list[SubscriptionTable]] = association_proxy(
        "process_subscriptions", "subscription"
    )

    @property
    def workflow_name(self) -> str:
        return self.workflow.name


class ProcessStepTable(Base):
    __tablename__ = "process_steps"

    step_id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    process_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("processes.process_id", ondelete="CASCADE"))
    step_index: Mapped[int] = mapped_column(sa.Integer)
    name: Mapped[str] = mapped_column(sa.String(255))
    status: Mapped[str] = mapped_column(sa.String(50))
    state: Mapped[dict[str, Any]] = mapped_column(JSONType)
    created_by: Mapped[str | None] = mapped_column(sa.String(255), nullable=True)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    completed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    commit_hash: Mapped[str | None] = mapped_column(sa.String(64), nullable=True)

    process: Mapped[ProcessTable] = relationship(back_populates="steps")

    __table_args__ = (sa.Index("ix_process_steps_process_id_step_id", "process_id", "step_id"),)


class InputStateTable(Base):
    __tablename__ = "input_states"

    input_state_id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True, default=uuid.uuid4)
    process_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("processes.process_id", ondelete="CASCADE"), index=True
    )
    input_state: Mapped[dict[str, Any]] = mapped_column(JSONType)
    input_time: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    input_type: Mapped[str] = mapped_column(sa.String(32))
