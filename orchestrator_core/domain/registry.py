"""`SUBSCRIPTION_MODEL_REGISTRY`: product name -> the SubscriptionModel class of that product.

Loading a subscription through `SubscriptionModel.from_subscription(id)` (no product class at
hand, as the API and the guard do) looks its product's class up here. Product teams fill it in
`products/__init__.py`.
"""

from __future__ import annotations

from inspect import isclass
from typing import TYPE_CHECKING, Any, get_args, get_origin

if TYPE_CHECKING:
    from orchestrator_core.domain.subscription import SubscriptionModel


class SubscriptionModelRegistry(dict[str, type["SubscriptionModel"]]):
    """A dict that refuses anything but SubscriptionModel classes, so a typo fails at import time."""

    def __setitem__(self, product_name: str, model_type: type[SubscriptionModel]) -> None:
        if not is_subscription_model_type(model_type):
            raise TypeError(
                f"SUBSCRIPTION_MODEL_REGISTRY['{product_name}'] must be a SubscriptionModel class"
            )
        super().__setitem__(product_name, model_type)

    def update(self, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        for name, model_type in dict(*args, **kwargs).items():
            self[name] = model_type


SUBSCRIPTION_MODEL_REGISTRY = SubscriptionModelRegistry()


def is_subscription_model_type(annotation: Any) -> bool:
    """True for a SubscriptionModel subclass (also inside Annotated[...]): the engine loads such step args."""
    from orchestrator_core.domain.subscription import SubscriptionModel

    while get_origin(annotation) is not None and get_args(annotation) and hasattr(annotation, "__metadata__"):
        annotation = get_args(annotation)[0]
    return isclass(annotation) and issubclass(annotation, SubscriptionModel)
