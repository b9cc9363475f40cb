"""Our products: importing this package registers their subscription models by product name."""

from orchestrator_core.domain import SUBSCRIPTION_MODEL_REGISTRY
from products.product_types.node_enrollment import NodeEnrollment

SUBSCRIPTION_MODEL_REGISTRY.update({"Node Enrollment": NodeEnrollment})

__all__ = ["NodeEnrollment"]
