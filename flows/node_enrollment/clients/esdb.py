"""The ESDB node inventory: the interface the workflows use, and its HTTP implementation.

A node is a plain dict as ESDB returns it: `id`, `name`, `uuid`, `site`, `management_url`.
"""

from __future__ import annotations

from typing import Any, Protocol

import httpx

from flows.node_enrollment.clients.errors import EsdbError, json_answer

Node = dict[str, Any]


class EsdbClient(Protocol):
    def get_nodes(self) -> list[Node]:
        """Every node in the inventory (summary fields: id, name)."""
        ...

    def get_detailed_node(self, esdb_node_id: int) -> Node:
        """One node with all its fields; raises EsdbError when it does not exist."""
        ...


class HttpEsdbClient:
    """ESDB's REST API: GET /api/v1/nodes and /api/v1/nodes/{id}."""

    def __init__(self, base_url: str, timeout: float) -> None:
        self._http = httpx.Client(base_url=base_url, timeout=timeout)

    def _get(self, path: str, what: str, shape: type) -> Any:
        try:
            response = self._http.get(path)
        except httpx.HTTPError as exc:
            raise EsdbError(f"{what}: GET {path} failed: {type(exc).__name__}: {exc}") from exc
        if response.status_code == 404:
            raise EsdbError(f"{what} does not exist (GET {path} answered 404)")
        if response.is_error:
            raise EsdbError(f"{what}: GET {path} answered {response.status_code}: {response.text[:200]}")
        return json_answer(response, EsdbError, what, f"GET {path}", shape)

    def get_nodes(self) -> list[Node]:
        return list(self._get("/api/v1/nodes", "the node list", list))

    def get_detailed_node(self, esdb_node_id: int) -> Node:
        node_id = int(esdb_node_id)
        return dict(self._get(f"/api/v1/nodes/{node_id}", f"node {node_id}", dict))
