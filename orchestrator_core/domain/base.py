"""The reference system's path for the model classes product teams declare their products with:
`from orchestrator_core.domain.base import SubscriptionModel, ProductBlockModel, ProductModel`.

Each class is defined once, in its own module; this module only gathers them (it imports those
modules, none of them imports this one).
"""

from orchestrator_core.domain.domain_model import DomainModel
from orchestrator_core.domain.product import ProductModel
from orchestrator_core.domain.product_block import ProductBlockModel
from orchestrator_core.domain.registry import SubscriptionModelRegistry
from orchestrator_core.domain.subscription import SubscriptionModel

__all__ = ["DomainModel", "ProductBlockModel", "ProductModel", "SubscriptionModel", "SubscriptionModelRegistry"]
