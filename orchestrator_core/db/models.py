"""The table classes at the reference system's path, `orchestrator_core.db.models`.

Each is defined once, in the module of its part of the schema (catalogue, subscriptions, engine);
this module gathers them, with the reference's names for the association tables and column type.
"""

from orchestrator_core.db.base import UtcDateTime
from orchestrator_core.db.process_tables import InputStateTable, ProcessStepTable, ProcessTable, WorkflowTable
from orchestrator_core.db.product_tables import (
    FixedInputTable,
    ProductBlockRelationTable,
    ProductBlockTable,
    ProductTable,
    ResourceTypeTable,
    product_block_resource_types,
    product_product_blocks,
    products_workflows,
)
from orchestrator_core.db.subscription_tables import (
    ProcessSubscriptionTable,
    SubscriptionInstanceRelationTable,
    SubscriptionInstanceTable,
    SubscriptionInstanceValueTable,
    SubscriptionTable,
)

UtcTimestamp = UtcDateTime
product_product_block_association = product_product_blocks
product_block_resource_type_association = product_block_resource_types
product_workflows_association = products_workflows

__all__ = [
    "FixedInputTable",
    "InputStateTable",
    "ProcessStepTable",
    "ProcessSubscriptionTable",
    "ProcessTable",
    "ProductBlockRelationTable",
    "ProductBlockTable",
    "ProductTable",
    "ResourceTypeTable",
    "SubscriptionInstanceRelationTable",
    "SubscriptionInstanceTable",
    "SubscriptionInstanceValueTable",
    "SubscriptionTable",
    "UtcTimestamp",
    "WorkflowTable",
    "product_block_resource_type_association",
    "product_product_block_association",
    "product_workflows_association",
]
