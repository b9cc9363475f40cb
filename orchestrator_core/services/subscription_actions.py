"""Which workflows an operator may start on a subscription now, and if not, why.

The guard (services.subscriptions, issue 4) owns the decision; this module only asks it and
normalises the answer to `{target: [{name, description, allowed, reason, ...}]}` (the guide's
nesting). Until the guard offers `subscription_workflows`, every workflow of the product is
listed with `allowed: None` and the reason `guard.unavailable`, so a page shows the buttons
disabled with an honest sentence instead of guessing.
"""

from __future__ import annotations

import uuid
from typing import Any

import sqlalchemy as sa

from orchestrator_core.db import WorkflowTable, transaction
from orchestrator_core.db.product_tables import products_workflows
from orchestrator_core.db.subscription_tables import SubscriptionTable
from orchestrator_core.services import subscriptions as guard

TARGETS = ("create", "modify", "terminate", "system", "validate", "reconcile")
GUARD_UNAVAILABLE = "guard.unavailable"


def _product_workflows(session: Any, product_id: uuid.UUID) -> list[WorkflowTable]:
    return list(
        session.execute(
            sa.select(WorkflowTable)
            .join(products_workflows, products_workflows.c.workflow_id == WorkflowTable.workflow_id)
            .where(products_workflows.c.product_id == product_id, WorkflowTable.deleted_at.is_(None))
            .order_by(WorkflowTable.name)
        ).scalars()
    )


def _normalise(answer: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {t: [] for t in TARGETS}
    for target in TARGETS:
        for item in answer.get(target) or []:
            entry = dict(item)
            reason = entry.pop("reason", None)
            if not isinstance(entry.get("allowed", True), bool):
                # the guard's details may carry the usable lifecycles under the same key
                entry["allowed_lifecycles"] = entry.pop("allowed")
            out[target].append(
                {
                    "name": entry.pop("name", ""),
                    "description": entry.pop("description", ""),
                    "allowed": bool(entry.pop("allowed", True)) and reason is None,
                    "reason": reason,
                    "message": entry.pop("message", None),
                    "details": entry,
                }
            )
    return out


def _degraded(workflows: list[WorkflowTable]) -> dict[str, Any]:
    out: dict[str, Any] = {t: [] for t in TARGETS}
    for wf in workflows:
        out.setdefault(wf.target.lower(), []).append(
            {
                "name": wf.name,
                "description": wf.description,
                "allowed": None,
                "reason": GUARD_UNAVAILABLE,
                "message": "The guard is not available in this build, so no workflow can be offered",
                "details": {
                    "message": "The guard is not available in this build; start it to get a precise answer"
                },
            }
        )
    return out


def workflows_for(subscription_id: uuid.UUID) -> dict[str, Any]:
    """`{"reason": global reason or None, "workflows": {target: [...]}, "guard": "available"|...}`."""
    with transaction() as session:
        subscription = session.get(SubscriptionTable, subscription_id)
        if subscription is None:
            return {}
        workflows = _product_workflows(session, subscription.product_id)
        ask = getattr(guard, "subscription_workflows", None)
        if ask is None:
            return {
                "reason": None,
                "message": None,
                "guard": "unavailable",
                "workflows": _degraded(workflows),
            }
        answer = dict(ask(subscription))
        return {
            "reason": answer.get("reason"),
            "message": answer.get("message"),
            "guard": "available",
            "workflows": _normalise(answer),
        }
