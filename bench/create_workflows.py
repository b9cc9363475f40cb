"""The CREATE of issue 16's shape, as a workflow author writes it, for bench/create.py.

initial form (product, node id, node name) >> construct the subscription >>
store_process_subscription >> N trivial steps >> set active >> unlock >> done:
16 step rows with 10 trivial steps, 6 with none. A module of its own, so that the served
worker imports it (ORCHESTRATOR_WORKFLOW_MODULES) without running the benchmark.
"""

from __future__ import annotations

from uuid import uuid4

from orchestrator_core.forms import FormPage
from orchestrator_core.targets import Target
from orchestrator_core.types import FormGenerator, State, SubscriptionLifecycle, UUIDstr
from orchestrator_core.workflow import StepList, begin, step
from orchestrator_core.workflows.steps import store_process_subscription
from orchestrator_core.workflows.utils import create_workflow
from products.product_types.node_enrollment import NodeEnrollmentInactive

TRIVIAL_STEPS = 10
WORKFLOW_10, WORKFLOW_0 = "bench_create_10", "bench_create_0"


def node_form() -> FormGenerator:
    class NodeForm(FormPage):
        node_id: int
        node_name: str

    page = yield NodeForm
    return {"node_id": page.node_id, "node_name": page.node_name}


@step("Construct subscription")
def construct_subscription(product: UUIDstr, node_id: int, node_name: str) -> State:
    subscription = NodeEnrollmentInactive.from_product_id(product_id=product, customer_id="bench",
                                                          status=SubscriptionLifecycle.INITIAL)
    subscription.ne.esdb_node_id, subscription.ne.node_name = node_id, node_name
    subscription.ne.uuid, subscription.ne.nso_service_id = str(uuid4()), uuid4()
    subscription.ne.routing_domain = "bench"
    subscription.description = f"Node {node_name}"
    return {"subscription": subscription, "subscription_id": subscription.subscription_id}


def _trivial(i: int):
    @step(f"Trivial step {i}")
    def trivial() -> State:
        return {f"trivial_{i}": i}

    return trivial


TRIVIAL = [_trivial(i) for i in range(TRIVIAL_STEPS)]


@create_workflow("Bench CREATE, 10 trivial steps", initial_input_form=node_form)
def bench_create_10() -> StepList:
    steps = begin >> construct_subscription >> store_process_subscription(Target.CREATE)
    for trivial in TRIVIAL:
        steps = steps >> trivial
    return steps


@create_workflow("Bench CREATE, no trivial steps", initial_input_form=node_form)
def bench_create_0() -> StepList:
    return begin >> construct_subscription >> store_process_subscription(Target.CREATE)
