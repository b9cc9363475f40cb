"""NSO: the interface the workflows use, and its HTTP (RESTCONF) implementation.

Every call that changes NSO carries the step's idempotency key (process id + step index), so
that a call repeated after a crash between NSO's answer and our commit is recognised by NSO
instead of being applied twice.
"""

from __future__ import annotations

from typing import Any, Protocol
from urllib.parse import quote
from uuid import UUID

import httpx

from flows.node_enrollment.clients.errors import NsoError, NsoUnavailableError, json_answer

Device = dict[str, Any]


class NsoClient(Protocol):
    def get_device(self, device_name: str) -> Device | None:
        """The device NSO manages under this name, or None."""
        ...

    def create_service(self, service_id: UUID, device_name: str, service: dict[str, Any],
                       idempotency_key: str) -> dict[str, Any]:
        """Deploy a service on a device; repeating it with the same key changes nothing."""
        ...

    def delete_service(self, service_id: UUID, idempotency_key: str) -> None:
        """Remove a service; removing one that is gone is not an error."""
        ...


class HttpNsoClient:
    """NSO's RESTCONF API; the idempotency key travels as the `Idempotency-Key` header.

    A 4xx answer is NsoError (the request itself is wrong: retrying it changes nothing); no answer
    (refused, timeout) or a 5xx is NsoUnavailableError, which a retry of the step may get past.
    """

    def __init__(self, base_url: str, timeout: float) -> None:
        self._http = httpx.Client(base_url=base_url, timeout=timeout,
                                  headers={"Accept": "application/yang-data+json"})

    def _call(self, what: str, method: str, path: str, key: str | None = None, body: Any = None,
              not_found_ok: bool = False) -> httpx.Response:
        headers = {"Idempotency-Key": key} if key else {}
        try:
            response = self._http.request(method, path, headers=headers, json=body)
        except httpx.HTTPError as exc:
            raise NsoUnavailableError(f"{what}: {method} {path} failed: {type(exc).__name__}: {exc}") from exc
        if response.status_code == 404 and not_found_ok:
            return response
        if response.is_error:
            error = NsoUnavailableError if response.status_code >= 500 else NsoError
            raise error(f"{what}: {method} {path} answered {response.status_code}: {response.text[:200]}")
        return response

    def get_device(self, device_name: str) -> Device | None:
        what = f"get device {device_name}"
        # RESTCONF list keys are percent-encoded in the path (RFC 8040, 3.5.3): a "/" or "," in a name.
        path = f"/restconf/data/tailf-ncs:devices/device={quote(device_name, safe='')}"
        response = self._call(what, "GET", path, not_found_ok=True)
        if response.status_code == 404:
            return None
        device: Device = json_answer(response, NsoError, what, f"GET {path}", dict)
        return device

    def create_service(self, service_id: UUID, device_name: str, service: dict[str, Any],
                       idempotency_key: str) -> dict[str, Any]:
        body = {"service-id": str(service_id), "device": device_name, **service}
        self._call(f"create service {service_id} on device {device_name}", "PUT",
                   f"/restconf/data/services/node-enrollment={service_id}", idempotency_key, body)
        return body

    def delete_service(self, service_id: UUID, idempotency_key: str) -> None:
        self._call(f"delete service {service_id}", "DELETE", f"/restconf/data/services/node-enrollment={service_id}",
                   idempotency_key, not_found_ok=True)
