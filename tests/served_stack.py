"""Session fixtures for served-mode tests: a real Prefect server (on Postgres) and a real
`orchestrator worker` subprocess executing our deployments. Shared by tests/served,
tests/served/api and tests/security (registered as a plugin in tests/conftest.py), so each
session starts them once.

Two stacks, each started only when a test asks for it:
- the open one (`prefect_api`, `served_worker`): Prefect without authentication, our auth off,
  the local developer's set-up;
- the secured one (`secured_prefect`, `secured_worker`, `secured_api`): the served configuration
  the README ships, Prefect's server with PREFECT_SERVER_API_AUTH_STRING, our worker and our API
  as its clients with PREFECT_API_AUTH_STRING, and our authentication on.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest

from orchestrator_core.devtools import BIN, free_port, prefect_server, stop_process_group
from tests.waiting import wait_until

ROOT = Path(__file__).resolve().parents[1]
SERVED_WORKFLOW_MODULES = json.dumps(
    ["flows", "tests.engine.engine_workflows", "tests.api.api_workflows", "tests.served.input_workflows",
     "tests.served.guarded_workflows"])
PREFECT_USER = "operator"
"""The user of the secured Prefect's basic auth: what an operator types in its UI, with the password."""
JWT_SECRET = "served-stack-secret-for-bearer-tokens-32b"
SCHEDULED_TASKS = json.dumps(["task_validate_subscriptions", "guarded_nightly"])
"""The workers' ORCHESTRATOR_SCHEDULED_TASKS: runs of these workflows' schedules are the operators' own."""


def served_env(prefect_api: str, database: str, attempts_dir: Path, **settings: str) -> dict[str, str]:
    return {**os.environ, "PREFECT_API_URL": prefect_api, "ORCHESTRATOR_DATABASE_URL": database,
            "ORCHESTRATOR_EXECUTION_MODE": "served", "ENGINE_TEST_ATTEMPTS_DIR": str(attempts_dir),
            "PYTHONPATH": str(ROOT), "ORCHESTRATOR_WORKFLOW_MODULES": SERVED_WORKFLOW_MODULES,
            "ORCHESTRATOR_SCHEDULED_TASKS": SCHEDULED_TASKS, **settings}


@contextlib.contextmanager
def running_worker(env: dict[str, str], attempts_dir: Path,
                   command: tuple[str, ...] = (str(BIN / "orchestrator"),)) -> Iterator[dict[str, Any]]:
    """`orchestrator worker` (or `command worker`, an application's main.py) in its own process group,
    until it says it serves our deployments."""
    log_path = attempts_dir / "worker.log"
    with log_path.open("w") as log:
        worker = subprocess.Popen([*command, "worker"], cwd=ROOT, env=env, stdout=log,
                                  stderr=log, start_new_session=True)
    try:
        wait_until(lambda: "deployments" in log_path.read_text() or worker.poll() is not None,
                   "the worker serves our deployments", 90, interval=0.2)
        assert worker.poll() is None, "the worker exited"
    except AssertionError as stopped:
        stop_process_group(worker)
        pytest.fail(f"worker did not start ({stopped}): {log_path.read_text()[-3000:]}")
    try:
        yield {"api": env["PREFECT_API_URL"], "attempts_dir": attempts_dir, "log": log_path, "process": worker}
    finally:
        stop_process_group(worker)


@pytest.fixture(scope="session")
def prefect_api(tmp_path_factory):
    with prefect_server(tmp_path_factory.mktemp("prefect-home"), f"prefect_test_{os.getpid()}") as server:
        yield server.api_url


@pytest.fixture(scope="session")
def served_worker(prefect_api, orchestrator_database, tmp_path_factory):
    attempts = tmp_path_factory.mktemp("served-attempts")
    with running_worker(served_env(prefect_api, orchestrator_database, attempts), attempts) as worker:
        yield worker


@pytest.fixture(scope="session")
def secured_prefect(tmp_path_factory) -> Iterator[dict[str, Any]]:
    """Prefect's server with PREFECT_SERVER_API_AUTH_STRING: its API answers 401 without the credential."""
    auth = f"{PREFECT_USER}:{secrets.token_urlsafe(16)}"
    with prefect_server(tmp_path_factory.mktemp("secured-prefect-home"), f"prefect_secured_{os.getpid()}",
                        auth_string=auth) as server:
        yield {"api": server.api_url, "auth": auth, "basic": tuple(auth.split(":", 1))}


def secured_settings(secured_prefect: dict[str, Any]) -> dict[str, str]:
    """Our processes as clients of the secured Prefect, with our authentication on."""
    return {"PREFECT_API_AUTH_STRING": secured_prefect["auth"], "ORCHESTRATOR_AUTH_DISABLED": "false",
            "ORCHESTRATOR_JWT_SECRET": JWT_SECRET}


@pytest.fixture(scope="session")
def secured_api_booting(secured_prefect, orchestrator_database, tmp_path_factory) -> Iterator[dict[str, Any]]:
    """`orchestrator serve` on the secured Prefect, with our authentication on, started but not awaited:
    it boots while the worker starts (`secured_api` waits for it)."""
    logs = tmp_path_factory.mktemp("secured-api")
    port = free_port()
    env = served_env(secured_prefect["api"], orchestrator_database, logs, **secured_settings(secured_prefect))
    with (logs / "api.log").open("w") as log:
        server = subprocess.Popen([str(BIN / "orchestrator"), "serve", "--host", "127.0.0.1", "--port", str(port)],
                                  cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True)
    try:
        yield {"url": f"http://127.0.0.1:{port}", "process": server, "log": logs / "api.log"}
    finally:
        stop_process_group(server)


@pytest.fixture(scope="module")
def secured_worker(request, secured_prefect, secured_api_booting, orchestrator_database, tmp_path_factory):
    """Our worker on the secured Prefect, with our authentication on. A test module may set
    `PREFECT_UI_ACTIONS` to the worker's ORCHESTRATOR_PREFECT_UI_ACTIONS; unset, the default applies."""
    attempts = tmp_path_factory.mktemp("secured-attempts")
    settings = secured_settings(secured_prefect)
    if (actions := getattr(request.module, "PREFECT_UI_ACTIONS", None)) is not None:
        settings["ORCHESTRATOR_PREFECT_UI_ACTIONS"] = actions
    env = served_env(secured_prefect["api"], orchestrator_database, attempts, **settings)
    with running_worker(env, attempts) as worker:
        yield {**worker, "auth": secured_prefect["basic"]}


@pytest.fixture(scope="session")
def secured_api(secured_api_booting) -> str:
    """The base URL of the secured stack's API, once it answers."""
    url, server = secured_api_booting["url"], secured_api_booting["process"]
    def healthy() -> bool:
        if server.poll() is not None:
            pytest.fail(f"the API exited: {secured_api_booting['log'].read_text()[-3000:]}")
        with contextlib.suppress(httpx.HTTPError):
            return httpx.get(f"{url}/api/health", timeout=2).status_code == 200
        return False

    wait_until(healthy, lambda: f"the API answers: {secured_api_booting['log'].read_text()[-3000:]}", 90,
               interval=0.2)
    return url


def bearer(user: str = "alice", ttl: int = 300) -> dict[str, str]:
    """A valid token of the secured API for `user`."""
    now = int(time.time())
    token = jwt.encode({"sub": f"id-{user}", "preferred_username": user, "iat": now, "exp": now + ttl},
                       JWT_SECRET, algorithm="HS256")
    return {"Authorization": f"Bearer {token}"}
