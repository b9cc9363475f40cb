"""The wrappers on the real Node Enrollment product: create ends in the lifecycle it asks for,
terminate's first step sees the whole State and the subscription ends TERMINATED and in sync."""

from __future__ import annotations

import uuid

import pytest

import products  # noqa: F401  (registers the Node Enrollment models)
from orchestrator_core.errors import OrchestratorError
from orchestrator_core.services.processes import start_process
from orchestrator_core.targets import Target
from orchestrator_core.testing import assert_complete, extract_state, run_workflow
from orchestrator_core.types import State, SubscriptionLifecycle, UUIDstr
from orchestrator_core.workflow import step
from orchestrator_core.workflows.steps import store_process_subscription
from orchestrator_core.workflows.utils import create_workflow, terminate_workflow
from products.product_types.node_enrollment import NodeEnrollmentInactive
from tests.guard import factories

NODE_ENROLLMENT = uuid.UUID("5b3b6e5e-8f3c-4c5e-9d0a-2f6c1b7d9e01")


@step("Construct Node Enrollment model")
def construct(product: UUIDstr, customer_id: str = "guard-customer") -> State:
    subscription = NodeEnrollmentInactive.from_product_id(product_id=product, customer_id=customer_id,
                                                          status=SubscriptionLifecycle.INITIAL)
    subscription.ne.esdb_node_id = 7
    subscription.ne.uuid = "node-7"
    subscription.ne.nso_service_id = uuid.uuid4()
    subscription.ne.routing_domain = "esnet-293"
    return {"subscription": subscription, "subscription_id": subscription.subscription_id}


@create_workflow("Create a guard test node", status=SubscriptionLifecycle.PROVISIONING)
def guard_create_node():
    return construct >> store_process_subscription(Target.CREATE)


@step("Load relevant subscription information")
def load_subscription_info(state: State) -> State:
    return {"esdb_node_id_seen": state["subscription"]["ne"]["esdb_node_id"]}


@terminate_workflow("Terminate a guard test node")
def guard_terminate_node():
    return load_subscription_info


@pytest.fixture(scope="module", autouse=True)
def registered():
    factories.register(guard_create_node, NODE_ENROLLMENT)
    factories.register(guard_terminate_node, NODE_ENROLLMENT)


def test_create_then_terminate():
    created = run_workflow("guard_create_node", [{"product": str(NODE_ENROLLMENT)}])
    assert_complete(created)
    sid = uuid.UUID(str(extract_state(created)["subscription_id"]))
    assert factories.subscription_state(sid)[:2] == ("provisioning", True)
    assert created.step_names() == [
        "Start", "Construct Node Enrollment model", "Create Process Subscription relation",
        "Set subscription to 'provisioning'", "Unlock subscription", "Done"]

    terminated = run_workflow("guard_terminate_node", [{"subscription_id": str(sid)}])
    assert_complete(terminated)
    assert extract_state(terminated)["esdb_node_id_seen"] == 7
    assert factories.subscription_state(sid)[:2] == ("terminated", True)
    assert extract_state(terminated)["subscription"]["end_date"] is not None


def test_create_refuses_a_product_it_is_not_registered_for():
    other = factories.product()
    with pytest.raises(OrchestratorError) as refused:
        start_process("guard_create_node", [{"product": str(other)}])
    assert refused.value.code == "workflow.not_linked_to_product"
