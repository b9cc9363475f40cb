"""The external systems of Node Enrollment, chosen by ORCHESTRATOR_NETWORK_CLIENTS (fake|http).

Steps call the guide's plain functions (`get_nodes`, `get_detailed_node`, `get_device`) or
`esdb()` / `nso()` for the client itself; the choice is made per call, so tests and the demo
can switch settings without re-importing anything.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from flows.node_enrollment.clients.errors import EsdbError, NetworkClientError, NsoError, NsoUnavailableError
from flows.node_enrollment.clients.esdb import EsdbClient, HttpEsdbClient
from flows.node_enrollment.clients.fakes import NETWORK, FakeEsdbClient, FakeNsoClient
from flows.node_enrollment.clients.nso import HttpNsoClient, NsoClient
from flows.node_enrollment.settings import settings


@lru_cache(maxsize=4)
def _http_esdb(base_url: str, timeout: float) -> HttpEsdbClient:
    return HttpEsdbClient(base_url, timeout)


@lru_cache(maxsize=4)
def _http_nso(base_url: str, timeout: float) -> HttpNsoClient:
    return HttpNsoClient(base_url, timeout)


def esdb() -> EsdbClient:
    if settings.ORCHESTRATOR_NETWORK_CLIENTS == "http":
        return _http_esdb(settings.ORCHESTRATOR_ESDB_URL, settings.ORCHESTRATOR_NETWORK_TIMEOUT_SECONDS)
    return FakeEsdbClient()


def nso() -> NsoClient:
    if settings.ORCHESTRATOR_NETWORK_CLIENTS == "http":
        return _http_nso(settings.ORCHESTRATOR_NSO_URL, settings.ORCHESTRATOR_NETWORK_TIMEOUT_SECONDS)
    return FakeNsoClient()


def get_nodes() -> list[dict[str, Any]]:
    return esdb().get_nodes()


def get_detailed_node(esdb_node_id: int) -> dict[str, Any]:
    return esdb().get_detailed_node(esdb_node_id)


def get_device(device_name: str) -> dict[str, Any] | None:
    return nso().get_device(device_name)


__all__ = [
    "NETWORK",
    "EsdbClient",
    "EsdbError",
    "NetworkClientError",
    "NsoClient",
    "NsoError",
    "NsoUnavailableError",
    "esdb",
    "get_detailed_node",
    "get_device",
    "get_nodes",
    "nso",
]
