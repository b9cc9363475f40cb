"""Shapes the reference's example application relies on, in products and workflows written here in
its style (scripts/try-example-app runs the application itself):

- its provisioning interaction: a `callback_step` and a confirmation `@inputstep` assigned to SYSTEM,
  together under one `conditional`, driven in tests with `assert_awaiting_callback` and
  `post_callback` (the helper that answers a callback without HTTP), and with the reference's call
  shapes `result, process, step_log = run_workflow(...)` / `result, step_log = resume_workflow(...)`;
- a port block whose `computed_field` reads `in_use_by` (the VLANs of the active services attached
  to it), both when loaded in a test and when a step's state is serialised;
- a create form whose `Choice` has text keys (NetBox ids) feeding `int` step arguments and fields;
- `WorkflowInstanceForTests` for a workflow defined inside a test, as the reference documents it;
- `orchestrator_core.testing` as an entry point: importing it sets Prefect's environment defaults.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from pydantic import ConfigDict, computed_field
from pydantic_forms.validators import Choice

from orchestrator_core.config.assignee import Assignee
from orchestrator_core.db import get_engine
from orchestrator_core.domain import SUBSCRIPTION_MODEL_REGISTRY
from orchestrator_core.domain.base import ProductBlockModel, SubscriptionModel
from orchestrator_core.errors import OrchestratorError
from orchestrator_core.forms import FormPage
from orchestrator_core.migrations import helpers
from orchestrator_core.targets import Target
from orchestrator_core.testing import (
    WorkflowInstanceForTests,
    WorkflowResult,
    assert_awaiting_callback,
    assert_complete,
    assert_failed,
    assert_state,
    assert_state_equal,
    assert_step_name,
    assert_suspended,
    extract_error,
    extract_state,
    post_callback,
    result_of,
    resume_workflow,
    run_workflow,
)
from orchestrator_core.types import FormGenerator, State, SubscriptionLifecycle, UUIDstr
from orchestrator_core.utils.errors import ProcessFailureError
from orchestrator_core.workflow import (
    Step,
    StepList,
    begin,
    callback_step,
    conditional,
    done,
    get_workflow,
    inputstep,
    step,
    workflow,
)
from orchestrator_core.workflows.steps import store_process_subscription
from orchestrator_core.workflows.utils import create_workflow, task, terminate_workflow

REPO = Path(__file__).resolve().parents[2]
PROVISIONING, ACTIVE = SubscriptionLifecycle.PROVISIONING, SubscriptionLifecycle.ACTIVE

# --- The provisioning interaction: callback, then the operator's confirmation, all optional ------


@step("Send playbook")
def send_playbook(callback_route: str, device_name: str) -> State:
    """Where the application posts the playbook and ORCHESTRATOR_URL + callback_route to its proxy."""
    return {"playbook_for": device_name, "answer_to": callback_route}


@step("Evaluate proxy result")
def evaluate_proxy_result(callback_result: dict) -> State:
    if callback_result["return_code"] != 0:
        raise ProcessFailureError(message="Proxy run failed", details=callback_result)
    return {"callback_result": callback_result}


@inputstep("Confirm proxy results", assignee=Assignee("SYSTEM"))
def confirm_proxy_results(state: State) -> FormGenerator:
    if "callback_result" not in state:
        return state

    class ConfirmRunPage(FormPage):
        run_status: str = state["callback_result"]["status"]

    yield ConfirmRunPage
    return state


def proxy_interaction(provisioning_step: Step) -> StepList:
    proxy_enabled = conditional(lambda state: state.get("use_proxy") is True)
    return begin >> proxy_enabled(
        begin
        >> callback_step(name=provisioning_step.name, action_step=provisioning_step,
                         validate_step=evaluate_proxy_result)
        >> confirm_proxy_results
    )


def provision_form() -> FormGenerator:
    class ProvisionForm(FormPage):
        device_name: str
        use_proxy: bool

    user_input = yield ProvisionForm
    return user_input.model_dump()


@step("After provisioning")
def after_provisioning(device_name: str) -> State:
    return {"provisioned": device_name}


@task(initial_input_form=provision_form)
def task_shapes_provision() -> StepList:
    return begin >> proxy_interaction(send_playbook) >> after_provisioning


def awaiting_proxy() -> WorkflowResult:
    result = run_workflow("task_shapes_provision", [{"device_name": "pe1", "use_proxy": True}])
    assert_awaiting_callback(result)
    return result


def test_a_process_awaiting_a_callback_is_answered_with_post_callback_then_confirmed():
    result = awaiting_proxy()
    assert extract_state(result)["answer_to"] == extract_state(result)["callback_route"]

    result = post_callback(result, {"return_code": 0, "status": "successful"})

    assert_suspended(result)
    assert result.process.assignee == Assignee.SYSTEM
    assert result.steps[-1].name == "Confirm proxy results"
    result = resume_workflow(result, {})
    assert_complete(result)
    state = extract_state(result)
    assert state["callback_result"] == {"return_code": 0, "status": "successful"}
    assert state["run_status"] == "successful"
    assert state["provisioned"] == "pe1"


def test_the_reference_call_shapes_of_run_and_resume_unpack_and_resume():
    result, process, step_log = run_workflow("task_shapes_provision", [{"device_name": "pe6", "use_proxy": True}])
    assert_awaiting_callback(result)
    assert step_log[-1].name == "Send playbook - Await callback"

    result = post_callback(process, {"return_code": 0, "status": "successful"})
    assert_suspended(result)
    result, step_log = resume_workflow(process, step_log, {})

    assert_complete(result)
    assert_step_name(step_log, "Done")
    assert_state(result, {"provisioned": "pe6", "use_proxy": True})
    with pytest.raises(AssertionError, match="Expected superset"):
        assert_state(result, {"provisioned": "another"})


def test_assert_state_equal_compares_the_whole_state_but_the_process_keys():
    result = run_workflow("task_shapes_provision", [{"device_name": "pe7", "use_proxy": False}])

    expected = {k: v for k, v in extract_state(result).items() if k not in ("process_id", "workflow_name")}
    assert_state_equal(result, expected)
    with pytest.raises(AssertionError, match="Unexpected state"):
        assert_state_equal(result, {**expected, "provisioned": "pe8"})


def test_a_failed_proxy_result_fails_the_validate_step():
    result = post_callback(awaiting_proxy(), {"return_code": 2, "status": "failed"})

    assert_failed(result)
    assert extract_error(result) == "Proxy run failed"
    assert result.steps[-1].state["details"] == {"return_code": 2, "status": "failed"}


def test_with_the_proxy_off_the_callback_and_the_confirmation_are_skipped():
    result = run_workflow("task_shapes_provision", [{"device_name": "pe2", "use_proxy": False}])

    assert_complete(result)
    assert [s.name for s in result.steps if s.status == "skipped"] == [
        "Send playbook - Create endpoint", "Send playbook", "Send playbook - Await callback",
        "Evaluate proxy result", "Send playbook - Cleanup callback step", "Confirm proxy results"]
    assert extract_state(result)["provisioned"] == "pe2"


def test_post_callback_to_a_process_not_awaiting_one_is_refused_and_changes_nothing():
    done = run_workflow("task_shapes_provision", [{"device_name": "pe3", "use_proxy": False}])
    assert_complete(done)

    with pytest.raises(OrchestratorError) as refused:
        post_callback(done, {"return_code": 0, "status": "successful"})

    assert refused.value.code in ("process.not_resumable", "process.callback_token_invalid")
    after = result_of(done.process_id)
    assert (after.status, after.steps) == (done.status, done.steps)


def test_assert_awaiting_callback_says_what_the_process_is_instead():
    done = run_workflow("task_shapes_provision", [{"device_name": "pe4", "use_proxy": False}])

    with pytest.raises(AssertionError, match="is completed, expected awaiting_callback"):
        assert_awaiting_callback(done)


# --- A port whose computed field reads the services attached to it ------------------------------


class ShapesPortBlockInactive(ProductBlockModel, product_block_name="Shapes Port"):
    port_name: str | None = None
    slot: int | None = None


class ShapesPortBlockProvisioning(ShapesPortBlockInactive, lifecycle=[PROVISIONING]):
    port_name: str
    slot: int

    @computed_field  # type: ignore[prop-decorator]
    @property
    def vlans(self) -> list[int]:
        """The VLANs of the active services attached to this port (read from `in_use_by`)."""
        return sorted(
            AttachmentBlock.from_db(instance.subscription_instance_id).vlan
            for instance in self.in_use_by
            if instance.product_block.tag == "SHAPES_ATT" and instance.subscription.status == ACTIVE
        )


class ShapesPortBlock(ShapesPortBlockProvisioning, lifecycle=[ACTIVE]):
    port_name: str
    slot: int


class AttachmentBlockInactive(ProductBlockModel, product_block_name="Shapes Attachment"):
    port: ShapesPortBlockInactive | None = None
    vlan: int | None = None


class AttachmentBlockProvisioning(AttachmentBlockInactive, lifecycle=[PROVISIONING]):
    port: ShapesPortBlockProvisioning
    vlan: int


class AttachmentBlock(AttachmentBlockProvisioning, lifecycle=[ACTIVE]):
    port: ShapesPortBlock
    vlan: int


class ShapesPortInactive(SubscriptionModel, is_base=True):
    port: ShapesPortBlockInactive


class ShapesPortProvisioning(ShapesPortInactive, lifecycle=[PROVISIONING]):
    port: ShapesPortBlockProvisioning


class ShapesPort(ShapesPortProvisioning, lifecycle=[ACTIVE]):
    port: ShapesPortBlock


class ShapesServiceInactive(SubscriptionModel, is_base=True):
    attachment: AttachmentBlockInactive


class ShapesServiceProvisioning(ShapesServiceInactive, lifecycle=[PROVISIONING]):
    attachment: AttachmentBlockProvisioning


class ShapesService(ShapesServiceProvisioning, lifecycle=[ACTIVE]):
    attachment: AttachmentBlock


SUBSCRIPTION_MODEL_REGISTRY.update({"Shapes Port": ShapesPort, "Shapes Service": ShapesService})

SLOTS = {"11": "slot 11 (left)", "12": "slot 12 (right)"}
"""Text keys, as the application's selectors build them from NetBox ids."""


