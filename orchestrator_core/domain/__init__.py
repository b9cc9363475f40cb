"""The domain model: products, product blocks and subscriptions that workflow steps load, change and save."""

from orchestrator_core.domain.base import DomainModel, ProductBlockModel, ProductModel, SubscriptionModel
from orchestrator_core.domain.errors import (
    BlockInUseError,
    DomainModelError,
    ProductBlockNotFoundError,
    ProductBlockNotRegisteredError,
    ProductNotFoundError,
    SubscriptionNotFoundError,
    UnsafeLifecycleChangeError,
    WrongLifecycleError,
    WrongProductError,
)
from orchestrator_core.domain.lifecycle import change_lifecycle
from orchestrator_core.domain.registry import (
    SUBSCRIPTION_MODEL_REGISTRY,
    SubscriptionModelRegistry,
    is_subscription_model_type,
)
from orchestrator_core.types import SubscriptionLifecycle

__all__ = [
    "SUBSCRIPTION_MODEL_REGISTRY",
    "BlockInUseError",
    "DomainModel",
    "DomainModelError",
    "ProductBlockModel",
    "ProductBlockNotFoundError",
    "ProductBlockNotRegisteredError",
    "ProductModel",
    "ProductNotFoundError",
    "SubscriptionLifecycle",
    "SubscriptionModel",
    "SubscriptionModelRegistry",
    "SubscriptionNotFoundError",
    "UnsafeLifecycleChangeError",
    "WrongLifecycleError",
    "WrongProductError",
    "change_lifecycle",
    "is_subscription_model_type",
]
