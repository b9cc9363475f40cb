"""Terminate Node Enrollment: undo what create and provision did in NSO, then TERMINATED.

As the guide writes it, the first step reads the subscription from the State (a plain dict),
so it also works for a subscription whose model would no longer validate.
"""

from __future__ import annotations

from uuid import UUID

from flows.node_enrollment.clients import get_detailed_node, nso
from flows.node_enrollment.provision_node_enrollment import system_service_id
from orchestrator_core.types import State
from orchestrator_core.workflow import StepList, step
from orchestrator_core.workflows.utils import terminate_workflow


@step("Load relevant subscription information")
def load_subscription_info(state: State) -> State:
    subscription = state["subscription"]
    node = get_detailed_node(subscription["ne"]["esdb_node_id"])
    return {"subscription": subscription, "node_name": node.get("name")}


@step("Remove system service from NSO")
def remove_system_service(subscription: dict, idempotency_key: str) -> State:
    service_id = subscription["ne"].get("nso_service_id")
    if service_id:
        nso().delete_service(system_service_id(service_id), idempotency_key)
    return {"system_service_removed": bool(service_id)}


@step("Remove node enrollment service from NSO")
def remove_nso_service(subscription: dict, idempotency_key: str) -> State:
    service_id = subscription["ne"].get("nso_service_id")
    if service_id:
        nso().delete_service(UUID(str(service_id)), idempotency_key)
    return {"nso_service_removed": bool(service_id)}


@terminate_workflow("Terminate Node Enrollment subscription")
def terminate_node_enrollment() -> StepList:
    return load_subscription_info >> remove_system_service >> remove_nso_service
