"""Modify Node Enrollment: the guide's activation, PROVISIONING -> ACTIVE ("Node ... Production")."""

from __future__ import annotations

from flows.node_enrollment.shared import load_initial_state
from orchestrator_core.domain import change_lifecycle
from orchestrator_core.types import State, SubscriptionLifecycle
from orchestrator_core.workflow import StepList, step
from orchestrator_core.workflows.utils import modify_workflow
from products.product_types.node_enrollment import NodeEnrollmentProvisioning


@step("Activate Subscription")
def update_subscription_and_description(subscription: NodeEnrollmentProvisioning, node_name: str) -> State:
    active = change_lifecycle(subscription, SubscriptionLifecycle.ACTIVE)
    active.description = f"Node {node_name} Production"

    return {"subscription": active}


@modify_workflow("Modify Node Enrollment")
def modify_node_enrollment() -> StepList:
    return load_initial_state >> update_subscription_and_description
