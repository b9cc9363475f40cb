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
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy.orm import Session

from orchestrator_core.db.product_tables import ProductTable
from orchestrator_core.db.subscription_tables import ProcessSubscriptionTable
from orchestrator_core.domain.errors import ProductNotFoundError
from orchestrator_core.errors import OrchestratorError
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
from orchestrator_core.services.subscription_facts import as_uuid, is_linked, load_many_facts, lock_holder
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
    "verdicts",
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
    return verdicts(session, workflow_name, [subscription_id], lock=lock)[subscription_id]


def verdicts(session: Session, workflow_name: str, subscription_ids: Sequence[Any], *,
             lock: bool = False) -> dict[Any, Verdict]:
    """`check_workflow_usable` for one subscription or many: their facts read together (with `lock`, their
    rows locked in id order, so that concurrent callers cannot deadlock)."""
    info = workflow_info(workflow_name)
    if info is None:
        return {sid: Verdict.refuse("workflow.unknown", f"No workflow named {workflow_name!r}",
                                    workflow=workflow_name) for sid in subscription_ids}
    ids = {sid: as_uuid(sid) for sid in subscription_ids}
    facts = load_many_facts(session, sorted({u for u in ids.values() if u is not None}), lock=lock)
    linked: dict[uuid.UUID, bool] = {}
    found: dict[Any, Verdict] = {}
    for sid, key in ids.items():
        if key is None or key not in facts:
            found[sid] = Verdict.refuse("subscription.not_found", f"Subscription {sid} does not exist",
                                        subscription_id=str(sid))
            continue
        product_id = facts[key][1].product_id
        if product_id not in linked:
            linked[product_id] = is_linked(session, info.name, product_id)
        found[sid] = evaluate(info, facts[key][1], linked[product_id])
    return found


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


def check_and_lock(session: Session, workflow: Workflow,
                   states: Mapping[uuid.UUID, State]) -> dict[uuid.UUID, OrchestratorError]:
    """Per new process (its id, and the state its first step will see): refuse it with a typed error, or
    lock its subscription for it, in the caller's transaction; returns the refusals.

    Called before the process rows are inserted; the link rows are added to the session and written
    with the process rows (the unit of work orders the inserts by their foreign key). Many processes
    are guarded together: one reading of their subscriptions' facts and one compare-and-set of the locks.
    """
    refused: dict[uuid.UUID, OrchestratorError] = {}
    guarded: dict[uuid.UUID, Any] = {}
    for process_id, state in states.items():
        if workflow.target != Target.CREATE and "subscription_id" in state:
            guarded[process_id] = state["subscription_id"]
        elif workflow.target == Target.CREATE and state.get("product") is not None:
            try:
                check_product(session, workflow.name, state["product"])
            except OrchestratorError as exc:
                refused[process_id] = exc
    if not guarded:
        return refused
    found = verdicts(session, workflow.name, list(guarded.values()), lock=True)
    allowed: dict[uuid.UUID, uuid.UUID] = {}
    for process_id, sid in guarded.items():
        if found[sid].allowed:
            allowed[process_id] = as_uuid(sid)  # type: ignore[assignment]
        else:
            refused[process_id] = refusal(found[sid])
    info = workflow_info(workflow)
    assert info is not None
    free = subscription_lock.lock_many(session, list(allowed.values())) if takes_lock(info) else None
    for process_id, sid in allowed.items():
        if free is not None and sid not in free:
            refused[process_id] = SubscriptionLockedError(f"Subscription {sid} was locked by another process a "
                                                          "moment ago", subscription_id=str(sid))
            continue
        if free is not None:
            free.discard(sid)  # one lock, one holder
        session.add(ProcessSubscriptionTable(process_id=process_id, subscription_id=sid,
                                            workflow_target=str(workflow.target)))
    return refused


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

