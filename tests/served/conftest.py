"""A real Prefect server (on Postgres) and a real `orchestrator worker` for served-mode tests."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _recreate(name: str) -> None:
    admin = sa.create_engine("postgresql+psycopg://root@127.0.0.1:5432/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()


def _stop(process: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)


@pytest.fixture(scope="session")
def prefect_server(tmp_path_factory):
    db = f"prefect_test_{os.getpid()}"
    _recreate(db)
    port = _free_port()
    home = tmp_path_factory.mktemp("prefect-server-home")
    env = {**os.environ, "PREFECT_HOME": str(home),
           "PREFECT_SERVER_DATABASE_CONNECTION_URL": f"postgresql+asyncpg://root@127.0.0.1:5432/{db}",
           "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
           "PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_BATCH_SIZE": "100",
           "PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_FLUSH_INTERVAL": "1"}
    log = (home / "server.log").open("w")
    server = subprocess.Popen([str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
                              env=env, stdout=log, stderr=log, start_new_session=True)
    url = f"http://127.0.0.1:{port}/api"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                break
        time.sleep(0.2)
    else:
        _stop(server)
        pytest.fail(f"Prefect server did not start: {(home / 'server.log').read_text()[-2000:]}")
    yield url
    _stop(server)


@pytest.fixture(scope="session")
def served_worker(prefect_server, orchestrator_database, tmp_path_factory):
    attempts = tmp_path_factory.mktemp("served-attempts")
    env = {**os.environ, "PREFECT_API_URL": prefect_server, "ORCHESTRATOR_DATABASE_URL": orchestrator_database,
           "ORCHESTRATOR_EXECUTION_MODE": "served", "ENGINE_TEST_ATTEMPTS_DIR": str(attempts), "PYTHONPATH": str(ROOT),
           "ORCHESTRATOR_WORKFLOW_MODULES": '["flows", "tests.engine.engine_workflows"]'}
    log_path = attempts / "worker.log"
    log = log_path.open("w")
    worker = subprocess.Popen([str(BIN / "orchestrator"), "worker"], cwd=ROOT, env=env, stdout=log, stderr=log,
                              start_new_session=True)
    deadline = time.monotonic() + 90
    while "deployments" not in log_path.read_text():
        if worker.poll() is not None or time.monotonic() > deadline:
            _stop(worker)
            pytest.fail(f"worker did not start: {log_path.read_text()[-3000:]}")
        time.sleep(0.2)
    yield {"api": prefect_server, "attempts_dir": attempts, "log": log_path, "process": worker}
    _stop(worker)
