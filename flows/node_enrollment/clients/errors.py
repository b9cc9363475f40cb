"""Failures of the external systems, typed so a step's error says which system and why."""

from __future__ import annotations

from typing import Any


class NetworkClientError(RuntimeError):
    """An external system refused or could not be reached; the step fails and can be retried."""

    system = "network"

    def __init__(self, message: str) -> None:
        super().__init__(f"{self.system}: {message}")


class EsdbError(NetworkClientError):
    system = "ESDB"


class NsoError(NetworkClientError):
    system = "NSO"


class NsoUnavailableError(NsoError):
    """NSO did not answer (down, timeout) or answered 5xx: retrying is safe, as every change carries
    the step's idempotency key (a timed-out change NSO did apply is recognised, not applied twice)."""


def json_answer(response: Any, error: type[NetworkClientError], what: str, request: str, shape: type) -> Any:
    """The answer's JSON body, which must be a `shape`: a body that is not JSON (a proxy's error page)
    or of another shape is the system's error, named, not a crash deeper in a step."""
    try:
        body = response.json()
    except ValueError as exc:
        raise error(f"{what}: {request} answered {response.status_code} without JSON: "
                    f"{response.text[:200]!r}") from exc
    if not isinstance(body, shape):
        raise error(f"{what}: {request} answered a JSON {type(body).__name__}, expected a {shape.__name__}")
    return body
