"""The guard: may workflow W start on subscription S now? And the per-subscription lock.

Projects configure it by mutating the three maps in their workflows module, as the guide shows
(`WF_USABLE_MAP.update({...})`); they are the same objects the rules read. Every entry point
(API, CLI, a Prefect-started run) reaches `check_and_lock` inside the transaction that writes
the process row, so a refusal writes nothing and two simultaneous starts cannot both pass.

The reference's read functions (`get_subscription`, ...) are re-exported here from
`subscription_reads`, at the path applications import them from.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.orm import Session

from orchestrator_core.db.product_tables import ProductTable
from orchestrator_core.domain.errors import ProductNotFoundError
from orchestrator_core.services import subscription_lock
from orchestrator_core.services.guard_errors import SubscriptionLockedError, refusal
from orchestrator_core.services.guard_rules import (
    WF_BLOCKED_BY_IN_USE_BY_SUBSCRIPTIONS,
    WF_USABLE_MAP,
    WF_USABLE_WHILE_OUT_OF_SYNC,
    Verdict,
    WorkflowInfo,
    evaluate,
    takes_lock,
)
from orchestrator_core.services.subscription_facts import as_uuid, is_linked, load_facts, lock_holder
from orchestrator_core.services.subscription_reads import (
    find_values_for_resource_types,
    get_subscription,
    query_depends_on_subscriptions,
    query_in_use_by_subscriptions,
    retrieve_subscription_by_subscription_instance_value,
)
from orchestrator_core.services.subscription_workflows import subscription_workflows
from orchestrator_core.targets import Target
from orchestrator_core.types import State
from orchestrator_core.workflow import Workflow, get_workflow

__all__ = [
    "WF_BLOCKED_BY_IN_USE_BY_SUBSCRIPTIONS",
    "WF_USABLE_MAP",
    "WF_USABLE_WHILE_OUT_OF_SYNC",
    "Verdict",
    "check_and_lock",
    "check_product",
    "check_workflow_usable",
    "find_values_for_resource_types",
    "get_subscription",
    "query_depends_on_subscriptions",
    "query_in_use_by_subscriptions",
    "reacquire_on_resume",
    "release_crashed",
    "release_on_abort",
    "retrieve_subscription_by_subscription_instance_value",
    "subscription_workflows",
]


def workflow_info(workflow: Workflow | str) -> WorkflowInfo | None:
    """The guard's view of a workflow with code in this process; None when there is none."""
    wf = get_workflow(workflow) if isinstance(workflow, str) else workflow
    if wf is None:
        return None
    return WorkflowInfo(wf.name, str(wf.target), wf.is_task, wf.description)


def check_workflow_usable(session: Session, workflow_name: str, subscription_id: Any, *,
                          lock: bool = False) -> Verdict:
    """The one guard function: allowed, or a reason code with a sentence and details."""
    info = workflow_info(workflow_name)
    if info is None:
        return Verdict.refuse("workflow.unknown", f"No workflow named {workflow_name!r}",
                              workflow=workflow_name)
    sid = as_uuid(subscription_id)
    facts = load_facts(session, sid, lock=lock) if sid is not None else None
    if facts is None:
        return Verdict.refuse("subscription.not_found", f"Subscription {subscription_id} does not exist",
                              subscription_id=str(subscription_id))
    return evaluate(info, facts, is_linked(session, info.name, facts.product_id))


def check_product(session: Session, workflow_name: str, product: Any) -> ProductTable:
    """A create workflow may only create subscriptions of the products it is registered for."""
    product_id = as_uuid(product)
    row = session.get(ProductTable, product_id) if product_id is not None else None
    if row is None:
        raise ProductNotFoundError(f"Product {product} does not exist", product_id=str(product))
    if not is_linked(session, workflow_name, row.product_id):
        raise refusal(Verdict.refuse("workflow.not_linked_to_product", f"Workflow {workflow_name} is not "
                                     f"registered for product {row.name}", workflow=workflow_name,
                                     product_id=str(row.product_id)))
    return row


def check_and_lock(session: Session, workflow: Workflow, state: State, process_id: Any) -> None:
    """Refuse with a typed error, or lock the subscription for this process, in the caller's transaction.

    Called before the process row is inserted; the link row is added to the session and written
    with the process row (the unit of work orders the inserts by their foreign key).
    """
    if workflow.target == Target.CREATE or "subscription_id" not in state:
        if workflow.target == Target.CREATE and state.get("product") is not None:
            check_product(session, workflow.name, state["product"])
        return
    verdict = check_workflow_usable(session, workflow.name, state["subscription_id"], lock=True)
    if not verdict.allowed:
        raise refusal(verdict)
    sid = as_uuid(state["subscription_id"])
    assert sid is not None
    info = workflow_info(workflow)
    assert info is not None
    if takes_lock(info) and not subscription_lock.try_lock(session, sid):
        raise SubscriptionLockedError(f"Subscription {sid} was locked by another process a moment ago",
                                      subscription_id=str(sid))
    subscription_lock.link(session, as_uuid(process_id), sid, str(workflow.target))  # type: ignore[arg-type]


def release_on_abort(session: Session, process_id: Any) -> None:
    """Give the subscriptions an aborted process held back to other workflows."""
    subscription_lock.release_held_by(session, as_uuid(process_id))  # type: ignore[arg-type]


def release_crashed(session: Session, crashed_process_ids: list[uuid.UUID]) -> None:
    """Crash hook: a process whose executor died gives up its locks (issue 7); resuming retakes them."""
    for process_id in crashed_process_ids:
        subscription_lock.release_held_by(session, process_id)


def reacquire_on_resume(session: Session, process_id: Any, workflow: Workflow) -> None:
    """Before a process resumes, take back the locks it gave up when it crashed, or refuse.

    Only a lock the step log shows still held at the resume point is taken back: once "Unlock
    subscription" committed, the process gave its lock back for good, and the steps left (`done`)
    must find the subscription in sync, not locked by nobody for ever."""
    info = workflow_info(workflow)
    pid = as_uuid(process_id)
    if info is None or pid is None or not takes_lock(info):
        return
    if subscription_lock.released_in_log(session, pid):
        return
    for sid in subscription_lock.linked_subscriptions(session, pid):
        if subscription_lock.try_lock(session, sid):
            continue
        holder = lock_holder(session, sid)
        if holder not in (None, pid):
            raise SubscriptionLockedError(f"Subscription {sid} is now locked by process {holder}; finish or "
                                          f"abort that one before resuming {pid}", process_id=str(holder),
                                          subscription_id=str(sid))