def slot_selector() -> Choice:
    return Choice("SlotEnum", zip(SLOTS.keys(), SLOTS.items(), strict=True))  # type: ignore[return-value]


def port_form(product_name: str) -> FormGenerator:
    SlotChoice = slot_selector()  # noqa: N806 (a class, as the application names it)

    class CreatePortForm(FormPage):
        model_config = ConfigDict(title=product_name)

        customer_id: str
        port_name: str
        slot: SlotChoice  # type: ignore[valid-type]

    user_input = yield CreatePortForm
    return user_input.model_dump()


@step("Construct port")
def construct_port(product: UUIDstr, customer_id: str, port_name: str, slot: int) -> State:
    subscription = ShapesPortInactive.from_product_id(product, customer_id, SubscriptionLifecycle.INITIAL)
    subscription.port.port_name = port_name
    subscription.port.slot = slot
    subscription = ShapesPortProvisioning.from_other_lifecycle(subscription, PROVISIONING)
    subscription.description = f"port {port_name}"
    return {"subscription": subscription, "subscription_id": subscription.subscription_id}


@create_workflow(initial_input_form=port_form)
def create_shapes_port() -> StepList:
    return begin >> construct_port >> store_process_subscription()


def service_form(product_name: str) -> FormGenerator:
    class CreateServiceForm(FormPage):
        model_config = ConfigDict(title=product_name)

        customer_id: str
        port_subscription_id: UUIDstr
        vlan: int

    user_input = yield CreateServiceForm
    return user_input.model_dump()


