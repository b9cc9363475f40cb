"""The reference's workflow-authoring surface, used as its applications use it: workflows registered
lazily by name, the create/modify/terminate/validate/reconcile decorators with the forms' injected
state, `ensure_provisioning_status`, `modify_initial_input_form_generator`, `conditional` around an
input step, `ProcessFailureError` and run predicates. Run through `orchestrator_core.testing` on
the real database and Prefect.
"""

from __future__ import annotations

import sys
import uuid

import pytest
import sqlalchemy as sa
from pydantic import ConfigDict

from orchestrator_core.config.assignee import Assignee
from orchestrator_core.db import ProcessTable, get_engine, transaction
from orchestrator_core.db.subscription_tables import SubscriptionTable
from orchestrator_core.domain import SUBSCRIPTION_MODEL_REGISTRY, ProductBlockModel, SubscriptionModel
from orchestrator_core.engine.deployments import deployment_specs
from orchestrator_core.engine.prefect_yaml import prefect_yaml_document
from orchestrator_core.errors import OrchestratorError
from orchestrator_core.forms import FormPage
from orchestrator_core.migrations import helpers
from orchestrator_core.services.processes import start_process
from orchestrator_core.services.self_check import load_workflow_code
from orchestrator_core.targets import Target
from orchestrator_core.testing import (
    assert_complete,
    assert_failed,
    assert_suspended,
    extract_error,
    extract_state,
    resume_workflow,
    run_workflow,
)
from orchestrator_core.types import FormGenerator, State, SubscriptionLifecycle, UUIDstr
from orchestrator_core.utils.errors import ProcessFailureError
from orchestrator_core.workflow import (
    WORKFLOWS,
    InvalidWorkflowError,
    RunPredicateFail,
    Step,
    StepList,
    begin,
    conditional,
    done,
    get_workflow,
    init,
    inputstep,
    step,
)
from orchestrator_core.workflows import ALL_WORKFLOWS, LazyWorkflowInstance
from orchestrator_core.workflows.steps import set_status, store_process_subscription
from orchestrator_core.workflows.utils import (
    create_workflow,
    ensure_provisioning_status,
    modify_initial_input_form_generator,
    modify_workflow,
    reconcile_workflow,
    task,
    terminate_workflow,
    validate_workflow,
)

# --- A product, declared as the reference's applications declare theirs -------------------------


class CircuitBlockInactive(ProductBlockModel, product_block_name="Surface Circuit Block"):
    bandwidth: int | None = None


class CircuitBlockProvisioning(CircuitBlockInactive, lifecycle=[SubscriptionLifecycle.PROVISIONING]):
    bandwidth: int


class CircuitBlock(CircuitBlockProvisioning, lifecycle=[SubscriptionLifecycle.ACTIVE]):
    bandwidth: int


class SurfaceCircuitInactive(SubscriptionModel, is_base=True):
    circuit: CircuitBlockInactive


class SurfaceCircuitProvisioning(SurfaceCircuitInactive, lifecycle=[SubscriptionLifecycle.PROVISIONING]):
    circuit: CircuitBlockProvisioning


class SurfaceCircuit(SurfaceCircuitProvisioning, lifecycle=[SubscriptionLifecycle.ACTIVE]):
    circuit: CircuitBlock


SUBSCRIPTION_MODEL_REGISTRY["Surface Circuit"] = SurfaceCircuit

# --- Its workflows ------------------------------------------------------------------------------


def create_form(product_name: str, product: UUIDstr) -> FormGenerator:
    class CreateCircuitForm(FormPage):
        model_config = ConfigDict(title=product_name)

        customer_id: str
        bandwidth: int

    user_input = yield CreateCircuitForm
    return user_input.model_dump() | {"form_saw": {"product_name": product_name, "product": str(product)}}


@step("Construct Subscription model")
def construct_circuit_model(product: UUIDstr, customer_id: str, bandwidth: int) -> State:
    subscription = SurfaceCircuitInactive.from_product_id(product_id=product, customer_id=customer_id,
                                                          status=SubscriptionLifecycle.INITIAL)
    subscription.circuit.bandwidth = bandwidth
    subscription = SurfaceCircuitProvisioning.from_other_lifecycle(subscription, SubscriptionLifecycle.PROVISIONING)
    return {"subscription": subscription, "subscription_id": subscription.subscription_id}


