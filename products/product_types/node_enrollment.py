"""The Node Enrollment product type of the workflow guide, one class per lifecycle."""

from __future__ import annotations

from orchestrator_core.domain import SubscriptionLifecycle, SubscriptionModel
from products.product_blocks.node_enrollment import (
    NodeEnrollmentBlock,
    NodeEnrollmentBlockInactive,
    NodeEnrollmentBlockProvisioning,
)


class NodeEnrollmentInactive(SubscriptionModel, is_base=True):
    ne: NodeEnrollmentBlockInactive


class NodeEnrollmentProvisioning(NodeEnrollmentInactive, lifecycle=[SubscriptionLifecycle.PROVISIONING]):
    ne: NodeEnrollmentBlockProvisioning


class NodeEnrollment(NodeEnrollmentProvisioning, lifecycle=[SubscriptionLifecycle.ACTIVE]):
    ne: NodeEnrollmentBlock
