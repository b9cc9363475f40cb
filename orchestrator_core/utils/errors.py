"""Errors a workflow's steps raise, and the error dict a failed step's state records (the reference's
`orchestrator.core.utils.errors`)."""

from __future__ import annotations

import traceback
from typing import Any

from pydantic_forms.types import JSON

from orchestrator_core.errors import OrchestratorError


class ProcessFailureError(Exception):
    """Raised by a step to fail its process with a message for the operator and structured `details`
    (a device's answer, a playbook's output), both recorded in the failed step's state."""

    message: str
    details: JSON

    def __init__(self, message: str, details: JSON = None) -> None:
        super().__init__(message, details)
        self.message = message
        self.details = details

    def __str__(self) -> str:
        return self.message


class InconsistentDataError(ProcessFailureError):
    """The data a step found contradicts itself (in our database or an external system's)."""


class StartPredicateError(OrchestratorError):
    """A workflow's `run_predicate` refused to let it start; nothing was written."""

    code = "workflow.start_predicate_failed"
    http_status = 412

    def __init__(self, workflow_key: str, message: str) -> None:
        super().__init__(message, workflow=workflow_key)
        self.workflow_key = workflow_key


def error_state_to_dict(err: BaseException) -> dict[str, Any]:
    """What a failed step's state records about `err`: its class, message and traceback, and for a
    `ProcessFailureError` its details."""
    found: dict[str, Any] = {"class": type(err).__name__, "error": str(err) or type(err).__name__,
                             "traceback": "".join(traceback.format_exception(err))}
    if isinstance(err, ProcessFailureError):
        found["details"] = err.details
    return found


__all__ = ["InconsistentDataError", "ProcessFailureError", "StartPredicateError", "error_state_to_dict"]