@create_workflow(initial_input_form=create_form)
def create_surface_circuit() -> StepList:
    return begin >> construct_circuit_model >> store_process_subscription()


def modify_form(subscription_id: UUIDstr, product: UUIDstr) -> FormGenerator:
    subscription = SurfaceCircuit.from_subscription(subscription_id)

    class ModifyCircuitForm(FormPage):
        bandwidth: int = subscription.circuit.bandwidth

    user_input = yield ModifyCircuitForm
    return user_input.model_dump() | {"subscription": subscription, "form_saw_product": str(product)}


@ensure_provisioning_status
@step("Update subscription")
def update_subscription(subscription: SurfaceCircuitProvisioning, bandwidth: int) -> State:
    status_during_update = str(subscription.status)
    subscription.circuit.bandwidth = bandwidth
    return {"subscription": subscription, "status_during_update": status_during_update}


@modify_workflow(initial_input_form=modify_form)
def modify_surface_circuit() -> StepList:
    return begin >> update_subscription


@step("Sync ports")
def sync_ports(subscription: SurfaceCircuitProvisioning) -> State:
    return {"synced_while": str(subscription.status)}


@modify_workflow(initial_input_form=modify_initial_input_form_generator)
def modify_surface_sync() -> StepList:
    return (begin
            >> set_status(SubscriptionLifecycle.PROVISIONING)
            >> sync_ports
            >> set_status(SubscriptionLifecycle.ACTIVE))


@step("Update circuit in external systems")
def update_external(subscription: SurfaceCircuit) -> State:
    return {"pushed_bandwidth": subscription.circuit.bandwidth}


@reconcile_workflow()
def reconcile_surface_circuit() -> StepList:
    return begin >> update_external


@step("Check circuit")
def check_circuit(subscription: SurfaceCircuit) -> State:
    return {"check_ok": subscription.circuit.bandwidth > 0}


@validate_workflow()
def validate_surface_circuit() -> StepList:
    return begin >> check_circuit


def terminate_form(subscription_id: UUIDstr, product: UUIDstr) -> FormGenerator:
    class TerminateForm(FormPage):
        reason: str = "no longer needed"

    user_input = yield TerminateForm
    return user_input.model_dump() | {"terminate_saw": [str(subscription_id), str(product)]}


@step("Remove circuit from external systems")
def remove_external(subscription: SurfaceCircuit) -> State:
    return {"removed": str(subscription.subscription_id)}


@terminate_workflow(initial_input_form=terminate_form)
def terminate_surface_circuit() -> StepList:
    return begin >> remove_external


# --- Tasks ---------------------------------------------------------------------------------------


def confirm_choice_form() -> FormGenerator:
    class ConfirmChoiceForm(FormPage):
        ask_confirmation: bool

    user_input = yield ConfirmChoiceForm
    return user_input.model_dump()


@inputstep("Confirm the change", assignee=Assignee.NOC)
def confirm_change(state: State) -> FormGenerator:
    class ConfirmForm(FormPage):
        confirmed: bool

    user_input = yield ConfirmForm
    return user_input.model_dump()


@step("After the confirmation")
def after_confirmation() -> State:
    return {"after_confirmation": True}


confirm_when_asked = conditional(lambda state: state["ask_confirmation"] is True)


@task(initial_input_form=confirm_choice_form)
def task_surface_confirm() -> StepList:
    return begin >> confirm_when_asked(confirm_change) >> after_confirmation


@step("Deliberate failure")
def fail_on_purpose() -> State:
    raise ProcessFailureError(message="Deliberate failure", details={"reason": "fail_on_purpose was selected"})


@task()
def task_surface_failure() -> StepList:
    return begin >> fail_on_purpose


@task()
def task_surface_nested_done() -> StepList:
    """As the reference's applications write some tasks: their own init ... done inside @task's."""
    return init >> after_confirmation >> done


@task(run_predicate=lambda context: RunPredicateFail(f"{context.workflow_key} is closed for maintenance"))
def task_surface_closed() -> StepList:
    return begin >> after_confirmation


CATALOGUE = {
    "product_blocks": {
        "Surface Circuit Block": {"description": "A circuit", "tag": "SURFACE", "status": "active",
                                  "resources": {"bandwidth": "Bandwidth in Mbit/s"}},
    },
    "products": {
        "Surface Circuit": {"product_type": "SurfaceCircuit", "description": "Conformance circuit",
                            "tag": "SURFACE", "status": "active", "product_blocks": ["Surface Circuit Block"]},
    },
    "workflows": {
        wf.name: {"target": str(wf.target), "description": wf.description, "tag": "SURFACE"}
        for wf in (create_surface_circuit, modify_surface_circuit, modify_surface_sync, reconcile_surface_circuit,
                   validate_surface_circuit, terminate_surface_circuit)
    },
}


