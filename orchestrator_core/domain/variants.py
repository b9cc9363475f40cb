"""Which class holds a domain model in which lifecycle status.

Product teams declare one base class (`is_base=True` or `product_block_name=...`) and stricter
subclasses per lifecycle (`lifecycle=[SubscriptionLifecycle.ACTIVE]`). This registry maps
(base class, status) to the declared variant, falling back to the base class.
"""

from __future__ import annotations

from typing import Any

from orchestrator_core.domain.errors import WrongLifecycleError
from orchestrator_core.types import SubscriptionLifecycle

_variants: dict[tuple[type, SubscriptionLifecycle | None], type] = {}


def register_variant(cls: type[Any], lifecycle: list[SubscriptionLifecycle] | None) -> None:
    base = cls.__base_type__
    if base is None:
        raise TypeError(
            f"{cls.__name__} declares a lifecycle but has no base class (is_base / product_block_name)"
        )
    statuses: list[SubscriptionLifecycle | None] = list(lifecycle) if lifecycle else [None]
    for status in statuses:
        _variants[(base, None if status is None else SubscriptionLifecycle(status))] = cls


def variant_for_status(cls: type[Any], status: SubscriptionLifecycle | str) -> type[Any]:
    """The class declared for `status` in the family of `cls` (its base class if none is)."""
    base = cls.__base_type__
    if base is None:
        return cls
    status = SubscriptionLifecycle(status)
    return _variants.get((base, status)) or _variants.get((base, None)) or base


def fitting_variant(cls: type[Any], status: SubscriptionLifecycle | str) -> type[Any]:
    """The class to load a subscription in `status` with, when the caller asked for `cls`.

    A more specific variant wins (asked for the base, get the ACTIVE class); a stricter class the
    caller asked for is kept (asked for the ACTIVE class on a PROVISIONING subscription, as a step
    that is about to activate it does); an unrelated class is refused.
    """
    target = variant_for_status(cls, status)
    if issubclass(target, cls):
        return target
    if issubclass(cls, target):
        return cls
    raise WrongLifecycleError(
        f"{cls.__name__} cannot hold a subscription in lifecycle '{SubscriptionLifecycle(status)}'; "
        f"use {target.__name__}"
    )
