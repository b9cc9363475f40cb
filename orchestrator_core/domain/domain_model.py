"""`DomainModel`: what every product block and subscription model shares: pydantic config, declaration
keywords, lifecycle variants.

Assignments are validated (`subscription.ne.esdb_node_id = "x"` fails at once, naming the
field) and unknown keys are ignored, so that a subscription dict from a process state (which
carries computed keys such as a block's `name`) loads back with `model_validate`.
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict

from orchestrator_core.domain.fields import field_plan
from orchestrator_core.domain.variants import register_variant, variant_for_status
from orchestrator_core.types import SubscriptionLifecycle


class DomainModel(BaseModel):
    model_config = ConfigDict(validate_assignment=True, validate_default=True, extra="ignore")

    __base_type__: ClassVar[type[DomainModel] | None] = None
    """The class that was declared with `is_base=True` / `product_block_name=...`."""

    __core_fields__: ClassVar[frozenset[str]] = frozenset()
    """Fields every model of this kind has; they are not resource types or child blocks."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        # Our declaration keywords reach here from the metaclass; pydantic takes them in
        # __pydantic_init_subclass__, once the fields exist.
        super().__init_subclass__()

    @classmethod
    def _register_lifecycle(cls, lifecycle: list[SubscriptionLifecycle] | None) -> None:
        if lifecycle:
            register_variant(cls, lifecycle)
            cls._check_block_fields_fit(lifecycle)

    @classmethod
    def _check_block_fields_fit(cls, lifecycle: list[SubscriptionLifecycle]) -> None:
        """Refuse e.g. an ACTIVE subscription class whose block field has the INITIAL block class."""
        if not cls.__pydantic_complete__:
            return
        for block_field in field_plan(cls).blocks:
            for status in lifecycle:
                expected = variant_for_status(block_field.block_type, status)
                if not issubclass(block_field.block_type, expected):
                    raise TypeError(
                        f"{cls.__name__}.{block_field.name}: {block_field.block_type.__name__} does not fit "
                        f"lifecycle '{status}', use {expected.__name__}"
                    )
