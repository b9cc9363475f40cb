"""NSO: the interface the workflows use, and its HTTP (RESTCONF) implementation.

Every call that changes NSO carries the step's idempotency key (process id + step index), so
that a call repeated after a crash between NSO's answer and our commit is recognised by NSO
instead of being applied twice.
"""

from __future__ import annotations

from typing import Any, Protocol
from uuid import UUID

import httpx

from flows.node_enrollment.clients.errors import NsoError, NsoUnavailableError

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
    """NSO's RESTCONF API; the idempotency key travels as the `Idempotency-Key` header."""

    def __init__(self, base_url: str, timeout: float) -> None:
        self._http = httpx.Client(base_url=base_url, timeout=timeout,
                                  headers={"Accept": "application/yang-data+json"})

    def _call(self, method: str, path: str, key: str | None = None, body: Any = None) -> httpx.Response:
        headers = {"Idempotency-Key": key} if key else {}
        try:
            return self._http.request(method, path, headers=headers, json=body)
        except httpx.HTTPError as exc:
            raise NsoUnavailableError(f"{method} {path} failed: {exc}") from exc

    def get_device(self, device_name: str) -> Device | None:
        response = self._call("GET", f"/restconf/data/tailf-ncs:devices/device={device_name}")
        if response.status_code == 404:
            return None
        if response.is_error:
            raise NsoError(f"device {device_name}: {response.status_code} {response.text[:200]}")
        return dict(response.json())

    def create_service(self, service_id: UUID, device_name: str, service: dict[str, Any],
                       idempotency_key: str) -> dict[str, Any]:
        body = {"service-id": str(service_id), "device": device_name, **service}
        response = self._call("PUT", f"/restconf/data/services/node-enrollment={service_id}", idempotency_key, body)
        if response.is_error:
            raise NsoError(f"create service {service_id}: {response.status_code} {response.text[:200]}")
        return body

    def delete_service(self, service_id: UUID, idempotency_key: str) -> None:
        response = self._call("DELETE", f"/restconf/data/services/node-enrollment={service_id}", idempotency_key)
        if response.is_error and response.status_code != 404:
            raise NsoError(f"delete service {service_id}: {response.status_code} {response.text[:200]}")
