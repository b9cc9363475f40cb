"""The ESDB and NSO HTTP clients over real HTTP, against a small in-memory ESDB + NSO server.

The server (stdlib `http.server` on a free loopback port, one thread per request) speaks the
contract the clients expect: ESDB's `GET /api/v1/nodes[/{id}]`, NSO's RESTCONF device read and
service PUT/DELETE, the latter honouring the `Idempotency-Key` header the way NSO is expected to
(a repeated key replays the first answer and changes nothing). It is seeded with the same nodes
and devices as the in-process fakes, so the contract tests run the same calls against the fake
and the HTTP client and expect the same answers, errors and NSO contents. Faults (an error
status, a dropped connection, an answer that never comes) are queued per test.
"""

from __future__ import annotations

import copy
import json
import re
import socket
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest

from flows.node_enrollment import clients
from flows.node_enrollment.clients import EsdbClient, EsdbError, NsoClient, NsoError, NsoUnavailableError
from flows.node_enrollment.clients.esdb import HttpEsdbClient
from flows.node_enrollment.clients.fakes import NODES, FakeEsdbClient, FakeNetwork, FakeNsoClient
from flows.node_enrollment.clients.nso import HttpNsoClient
from flows.node_enrollment.settings import settings

TIMEOUT = 2.0
SHORT_TIMEOUT = 0.3

SUMMARIES = [{"id": n["id"], "name": n["name"]} for n in NODES]


def esdb_uuid(node_id: int) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"esdb:node:{node_id}"))


# --- the server ----------------------------------------------------------------------------------


@dataclass
class Fault:
    """What the server does to the next request instead of (or after) serving it."""

    status: int | None = None
    body: str = ""
    content_type: str = "text/plain"
    drop: bool = False
    """Close the connection without answering."""
    stall: bool = False
    """Never answer (until the test ends); with `apply`, the request is carried out first."""
    apply: bool = False


def restconf_error(tag: str, message: str) -> dict[str, Any]:
    return {
        "ietf-restconf:errors": {"error": [{"error-type": "application", "error-tag": tag, "error-message": message}]}
    }


