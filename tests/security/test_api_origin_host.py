"""Secure defaults: with auth off (the default) a web page on another origin cannot start anything,
a DNS-rebound name gets nothing, and the API answers on loopback only; `orchestrator serve` refuses to
listen elsewhere without auth unless told so explicitly. Configured origins (the reference's
orchestrator-ui) get CORS and may write."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn

from orchestrator_core.api.app import create_app
from orchestrator_core.devtools import free_port
from orchestrator_core.settings import app_settings
from tests.api import api_workflows
from tests.api.conftest import register, wait_for
from tests.security.conftest import bearer, hs256_token, row_counts
from tests.waiting import wait_until

TASK = "/api/processes/task_validate_subscriptions"
GREET = "/api/processes/api_greet"
UI = "http://orchestrator-ui.example:3000"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True, scope="module")
def workflows_registered(orchestrator_database):
    register(*api_workflows.ALL)


CROSS_SITE = {
    "the_issue_text_plain_empty_body": {"Origin": "http://evil.example", "Content-Type": "text/plain"},
    "json_from_evil": {"Origin": "http://evil.example", "Content-Type": "application/json"},
    "form_from_evil": {"Origin": "http://evil.example", "Content-Type": "application/x-www-form-urlencoded"},
    "origin_null": {"Origin": "null", "Content-Type": "text/plain"},
    "other_port_same_host": {"Origin": "http://127.0.0.1:1", "Content-Type": "application/json"},
    "fetch_metadata_cross_site": {"Sec-Fetch-Site": "cross-site", "Content-Type": "application/json"},
}


@pytest.mark.parametrize("case", CROSS_SITE, ids=list(CROSS_SITE))
def test_a_cross_site_write_is_refused_and_starts_nothing(client, case):
    before = row_counts()
    body = b"[{}]" if CROSS_SITE[case]["Content-Type"] == "application/json" else b""
    for path in (TASK, GREET):
        response = client.post(path, headers=CROSS_SITE[case], content=body)
        assert response.status_code == 403, response.text
        assert response.json()["code"] == "request.origin_not_allowed"
    assert client.put(f"/api/processes/{'0' * 8}-0000-0000-0000-{'0' * 12}/abort",
                      headers=CROSS_SITE[case]).status_code == 403
    assert row_counts() == before


@pytest.mark.usefixtures("auth_on")
def test_a_cross_site_write_is_refused_with_a_valid_token_too(client):
    before = row_counts()
    response = client.post(TASK, headers={"Origin": "http://evil.example", **bearer(hs256_token())}, json=[{}])
    assert response.status_code == 403 and response.json()["code"] == "request.origin_not_allowed"
    assert row_counts() == before


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; b=x",
                                          "application/xml"])
def test_a_write_whose_body_is_not_json_is_415(client, content_type):
    before = row_counts()
    for body in (b"", b"name=x&count=1"):
        response = client.post(GREET, headers={"Content-Type": content_type}, content=body)
        assert response.status_code == 415, response.text
        assert response.json()["code"] == "request.unsupported_media_type"
    assert row_counts() == before


def test_a_write_from_our_own_origin_or_a_client_without_one_is_accepted(client, api_url):
    by_name = api_url.replace("127.0.0.1", "localhost")
    for headers in (
        {"Origin": api_url},  # the page itself
        {"Origin": by_name, "Host": by_name.removeprefix("http://")},  # the page, opened as localhost
        {},  # curl, a script
    ):
        response = client.post(GREET, headers=headers, json=[{"name": "x", "count": 1}])
        assert response.status_code == 201, response.text
        assert wait_for(client, response.json()["id"], {"completed", "failed"})["status"] == "completed"


def test_a_configured_origin_gets_cors_and_may_write(client, monkeypatch):
    monkeypatch.setattr(app_settings, "ORCHESTRATOR_CORS_ORIGINS", [UI])
    preflight = client.options(GREET, headers={"Origin": UI, "Access-Control-Request-Method": "POST",
                                               "Access-Control-Request-Headers": "authorization, content-type"})
    assert preflight.status_code == 200, preflight.text
    assert preflight.headers["access-control-allow-origin"] == UI
    assert "authorization" in preflight.headers["access-control-allow-headers"].lower()
    started = client.post(GREET, headers={"Origin": UI}, json=[{"name": "ui", "count": 2}])
    assert started.status_code == 201 and started.headers["access-control-allow-origin"] == UI
    wait_for(client, started.json()["id"], {"completed", "failed"})
    read = client.get("/api/processes", headers={"Origin": UI})
    assert read.status_code == 200 and read.headers["access-control-allow-origin"] == UI


def test_an_unconfigured_origin_gets_no_cors(client, monkeypatch):
    monkeypatch.setattr(app_settings, "ORCHESTRATOR_CORS_ORIGINS", [UI])
    evil = {"Origin": "http://evil.example", "Access-Control-Request-Method": "POST"}
    preflight = client.options(GREET, headers=evil)
    assert preflight.status_code == 403 and preflight.json()["code"] == "request.origin_not_allowed"
    read = client.get("/api/processes", headers={"Origin": "http://evil.example"})
    assert "access-control-allow-origin" not in read.headers  # the browser keeps the answer from that page


def test_any_origin_is_honoured_only_while_auth_is_on(client, monkeypatch):
    """`*` (the reference's CORS_ORIGINS default) must not reopen the door that auth off leaves."""
    monkeypatch.setattr(app_settings, "ORCHESTRATOR_CORS_ORIGINS", ["*"])
    before = row_counts()
    assert client.post(TASK, headers={"Origin": "http://evil.example"}, json=[{}]).status_code == 403
    assert row_counts() == before
    monkeypatch.setattr(app_settings, "ORCHESTRATOR_AUTH_DISABLED", False)
    monkeypatch.setattr(app_settings, "ORCHESTRATOR_JWT_SECRET", "s" * 64)
    headers = {"Origin": "http://evil.example"}
    assert client.post(GREET, headers=headers, json=[{"name": "x", "count": 1}]).status_code == 401  # no token
    read = client.get("/api/health", headers=headers)
    assert read.headers["access-control-allow-origin"] == "*"


@pytest.mark.parametrize("host", ["attacker.example", "attacker.example:80", "127.0.0.1.evil.example",
                                  "localhost.evil.example", "192.0.2.99"])
def test_a_foreign_host_gets_nothing(client, host):
    """DNS rebinding: a page on attacker.example, its name now pointing at 127.0.0.1, sends its own name."""
    before = row_counts()
    for method, path in (("GET", "/api/health"), ("GET", "/api/processes"), ("GET", "/"), ("POST", TASK)):
        response = client.request(method, path, headers={"Host": host})
        assert response.status_code == 400, (method, path, response.text)
        assert response.json()["code"] == "request.host_not_allowed"
    assert row_counts() == before


def test_loopback_names_and_configured_hosts_are_served(client, api_url, monkeypatch):
    port = api_url.rsplit(":", 1)[1]
    for host in (f"localhost:{port}", f"127.0.0.1:{port}", f"[::1]:{port}", "localhost"):
        assert client.get("/api/health", headers={"Host": host}).status_code == 200, host
    monkeypatch.setattr(app_settings, "ORCHESTRATOR_ALLOWED_HOSTS", ["orchestrator.example.net", "*.noc.example"])
    for host in ("orchestrator.example.net", "ORCHESTRATOR.example.net:443", "a.noc.example", "b.a.noc.example"):
        assert client.get("/api/health", headers={"Host": host}).status_code == 200, host
    for host in ("noc.example", "evil-noc.example", "orchestrator.example.net.evil"):
        assert client.get("/api/health", headers={"Host": host}).status_code == 400, host


def _external_address() -> str | None:
    """This machine's address on a non-loopback interface, if it has one."""
    with contextlib.suppress(OSError), socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.connect(("192.0.2.1", 9))  # no packet is sent: this only picks the outgoing interface
        address = probe.getsockname()[0]
        if not address.startswith("127."):
            return address
    return None


EXTERNAL = _external_address()


@contextlib.contextmanager
def served_on(host: str) -> Iterator[str]:
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(import_workflows=False), host=host, port=port,
                                           log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    wait_until(lambda: server.started or not thread.is_alive(), "uvicorn started or its thread ended", 15)
    assert server.started, "uvicorn did not start"
    try:
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.mark.skipif(EXTERNAL is None, reason="this machine has no non-loopback address")
def test_with_auth_off_the_app_answers_on_loopback_only(monkeypatch):
    """Also when an application serves OrchestratorCore with its own `uvicorn wsgi:app --host ...`."""
    assert EXTERNAL is not None
    with served_on(EXTERNAL) as url, httpx.Client(base_url=url, timeout=10) as remote:
        before = row_counts()
        refused = remote.post(TASK, json=[{}])
        assert refused.status_code == 403 and refused.json()["code"] == "auth.required_off_loopback"
        assert remote.get("/api/processes").status_code == 403
        assert row_counts() == before
        monkeypatch.setattr(app_settings, "ORCHESTRATOR_AUTH_DISABLED", False)
        monkeypatch.setattr(app_settings, "ORCHESTRATOR_JWT_SECRET", "s" * 64)
        assert remote.get("/api/processes").status_code == 401
        assert remote.get("/api/processes", headers=bearer(jwt_for_remote())).status_code == 200
        monkeypatch.setattr(app_settings, "ORCHESTRATOR_AUTH_DISABLED", True)
        monkeypatch.setattr(app_settings, "ORCHESTRATOR_ALLOW_REMOTE_WITHOUT_AUTH", True)
        assert remote.get("/api/processes").status_code == 200


def jwt_for_remote() -> str:
    import jwt

    return jwt.encode({"sub": "id-remote", "exp": int(time.time()) + 60}, "s" * 64, algorithm="HS256")


def _serve(*args: str) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ORCHESTRATOR_AUTH")}
    env.update(PYTHONPATH=str(ROOT), ORCHESTRATOR_DATABASE_URL=app_settings.ORCHESTRATOR_DATABASE_URL,
               ORCHESTRATOR_WORKFLOW_MODULES="[]")
    return subprocess.Popen([sys.executable, "-m", "orchestrator_core.cli", "serve", *args], env=env, cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.mark.parametrize("host", ["0.0.0.0", "::", *([EXTERNAL] if EXTERNAL else [])])
def test_serve_refuses_a_non_loopback_address_without_auth_in_one_line(host):
    process = _serve("--host", host, "--port", str(free_port()))
    out, err = process.communicate(timeout=120)
    assert process.returncode == 2, (out, err)
    assert err.strip().count("\n") == 0 and "Traceback" not in err
    assert err.startswith(f"Refusing to serve on {host} with authentication off")
    assert "--allow-remote-without-auth" in err


@pytest.mark.skipif(EXTERNAL is None, reason="this machine has no non-loopback address")
def test_serve_listens_on_another_address_when_explicitly_allowed():
    assert EXTERNAL is not None
    port = free_port()
    process = _serve("--host", EXTERNAL, "--port", str(port), "--allow-remote-without-auth")
    try:
        def answered() -> httpx.Response | None:
            assert process.poll() is None, process.communicate()
            with contextlib.suppress(httpx.TransportError):
                return httpx.get(f"http://{EXTERNAL}:{port}/api/processes", timeout=2)
            return None

        response = wait_until(answered, "serve answers", 120, interval=0.2)
        assert response.status_code == 200, response.text
    finally:
        process.terminate()
        process.communicate(timeout=30)
