"""The guard's rules as a pure function: may this workflow start on a subscription with these facts?

Kept free of the database so that every combination of target, lifecycle, sync state and
relations can be checked exhaustively, and so that the start path and the "workflows of this
subscription" listing cannot disagree. The WF_* maps live here and are re-exported, as the
same objects, by `orchestrator_core.services.subscriptions`, where projects mutate them.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from orchestrator_core.targets import Target
from orchestrator_core.types import SubscriptionLifecycle

WF_USABLE_MAP: dict[str, list[str]] = {}
"""Workflow name -> the lifecycles it may run on, replacing the default of its target."""

WF_BLOCKED_BY_IN_USE_BY_SUBSCRIPTIONS: dict[str, bool] = {}
"""Workflow name -> refuse it while unterminated subscriptions use this one (default: terminate only)."""

WF_USABLE_WHILE_OUT_OF_SYNC: list[str] = ["modify_note"]
"""Workflows (besides tasks) that may run on a subscription that is out of sync; they take no lock."""

ALL_LIFECYCLES = [str(s) for s in SubscriptionLifecycle]

TARGET_DEFAULT_USABLE: dict[str, list[str]] = {
    Target.CREATE: [],
    Target.MODIFY: [SubscriptionLifecycle.ACTIVE],
    Target.SYSTEM: [SubscriptionLifecycle.ACTIVE],
    Target.VALIDATE: [SubscriptionLifecycle.ACTIVE],
    Target.RECONCILE: [SubscriptionLifecycle.ACTIVE],
    Target.TERMINATE: ALL_LIFECYCLES,
}
"""The guide: associated workflows run on ACTIVE only, terminate on any state; a create never
runs on an existing subscription. Reconcile, as the reference's, runs on ACTIVE."""


@dataclass(frozen=True)
class WorkflowInfo:
    name: str
    target: str
    is_task: bool = False
    description: str = ""


@dataclass(frozen=True)
class SubscriptionFacts:
    """What the guard needs to know about one subscription, read in one transaction."""

    subscription_id: uuid.UUID
    status: str
    insync: bool
    product_id: uuid.UUID
    unterminated_in_use_by: tuple[uuid.UUID, ...] = ()
    relations_out_of_sync: tuple[uuid.UUID, ...] = ()
    lock_holder: uuid.UUID | None = None


@dataclass(frozen=True)
class Verdict:
    """Allowed, or the reason code, a sentence and the details a caller can act on."""

    allowed: bool
    code: str = ""
    message: str = ""
    details: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def ok(cls) -> Verdict:
        return cls(True)

    @classmethod
    def refuse(cls, code: str, message: str, **details: Any) -> Verdict:
        return cls(False, code, message, details)


def usable_lifecycles(wf: WorkflowInfo) -> list[str]:
    return [str(s) for s in WF_USABLE_MAP.get(wf.name, TARGET_DEFAULT_USABLE.get(wf.target, []))]


def blocked_by_in_use_by(wf: WorkflowInfo) -> bool:
    return bool(WF_BLOCKED_BY_IN_USE_BY_SUBSCRIPTIONS.get(wf.name, wf.target == Target.TERMINATE))


def usable_while_out_of_sync(wf: WorkflowInfo) -> bool:
    return wf.is_task or wf.name in WF_USABLE_WHILE_OUT_OF_SYNC


def takes_lock(wf: WorkflowInfo) -> bool:
    """Only workflows that must see a subscription in sync hold its lock while they run."""
    return not usable_while_out_of_sync(wf)


def _sync_verdict(wf: WorkflowInfo, facts: SubscriptionFacts) -> Verdict | None:
    if usable_while_out_of_sync(wf):
        return None
    sid = str(facts.subscription_id)
    if not facts.insync and facts.lock_holder is not None:
        holder = str(facts.lock_holder)
        return Verdict.refuse("subscription.locked", f"Subscription {sid} is locked by process {holder}, "
                              "which has not finished", process_id=holder)
    if not facts.insync:
        return Verdict.refuse("subscription.not_in_sync", f"Subscription {sid} is out of sync; only tasks "
                              "and workflows in WF_USABLE_WHILE_OUT_OF_SYNC may run on it")
    if facts.relations_out_of_sync:
        ids = [str(i) for i in facts.relations_out_of_sync]
        return Verdict.refuse("subscription.relations_not_in_sync", f"Subscription {sid} has related "
                              f"subscriptions that are out of sync: {', '.join(ids)}", subscription_ids=ids)
    return None


def _lifecycle_verdict(wf: WorkflowInfo, facts: SubscriptionFacts) -> Verdict | None:
    allowed = usable_lifecycles(wf)
    if facts.status in allowed:
        return None
    listed = ", ".join(allowed) or "none: it creates a new subscription"
    return Verdict.refuse("subscription.invalid_lifecycle", f"Workflow {wf.name} cannot run on a "
                          f"subscription that is {facts.status}; allowed: {listed}", status=facts.status,
                          allowed=allowed)


def _in_use_verdict(wf: WorkflowInfo, facts: SubscriptionFacts) -> Verdict | None:
    if not (blocked_by_in_use_by(wf) and facts.unterminated_in_use_by):
        return None
    ids = [str(i) for i in facts.unterminated_in_use_by]
    return Verdict.refuse("subscription.in_use_by_others", f"Subscription {facts.subscription_id} is in use "
                          f"by unterminated subscriptions: {', '.join(ids)}", subscription_ids=ids)


def evaluate(wf: WorkflowInfo, facts: SubscriptionFacts | None, linked: bool) -> Verdict:
    """The one rule set, in the order an operator would fix things: sync, lifecycle, relations."""
    if facts is None:
        return Verdict.refuse("subscription.not_found", "The subscription does not exist")
    if not linked:
        return Verdict.refuse("workflow.not_linked_to_product", f"Workflow {wf.name} is not registered for "
                              f"the product of subscription {facts.subscription_id}", workflow=wf.name,
                              product_id=str(facts.product_id))
    for rule in (_sync_verdict, _lifecycle_verdict, _in_use_verdict):
        verdict = rule(wf, facts)
        if verdict is not None:
            return verdict
    return Verdict.ok()