@dataclass
class Systems:
    """ESDB's inventory and NSO's devices and services, as the server keeps them: in memory."""

    nodes: dict[int, dict[str, Any]] = field(default_factory=dict)
    devices: dict[str, dict[str, Any]] = field(default_factory=dict)
    services: dict[str, dict[str, Any]] = field(default_factory=dict)
    answers: dict[str, tuple[int, Any]] = field(default_factory=dict)
    repeats: dict[str, int] = field(default_factory=dict)
    faults: list[Fault] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    release: threading.Event = field(default_factory=threading.Event)

    @classmethod
    def seeded(cls) -> Systems:
        seed = FakeNetwork()
        seed.reset()
        return cls(nodes=copy.deepcopy(seed.nodes), devices=copy.deepcopy(seed.devices))

    def fail_next(self, fault: Fault) -> None:
        with self.lock:
            self.faults.append(fault)

    def next_fault(self) -> Fault | None:
        with self.lock:
            return self.faults.pop(0) if self.faults else None

    def route(self, method: str, raw_path: str, headers: Any, raw_body: bytes) -> tuple[int, Any]:
        path = urlsplit(raw_path).path
        with self.lock:
            if method != "GET" and path.startswith("/api/"):
                return 405, {"detail": "Method not allowed"}
            if path == "/api/v1/nodes":
                return 200, [{"id": n["id"], "name": n["name"]} for n in self.nodes.values()]
            if m := re.fullmatch(r"/api/v1/nodes/(\d+)", path):
                node = self.nodes.get(int(m[1]))
                return (200, copy.deepcopy(node)) if node is not None else (404, {"detail": "Node not found"})
            if not path.startswith("/restconf/"):
                return 404, {"detail": "Not found"}
            if headers.get("Accept") != "application/yang-data+json":
                return 406, restconf_error("invalid-value", "Accept must be application/yang-data+json")
            if m := re.fullmatch(r"/restconf/data/tailf-ncs:devices/device=([^/]+)", path):
                device = self.devices.get(unquote(m[1]))
                if device is None:
                    return 404, restconf_error("invalid-value", "uri keypath not found")
                return 200, copy.deepcopy(device)
            if m := re.fullmatch(r"/restconf/data/services/node-enrollment=([^/]+)", path):
                key = headers.get("Idempotency-Key")
                if not key:
                    return 400, restconf_error("missing-attribute", "Idempotency-Key header required")
                if key in self.answers:
                    self.repeats[key] = self.repeats.get(key, 0) + 1
                    return self.answers[key]
                answer = self._change(method, unquote(m[1]), raw_body)
                if answer[0] < 400 or answer[0] == 404:
                    self.answers[key] = answer
                return answer
            return 404, restconf_error("invalid-value", "uri keypath not found")

    def _change(self, method: str, service_id: str, raw_body: bytes) -> tuple[int, Any]:
        if method == "DELETE":
            if self.services.pop(service_id, None) is None:
                return 404, restconf_error("data-missing", f"service {service_id} does not exist")
            return 204, None
        if method != "PUT":
            return 405, restconf_error("operation-not-supported", method)
        try:
            body = json.loads(raw_body)
        except ValueError:
            return 400, restconf_error("malformed-message", "body is not JSON")
        if not isinstance(body, dict) or body.get("service-id") != service_id:
            return 400, restconf_error("invalid-value", "service-id in the body differs from the key in the path")
        if body.get("device") not in self.devices:
            return 400, restconf_error("invalid-value", f"device {body.get('device')} is not managed by NSO")
        existed = service_id in self.services
        self.services[service_id] = body
        return (204 if existed else 201), None


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 5  # an idle keep-alive connection's thread ends after this
    disable_nagle_algorithm = True  # headers and body go out in two writes: no 40 ms delayed-ACK stall
    server: Server

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self._serve("GET")

    def do_PUT(self) -> None:
        self._serve("PUT")

    def do_DELETE(self) -> None:
        self._serve("DELETE")

    def _serve(self, method: str) -> None:
        raw_body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        systems = self.server.systems
        fault = systems.next_fault()
        if fault is not None and fault.apply:
            systems.route(method, self.path, self.headers, raw_body)
        if fault is not None and (fault.drop or fault.stall):
            if fault.stall:
                systems.release.wait(30)
            self.close_connection = True
            return
        if fault is not None and fault.status is not None:
            self._send(fault.status, fault.body.encode(), fault.content_type)
            return
        status, body = systems.route(method, self.path, self.headers, raw_body)
        content_type = "application/yang-data+json" if self.path.startswith("/restconf/") else "application/json"
        self._send(status, b"" if body is None else json.dumps(body).encode(), content_type)

    def _send(self, status: int, payload: bytes, content_type: str) -> None:
        self.send_response(status)
        if payload:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


class Server(ThreadingHTTPServer):
    daemon_threads = True
    systems: Systems


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    httpd = Server(("127.0.0.1", 0), Handler)
    httpd.systems = Systems.seeded()
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()
    thread.join(5)


@pytest.fixture
def systems(server: Server) -> Iterator[Systems]:
    server.systems = Systems.seeded()
    yield server.systems
    server.systems.release.set()  # a stalled request ends


@pytest.fixture
def url(server: Server, systems: Systems) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}"


@pytest.fixture(scope="module")
def http_clients(server: Server) -> tuple[HttpEsdbClient, HttpNsoClient]:
    """One pair for the module, as the application keeps one per URL (building one costs ~0.1 s)."""
    base = f"http://127.0.0.1:{server.server_address[1]}"
    return HttpEsdbClient(base, TIMEOUT), HttpNsoClient(base, TIMEOUT)


@pytest.fixture
def esdb(http_clients: tuple[HttpEsdbClient, HttpNsoClient], systems: Systems) -> HttpEsdbClient:
    return http_clients[0]


@pytest.fixture
def nso(http_clients: tuple[HttpEsdbClient, HttpNsoClient], systems: Systems) -> HttpNsoClient:
    return http_clients[1]