@step("Construct service")
def construct_service(product: UUIDstr, customer_id: str, port_subscription_id: UUIDstr, vlan: int) -> State:
    subscription = ShapesServiceInactive.from_product_id(product, customer_id, SubscriptionLifecycle.INITIAL)
    subscription.attachment.port = ShapesPort.from_subscription(port_subscription_id).port
    subscription.attachment.vlan = vlan
    subscription = ShapesServiceProvisioning.from_other_lifecycle(subscription, PROVISIONING)
    subscription.description = f"service on vlan {vlan}"
    return {"subscription": subscription, "subscription_id": subscription.subscription_id}


@create_workflow(initial_input_form=service_form)
def create_shapes_service() -> StepList:
    return begin >> construct_service >> store_process_subscription()


@step("Release the attachment")
def release_attachment(subscription: ShapesService) -> State:
    return {"released_vlan": subscription.attachment.vlan}


@terminate_workflow()
def terminate_shapes_service() -> StepList:
    return begin >> release_attachment


CATALOGUE = {
    "product_blocks": {
        "Shapes Port": {"description": "a port", "tag": "SHAPES_PORT", "status": "active",
                        "resources": {"port_name": "name", "slot": "slot number"}},
        "Shapes Attachment": {"description": "a service's attachment to a port", "tag": "SHAPES_ATT",
                              "status": "active", "resources": {"vlan": "VLAN id"},
                              "depends_on_block_relations": ["Shapes Port"]},
    },
    "products": {
        "Shapes Port": {"product_type": "ShapesPort", "description": "a port", "tag": "SHAPES_PORT",
                        "status": "active", "product_blocks": ["Shapes Port"]},
        "Shapes Service": {"product_type": "ShapesService", "description": "a service", "tag": "SHAPES_SVC",
                           "status": "active", "product_blocks": ["Shapes Attachment"]},
    },
    "workflows": {
        "create_shapes_port": {"target": "CREATE", "description": "Create a shapes port", "tag": "SHAPES_PORT"},
        "create_shapes_service": {"target": "CREATE", "description": "Create a shapes service",
                                  "tag": "SHAPES_SVC"},
        "terminate_shapes_service": {"target": "TERMINATE", "description": "Terminate a shapes service",
                                     "tag": "SHAPES_SVC"},
    },
}


