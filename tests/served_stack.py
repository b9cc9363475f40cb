"""Session fixtures for served-mode tests: a real Prefect server (on Postgres) and a real
`orchestrator worker` subprocess executing our deployments. Shared by tests/served and
tests/api_served (registered as a plugin in tests/conftest.py), so each session starts them once.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path

import pytest

from orchestrator_core.devtools import BIN, prefect_server, stop_process_group

ROOT = Path(__file__).resolve().parents[1]
SERVED_WORKFLOW_MODULES = json.dumps(
    ["flows", "tests.engine.engine_workflows", "tests.api.api_workflows", "tests.served.input_workflows",
     "tests.served.guarded_workflows"])


@pytest.fixture(scope="session")
def prefect_api(tmp_path_factory):
    with prefect_server(tmp_path_factory.mktemp("prefect-home"), f"prefect_test_{os.getpid()}") as server:
        yield server.api_url


@pytest.fixture(scope="session")
def served_worker(prefect_api, orchestrator_database, tmp_path_factory):
    attempts = tmp_path_factory.mktemp("served-attempts")
    env = {**os.environ, "PREFECT_API_URL": prefect_api, "ORCHESTRATOR_DATABASE_URL": orchestrator_database,
           "ORCHESTRATOR_EXECUTION_MODE": "served", "ENGINE_TEST_ATTEMPTS_DIR": str(attempts),
           "PYTHONPATH": str(ROOT), "ORCHESTRATOR_WORKFLOW_MODULES": SERVED_WORKFLOW_MODULES}
    log_path = attempts / "worker.log"
    with log_path.open("w") as log:
        worker = subprocess.Popen([str(BIN / "orchestrator"), "worker"], cwd=ROOT, env=env, stdout=log,
                                  stderr=log, start_new_session=True)
    deadline = time.monotonic() + 90
    while "deployments" not in log_path.read_text():
        if worker.poll() is not None or time.monotonic() > deadline:
            stop_process_group(worker)
            pytest.fail(f"worker did not start: {log_path.read_text()[-3000:]}")
        time.sleep(0.2)
    yield {"api": prefect_api, "attempts_dir": attempts, "log": log_path, "process": worker}
    stop_process_group(worker)