@pytest.fixture(scope="module")
def product_id(orchestrator_database: str) -> uuid.UUID:
    """The product and its workflows, registered as an application's data migration registers them."""
    with get_engine().begin() as conn:
        helpers.create(conn, CATALOGUE)
        return helpers.get_product_id_by_name(conn, "Surface Circuit")


def subscription_row(subscription_id: UUIDstr) -> tuple[str, bool]:
    with transaction() as session:
        row = session.get_one(SubscriptionTable, uuid.UUID(str(subscription_id)))
        return row.status, row.insync


def bandwidth_of(subscription_id: str) -> int:
    with transaction():
        return SurfaceCircuit.from_subscription(subscription_id).circuit.bandwidth


def process_count() -> int:
    with transaction() as session:
        return session.execute(sa.select(sa.func.count()).select_from(ProcessTable)).scalar_one()


@pytest.fixture
def circuit(product_id: uuid.UUID) -> str:
    created = run_workflow("create_surface_circuit", [{"product": str(product_id)},
                                                      {"customer_id": "cust-1", "bandwidth": 100}])
    assert_complete(created)
    return str(extract_state(created)["subscription_id"])


# --- Registration by name ------------------------------------------------------------------------

LAZY_MODULE = "tests.conformance.lazy_surface_workflows"


def test_a_lazily_registered_workflow_is_listed_found_by_name_and_run():
    assert LAZY_MODULE not in sys.modules
    LazyWorkflowInstance(LAZY_MODULE, "task_surface_lazy")

    assert "task_surface_lazy" in WORKFLOWS
    assert LAZY_MODULE not in sys.modules, "listing names imports nothing"

    result = run_workflow("task_surface_lazy")

    assert_complete(result)
    assert extract_state(result)["lazy_greeting"] == "hello"
    assert get_workflow("task_surface_lazy").target == Target.SYSTEM
    assert "task_surface_lazy" in {spec.workflow for spec in deployment_specs()}
    assert "task_surface_lazy" in {d["name"] for d in prefect_yaml_document()["deployments"]}
    assert not [p for p in load_workflow_code() if p.subject == "task_surface_lazy"]


def test_the_builtin_workflows_are_registered_by_name():
    assert {"modify_note", "task_validate_subscriptions"} <= set(ALL_WORKFLOWS)
    assert get_workflow("modify_note").target == Target.MODIFY
    assert get_workflow("task_validate_subscriptions").is_task


def test_a_lazily_registered_workflow_whose_module_is_missing_is_reported_and_refused():
    LazyWorkflowInstance("tests.conformance.no_such_module", "task_surface_missing")
    try:
        with pytest.raises(InvalidWorkflowError, match="tests.conformance.no_such_module"):
            get_workflow("task_surface_missing")
        assert ("workflow.code_invalid", "task_surface_missing") in {(p.code, p.subject)
                                                                     for p in load_workflow_code()}
        before = process_count()
        with pytest.raises(OrchestratorError) as refused:
            start_process("task_surface_missing", register=True)
        assert refused.value.code == "workflow.unknown"
        assert "does not exist or has invalid imports" in refused.value.message
        assert process_count() == before
    finally:
        ALL_WORKFLOWS.pop("task_surface_missing")


# --- The decorators and their forms ---------------------------------------------------------------


def test_create_ends_in_the_status_it_asks_for(circuit):
    status, insync = subscription_row(circuit)
    assert (status, insync) == ("active", True)
    assert bandwidth_of(circuit) == 100


def test_create_form_sees_the_product(product_id):
    created = run_workflow("create_surface_circuit", [{"product": str(product_id)},
                                                      {"customer_id": "cust-2", "bandwidth": 10}])
    assert_complete(created)
    assert extract_state(created)["form_saw"] == {"product_name": "Surface Circuit", "product": str(product_id)}