@pytest.fixture(scope="module")
def products(orchestrator_database: str) -> dict[str, str]:
    """Registered as an application's data migration registers them."""
    with get_engine().begin() as conn:
        helpers.create(conn, CATALOGUE)
        return {name: str(helpers.get_product_id_by_name(conn, name)) for name in CATALOGUE["products"]}


def create_port(products: dict[str, str]) -> str:
    result = run_workflow("create_shapes_port", [
        {"product": products["Shapes Port"]},
        {"customer_id": "customer-1", "port_name": f"eth-{uuid.uuid4().hex[:4]}", "slot": "12"}])
    assert_complete(result)
    return str(extract_state(result)["subscription_id"])


def create_service(products: dict[str, str], port_id: str, vlan: int) -> WorkflowResult:
    result = run_workflow("create_shapes_service", [
        {"product": products["Shapes Service"]},
        {"customer_id": "customer-1", "port_subscription_id": port_id, "vlan": vlan}])
    assert_complete(result)
    return result


def test_a_choice_with_text_keys_fills_an_int_field(products):
    port = ShapesPort.from_subscription(create_port(products))

    assert port.port.slot == 12


def test_a_computed_field_reads_the_active_services_attached_to_the_block(products):
    port_id = create_port(products)
    assert ShapesPort.from_subscription(port_id).port.vlans == []

    first = create_service(products, port_id, 100)
    create_service(products, port_id, 200)

    assert ShapesPort.from_subscription(port_id).port.vlans == [100, 200]
    constructed = next(s for s in first.steps if s.name == "Construct service")
    assert constructed.state["subscription"]["attachment"]["port"]["vlans"] == [], "none active yet"
    assert extract_state(first)["subscription"]["attachment"]["port"]["vlans"] == [100], "the state as it ended"

    terminated = run_workflow("terminate_shapes_service",
                              [{"subscription_id": str(extract_state(first)["subscription_id"])}])
    assert_complete(terminated)
    assert ShapesPort.from_subscription(port_id).port.vlans == [200]


# --- A workflow defined inside a test -------------------------------------------------------------


def test_an_ad_hoc_workflow_runs_inside_workflow_instance_for_tests():
    @step("Do work")
    def do_work() -> State:
        return {"result": 42}

    @workflow(target=Target.CREATE)
    def shapes_ad_hoc_wf() -> StepList:
        return begin >> do_work >> done

    name = f"shapes_ad_hoc_{uuid.uuid4().hex[:6]}"
    with WorkflowInstanceForTests(shapes_ad_hoc_wf, name) as row:
        assert (row.name, row.target) == (name, "CREATE")
        result, process, step_log = run_workflow(name, {})
        assert_complete(result)
        assert extract_state(result)["result"] == 42

    assert get_workflow(name) is None
    assert shapes_ad_hoc_wf.name == "shapes_ad_hoc_wf"
    with pytest.raises(OrchestratorError) as unknown:
        run_workflow(name, {})
    assert unknown.value.code == "workflow.unknown"


# --- The testing helpers as an entry point --------------------------------------------------------


def prefect_setting_after_importing_testing(env: dict[str, str]) -> str:
    code = ("import orchestrator_core.testing\n"
            "from prefect.settings import get_current_settings\n"
            "print(get_current_settings().server.ephemeral.startup_timeout_seconds)")
    clean = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    done = subprocess.run([sys.executable, "-c", code], env={**clean, "PYTHONPATH": str(REPO), **env},
                          capture_output=True, text=True, timeout=120, check=True)
    return done.stdout.strip()


def test_importing_the_testing_helpers_gives_prefect_a_patient_embedded_server_start():
    assert prefect_setting_after_importing_testing({}) == "90"


def test_the_environment_wins_over_the_testing_defaults():
    assert prefect_setting_after_importing_testing({"PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "33"}) == "33"
