"""The vocabulary shared by workflow authors, the engine and the domain model."""

from __future__ import annotations

from pydantic_forms.types import JSON, FormGenerator, InputForm, State, UUIDstr, strEnum

__all__ = [
    "JSON",
    "Assignee",
    "FormGenerator",
    "InputForm",
    "ProcessStatus",
    "State",
    "StepStatus",
    "SubscriptionLifecycle",
    "UUIDstr",
    "strEnum",
]


class SubscriptionLifecycle(strEnum):
    INITIAL = "initial"
    ACTIVE = "active"
    MIGRATING = "migrating"
    DISABLED = "disabled"
    TERMINATED = "terminated"
    PROVISIONING = "provisioning"


class Assignee(strEnum):
    """Who is expected to act on a suspended process."""

    SYSTEM = "SYSTEM"
    NOC = "NOC"
    CHANGES = "CHANGES"
    CUSTOMER_SUPPORT = "CUSTOMER_SUPPORT"
    KLANTSUPPORT = "KLANTSUPPORT"
    """The reference system's name for customer support, kept so that its processes and code port."""


class ProcessStatus(strEnum):
    CREATED = "created"
    RUNNING = "running"
    SUSPENDED = "suspended"
    WAITING = "waiting"
    AWAITING_CALLBACK = "awaiting_callback"
    """Waits for an external system to POST its result to the process's callback route."""
    FAILED = "failed"
    ABORTED = "aborted"
    COMPLETED = "completed"
    CRASHED = "crashed"
    """The executor died while the process ran; resumable from the last committed step."""


RESUMABLE_STATUSES = frozenset(
    {ProcessStatus.FAILED, ProcessStatus.WAITING, ProcessStatus.SUSPENDED, ProcessStatus.CRASHED,
     ProcessStatus.CREATED, ProcessStatus.AWAITING_CALLBACK}
)
FINAL_STATUSES = frozenset({ProcessStatus.COMPLETED, ProcessStatus.ABORTED})


class StepStatus(strEnum):
    SUCCESS = "success"
    SKIPPED = "skipped"
    SUSPEND = "suspend"
    WAITING = "waiting"
    AWAITING_CALLBACK = "awaiting_callback"
    FAILED = "failed"
    ABORT = "abort"
    COMPLETE = "complete"
