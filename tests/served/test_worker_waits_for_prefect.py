"""`orchestrator worker` started while Prefect's API cannot be reached (its server restarting, or not
started yet): one line and a non-zero exit, not a traceback; or, with ORCHESTRATOR_STARTUP_WAIT_SECONDS,
a wait until Prefect answers, then a normal start with the door checked."""

from __future__ import annotations

import os
import subprocess

from orchestrator_core.devtools import BIN, free_port, prefect_server, stop_process_group
from tests.served_stack import ROOT, served_env
from tests.waiting import wait_until


def test_without_prefect_the_worker_says_so_in_one_line_and_exits_non_zero(orchestrator_database, tmp_path):
    api = f"http://127.0.0.1:{free_port()}/api"  # nothing listens there
    done = subprocess.run([str(BIN / "orchestrator"), "worker"], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, env=served_env(api, orchestrator_database, tmp_path))

    output = (done.stdout + done.stderr).strip().splitlines()
    assert done.returncode != 0
    assert "Traceback" not in done.stdout + done.stderr
    (line,) = [line for line in output if "cannot be reached" in line]
    assert api in line and "`orchestrator worker` did not start" in line


def test_with_the_wait_setting_the_worker_starts_once_prefect_answers(orchestrator_database, tmp_path):
    port = free_port()
    env = served_env(f"http://127.0.0.1:{port}/api", orchestrator_database, tmp_path,
                     ORCHESTRATOR_STARTUP_WAIT_SECONDS="300")
    log_path = tmp_path / "worker.log"
    with log_path.open("w") as log:
        worker = subprocess.Popen([str(BIN / "orchestrator"), "worker"], cwd=ROOT, env=env, stdout=log, stderr=log,
                                  start_new_session=True)
    try:
        wait_until(lambda: "waits up to 300 s" in log_path.read_text() or worker.poll() is not None,
                   lambda: f"the worker says it waits for Prefect: {log_path.read_text()[-2000:]}", 120)
        assert worker.poll() is None, log_path.read_text()[-3000:]
        assert "cannot be reached" in log_path.read_text()

        with prefect_server(tmp_path / "prefect-home", f"prefect_late_{os.getpid()}", port=port):
            wait_until(lambda: "deployments" in log_path.read_text() or worker.poll() is not None,
                       lambda: f"the worker serves our deployments: {log_path.read_text()[-2000:]}", 120)
            assert worker.poll() is None, log_path.read_text()[-3000:]
    finally:
        stop_process_group(worker)
