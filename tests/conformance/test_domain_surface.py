"""The reference's domain surface at its paths, on products declared as the reference's applications do.

A "Conformance Node" product and a "Conformance Port" product whose port block holds the node
subscription's node block (so the node block is in use by the port), registered with
`helpers.create` as an application's migration would, and created by `create_workflow`s run with
`orchestrator_core.testing`. Every read here is outside a transaction, as in the reference's tests.
"""

from __future__ import annotations

import uuid
from typing import Annotated

import pytest
from annotated_types import Len
from pydantic import ConfigDict
from pydantic_forms.types import SummaryData as FormsSummaryData

import orchestrator_core.domain as domain
from orchestrator_core.db import (
    NoTransactionError,
    ProductTable,
    SubscriptionInstanceTable,
    SubscriptionTable,
    get_engine,
)
from orchestrator_core.domain import SUBSCRIPTION_MODEL_REGISTRY
from orchestrator_core.domain.base import ProductBlockModel, ProductModel, SubscriptionModel
from orchestrator_core.forms import FormPage
from orchestrator_core.migrations import helpers
from orchestrator_core.services import subscriptions
from orchestrator_core.services.products import (
    get_product_by_id,
    get_product_by_name,
    get_products,
    get_tags,
    get_types,
)
from orchestrator_core.testing import assert_complete, extract_state, run_workflow
from orchestrator_core.types import (
    SI,
    FormGenerator,
    State,
    SubscriptionLifecycle,
    SummaryData,
    UUIDstr,
    is_list_type,
    is_optional_type,
)
from orchestrator_core.workflow import StepList, begin, step
from orchestrator_core.workflows.steps import store_process_subscription
from orchestrator_core.workflows.utils import create_workflow

PROVISIONING, ACTIVE = SubscriptionLifecycle.PROVISIONING, SubscriptionLifecycle.ACTIVE


# Product blocks and product types, declared as in the reference's example application.


class NodeBlockInactive(ProductBlockModel, product_block_name="Conformance Node"):
    node_name: str | None = None
    ims_id: int | None = None


class NodeBlockProvisioning(NodeBlockInactive, lifecycle=[PROVISIONING]):
    node_name: str
    ims_id: int | None = None


class NodeBlock(NodeBlockProvisioning, lifecycle=[ACTIVE]):
    ims_id: int


class PortBlockInactive(ProductBlockModel, product_block_name="Conformance Port"):
    port_name: str | None = None
    node: NodeBlockInactive


class PortBlockProvisioning(PortBlockInactive, lifecycle=[PROVISIONING]):
    port_name: str
    node: NodeBlockProvisioning


class PortBlock(PortBlockProvisioning, lifecycle=[ACTIVE]):
    node: NodeBlock


ListOfPorts = Annotated[list[SI], Len(min_length=2, max_length=2)]


class TrunkBlockInactive(ProductBlockModel, product_block_name="Conformance Trunk"):
    ports: ListOfPorts[PortBlockInactive]


class ConformanceNodeInactive(SubscriptionModel, is_base=True):
    node_type: str | None = None
    node: NodeBlockInactive


class ConformanceNodeProvisioning(ConformanceNodeInactive, lifecycle=[PROVISIONING]):
    node_type: str
    node: NodeBlockProvisioning


class ConformanceNode(ConformanceNodeProvisioning, lifecycle=[ACTIVE]):
    node: NodeBlock


class ConformancePortInactive(SubscriptionModel, is_base=True):
    speed: int | None = None
    port: PortBlockInactive


class ConformancePortProvisioning(ConformancePortInactive, lifecycle=[PROVISIONING]):
    speed: int
    port: PortBlockProvisioning


class ConformancePort(ConformancePortProvisioning, lifecycle=[ACTIVE]):
    port: PortBlock


SUBSCRIPTION_MODEL_REGISTRY.update({"Conformance Node": ConformanceNode, "Conformance Port 10G": ConformancePort})

CATALOGUE = {
    "product_blocks": {
        "Conformance Node": {"description": "a node", "tag": "CNODE", "status": "active",
                             "resources": {"node_name": "name of the node", "ims_id": "id in the inventory"}},
        "Conformance Port": {"description": "a port", "tag": "CPORT", "status": "active",
                             "resources": {"port_name": "name of the port"},
                             "depends_on_block_relations": ["Conformance Node"]},
    },
    "products": {
        "Conformance Node": {"product_type": "ConformanceNode", "description": "Conformance node", "tag": "CNODE",
                             "status": "active", "product_blocks": ["Conformance Node"],
                             "fixed_inputs": {"node_type": "router"}},
        "Conformance Port 10G": {"product_type": "ConformancePort", "description": "Conformance port",
                                 "tag": "CPORT", "status": "active", "product_blocks": ["Conformance Port"],
                                 "fixed_inputs": {"speed": "10000"}},
    },
    "workflows": {
        "create_conformance_node": {"target": "CREATE", "description": "Create conformance node", "tag": "CNODE"},
        "create_conformance_port": {"target": "CREATE", "description": "Create conformance port", "tag": "CPORT"},
    },
}


