"""`orchestrator worker` and `orchestrator serve` on a database that was never upgraded: one line
saying to run `orchestrator db upgrade` and a non-zero exit, not a log flooded with `relation
"processes" does not exist`; or, with ORCHESTRATOR_STARTUP_WAIT_SECONDS, a wait until the schema is
there, then a normal start."""

from __future__ import annotations

import contextlib
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from orchestrator_core.devtools import BIN, drop_database, free_port, recreate_postgres_database, stop_process_group
from tests.served_stack import ROOT, served_env
from tests.waiting import wait_until


@pytest.fixture()
def empty_database() -> Iterator[str]:
    url = recreate_postgres_database(f"orchestrator_startup_{os.getpid()}")
    try:
        yield url
    finally:
        drop_database(url)


def _env(prefect_api: str, database: str, tmp_path: Path, **settings: str) -> dict[str, str]:
    return served_env(prefect_api, database, tmp_path, **settings)


@pytest.mark.parametrize("command", ["worker", "serve"])
def test_on_an_empty_database_it_says_what_to_run_and_exits_non_zero(command, prefect_api, empty_database,
                                                                     tmp_path):
    args = ["serve", "--port", str(free_port())] if command == "serve" else ["worker"]
    done = subprocess.run([str(BIN / "orchestrator"), *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, env=_env(prefect_api, empty_database, tmp_path))

    output = (done.stdout + done.stderr).strip().splitlines()
    assert done.returncode != 0
    assert len(output) <= 3, output
    (line,) = [line for line in output if "orchestrator db upgrade" in line]
    assert "not at the newest schema" in line and f"`orchestrator {command}` did not start" in line
    assert "does not exist" not in done.stdout + done.stderr


def _upgrade(database: str, tmp_path: Path, prefect_api: str) -> None:
    upgraded = subprocess.run([str(BIN / "orchestrator"), "db", "upgrade"], cwd=ROOT, capture_output=True,
                              text=True, timeout=300, env=_env(prefect_api, database, tmp_path))
    assert upgraded.returncode == 0, upgraded.stdout + upgraded.stderr


@contextlib.contextmanager
def _started(args: list[str], env: dict[str, str], log_path: Path) -> Iterator[subprocess.Popen]:
    with log_path.open("w") as log:
        process = subprocess.Popen([str(BIN / "orchestrator"), *args], cwd=ROOT, env=env, stdout=log, stderr=log,
                                   start_new_session=True)
    try:
        yield process
    finally:
        stop_process_group(process)


def _health(url: str) -> bool:
    with contextlib.suppress(httpx.HTTPError):
        return httpx.get(f"{url}/api/health", timeout=2).status_code == 200
    return False


def test_with_the_wait_setting_worker_and_serve_start_once_db_upgrade_has_run(prefect_api, empty_database,
                                                                              tmp_path):
    env = _env(prefect_api, empty_database, tmp_path, ORCHESTRATOR_STARTUP_WAIT_SECONDS="300")
    port = free_port()
    worker_log, serve_log = tmp_path / "worker.log", tmp_path / "serve.log"
    with _started(["worker"], env, worker_log) as worker, \
            _started(["serve", "--port", str(port)], env, serve_log) as serve:
        for log in (worker_log, serve_log):
            wait_until(lambda log=log: "waits up to" in log.read_text(), f"{log.name} says it waits", 120)
        assert worker.poll() is None and serve.poll() is None
        before = worker_log.read_text().splitlines() + serve_log.read_text().splitlines()

        _upgrade(empty_database, tmp_path, prefect_api)

        wait_until(lambda: "deployments" in worker_log.read_text() or worker.poll() is not None,
                   "the worker serves its deployments", 120)
        wait_until(lambda: _health(f"http://127.0.0.1:{port}") or serve.poll() is not None, "the API answers", 120)
        assert worker.poll() is None, worker_log.read_text()[-3000:]
        assert serve.poll() is None, serve_log.read_text()[-3000:]
    assert len(before) <= 4, before  # one line each that it waits, no flood
    assert "does not exist" not in worker_log.read_text() + serve_log.read_text()
