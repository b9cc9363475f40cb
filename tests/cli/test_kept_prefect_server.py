"""The local Prefect server kept between CLI commands (issue 16): a second `orchestrator run` in a fresh
process uses the server the first one left; a state file that is stale, foreign or not private is ignored
without sending its port our credential; an unused kept server ends itself."""

from __future__ import annotations

import json
import os
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

from orchestrator_core.devtools import BIN
from orchestrator_core.engine import kept_prefect_server as kept
from orchestrator_core.engine.prefect_server import server_env
from tests.served_stack import ROOT
from tests.waiting import wait_until


def _run_env(database_url: str, home: Path, keep_seconds: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "ORCHESTRATOR_"))}
    return {**env, "ORCHESTRATOR_DATABASE_URL": database_url, "PREFECT_HOME": str(home), "PYTHONPATH": str(ROOT),
            "ORCHESTRATOR_WORKFLOW_MODULES": '["tests.cli.cli_workflows"]',
            "ORCHESTRATOR_PREFECT_SERVER_KEEP_SECONDS": keep_seconds}


def _run(env: dict[str, str]) -> subprocess.CompletedProcess:
    done = subprocess.run([str(BIN / "orchestrator"), "run", "cli_completes"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert "completed" in done.stdout
    return done


def _alive(server: kept.KeptServer) -> bool:
    return kept.process_start(server.pid) == server.started


def test_a_second_run_uses_the_server_the_first_left_running(orchestrator_database, tmp_path):
    home = tmp_path / "prefect-home"
    env = _run_env(orchestrator_database, home, "600")
    try:
        _run(env)
        first = kept.read_state(home)
        assert first is not None, "the first run named the server it started"
        assert _alive(first), "left running for later commands"
        assert oct((home / kept.STATE_FILE).stat().st_mode & 0o777) == "0o600"

        _run(env)
        assert kept.read_state(home) == first, "the second run started no server of its own"
        assert _alive(first)

        stopped = subprocess.run([str(BIN / "orchestrator"), "stop-prefect"], cwd=ROOT, env=env,
                                 capture_output=True, text=True, timeout=300)
        assert f"Stopped the local Prefect server (pid {first.pid})" in stopped.stdout, stopped.stdout + stopped.stderr
        assert kept.read_state(home) is None
    finally:
        kept.stop(home)
    wait_until(lambda: not _alive(first), "the kept server stopped", timeout=60)


class _Listener(BaseHTTPRequestHandler):
    """Whatever listens on a stale file's port: answers every request, and remembers its headers."""

    seen: list[dict[str, str]] = []
    status = 200

    def do_POST(self) -> None:  # noqa: N802 (http.server's name)
        type(self).seen.append(dict(self.headers))
        self.send_response(type(self).status)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"[]")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def listener():
    _Listener.seen = []
    server = HTTPServer(("127.0.0.1", 0), _Listener)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


def _write_state(home: Path, api_url: str, pid: int, started: str, mode: int = 0o600) -> kept.KeptServer:
    server = kept.KeptServer(api_url, pid, started, "orchestrator:secret", kept.fingerprint(server_env()))
    home.mkdir(parents=True, exist_ok=True)
    path = home / kept.STATE_FILE
    path.write_text(json.dumps(server.__dict__))
    path.chmod(mode)
    return server


def _url(listener: HTTPServer) -> str:
    return f"http://127.0.0.1:{listener.server_address[1]}/api"


def test_a_state_file_naming_a_process_that_is_gone_is_ignored_and_its_port_is_not_asked(listener, tmp_path):
    gone = subprocess.Popen(["true"])
    gone.wait()
    _write_state(tmp_path, _url(listener), gone.pid, "12345")

    assert kept.reusable(tmp_path, kept.fingerprint(server_env())) is None
    assert _Listener.seen == []


def test_a_state_file_naming_a_restarted_pid_is_ignored(listener, tmp_path):
    _write_state(tmp_path, _url(listener), os.getpid(), "1")  # this pid, but not the process that started then

    assert kept.reusable(tmp_path, kept.fingerprint(server_env())) is None
    assert _Listener.seen == []


def test_an_open_listener_gets_no_credential_even_when_the_named_process_is_ours(listener, tmp_path):
    _write_state(tmp_path, _url(listener), os.getpid(), kept.process_start(os.getpid()) or "")

    assert kept.reusable(tmp_path, kept.fingerprint(server_env())) is None
    assert len(_Listener.seen) == 1 and "Authorization" not in _Listener.seen[0]


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o602])
def test_a_state_file_others_can_read_or_write_is_not_trusted(listener, tmp_path, mode):
    _write_state(tmp_path, _url(listener), os.getpid(), kept.process_start(os.getpid()) or "", mode)

    assert kept.read_state(tmp_path) is None
    assert kept.reusable(tmp_path, kept.fingerprint(server_env())) is None
    assert _Listener.seen == []


def test_a_state_file_of_other_server_settings_is_not_reused(listener, tmp_path):
    server = _write_state(tmp_path, _url(listener), os.getpid(), kept.process_start(os.getpid()) or "")

    other = kept.fingerprint({**server_env(), "PREFECT_SERVER_DATABASE_CONNECTION_URL": "postgresql+asyncpg://x/y"})
    assert other != server.fingerprint
    assert kept.reusable(tmp_path, other) is None
    assert _Listener.seen == []


def test_a_kept_server_authenticates_and_ends_itself_once_unused(tmp_path):
    import httpx

    home = tmp_path / "prefect-home"
    env = server_env()
    server, process = kept.spawn(home, env, keep_seconds=3)
    try:
        def answers() -> bool:
            assert process.poll() is None, (home / kept.LOG_FILE).read_text()[-2000:]
            try:
                return httpx.get(f"{server.api_url}/health", timeout=2).status_code == 200
            except httpx.HTTPError:
                return False

        wait_until(answers, "the kept server answers", timeout=240)
        assert kept.reusable(home, kept.fingerprint(env)) == server
        assert httpx.post(f"{server.api_url}/flows/filter", json={}, timeout=10).status_code == 401
        process.wait(timeout=120)  # unused for 3 s: it ends itself, cleanly
        assert process.returncode == 0, (home / kept.LOG_FILE).read_text()[-2000:]
        assert kept.reusable(home, kept.fingerprint(env)) is None
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