# Workflows, as an application writes them.


def node_form(product_name: str) -> FormGenerator:
    class CreateNodeForm(FormPage):
        model_config = ConfigDict(title=product_name)

        customer_id: str
        node_name: str

    user_input = yield CreateNodeForm
    return user_input.model_dump()


@step("Construct Node model")
def construct_node_model(product: UUIDstr, customer_id: str, node_name: str) -> State:
    node_type = get_product_by_id(product).fixed_input_value("node_type")  # type: ignore[union-attr]
    subscription = ConformanceNodeInactive.from_product_id(product, customer_id, SubscriptionLifecycle.INITIAL)
    subscription.node.node_name = node_name
    subscription.node.ims_id = 42
    subscription.description = f"{node_type} {node_name}"
    subscription = ConformanceNodeProvisioning.from_other_lifecycle(subscription, PROVISIONING)
    return {"subscription": subscription, "subscription_id": subscription.subscription_id}


@create_workflow("Create conformance node", initial_input_form=node_form, status=ACTIVE)
def create_conformance_node() -> StepList:
    return begin >> construct_node_model >> store_process_subscription()


def port_form(product_name: str) -> FormGenerator:
    class CreatePortForm(FormPage):
        model_config = ConfigDict(title=product_name)

        customer_id: str
        node_subscription_id: uuid.UUID
        port_name: str

    user_input = yield CreatePortForm
    return user_input.model_dump()


@step("Construct Port model")
def construct_port_model(product: UUIDstr, customer_id: str, node_subscription_id: UUIDstr, port_name: str) -> State:
    subscription = ConformancePortInactive.from_product_id(product, customer_id, SubscriptionLifecycle.INITIAL)
    subscription.port.port_name = port_name
    subscription.port.node = ConformanceNode.from_subscription(node_subscription_id).node
    subscription.description = f"port {port_name}"
    subscription = ConformancePortProvisioning.from_other_lifecycle(subscription, PROVISIONING)
    return {"subscription": subscription, "subscription_id": subscription.subscription_id}


@step("Note the node's subscription")
def note_node_subscription(subscription: ConformancePortProvisioning) -> State:
    """Inside a step (a transaction): the referenced block's `.subscription` is its owner's row."""
    owner = subscription.port.node.subscription
    return {"node_owner_description": owner.description if owner else None}


@create_workflow("Create conformance port", initial_input_form=port_form, status=ACTIVE)
def create_conformance_port() -> StepList:
    return begin >> construct_port_model >> store_process_subscription() >> note_node_subscription


@pytest.fixture(scope="module", autouse=True)
def conformance_products(orchestrator_database: str) -> None:
    """Registered as an application's data migration registers them (idempotent)."""
    with get_engine().begin() as conn:
        helpers.create(conn, CATALOGUE)


def product_id(name: str) -> str:
    with get_engine().connect() as conn:
        return str(helpers.get_product_id_by_name(conn, name))


def create_node(name: str) -> str:
    result = run_workflow("create_conformance_node", [{"product": product_id("Conformance Node")},
                                                      {"customer_id": "customer-1", "node_name": name}])
    assert_complete(result)
    return str(extract_state(result)["subscription_id"])


def create_port(node_id: str, name: str) -> tuple[str, State]:
    result = run_workflow("create_conformance_port", [
        {"product": product_id("Conformance Port 10G")},
        {"customer_id": "customer-1", "node_subscription_id": node_id, "port_name": name}])
    assert_complete(result)
    state = extract_state(result)
    return str(state["subscription_id"]), state


@pytest.fixture(scope="module")
def node_and_port(conformance_products: None) -> tuple[str, str, State]:
    node_id = create_node(f"node-{uuid.uuid4().hex[:6]}")
    port_id, state = create_port(node_id, "eth0")
    return node_id, port_id, state


def test_domain_base_is_the_reference_path_of_the_model_classes():
    assert domain.SubscriptionModel is SubscriptionModel
    assert domain.ProductBlockModel is ProductBlockModel
    assert domain.ProductModel is ProductModel
    assert SUBSCRIPTION_MODEL_REGISTRY["Conformance Node"] is ConformanceNode
    assert {"change_lifecycle", "SUBSCRIPTION_MODEL_REGISTRY", "DomainModel"} <= set(domain.__all__)


def test_si_declares_a_reusable_list_of_blocks():
    trunk = TrunkBlockInactive.new(uuid.uuid4())
    assert [type(port) for port in trunk.ports] == [PortBlockInactive, PortBlockInactive]
    assert is_list_type(TrunkBlockInactive.model_fields["ports"].annotation, PortBlockInactive)
    assert is_optional_type(NodeBlockInactive.model_fields["ims_id"].annotation, int)
    assert not is_list_type(PortBlockInactive.model_fields["node"].annotation)
    assert SummaryData is FormsSummaryData


