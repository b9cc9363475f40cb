"""The standard steps the workflow wrappers put around an author's steps.

`store_process_subscription` links the process to its subscription, `unsync` makes sure this
process holds the subscription's lock (the start already took it; a run that got here any other
way takes it now), `resync` gives the lock back, `set_status` moves the lifecycle.
"""

from __future__ import annotations

import uuid
from typing import Any

from orchestrator_core.db import session
from orchestrator_core.domain.errors import SubscriptionNotFoundError
from orchestrator_core.services import subscription_lock
from orchestrator_core.services.guard_errors import SubscriptionLockedError
from orchestrator_core.services.guard_rules import takes_lock
from orchestrator_core.services.subscription_facts import as_uuid, lock_state, subscription_row
from orchestrator_core.services.subscriptions import workflow_info
from orchestrator_core.targets import Target
from orchestrator_core.types import State, SubscriptionLifecycle
from orchestrator_core.workflow import Step, step


def subscription_id_of(state: State) -> uuid.UUID:
    """The subscription a step works on: `subscription_id`, else the id inside `subscription`."""
    raw = state.get("subscription_id")
    if raw is None and state.get("subscription") is not None:
        sub = state["subscription"]
        raw = sub.get("subscription_id") if isinstance(sub, dict) else getattr(sub, "subscription_id", None)
    sid = as_uuid(raw) if raw is not None else None
    if sid is None:
        raise SubscriptionNotFoundError("The state holds no subscription_id; a step before this one must "
                                       "return the subscription (or its id)")
    return sid


def subscription_snapshot(subscription_id: uuid.UUID) -> dict[str, Any]:
    """The subscription as JSON for the state: the domain model if it loads, else its row."""
    from orchestrator_core.domain import SubscriptionModel

    try:
        return SubscriptionModel.from_subscription(subscription_id).model_dump(mode="json")
    except (LookupError, ValueError):  # no model registered for the product, or not valid in this lifecycle
        row = subscription_row(session(), subscription_id)
        if row is None:
            raise SubscriptionNotFoundError(f"Subscription {subscription_id} does not exist") from None
        columns = ("subscription_id", "description", "status", "product_id", "customer_id", "insync",
                   "start_date", "end_date", "note", "version")
        return {name: getattr(row, name) for name in columns}


def _locks(workflow_name: str | None) -> bool:
    info = workflow_info(workflow_name) if workflow_name else None
    return info is None or takes_lock(info)


class _StoreProcessSubscription(Step):
    """The store step itself, also callable as `store_process_subscription(Target.X)` (guide style)."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        target_only = not args or args[0] is None or isinstance(args[0], str)
        configuring = not kwargs and len(args) <= 1 and target_only
        if configuring:
            return _StoreProcessSubscription(self.name, _make_store(args[0] if args else None))
        return self.func(*args, **kwargs)


def _make_store(workflow_target: Target | str | None) -> Any:
    def store_process_subscription(process_id: str, state: State) -> State:
        sid = subscription_id_of(state)
        target = str(workflow_target or state.get("workflow_target") or "")
        if not subscription_lock.link_existing(session(), uuid.UUID(str(process_id)), sid, target or None):
            raise SubscriptionNotFoundError(f"Subscription {sid} does not exist; a step before this one "
                                           "must save it")
        return {"subscription_id": str(sid)}

    return store_process_subscription


store_process_subscription = _StoreProcessSubscription("Create Process Subscription relation",
                                                       _make_store(None))


@step(subscription_lock.LOCK_STEP)
def unsync(process_id: str, state: State, __old_subscriptions__: dict[str, Any] | None = None) -> State:
    """Hold the lock (taken at the start) and keep a backup of the subscription as it was."""
    sid, pid = subscription_id_of(state), uuid.UUID(str(process_id))
    if _locks(state.get("workflow_name")):
        # one statement in the usual case (the start took the lock for this process): the row locked,
        # its insync flag and its holder; the compare-and-set only when the lock is free
        found = lock_state(session(), sid)
        insync, holder = found if found is not None else (False, None)
        if not (insync and subscription_lock.try_lock(session(), sid)) and holder not in (None, pid):
            raise SubscriptionLockedError(f"Subscription {sid} is locked by process {holder}",
                                          process_id=str(holder), subscription_id=str(sid))
    snapshot = subscription_snapshot(sid)
    backup = dict(__old_subscriptions__ or {})
    backup.setdefault(str(sid), snapshot)
    return {"subscription": snapshot, "__old_subscriptions__": backup}


@step(subscription_lock.UNLOCK_STEP)
def resync(process_id: str, state: State) -> State:
    """Give the lock back, unless another process holds it (a workflow that never took one)."""
    sid = subscription_id_of(state)
    snapshot = subscription_snapshot(sid)  # read before the unlock, which changes only `insync`
    pid = uuid.UUID(str(process_id))
    if _locks(state.get("workflow_name")) and subscription_lock.unlock_unless_held_by_another(session(), sid, pid):
        snapshot["insync"] = True
    return {"subscription": snapshot}


def set_status(status: SubscriptionLifecycle) -> Step:
    """A step that moves the subscription to `status` (validated against that lifecycle's model)."""

    @step(f"Set subscription to '{status}'")
    def _set_status(state: State) -> State:
        from orchestrator_core.domain import SubscriptionModel, change_lifecycle

        model = SubscriptionModel.from_subscription(subscription_id_of(state))
        return {"subscription": change_lifecycle(model, status)}

    return _set_status


__all__ = ["resync", "set_status", "store_process_subscription", "subscription_id_of", "unsync"]
