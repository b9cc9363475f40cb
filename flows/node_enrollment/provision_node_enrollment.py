"""Provision Node Enrollment: deploy the system service the create workflow left out.

Usable on PROVISIONING and ACTIVE subscriptions (the guide's WF_USABLE_MAP); running it again
on an active node re-deploys the same service, which NSO treats as unchanged.
"""

from __future__ import annotations

from uuid import NAMESPACE_URL, UUID, uuid5

from flows.node_enrollment.clients import nso
from flows.node_enrollment.shared import load_initial_state
from orchestrator_core.types import State, SubscriptionLifecycle
from orchestrator_core.workflow import StepList, step
from orchestrator_core.workflows.utils import modify_workflow
from products.product_types.node_enrollment import NodeEnrollmentProvisioning


def system_service_id(nso_service_id: UUID | str) -> UUID:
    """The system service's id, derived from the enrollment service so terminate can find it."""
    return uuid5(NAMESPACE_URL, f"nso:system-service:{nso_service_id}")


@step("Deploy system service in NSO")
def deploy_system_service(subscription: NodeEnrollmentProvisioning, node_name: str, idempotency_key: str) -> State:
    service_id = system_service_id(subscription.ne.nso_service_id)
    nso().create_service(service_id, node_name, {"kind": "system-service"}, idempotency_key)
    return {"system_service_id": str(service_id)}


@step("Update subscription description")
def update_description(subscription: NodeEnrollmentProvisioning, node_name: str) -> State:
    if subscription.status == SubscriptionLifecycle.PROVISIONING:
        subscription.description = f"Node {node_name} Provisioned"
    return {"subscription": subscription}


@modify_workflow("Provision Node Enrollment")
def provision_node_enrollment() -> StepList:
    return load_initial_state >> deploy_system_service >> update_description
