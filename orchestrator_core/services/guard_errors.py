"""The guard's refusals as typed errors: one class per reason code, mapped once to an HTTP status."""

from __future__ import annotations

from orchestrator_core.domain.errors import ProductNotFoundError, SubscriptionNotFoundError
from orchestrator_core.errors import OrchestratorError, WorkflowNotFoundError
from orchestrator_core.services.guard_rules import Verdict


class GuardRefusal(OrchestratorError):
    """A workflow may not start (or continue) on a subscription right now."""

    code = "subscription.refused"
    http_status = 409


class SubscriptionNotInSyncError(GuardRefusal):
    code = "subscription.not_in_sync"


class SubscriptionLockedError(GuardRefusal):
    code = "subscription.locked"


class RelationsNotInSyncError(GuardRefusal):
    code = "subscription.relations_not_in_sync"


class InvalidLifecycleError(GuardRefusal):
    code = "subscription.invalid_lifecycle"


class InUseByOthersError(GuardRefusal):
    code = "subscription.in_use_by_others"


class StaleSubscriptionError(GuardRefusal):
    """The form was filled in against an older version of the subscription."""

    code = "subscription.version_conflict"


class WorkflowNotLinkedError(GuardRefusal):
    code = "workflow.not_linked_to_product"
    http_status = 422


REFUSALS: dict[str, type[OrchestratorError]] = {
    cls.code: cls
    for cls in (SubscriptionNotInSyncError, SubscriptionLockedError, RelationsNotInSyncError,
                InvalidLifecycleError, InUseByOthersError, StaleSubscriptionError, SubscriptionNotFoundError,
                ProductNotFoundError, WorkflowNotLinkedError, WorkflowNotFoundError)
}


def refusal(verdict: Verdict) -> OrchestratorError:
    """The typed error for a negative verdict."""
    return REFUSALS.get(verdict.code, GuardRefusal)(verdict.message, **verdict.details)