@pytest.fixture
def refused_url() -> Iterator[str]:
    """A loopback port that is bound but not listening: connecting to it is refused."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    sock.close()


# --- the contract: the fake and the HTTP client, same calls, same outcome -----------------------


@dataclass
class Backend:
    esdb: EsdbClient
    nso: NsoClient
    services: Callable[[], dict[str, dict[str, Any]]]
    """What NSO holds now, by service id."""
    outage: Callable[[], None]
    """NSO does not answer the next call."""


@pytest.fixture(params=["fake", "http"])
def backend(request: pytest.FixtureRequest) -> Backend:
    if request.param == "fake":
        network = FakeNetwork()
        network.reset()
        return Backend(
            FakeEsdbClient(network), FakeNsoClient(network), lambda: network.services, lambda: network.outage(calls=1)
        )
    systems: Systems = request.getfixturevalue("systems")
    return Backend(
        request.getfixturevalue("esdb"),
        request.getfixturevalue("nso"),
        lambda: systems.services,
        lambda: systems.fail_next(Fault(drop=True)),
    )


def test_get_nodes_lists_every_node_by_id_and_name(backend: Backend):
    assert backend.esdb.get_nodes() == SUMMARIES


def test_get_detailed_node_returns_all_its_fields(backend: Backend):
    assert backend.esdb.get_detailed_node(201) == {**NODES[2], "uuid": esdb_uuid(201)}


def test_a_missing_node_is_an_esdb_error_naming_it(backend: Backend):
    with pytest.raises(EsdbError, match=r"^ESDB: node 999 does not exist"):
        backend.esdb.get_detailed_node(999)


def test_get_device_returns_the_device_or_none(backend: Backend):
    assert backend.nso.get_device("ams-rt1") == {"name": "ams-rt1", "state": "in-sync", "platform": "junos"}
    assert backend.nso.get_device("par-rt1") is None  # in ESDB, not in NSO


def test_create_service_returns_and_stores_the_service(backend: Backend):
    sid = uuid.uuid4()
    created = backend.nso.create_service(sid, "ams-rt1", {"kind": "node-enrollment", "role": "core"}, "p1:4")
    assert created == {"service-id": str(sid), "device": "ams-rt1", "kind": "node-enrollment", "role": "core"}
    assert backend.services() == {str(sid): created}


def test_a_repeated_create_with_the_same_key_changes_nothing(backend: Backend):
    sid = uuid.uuid4()
    first = backend.nso.create_service(sid, "ams-rt1", {"kind": "x"}, "p1:4")
    again = backend.nso.create_service(sid, "ams-rt1", {"kind": "x"}, "p1:4")
    assert again == first and backend.services() == {str(sid): first}

    redeployed = backend.nso.create_service(sid, "ams-rt1", {"kind": "y"}, "p2:1")  # a new step: applied
    assert backend.services() == {str(sid): redeployed} and redeployed["kind"] == "y"


def test_a_service_on_a_device_nso_does_not_manage_is_refused_not_retryable(backend: Backend):
    sid = uuid.uuid4()
    with pytest.raises(NsoError, match=r"^NSO: create service .* on device par-rt1") as raised:
        backend.nso.create_service(sid, "par-rt1", {"kind": "x"}, "p1:4")
    assert not isinstance(raised.value, NsoUnavailableError)
    assert "not managed by NSO" in str(raised.value)
    assert backend.services() == {}


def test_delete_service_removes_it_and_a_gone_service_is_not_an_error(backend: Backend):
    sid = uuid.uuid4()
    backend.nso.create_service(sid, "ams-rt1", {"kind": "x"}, "p1:4")
    assert backend.nso.delete_service(sid, "t1:2") is None
    assert backend.services() == {}
    backend.nso.delete_service(sid, "t2:2")  # already gone
    backend.nso.delete_service(uuid.uuid4(), "t3:2")  # never existed
    assert backend.services() == {}


def test_nso_not_answering_is_retryable_and_the_retry_applies_once(backend: Backend):
    sid = uuid.uuid4()
    backend.outage()
    with pytest.raises(NsoUnavailableError, match=r"^NSO: "):
        backend.nso.create_service(sid, "ams-rt1", {"kind": "x"}, "p1:4")
    assert backend.services() == {}
    created = backend.nso.create_service(sid, "ams-rt1", {"kind": "x"}, "p1:4")
    assert backend.services() == {str(sid): created}


def test_the_workflows_calls_in_order_leave_nso_as_it_was(backend: Backend):
    """Create, provision, validate, terminate: the calls the Node Enrollment steps make."""
    node = backend.esdb.get_detailed_node(backend.esdb.get_nodes()[0]["id"])
    enrollment, system = uuid.uuid4(), uuid.uuid4()
    backend.nso.create_service(enrollment, node["name"], {"kind": "node-enrollment"}, "create:4")
    backend.nso.create_service(system, node["name"], {"kind": "system-service"}, "provision:1")
    assert set(backend.services()) == {str(enrollment), str(system)}
    assert backend.nso.get_device(node["name"]) is not None
    backend.nso.delete_service(system, "terminate:2")
    backend.nso.delete_service(enrollment, "terminate:3")
    assert backend.services() == {}


# --- HTTP only: what goes wrong on the wire --------------------------------------------------


@pytest.mark.parametrize("status", [500, 503, 403])
def test_an_esdb_error_status_is_an_esdb_error_with_status_and_body(
    esdb: HttpEsdbClient, systems: Systems, status: int
):
    systems.fail_next(Fault(status=status, body="inventory is read-only today"))
    with pytest.raises(
        EsdbError,
        match=rf"^ESDB: the node list: GET /api/v1/nodes answered {status}: "
        r"inventory is read-only today$",
    ):
        esdb.get_nodes()


def test_esdb_refusing_the_connection_is_an_esdb_error(refused_url: str):
    with pytest.raises(EsdbError, match=r"^ESDB: node 101: GET /api/v1/nodes/101 failed: ConnectError"):
        HttpEsdbClient(refused_url, TIMEOUT).get_detailed_node(101)


def test_esdb_not_answering_in_time_is_an_esdb_error(url: str, systems: Systems):
    systems.fail_next(Fault(stall=True))
    with pytest.raises(EsdbError, match=r"^ESDB: the node list: GET /api/v1/nodes failed: ReadTimeout"):
        HttpEsdbClient(url, SHORT_TIMEOUT).get_nodes()


def test_an_esdb_answer_that_is_not_the_expected_json_is_an_esdb_error(esdb: HttpEsdbClient, systems: Systems):
    client = esdb
    systems.fail_next(Fault(status=200, body="<html>maintenance</html>", content_type="text/html"))
    with pytest.raises(EsdbError, match=r"^ESDB: the node list: GET /api/v1/nodes answered 200 without JSON"):
        client.get_nodes()
    systems.fail_next(Fault(status=200, body='{"nodes": []}', content_type="application/json"))
    with pytest.raises(EsdbError, match=r"answered a JSON dict, expected a list"):
        client.get_nodes()
    systems.fail_next(Fault(status=200, body="[]", content_type="application/json"))
    with pytest.raises(EsdbError, match=r"^ESDB: node 101: .* answered a JSON list, expected a dict"):
        client.get_detailed_node(101)
    assert client.get_nodes() == SUMMARIES  # and the next answer is read as usual


NSO_CALLS: dict[str, Callable[[HttpNsoClient], object]] = {
    "get device ams-rt1": lambda nso: nso.get_device("ams-rt1"),
    "create service": lambda nso: nso.create_service(uuid.uuid4(), "ams-rt1", {"kind": "x"}, "p1:4"),
    "delete service": lambda nso: nso.delete_service(uuid.uuid4(), "t1:2"),
}


@pytest.mark.parametrize("what", NSO_CALLS)
@pytest.mark.parametrize("status", [500, 502, 503])
def test_an_nso_5xx_is_retryable(nso: HttpNsoClient, systems: Systems, what: str, status: int):
    systems.fail_next(Fault(status=status, body="NSO is busy"))
    with pytest.raises(NsoUnavailableError, match=rf"^NSO: {what}.* answered {status}: NSO is busy$"):
        NSO_CALLS[what](nso)
    assert systems.services == {}


@pytest.mark.parametrize("what", NSO_CALLS)
def test_an_nso_4xx_is_an_nso_error_that_is_not_retryable(nso: HttpNsoClient, systems: Systems, what: str):
    systems.fail_next(Fault(status=403, body="access denied"))
    with pytest.raises(NsoError, match=rf"^NSO: {what}.* answered 403: access denied$") as raised:
        NSO_CALLS[what](nso)
    assert not isinstance(raised.value, NsoUnavailableError)


@pytest.mark.parametrize("what", NSO_CALLS)
def test_nso_refusing_the_connection_is_retryable(refused_url: str, what: str):
    with pytest.raises(NsoUnavailableError, match=rf"^NSO: {what}.* failed: ConnectError"):
        NSO_CALLS[what](HttpNsoClient(refused_url, TIMEOUT))


def test_a_create_whose_answer_was_lost_is_recognised_when_retried(url: str, systems: Systems):
    """NSO applied the change but its answer never came: the retry with the same key is a repeat."""
    nso = HttpNsoClient(url, SHORT_TIMEOUT)
    sid = uuid.uuid4()
    systems.fail_next(Fault(stall=True, apply=True))
    with pytest.raises(NsoUnavailableError, match=r"^NSO: create service .* failed: ReadTimeout"):
        nso.create_service(sid, "ams-rt1", {"kind": "x"}, "p1:4")
    assert set(systems.services) == {str(sid)}  # applied all the same

    created = nso.create_service(sid, "ams-rt1", {"kind": "x"}, "p1:4")
    assert systems.services == {str(sid): created} and systems.repeats == {"p1:4": 1}


def test_an_nso_answer_that_is_not_a_json_object_is_an_nso_error(nso: HttpNsoClient, systems: Systems):
    systems.fail_next(Fault(status=200, body="<html>login</html>", content_type="text/html"))
    with pytest.raises(NsoError, match=r"^NSO: get device ams-rt1: .* answered 200 without JSON"):
        nso.get_device("ams-rt1")
    systems.fail_next(Fault(status=200, body="[]", content_type="application/yang-data+json"))
    with pytest.raises(NsoError, match=r"answered a JSON list, expected a dict"):
        nso.get_device("ams-rt1")


@pytest.mark.parametrize("name", ["lab/rt1", "lab rt1", "rt1,a", "rt1?x=1", "rt1#2"])
def test_a_device_name_with_reserved_characters_is_found(nso: HttpNsoClient, systems: Systems, name: str):
    systems.devices[name] = {"name": name, "state": "in-sync", "platform": "junos"}
    assert nso.get_device(name) == systems.devices[name]


def test_the_settings_choose_the_http_clients(
    url: str, systems: Systems, monkeypatch: pytest.MonkeyPatch, fake_network: FakeNetwork
):
    monkeypatch.setattr(settings, "ORCHESTRATOR_NETWORK_CLIENTS", "http")
    monkeypatch.setattr(settings, "ORCHESTRATOR_ESDB_URL", url)
    monkeypatch.setattr(settings, "ORCHESTRATOR_NSO_URL", url)
    systems.nodes[401] = {"id": 401, "name": "fra-rt1", "site": "fra", "management_url": "https://fra-rt1"}
    systems.devices["fra-rt1"] = {"name": "fra-rt1", "state": "in-sync", "platform": "junos"}

    assert clients.get_nodes()[-1] == {"id": 401, "name": "fra-rt1"}
    assert clients.get_detailed_node(401)["site"] == "fra"
    assert clients.get_device("fra-rt1") is not None
    sid = uuid.uuid4()
    clients.nso().create_service(sid, "fra-rt1", {"kind": "x"}, "p1:4")
    assert set(systems.services) == {str(sid)} and fake_network.services == {}