def test_a_created_subscription_loads_outside_a_transaction(node_and_port):
    node_id, _port_id, _state = node_and_port
    node = ConformanceNode.from_subscription(node_id)
    assert isinstance(node, ConformanceNode)
    assert node.status == ACTIVE
    assert node.node_type == "router"
    assert node.description == f"router {node.node.node_name}"
    assert SubscriptionModel.from_subscription(node_id).subscription_id == node.subscription_id


def test_a_block_held_by_another_subscription_is_in_use_by_its_instance(node_and_port):
    node_id, port_id, _state = node_and_port
    node = ConformanceNode.from_subscription(node_id)

    users = node.node.in_use_by
    assert [type(row) for row in users] == [SubscriptionInstanceTable]
    assert users[0].subscription_id == uuid.UUID(port_id)
    assert users[0].product_block.name == "Conformance Port"
    assert users[0].subscription.status == ACTIVE
    assert node.node.depends_on == []

    port = ConformancePort.from_subscription(port_id)
    assert [row.subscription_instance_id for row in port.port.depends_on] == [node.node.subscription_instance_id]
    assert port.port.in_use_by == []


def test_a_block_subscription_is_its_owners_row(node_and_port):
    node_id, port_id, state = node_and_port
    port = ConformancePort.from_subscription(port_id)
    assert isinstance(port.port.subscription, SubscriptionTable)
    assert port.port.subscription.subscription_id == uuid.UUID(port_id)
    assert port.port.subscription.product.name == "Conformance Port 10G"
    assert port.port.node.subscription.subscription_id == uuid.UUID(node_id)  # referenced: the owner's row
    assert state["node_owner_description"] == port.port.node.subscription.description


def test_an_unsaved_block_has_no_rows_yet():
    block = NodeBlockInactive.new(uuid.uuid4())
    assert block.subscription is None
    assert block.in_use_by == []
    assert block.depends_on == []


def test_from_db_loads_a_block_from_an_instance_in_use(node_and_port):
    """The example's pattern: `SAPBlock.from_db(si.subscription_instance_id) for si in port.in_use_by`."""
    node_id, _port_id, _state = node_and_port
    node = ConformanceNode.from_subscription(node_id)
    (user,) = node.node.in_use_by
    port_block = ProductBlockModel.from_db(user.subscription_instance_id)
    assert isinstance(port_block, PortBlock)
    assert port_block.port_name == "eth0"
    assert port_block.node.node_name == node.node.node_name
    again = PortBlockInactive.from_db(subscription_instance=user)
    assert again.subscription_instance_id == user.subscription_instance_id


def test_save_outside_a_transaction_is_refused_and_writes_nothing(node_and_port):
    node_id, _port_id, _state = node_and_port
    node = ConformanceNode.from_subscription(node_id)
    node.description = "changed outside a transaction"
    with pytest.raises(NoTransactionError, match=r"ConformanceNode.save\(\) outside a transaction"):
        node.save()
    assert ConformanceNode.from_subscription(node_id).description != "changed outside a transaction"


def test_services_products_read_the_catalogue():
    node_product = get_product_by_name("Conformance Node")
    found = get_product_by_id(node_product.product_id)
    assert found is not None and found.fixed_input_value("node_type") == "router"
    assert get_product_by_id(str(node_product.product_id), join_fixed_inputs=False).name == "Conformance Node"
    assert get_product_by_id(uuid.uuid4()) is None
    with pytest.raises(ValueError, match="not a product id"):
        get_product_by_id("not-a-uuid")
    assert [p.name for p in get_products(filters=[ProductTable.tag == "CPORT"])] == ["Conformance Port 10G"]
    assert {"ConformanceNode", "ConformancePort"} <= set(get_types())
    assert {"CNODE", "CPORT"} <= set(get_tags())


def test_services_subscriptions_read_functions(node_and_port):
    node_id, port_id, _state = node_and_port
    row = subscriptions.get_subscription(node_id, model=SubscriptionTable)
    assert row.product.tag == "CNODE"
    with pytest.raises(ValueError, match="does not exist"):
        subscriptions.get_subscription(uuid.uuid4())
    with pytest.raises(ValueError, match="Invalid subscription id"):
        subscriptions.get_subscription("nope")

    users = subscriptions.query_in_use_by_subscriptions(uuid.UUID(node_id))
    assert [s.subscription_id for s in users.all()] == [uuid.UUID(port_id)]
    assert users.filter(SubscriptionTable.status == "terminated").all() == []
    assert [s.subscription_id for s in subscriptions.query_depends_on_subscriptions(port_id).all()] == [
        uuid.UUID(node_id)]

    assert subscriptions.find_values_for_resource_types(port_id, ["port_name"]) == {"port_name": ["eth0"]}
    with pytest.raises(ValueError, match="ims_id"):
        subscriptions.find_values_for_resource_types(port_id, ["port_name", "ims_id"])
    assert subscriptions.find_values_for_resource_types(port_id, ["ims_id"], strict=False) == {}

    node = ConformanceNode.from_subscription(node_id)
    found = subscriptions.retrieve_subscription_by_subscription_instance_value("node_name", node.node.node_name)
    assert found is not None and found.subscription_id == uuid.UUID(node_id)
