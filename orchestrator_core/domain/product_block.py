"""`ProductBlockModel`: one block of a subscription (a node, a port, an IP prefix).

Declared as in the reference system:

    class NodeBlockInactive(ProductBlockModel, product_block_name="Node"):
        esdb_node_id: int | None = None

    class NodeBlock(NodeBlockInactive, lifecycle=[SubscriptionLifecycle.ACTIVE]):
        esdb_node_id: int

A block whose `owner_subscription_id` is another subscription's is a reference to that
subscription's block: saving it writes only the relation (which is what `in_use_by` and
`depends_on` read), never the other subscription's values.

As in the reference, a saved block reaches its rows: `block.subscription` (the owner's
`SubscriptionTable` row), `block.in_use_by` and `block.depends_on` (`SubscriptionInstanceTable`
rows of the blocks that hold it and that it holds), read through the current session.
"""

from __future__ import annotations

from typing import Any, ClassVar, Self
from uuid import UUID, uuid4

from pydantic import Field, computed_field

from orchestrator_core.db.database import session
from orchestrator_core.db.subscription_tables import SubscriptionInstanceTable, SubscriptionTable
from orchestrator_core.domain.domain_model import DomainModel
from orchestrator_core.domain.errors import (
    ProductBlockNotFoundError,
    ProductBlockNotRegisteredError,
    WrongProductError,
)
from orchestrator_core.domain.fields import BlockField, field_plan
from orchestrator_core.domain.loading import block_data, fetch_instance_rows
from orchestrator_core.domain.variants import fitting_variant, register_variant
from orchestrator_core.types import SubscriptionLifecycle


class ProductBlockModel(DomainModel):
    __core_fields__: ClassVar[frozenset[str]] = frozenset(
        {"subscription_instance_id", "owner_subscription_id", "label"}
    )
    product_block_name: ClassVar[str | None] = None
    """The name of the product block row this class stores its instances under."""
    registry: ClassVar[dict[str, type[ProductBlockModel]]] = {}
    """Product block name -> the class declared with that `product_block_name`."""

    subscription_instance_id: UUID = Field(default_factory=uuid4)
    owner_subscription_id: UUID | None = None
    """The subscription that owns this block; None until it is saved as part of one."""
    label: str | None = None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def name(self) -> str | None:
        """The product block name, in the JSON a process state carries."""
        return type(self).product_block_name

    @classmethod
    def __pydantic_init_subclass__(
        cls,
        *,
        product_block_name: str | None = None,
        lifecycle: list[SubscriptionLifecycle] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        if product_block_name is not None:
            cls.product_block_name = product_block_name
            cls.__base_type__ = cls
            ProductBlockModel.registry[product_block_name] = cls
            register_variant(cls, None)
        cls._register_lifecycle(lifecycle)

    @property
    def db_model(self) -> SubscriptionInstanceTable | None:
        """This block's instance row; None until the subscription holding it is saved."""
        return session().get(SubscriptionInstanceTable, self.subscription_instance_id)

    @property
    def subscription(self) -> SubscriptionTable | None:
        """The row of the subscription that owns this block; None until it is saved."""
        row = self.db_model
        return row.subscription if row is not None else None

    @property
    def in_use_by(self) -> list[SubscriptionInstanceTable]:
        """The instance rows of the blocks (of this or other subscriptions) that hold this block."""
        row = self.db_model
        return list(row.in_use_by) if row is not None else []

    @property
    def depends_on(self) -> list[SubscriptionInstanceTable]:
        """The instance rows of the blocks this block holds."""
        row = self.db_model
        return list(row.depends_on) if row is not None else []

    @classmethod
    def from_db(
        cls,
        subscription_instance_id: UUID | str | None = None,
        subscription_instance: SubscriptionInstanceTable | None = None,
        status: SubscriptionLifecycle | str | None = None,
    ) -> Self:
        """A saved block with its children, in the class declared for its subscription's status (or `status`).

        Called on `ProductBlockModel` itself, the class is looked up by the instance's product block name.
        """
        row = subscription_instance or _instance_row(subscription_instance_id)
        block_name = row.product_block.name
        base = cls if cls.__base_type__ is not None else ProductBlockModel.registry.get(block_name)
        if base is None:
            raise ProductBlockNotRegisteredError(f"no ProductBlockModel is declared with "
                                                 f"product_block_name='{block_name}'")
        if base.product_block_name != block_name:
            raise WrongProductError(f"instance {row.subscription_instance_id} is a '{block_name}' block, "
                                    f"{cls.__name__} holds '{base.product_block_name}' blocks")
        target = fitting_variant(base, status or row.subscription.status)
        rows = fetch_instance_rows(row.subscription_id, row.subscription_instance_id)
        model: Self = target.model_validate(block_data(target, row.subscription_instance_id, rows))
        return model

    @classmethod
    def new(cls, subscription_id: UUID, **kwargs: Any) -> Self:
        """An empty block for a new subscription: required child blocks are created empty too."""
        if cls.product_block_name is None:
            raise TypeError(f"{cls.__name__} is abstract: declare it with product_block_name=...")
        children = {
            block_field.name: empty_children(block_field, subscription_id)
            for block_field in field_plan(cls).blocks
            if block_field.name not in kwargs
        }
        return cls(owner_subscription_id=subscription_id, **children, **kwargs)


def _instance_row(subscription_instance_id: UUID | str | None) -> SubscriptionInstanceTable:
    if subscription_instance_id is None:
        raise TypeError("from_db() needs a subscription_instance_id or a subscription_instance")
    row = session().get(SubscriptionInstanceTable, UUID(str(subscription_instance_id)))
    if row is None:
        raise ProductBlockNotFoundError(f"no product block instance with id {subscription_instance_id}")
    return row


def empty_children(block_field: BlockField, subscription_id: UUID) -> Any:
    """The initial value of a block field in a new subscription."""
    if block_field.kind == "optional":
        return None
    if block_field.kind == "list":
        return [block_field.block_type.new(subscription_id) for _ in range(block_field.min_items)]
    return block_field.block_type.new(subscription_id)
