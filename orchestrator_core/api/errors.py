"""The one place where refusals become HTTP answers: `{code, message, details}` with the error's status.

Services raise typed `OrchestratorError`s; request validation errors become 422 with field paths; the
request guard's refusals (before any route runs) use `refusal_response`. Nothing else in the API builds
an error body, so every refusal looks the same to a client. A browser's request (orchestrator-ui) gets the
reference's keys and form statuses besides (`ui_errors`).
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from orchestrator_core.errors import OrchestratorError

logger = logging.getLogger(__name__)


class ApiError(OrchestratorError):
    """A refusal that only the HTTP layer knows about (a bad token, a missing page)."""

    def __init__(self, http_status: int, code: str, message: str, **details: Any) -> None:
        super().__init__(message, **details)
        self.http_status = http_status
        self.code = code


class UnauthenticatedError(OrchestratorError):
    code = "auth.unauthenticated"
    http_status = 401


def _body(code: str, message: str, details: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"code": code, "message": message, "details": details or {}}


def refusal_response(
    http_status: int, code: str, message: str, headers: dict[str, str] | None = None, **details: Any
) -> JSONResponse:
    """A refusal made outside the routes (by the request guard), in the same shape."""
    return JSONResponse(_body(code, message, details), status_code=http_status, headers=headers)


async def orchestrator_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, OrchestratorError)
    from orchestrator_core.api import ui_errors

    headers = {"WWW-Authenticate": "Bearer"} if exc.http_status == 401 else None
    status, body = exc.http_status, _body(exc.code, exc.message, exc.details)
    if ui_errors.from_browser(request):  # orchestrator-ui: the reference's statuses and keys besides ours
        status, body = ui_errors.for_browser(exc, body)
    return JSONResponse(body, status_code=status, headers=headers)


def _field(loc: tuple[Any, ...]) -> str:
    return ".".join(str(p) for p in loc) or "(request)"


async def request_validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    fields = [
        {"field": _field(tuple(e.get("loc", ()))), "message": e.get("msg", ""), "type": e.get("type", "")}
        for e in exc.errors()
    ]
    summary = "; ".join(f"{f['field']}: {f['message']}" for f in fields)
    return JSONResponse(_body("request.invalid", f"Invalid request: {summary}", {"fields": fields}), status_code=422)


async def http_error(_request: Request, exc: Exception) -> JSONResponse:
    """Starlette's own refusals (unknown route, wrong method) in our shape."""
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 400:  # a body FastAPI could not even decode: invalid input like malformed JSON
        return JSONResponse(_body("request.invalid", f"Invalid request: {exc.detail}"), status_code=422)
    code = {404: "route.not_found", 405: "route.method_not_allowed"}.get(exc.status_code, "http.error")
    return JSONResponse(_body(code, str(exc.detail)), status_code=exc.status_code, headers=exc.headers)


def _foreign(exc: Exception) -> OrchestratorError | None:
    """Typed errors of layers that do not derive from OrchestratorError, given a status here once."""
    from orchestrator_core.domain import DomainModelError
    from orchestrator_core.injection import MissingStepArgumentError

    if isinstance(exc, OrchestratorError):  # a domain refusal that is one of ours (SubscriptionNotFoundError)
        return exc
    if isinstance(exc, DomainModelError):
        return ApiError(422, "domain.invalid", str(exc), error=type(exc).__name__)
    if isinstance(exc, MissingStepArgumentError):
        return ApiError(422, "form.missing_input", str(exc), missing=exc.missing)
    if isinstance(exc, DataError):
        # the database refused a value the client sent (a NUL byte, a number out of range): nothing written
        return ApiError(
            422,
            "request.unstorable",
            "A value in the request cannot be stored",
            error=str(exc.orig).splitlines()[0] if exc.orig else "",
        )
    return None


async def foreign_error(request: Request, exc: Exception) -> JSONResponse:
    mapped = _foreign(exc)
    if mapped is not None:
        return await orchestrator_error(request, mapped)
    return await unexpected_error(request, exc)


async def unexpected_error(_request: Request, exc: Exception) -> JSONResponse:
    """A bug, not a refusal: logged with its traceback, answered in the same shape."""
    logger.error("Unhandled error in the API", exc_info=exc)
    return JSONResponse(_body("internal.error", f"Internal error: {type(exc).__name__}"), status_code=500)


def install(app: FastAPI) -> None:
    from orchestrator_core.domain import DomainModelError
    from orchestrator_core.injection import MissingStepArgumentError

    app.add_exception_handler(OrchestratorError, orchestrator_error)
    app.add_exception_handler(RequestValidationError, request_validation_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(DomainModelError, foreign_error)
    app.add_exception_handler(MissingStepArgumentError, foreign_error)
    app.add_exception_handler(DataError, foreign_error)
    app.add_exception_handler(Exception, unexpected_error)