def test_modify_with_ensure_provisioning_status(circuit, product_id):
    result = run_workflow("modify_surface_circuit", [{"subscription_id": circuit}, {"bandwidth": 400}])

    assert_complete(result)
    state = extract_state(result)
    assert state["status_during_update"] == "provisioning"
    assert state["form_saw_product"] == str(product_id)
    assert result.step_names() == [
        "Start", "Create Process Subscription relation", "Lock subscription",
        "Set subscription to 'provisioning'", "Update subscription", "Set subscription to 'active'",
        "Unlock subscription", "Done"]
    assert subscription_row(circuit) == ("active", True)
    assert bandwidth_of(circuit) == 400


def test_ensure_provisioning_status_is_a_step_list_around_the_step():
    assert isinstance(update_subscription, StepList)
    assert [s.name for s in update_subscription] == [
        "Set subscription to 'provisioning'", "Update subscription", "Set subscription to 'active'"]
    assert all(isinstance(s, Step) for s in update_subscription)


def test_modify_initial_input_form_generator_asks_only_for_the_subscription(circuit, product_id):
    assert modify_initial_input_form_generator is None
    result = run_workflow("modify_surface_sync", [{"subscription_id": circuit}])

    assert_complete(result)
    state = extract_state(result)
    assert state["synced_while"] == "provisioning"
    assert state["product"] == str(product_id)
    assert state["customer_id"] == "cust-1"
    assert subscription_row(circuit) == ("active", True)


def test_reconcile_and_validate_run_on_an_active_subscription(circuit):
    assert get_workflow("reconcile_surface_circuit").target == Target.RECONCILE
    reconciled = run_workflow("reconcile_surface_circuit", [{"subscription_id": circuit}])
    assert_complete(reconciled)
    assert extract_state(reconciled)["pushed_bandwidth"] == 100

    validated = run_workflow("validate_surface_circuit", [{"subscription_id": circuit}])
    assert_complete(validated)
    assert extract_state(validated)["check_ok"] is True
    assert subscription_row(circuit) == ("active", True)


def test_terminate_form_is_called_with_subscription_id_and_product(circuit, product_id):
    result = run_workflow("terminate_surface_circuit", [{"subscription_id": circuit}, {}])

    assert_complete(result)
    assert extract_state(result)["terminate_saw"] == [circuit, str(product_id)]
    assert subscription_row(circuit) == ("terminated", True)


# --- Runtime behaviour ---------------------------------------------------------------------------


def test_conditional_skips_an_input_step_whose_predicate_is_false():
    result = run_workflow("task_surface_confirm", [{"ask_confirmation": False}])

    assert_complete(result)
    assert [(s.name, s.status) for s in result.steps] == [
        ("Start", "success"), ("Confirm the change", "skipped"), ("After the confirmation", "success"),
        ("Done", "complete")]


def test_the_first_done_ends_the_process():
    result = run_workflow("task_surface_nested_done")

    assert_complete(result)
    assert [(s.name, s.status) for s in result.steps] == [
        ("Start", "success"), ("Start", "success"), ("After the confirmation", "success"), ("Done", "complete")]


def test_conditional_suspends_at_an_input_step_whose_predicate_is_true():
    result = run_workflow("task_surface_confirm", [{"ask_confirmation": True}])

    assert_suspended(result)
    assert result.process.assignee == Assignee.NOC
    resumed = resume_workflow(result, {"confirmed": True})
    assert_complete(resumed)
    assert extract_state(resumed)["confirmed"] is True


def test_process_failure_error_records_its_message_and_details():
    result = run_workflow("task_surface_failure")

    assert_failed(result)
    assert extract_error(result) == "Deliberate failure"
    failed = result.steps[-1]
    assert (failed.name, failed.status) == ("Deliberate failure", "failed")
    assert failed.state["details"] == {"reason": "fail_on_purpose was selected"}
    assert failed.state["class"] == "ProcessFailureError"
    assert result.process.failed_reason == "Deliberate failure"


def test_a_run_predicate_refuses_a_start_and_writes_nothing():
    before = process_count()
    with pytest.raises(OrchestratorError) as refused:
        start_process("task_surface_closed", register=True)
    assert refused.value.code == "workflow.start_predicate_failed"
    assert refused.value.http_status == 412
    assert refused.value.message == "task_surface_closed is closed for maintenance"
    assert process_count() == before


def test_assignee_is_one_class_at_the_reference_path():
    from orchestrator_core import types

    assert Assignee is types.Assignee
    assert Assignee("SYSTEM") is Assignee.SYSTEM
    assert Assignee("KLANTSUPPORT") is Assignee.KLANTSUPPORT
