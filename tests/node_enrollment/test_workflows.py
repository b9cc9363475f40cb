"""The guide's Node Enrollment, workflow by workflow: fields, lifecycle, description, step log."""

from __future__ import annotations

import uuid

from flows.node_enrollment.provision_node_enrollment import system_service_id
from orchestrator_core.db import transaction
from orchestrator_core.testing import (
    assert_complete,
    assert_failed,
    extract_error,
    extract_state,
    resume_workflow,
    run_workflow,
)
from products.product_types.node_enrollment import NodeEnrollment, NodeEnrollmentProvisioning
from tests.node_enrollment.conftest import create_form, on, statuses, subscription_row

CREATE_STEPS = ["Start", "Construct Node Enrollment model", "Create Process Subscription relation",
                "Store node details", "Create node enrollment service in NSO",
                "Update subscription name with node info", "Set subscription to 'provisioning'",
                "Unlock subscription", "Done"]


def test_create_builds_the_subscription_and_ends_provisioning(product_id, fake_network):
    result = run_workflow("create_node_enrollment", create_form(product_id))
    assert_complete(result)
    assert result.step_names() == CREATE_STEPS
    assert {s.status for s in result.steps} <= {"success", "complete"}
    state = extract_state(result)
    assert state["subscription_description"] == "Node ams-rt1 Initial Subscription"
    assert state["role"] == "core" and state["site_id"] == "ams"
    with transaction():
        sub = NodeEnrollmentProvisioning.from_subscription(state["subscription_id"])
    assert sub.status == "provisioning" and sub.customer_id == "customer-1"
    assert sub.description == "Node ams-rt1 Provisioned (without system service)"
    assert (sub.ne.esdb_node_id, sub.ne.node_name, sub.ne.site_id) == (101, "ams-rt1", "ams")
    assert sub.ne.uuid == fake_network.nodes[101]["uuid"] and sub.ne.routing_domain == "esnet-293"
    assert str(sub.ne.role) == "core" and sub.ne.url == "https://ams-rt1.mgmt.example.net/"
    assert fake_network.services[str(sub.ne.nso_service_id)]["device"] == "ams-rt1"
    assert subscription_row(state["subscription_id"])["insync"] is True


def test_provision_deploys_the_system_service(enrollment, fake_network):
    sid = enrollment("provisioning")
    result = run_workflow("provision_node_enrollment", on(sid))
    assert_complete(result)
    assert result.step_names()[2:6] == ["Lock subscription", "Load initial state", "Deploy system service in NSO",
                                        "Update subscription description"]
    row = subscription_row(sid)
    assert row == {"status": "provisioning", "insync": True, "description": "Node ams-rt1 Provisioned"}
    with transaction():
        sub = NodeEnrollmentProvisioning.from_subscription(sid)
    assert str(system_service_id(sub.ne.nso_service_id)) in fake_network.services


def test_modify_activates(enrollment):
    sid = enrollment("provisioned")
    result = run_workflow("modify_node_enrollment", on(sid))
    assert_complete(result)
    assert "Activate Subscription" in result.step_names()
    assert subscription_row(sid) == {"status": "active", "insync": True, "description": "Node ams-rt1 Production"}
    with transaction():
        sub = NodeEnrollment.from_subscription(sid)
    assert sub.start_date is not None


def test_validate_puts_ok_in_the_state(enrollment):
    sid = enrollment("active")
    result = run_workflow("validate_node_enrollment", on(sid))
    assert_complete(result)
    state = extract_state(result)
    assert state["check_nso"] == "OK" and state["check_esdb"] == "OK"
    assert subscription_row(sid) == {"status": "active", "insync": True, "description": "Node ams-rt1 Production"}


def test_validate_fails_with_a_clear_message_and_resumes_once_fixed(enrollment, fake_network):
    sid = enrollment("active")
    device = fake_network.devices.pop("ams-rt1")
    result = run_workflow("validate_node_enrollment", on(sid))
    assert_failed(result)
    assert extract_error(result) == "Device not found in NSO"
    assert statuses(result)[-1] == ("Check NSO", "failed")
    assert subscription_row(sid)["insync"] is False  # held by the failed process until resumed or aborted

    fake_network.devices["ams-rt1"] = device
    resumed = resume_workflow(result)
    assert_complete(resumed)
    assert [name for name, status in statuses(resumed)].count("Check ESDB") == 1  # committed steps not rerun
    assert subscription_row(sid)["insync"] is True


def test_a_failed_nso_call_is_retried_alone(product_id, fake_network):
    fake_network.outage(calls=1)
    result = run_workflow("create_node_enrollment", create_form(product_id))
    assert_failed(result)
    assert statuses(result)[-1] == ("Create node enrollment service in NSO", "failed")
    assert "NSO" in extract_error(result)

    resumed = resume_workflow(result)
    assert_complete(resumed)
    names = [name for name, _ in statuses(resumed)]
    assert names.count("Construct Node Enrollment model") == 1
    assert names.count("Create node enrollment service in NSO") == 2  # the failed row, then the retry
    assert len(fake_network.services) == 1


def test_the_fake_nso_recognises_a_repeated_call_by_its_idempotency_key(fake_network):
    from flows.node_enrollment.clients import nso

    service_id = uuid.uuid4()
    first = nso().create_service(service_id, "ams-rt1", {"kind": "x"}, "p1:4")
    again = nso().create_service(service_id, "ams-rt1", {"kind": "x"}, "p1:4")
    assert first == again and fake_network.repeats == {"p1:4": 1} and len(fake_network.services) == 1


def test_terminate_undoes_create_and_provision(enrollment, fake_network):
    sid = enrollment("active")
    assert len(fake_network.services) == 2
    result = run_workflow("terminate_node_enrollment", on(sid))
    assert_complete(result)
    assert result.step_names()[3:7] == ["Load relevant subscription information", "Remove system service from NSO",
                                        "Remove node enrollment service from NSO", "Set subscription to 'terminated'"]
    assert extract_state(result)["node_name"] == "ams-rt1"
    assert fake_network.services == {}
    row = subscription_row(sid)
    assert row["status"] == "terminated" and row["insync"] is True
