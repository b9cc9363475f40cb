"""Refusals as orchestrator-ui reads them, for requests from a browser.

orchestrator-ui's forms (pydantic-forms) act on the statuses and bodies of the reference, whose form
errors are pydantic-forms' own: 510 with the next page under top-level `form` and `meta`; 400 with
`validation_errors` (`loc`, `msg`, `type`) for invalid input; 412 with `detail` when a start is refused
(its toast). Its other error toasts read `detail`. Our clients (CLI, scripts) get our statuses (422 for
invalid input, 409 for the guard's refusals) and our body `{code, message, details}`.

A browser is told apart by its `Origin` header, which browsers send with every write (fetch, forms) and
other clients do not; its answers carry our body plus the reference's keys, with the reference's status
for invalid input (400) and the guard's refusals (412). Our own web page reads only `message` and the
510 status, so it works with either.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from starlette.requests import Request

from orchestrator_core.errors import OrchestratorError
from orchestrator_core.forms.validation import FormIncompleteError, FormInvalidError
from orchestrator_core.services.guard_errors import GuardRefusal


def from_browser(request: Request) -> bool:
    return request.headers.get("origin") is not None


def _loc(field: str) -> list[Any]:
    return [int(part) if part.isdigit() else part for part in field.split(".")] if field else ["__root__"]


def _validation_errors(exc: OrchestratorError) -> list[dict[str, Any]]:
    fields = exc.details.get("fields") or [{"field": "(form)", "message": exc.message, "type": "value_error"}]
    return [
        {"loc": _loc("" if f.get("field") in (None, "(form)") else str(f["field"])), "msg": f.get("message", ""),
         "type": f.get("type", "value_error")}
        for f in fields
    ]


def for_browser(exc: OrchestratorError, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    """The status and body a browser gets for `exc`, whose answer to others is (exc.http_status, body)."""
    status = exc.http_status
    extra: dict[str, Any] = {"detail": exc.message}
    if isinstance(exc, FormIncompleteError):
        extra.update(type="FormNotCompleteError", title="Form not complete", form=exc.details.get("form"),
                     meta=exc.details.get("meta"))
    elif isinstance(exc, FormInvalidError):
        status = HTTPStatus.BAD_REQUEST
        extra.update(type="FormValidationError", title="Form not valid", validation_errors=_validation_errors(exc))
    elif isinstance(exc, GuardRefusal) and status == HTTPStatus.CONFLICT:
        status = HTTPStatus.PRECONDITION_FAILED
        extra.update(type=type(exc).__name__, title="Refused by the guard")
    return status, {**body, **extra, "status": status}
