"""Workflows of one subscription: every workflow registered for its product, allowed or why not.

The shape follows the reference system's `subscription_workflows`: grouped by target (the
nesting the guide describes), each entry with its name and description, and, when it cannot
start, the reason code, the sentence and the details. The same rules as a start decide.
`workflows_for` is the same answer in our API's shape (`SubscriptionWorkflows`).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from orchestrator_core.db import WorkflowTable, transaction
from orchestrator_core.db.product_tables import products_workflows
from orchestrator_core.db.subscription_tables import SubscriptionTable
from orchestrator_core.domain.errors import SubscriptionNotFoundError
from orchestrator_core.services.guard_rules import SubscriptionFacts, Verdict, WorkflowInfo, evaluate
from orchestrator_core.services.subscription_facts import as_uuid, load_many_facts
from orchestrator_core.targets import Target


def product_workflows(session: Session, product_id: Any) -> list[WorkflowInfo]:
    stmt = (
        sa.select(WorkflowTable)
        .join(products_workflows, products_workflows.c.workflow_id == WorkflowTable.workflow_id)
        .where(products_workflows.c.product_id == product_id, WorkflowTable.deleted_at.is_(None))
        .order_by(WorkflowTable.name)
    )
    return [WorkflowInfo(w.name, w.target, w.is_task, w.description) for w in session.execute(stmt).scalars()]


def _entry(info: WorkflowInfo, verdict: Verdict) -> dict[str, Any]:
    entry: dict[str, Any] = {"name": info.name, "description": info.description, "is_task": info.is_task,
                             "allowed": verdict.allowed}
    if not verdict.allowed:
        entry.update(reason=verdict.code, message=verdict.message, **verdict.details)
    return entry


def _global_reason(facts: SubscriptionFacts) -> dict[str, Any]:
    """The subscription-wide reason the reference reports beside the groups, if any."""
    probe = evaluate(WorkflowInfo("(any modify)", Target.MODIFY), facts, linked=True)
    if not probe.allowed and probe.code in ("subscription.locked", "subscription.not_in_sync",
                                            "subscription.relations_not_in_sync"):
        return {"reason": probe.code, "message": probe.message, **probe.details}
    return {}


def subscription_workflows(subscription: Any, session: Session | None = None) -> dict[str, Any]:
    """{"create": [...], "modify": [...], ..., "reason"?} for a subscription row or id (reference shape)."""
    subscription_id = getattr(subscription, "subscription_id", subscription)
    with transaction() as current:
        return _workflows_of(session or current, subscription_id)


def _workflows_of(session: Session, subscription_id: Any) -> dict[str, Any]:
    sid = as_uuid(subscription_id)
    found = load_many_facts(session, [sid]).get(sid) if sid is not None else None
    facts = found[1] if found is not None else None
    if facts is None:
        raise SubscriptionNotFoundError(f"Subscription {subscription_id} does not exist",
                                       subscription_id=str(subscription_id))
    groups: dict[str, Any] = {str(target).lower(): [] for target in Target}
    for info in product_workflows(session, facts.product_id):
        groups.setdefault(info.target.lower(), []).append(_entry(info, evaluate(info, facts, linked=True)))
    return {**groups, **_global_reason(facts)}


API_TARGETS = ("create", "modify", "terminate", "system", "validate", "reconcile")


def _api_entry(item: dict[str, Any]) -> dict[str, Any]:
    entry = dict(item)
    reason = entry.pop("reason", None)
    if not isinstance(entry.get("allowed", True), bool):  # the guard's details may carry usable lifecycles
        entry["allowed_lifecycles"] = entry.pop("allowed")
    return {"name": entry.pop("name", ""), "description": entry.pop("description", ""),
            "allowed": bool(entry.pop("allowed", True)) and reason is None, "reason": reason,
            "message": entry.pop("message", None), "details": entry}


def workflows_for(subscription_id: Any) -> dict[str, Any]:
    """Our API's answer: `{"reason", "message", "guard": "available", "workflows": {target: [entry]}}`,
    each entry `{name, description, allowed, reason, message, details}`; {} for an unknown subscription."""
    with transaction() as session:
        if session.get(SubscriptionTable, subscription_id) is None:
            return {}
        answer = _workflows_of(session, subscription_id)
    return {"reason": answer.get("reason"), "message": answer.get("message"), "guard": "available",
            "workflows": {t: [_api_entry(item) for item in answer.get(t) or []] for t in API_TARGETS}}
