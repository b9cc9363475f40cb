"""A subscription's workflows in the reference's words, for orchestrator-ui's actions menu
(`GET /api/subscriptions/workflows/{id}`), and setting a subscription in sync by hand.

The decision is the guard's (`subscription_workflows`, the rules every start passes) and the caller's
authorization (`authorize_callback`, as a start asks it); only the words change. The UI translates the
reference's reason codes and reads their details under the reference's keys:

- `subscription.invalid_lifecycle` -> `subscription.no_modify_invalid_status`, with `usable_when`, `status`
  and `action`;
- `subscription.in_use_by_others` -> `subscription.no_modify_subscription_in_use_by_others`, with
  `unterminated_in_use_by_subscriptions`;
- `subscription.relations_not_in_sync` -> the same code, with `locked_relations`;
- `subscription.locked` (a process holds it) -> `subscription.not_in_sync` (the reference's lock is that flag);
- a workflow the caller may not start -> `subscription.insufficient_workflow_permissions`.
"""

from __future__ import annotations

import uuid
from typing import Any

from orchestrator_core.db import transaction
from orchestrator_core.domain.errors import SubscriptionNotFoundError
from orchestrator_core.errors import OrchestratorError
from orchestrator_core.services import authorization, subscription_lock
from orchestrator_core.services.subscription_facts import lock_state
from orchestrator_core.services.subscription_workflows import subscription_workflows
from orchestrator_core.targets import Target
from orchestrator_core.workflow import get_workflow

TARGETS = [str(t).lower() for t in Target]
NOT_PERMITTED = "subscription.insufficient_workflow_permissions"


class UnfinishedProcessesError(OrchestratorError):
    """The subscription is out of sync because a process that changes it has not finished."""

    code = "subscription.unfinished_processes"
    http_status = 422


def _reference_words(entry: dict[str, Any], target: str) -> dict[str, Any]:
    out: dict[str, Any] = {"name": entry["name"], "description": entry.get("description") or ""}
    reason = entry.get("reason")
    if reason == "subscription.invalid_lifecycle":
        out.update(reason="subscription.no_modify_invalid_status", usable_when=entry.get("allowed_lifecycles") or [],
                   status=entry.get("status"), action="terminated" if target == "terminate" else "modified")
    elif reason == "subscription.in_use_by_others":
        out.update(reason="subscription.no_modify_subscription_in_use_by_others",
                   unterminated_in_use_by_subscriptions=entry.get("subscription_ids") or [])
    elif reason == "subscription.relations_not_in_sync":
        out.update(reason=reason, locked_relations=entry.get("subscription_ids") or [])
    elif reason == "subscription.locked":
        out.update(reason="subscription.not_in_sync")
    elif reason:
        out.update(reason=reason)
    return out


def _permitted(name: str, caller: Any) -> bool:
    code = get_workflow(name)
    return code is None or authorization.allowed(code.authorize_callback, caller)


def reference_workflows(subscription_id: uuid.UUID, caller: Any) -> dict[str, Any]:
    """`{create: [...], modify: [...], ..., reason?, locked_relations?}`; SubscriptionNotFoundError if none."""
    answer = subscription_workflows(subscription_id)
    out: dict[str, Any] = {}
    for target in TARGETS:
        items = []
        for entry in answer.get(target) or []:
            if "allowed" in entry and not isinstance(entry["allowed"], bool):
                entry = {**entry, "allowed_lifecycles": entry["allowed"]}  # the lifecycle rule's detail
            item = _reference_words(entry, target)
            if "reason" not in item and not _permitted(item["name"], caller):
                item["reason"] = NOT_PERMITTED
            items.append(item)
        out[target] = items
    if answer.get("reason"):
        words = _reference_words({"name": "", **answer}, "modify")
        out["reason"] = words["reason"]
        if "locked_relations" in words:
            out["locked_relations"] = words["locked_relations"]
    return out


def set_in_sync(subscription_id: uuid.UUID) -> bool:
    """Mark an out-of-sync subscription in sync, as an operator does after repairing it by hand; refused while
    a process that changes it has not finished (it holds the subscription: finish or abort it first).
    True if it changed."""
    with transaction() as session:
        state = lock_state(session, subscription_id)
        if state is None:
            raise SubscriptionNotFoundError(f"Subscription {subscription_id} does not exist",
                                           subscription_id=str(subscription_id))
        insync, holder = state
        if insync:
            return False
        if holder is not None:
            raise UnfinishedProcessesError(
                f"Subscription {subscription_id} has still unfinished processes with id's: ['{holder}']; finish or "
                "abort them first", subscription_id=str(subscription_id), process_ids=[str(holder)])
        subscription_lock.unlock(session, subscription_id)
        return True
