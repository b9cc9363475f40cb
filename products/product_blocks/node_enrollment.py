"""The Node Enrollment block of the workflow guide: a router enrolled in ESDB and NSO.

INITIAL: everything may still be empty (the create workflow fills it step by step).
PROVISIONING and ACTIVE: the identifiers the create workflow sets are required.
"""

from __future__ import annotations

from uuid import UUID

from orchestrator_core.domain import ProductBlockModel, SubscriptionLifecycle
from orchestrator_core.types import strEnum


class NodeRole(strEnum):
    """The role a node plays in the network."""

    CORE = "core"
    EDGE = "edge"
    ACCESS = "access"


class NodeEnrollmentBlockInactive(ProductBlockModel, product_block_name="Node Enrollment"):
    esdb_node_id: int | None = None
    node_name: str | None = None
    url: str | None = None
    uuid: str | None = None
    nso_service_id: UUID | None = None
    routing_domain: str | None = None
    role: NodeRole | None = None
    site_id: str | None = None


class NodeEnrollmentBlockProvisioning(
    NodeEnrollmentBlockInactive, lifecycle=[SubscriptionLifecycle.PROVISIONING]
):
    esdb_node_id: int
    uuid: str
    nso_service_id: UUID
    routing_domain: str


class NodeEnrollmentBlock(NodeEnrollmentBlockProvisioning, lifecycle=[SubscriptionLifecycle.ACTIVE]):
    esdb_node_id: int
    uuid: str
    nso_service_id: UUID
    routing_domain: str
