"""In-process fakes of ESDB and NSO for the demo and the tests (the sanctioned fakes: no mocks).

One shared `FakeNetwork` holds a few nodes and devices; `reset()` puts it back for the next
test. The fake NSO remembers every change by idempotency key, so a repeated call returns the
first answer and is counted in `repeats` instead of being applied twice. `outage(calls=1)`
makes NSO unreachable for the next call(s), which is how the demo shows a retried step; from outside
the process, `python main.py fakes nso down` / `up` does the same until undone (clients/control.py).
"""

from __future__ import annotations

import copy
import threading
import uuid
from dataclasses import dataclass, field
from typing import Any

from flows.node_enrollment.clients import control
from flows.node_enrollment.clients.errors import EsdbError, NsoError, NsoUnavailableError

NODES: list[dict[str, Any]] = [
    {"id": 101, "name": "ams-rt1", "site": "ams", "management_url": "https://ams-rt1.mgmt.example.net"},
    {"id": 102, "name": "ams-rt2", "site": "ams", "management_url": "https://ams-rt2.mgmt.example.net"},
    {"id": 201, "name": "lon-rt1", "site": "lon", "management_url": "https://lon-rt1.mgmt.example.net"},
    {"id": 301, "name": "par-rt1", "site": "par", "management_url": "https://par-rt1.mgmt.example.net"},
]
"""ESDB's nodes; par-rt1 is in the inventory but not (yet) in NSO."""

DEVICES = ["ams-rt1", "ams-rt2", "lon-rt1"]
"""The devices NSO manages."""


def _node_uuid(node_id: int) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"esdb:node:{node_id}"))


@dataclass
class FakeNetwork:
    nodes: dict[int, dict[str, Any]] = field(default_factory=dict)
    devices: dict[str, dict[str, Any]] = field(default_factory=dict)
    services: dict[str, dict[str, Any]] = field(default_factory=dict)
    calls: dict[str, dict[str, Any]] = field(default_factory=dict)
    repeats: dict[str, int] = field(default_factory=dict)
    outage_calls: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def reset(self) -> None:
        with self.lock:
            self.nodes = {n["id"]: {**n, "uuid": _node_uuid(n["id"])} for n in NODES}
            self.devices = {name: {"name": name, "state": "in-sync", "platform": "junos"} for name in DEVICES}
            self.services.clear()
            self.calls.clear()
            self.repeats.clear()
            self.outage_calls = 0

    def outage(self, calls: int = 1) -> None:
        """NSO does not answer the next `calls` calls."""
        with self.lock:
            self.outage_calls = calls

    def _nso_reachable(self) -> None:
        if control.is_down("nso"):
            raise NsoUnavailableError("connection refused (NSO is down: `python main.py fakes nso up` restores it)")
        if self.outage_calls > 0:
            self.outage_calls -= 1
            raise NsoUnavailableError("connection refused (fake outage)")


NETWORK = FakeNetwork()
NETWORK.reset()


def _esdb_reachable() -> None:
    if control.is_down("esdb"):
        raise EsdbError("connection refused (ESDB is down: `python main.py fakes esdb up` restores it)")


class FakeEsdbClient:
    def __init__(self, network: FakeNetwork = NETWORK) -> None:
        self.network = network

    def get_nodes(self) -> list[dict[str, Any]]:
        _esdb_reachable()
        with self.network.lock:
            return [{"id": n["id"], "name": n["name"]} for n in self.network.nodes.values()]

    def get_detailed_node(self, esdb_node_id: int) -> dict[str, Any]:
        _esdb_reachable()
        with self.network.lock:
            node = self.network.nodes.get(int(esdb_node_id))
            if node is None:
                raise EsdbError(f"node {esdb_node_id} does not exist")
            return copy.deepcopy(node)


class FakeNsoClient:
    def __init__(self, network: FakeNetwork = NETWORK) -> None:
        self.network = network

    def get_device(self, device_name: str) -> dict[str, Any] | None:
        with self.network.lock:
            self.network._nso_reachable()
            device = self.network.devices.get(device_name)
            return copy.deepcopy(device) if device is not None else None

    def _once(self, idempotency_key: str, apply: Any) -> Any:
        with self.network.lock:
            self.network._nso_reachable()
            if idempotency_key in self.network.calls:
                self.network.repeats[idempotency_key] = self.network.repeats.get(idempotency_key, 0) + 1
                return copy.deepcopy(self.network.calls[idempotency_key]["result"])
            result = apply()
            self.network.calls[idempotency_key] = {"result": copy.deepcopy(result)}
            return result

    def create_service(self, service_id: uuid.UUID, device_name: str, service: dict[str, Any],
                       idempotency_key: str) -> dict[str, Any]:
        def apply() -> dict[str, Any]:
            if device_name not in self.network.devices:
                raise NsoError(f"create service {service_id} on device {device_name}: the device is not managed by NSO")
            record = {"service-id": str(service_id), "device": device_name, **service}
            self.network.services[str(service_id)] = record
            return record

        return self._once(idempotency_key, apply)

    def delete_service(self, service_id: uuid.UUID, idempotency_key: str) -> None:
        self._once(idempotency_key, lambda: self.network.services.pop(str(service_id), None))
