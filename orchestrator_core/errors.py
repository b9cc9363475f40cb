"""Refusals of the engine and the services: each a reason code and a sentence."""

from __future__ import annotations

from typing import Any


class OrchestratorError(Exception):
    """Base of every refusal; `code` is stable and machine-readable, the message is for people."""

    code = "orchestrator.error"
    http_status = 400

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, **({"details": self.details} if self.details else {})}


class WorkflowNotFoundError(OrchestratorError):
    code = "workflow.unknown"
    http_status = 404


class ProcessNotFoundError(OrchestratorError):
    code = "process.not_found"
    http_status = 404


class ProcessNotResumableError(OrchestratorError):
    code = "process.not_resumable"
    http_status = 409


class ProcessBusyError(OrchestratorError):
    code = "process.running_elsewhere"
    http_status = 409


class ForbiddenError(OrchestratorError):
    """A workflow's authorization callback refused the caller; `details["reason"]` says for what
    (`start_not_authorized`, `resume_not_authorized`, `retry_not_authorized`)."""

    code = "auth.forbidden"
    http_status = 403


class ExecutorUnavailableError(OrchestratorError):
    code = "prefect.unavailable"
    http_status = 503


class ExecutorRefusedError(OrchestratorError):
    """Prefect answered, but refused the state change (it says so with HTTP 2xx and REJECT/ABORT)."""

    code = "prefect.rejected"
    http_status = 409
