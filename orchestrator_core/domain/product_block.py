"""`ProductBlockModel`: one block of a subscription (a node, a port, an IP prefix).

Declared as in the reference system:

    class NodeBlockInactive(ProductBlockModel, product_block_name="Node"):
        esdb_node_id: int | None = None

    class NodeBlock(NodeBlockInactive, lifecycle=[SubscriptionLifecycle.ACTIVE]):
        esdb_node_id: int

A block whose `owner_subscription_id` is another subscription's is a reference to that
subscription's block: saving it writes only the relation (which is what `in_use_by` and
`depends_on` read), never the other subscription's values.
"""

from __future__ import annotations

from typing import Any, ClassVar, Self
from uuid import UUID, uuid4

from pydantic import Field, computed_field

from orchestrator_core.domain.domain_model import DomainModel
from orchestrator_core.domain.fields import BlockField, field_plan
from orchestrator_core.domain.variants import register_variant
from orchestrator_core.types import SubscriptionLifecycle


class ProductBlockModel(DomainModel):
    __core_fields__: ClassVar[frozenset[str]] = frozenset(
        {"subscription_instance_id", "owner_subscription_id", "label"}
    )
    product_block_name: ClassVar[str | None] = None
    """The name of the product block row this class stores its instances under."""

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
            register_variant(cls, None)
        cls._register_lifecycle(lifecycle)

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


def empty_children(block_field: BlockField, subscription_id: UUID) -> Any:
    """The initial value of a block field in a new subscription."""
    if block_field.kind == "optional":
        return None
    if block_field.kind == "list":
        return [block_field.block_type.new(subscription_id) for _ in range(block_field.min_items)]
    return block_field.block_type.new(subscription_id)
