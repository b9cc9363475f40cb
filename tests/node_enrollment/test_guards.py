"""Every guard rule the guide describes, on Node Enrollment: each refusal has its reason code,
a sentence, and writes no process row."""

from __future__ import annotations

import uuid

import pytest

from orchestrator_core.db import transaction
from orchestrator_core.errors import OrchestratorError
from orchestrator_core.services.processes import start_process
from orchestrator_core.services.subscriptions import (
    WF_BLOCKED_BY_IN_USE_BY_SUBSCRIPTIONS,
    WF_USABLE_MAP,
    WF_USABLE_WHILE_OUT_OF_SYNC,
    check_workflow_usable,
)
from orchestrator_core.testing import assert_complete, assert_failed, run_workflow
from tests.guard import factories
from tests.node_enrollment.conftest import on, process_count


def refused(workflow: str, subscription_id: str) -> OrchestratorError:
    before = process_count()
    with pytest.raises(OrchestratorError) as info:
        start_process(workflow, [on(subscription_id)], "test")
    assert process_count() == before, "a refusal must not write a process row"
    assert info.value.message
    return info.value


@pytest.mark.parametrize(("workflow", "until"), [
    ("modify_node_enrollment", "active"),           # modify only on PROVISIONING (the guide's map)
    ("validate_node_enrollment", "provisioning"),   # allowed; see the next test for INITIAL
    ("provision_node_enrollment", "active"),        # allowed on ACTIVE and PROVISIONING
])
def test_the_guides_usable_map(enrollment, workflow, until):
    sid = enrollment(until)
    if workflow == "modify_node_enrollment":
        error = refused(workflow, sid)
        assert error.code == "subscription.invalid_lifecycle"
        assert "active" in error.message and error.details["allowed"] == ["provisioning"]
    else:
        assert_complete(run_workflow(workflow, on(sid)))


@pytest.mark.parametrize("workflow", ["validate_node_enrollment", "provision_node_enrollment",
                                      "modify_node_enrollment"])
def test_associated_workflows_refuse_an_initial_subscription(enrollment, fake_network, workflow):
    fake_network.outage(calls=1)  # create stops in INITIAL, at its NSO step
    from tests.node_enrollment.conftest import create_form

    result = run_workflow("create_node_enrollment", create_form(_product()))
    assert_failed(result)
    sid = result.state["subscription_id"]
    error = refused(workflow, sid)
    assert error.code in ("subscription.locked", "subscription.invalid_lifecycle")


def _product() -> str:
    from orchestrator_core.migrations.helpers import get_product_id_by_name

    with transaction() as session:
        return str(get_product_id_by_name(session, "Node Enrollment"))


def test_validate_on_initial_is_an_invalid_lifecycle(enrollment):
    sid = enrollment("active")
    from tests.node_enrollment.test_guards_support import set_status

    set_status(sid, "initial")
    error = refused("validate_node_enrollment", sid)
    assert error.code == "subscription.invalid_lifecycle"
    assert "initial" in error.message


def test_a_subscription_held_by_a_failed_process_is_locked(enrollment, fake_network):
    sid = enrollment("active")
    fake_network.devices.pop("ams-rt1")
    held = run_workflow("validate_node_enrollment", on(sid))
    assert_failed(held)
    error = refused("provision_node_enrollment", sid)
    assert error.code == "subscription.locked" and str(held.process_id) in error.message


def test_out_of_sync_is_refused_unless_listed(enrollment):
    sid = enrollment("provisioned")
    from tests.node_enrollment.test_guards_support import set_insync

    set_insync(sid, False)
    assert refused("modify_node_enrollment", sid).code == "subscription.not_in_sync"
    WF_USABLE_WHILE_OUT_OF_SYNC.append("modify_node_enrollment")
    assert_complete(run_workflow("modify_node_enrollment", on(sid)))


def test_terminate_of_a_subscription_in_use_by_another_is_refused(enrollment):
    sid = enrollment("active")
    user = factories.subscription(factories.product())
    factories.uses(user, uuid.UUID(sid))
    error = refused("terminate_node_enrollment", sid)
    assert error.code == "subscription.in_use_by_others" and str(user) in error.message
    with transaction() as session:  # only terminate is blocked by default
        assert check_workflow_usable(session, "validate_node_enrollment", sid).allowed


def test_modify_blocked_by_in_use_when_configured(enrollment):
    sid = enrollment("provisioned")
    factories.uses(factories.subscription(factories.product()), uuid.UUID(sid))
    WF_BLOCKED_BY_IN_USE_BY_SUBSCRIPTIONS["modify_node_enrollment"] = True
    assert refused("modify_node_enrollment", sid).code == "subscription.in_use_by_others"


def test_terminate_runs_on_any_lifecycle_unless_constrained(enrollment):
    sid = enrollment("provisioned")
    WF_USABLE_MAP["terminate_node_enrollment"] = ["active"]
    assert refused("terminate_node_enrollment", sid).code == "subscription.invalid_lifecycle"
    del WF_USABLE_MAP["terminate_node_enrollment"]
    assert_complete(run_workflow("terminate_node_enrollment", on(sid)))
