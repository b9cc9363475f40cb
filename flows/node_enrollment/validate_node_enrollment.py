"""Validate Node Enrollment: integrity checks against ESDB and NSO; each check one step.

A failed check raises AssertionError with a sentence (the process fails, the subscription stays
as it is and is unlocked again by resuming or aborting); a passed one puts "OK" in the state.
"""

from __future__ import annotations

from flows.node_enrollment.clients import get_detailed_node, get_device
from flows.node_enrollment.shared import load_initial_state
from orchestrator_core.types import State
from orchestrator_core.workflow import StepList, step
from orchestrator_core.workflows.utils import validate_workflow
from products.product_types.node_enrollment import NodeEnrollment


@step("Check ESDB")
def check_esdb(subscription: NodeEnrollment, node_name: str) -> State:
    node = get_detailed_node(subscription.ne.esdb_node_id)

    if node.get("name") != node_name:
        raise AssertionError(f"ESDB node {subscription.ne.esdb_node_id} is named {node.get('name')!r}, "
                             f"the subscription says {node_name!r}")
    return {"check_esdb": "OK"}


@step("Check NSO")
def check_nso(subscription: NodeEnrollment, node_name: str) -> State:
    device = get_device(device_name=node_name)

    if device is None:
        raise AssertionError("Device not found in NSO")
    return {"check_nso": "OK"}


@validate_workflow("Validate Node Enrollment before production")
def validate_node_enrollment() -> StepList:
    return load_initial_state >> check_esdb >> check_nso
