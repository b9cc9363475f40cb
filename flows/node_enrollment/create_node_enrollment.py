"""Create Node Enrollment: the guide's CREATE workflow, ending in PROVISIONING.

The form offers the nodes of the ESDB inventory; the model is built INITIAL, stored, then each
provisioning step does one discrete thing, so a failed one is retried alone.
"""

from __future__ import annotations

from typing import Any
from uuid import uuid4

from pydantic import AnyHttpUrl, ConfigDict

from flows.node_enrollment.clients import get_detailed_node, get_nodes, nso
from flows.node_enrollment.shared import map_role
from orchestrator_core.domain import change_lifecycle
from orchestrator_core.forms import FormPage
from orchestrator_core.forms.validators import CustomerId, Divider, Label, choice_of
from orchestrator_core.targets import Target
from orchestrator_core.types import FormGenerator, State, SubscriptionLifecycle, UUIDstr
from orchestrator_core.workflow import StepList, begin, step
from orchestrator_core.workflows.steps import store_process_subscription
from orchestrator_core.workflows.utils import create_workflow
from products.product_blocks.node_enrollment import NodeRole
from products.product_types.node_enrollment import NodeEnrollmentInactive, NodeEnrollmentProvisioning


def initial_input_form_generator(product_name: str) -> FormGenerator:
    """Choose the node from the inventory; the ESDB id and uuid are looked up, not typed in."""
    nodes = {node["name"]: node for node in get_nodes()}
    NodeChoice = choice_of("NodeChoice", [(name, f"{name} (ESDB {node['id']})") for name, node in nodes.items()])
    RoleChoice = choice_of("RoleChoice", [(role.value, role.value) for role in NodeRole])

    class CreateNodeEnrollmentForm(FormPage):
        model_config = ConfigDict(title=product_name)

        customer_id: CustomerId
        label_node: Label = "Node from the ESDB inventory"
        select_node: NodeChoice  # type: ignore[valid-type]
        role_id: RoleChoice  # type: ignore[valid-type]
        divider: Divider = None
        url: AnyHttpUrl

    user_input = yield CreateNodeEnrollmentForm
    node = get_detailed_node(nodes[str(user_input.select_node.value)]["id"])
    return {
        "customer_id": user_input.customer_id,
        "select_node": node["name"],
        "esdb_node_id": node["id"],
        "uuid": node["uuid"],
        "role_id": str(user_input.role_id.value),
        "url": str(user_input.url),
    }


@step("Construct Node Enrollment model")
def construct_node_enrollment_model(
    product: UUIDstr, customer_id: UUIDstr, esdb_node_id: int, select_node: str, url: str, uuid: str, role_id: str
) -> State:
    subscription = NodeEnrollmentInactive.from_product_id(
        product_id=product, customer_id=customer_id, status=SubscriptionLifecycle.INITIAL
    )
    subscription.ne.esdb_node_id = esdb_node_id
    subscription.description = f"Node {select_node} Initial Subscription"
    subscription.ne.uuid = uuid
    subscription.ne.nso_service_id = uuid4()
    subscription.ne.routing_domain = "esnet-293"

    role = map_role(role_id, select_node)
    site_id = select_node.split("-")[0]  # location short name

    return {
        "subscription": subscription,
        "subscription_id": subscription.subscription_id,
        "subscription_description": subscription.description,
        "role": role,
        "site_id": site_id,
    }


@step("Store node details")
def store_node_details(subscription: NodeEnrollmentInactive, select_node: str, url: str, role: str,
                       site_id: str) -> State:
    subscription.ne.node_name = select_node
    subscription.ne.url = url
    subscription.ne.role = NodeRole(role)
    subscription.ne.site_id = site_id
    return {"subscription": subscription}


@step("Create node enrollment service in NSO")
def create_nso_service(subscription: NodeEnrollmentInactive, select_node: str, idempotency_key: str) -> State:
    """Deploy the enrollment service; the idempotency key makes a repeat after a crash harmless."""
    service: dict[str, Any] = {"kind": "node-enrollment", "role": str(subscription.ne.role),
                               "routing-domain": subscription.ne.routing_domain}
    assert subscription.ne.nso_service_id is not None
    nso().create_service(subscription.ne.nso_service_id, select_node, service, idempotency_key)
    return {"nso_service_id": str(subscription.ne.nso_service_id)}


@step("Update subscription name with node info")
def update_subscription_name_and_description(subscription: NodeEnrollmentProvisioning, select_node: str) -> State:
    provisioning = change_lifecycle(subscription, SubscriptionLifecycle.PROVISIONING)
    provisioning.description = f"Node {select_node} Provisioned (without system service)"

    return {"subscription": provisioning}


@create_workflow("Create Node Enrollment Service", initial_input_form=initial_input_form_generator,
                 status=SubscriptionLifecycle.PROVISIONING)
def create_node_enrollment() -> StepList:
    return (
        begin
        >> construct_node_enrollment_model
        >> store_process_subscription(Target.CREATE)
        >> store_node_details
        >> create_nso_service
        >> update_subscription_name_and_description
    )
