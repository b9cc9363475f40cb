"""A failed run says where and why in a few lines, the traceback behind --verbose and in the process's
detail (issue 17); Prefect's records of a failed step make one log line, not ~60."""

from __future__ import annotations

import os
import subprocess

from orchestrator_core.devtools import BIN
from tests.cli.invoking import invoke, process_id_in
from tests.served_stack import ROOT


def test_a_failed_run_prints_the_step_and_reason_and_the_traceback_only_when_asked():
    result = invoke("run", "cli_fails")

    assert result.exit_code == 1
    assert "Failed at step 'Break': the device said no" in result.output
    assert "Traceback" not in result.output
    assert f"resume {process_id_in(result.output)[:8]}" in result.output

    verbose = invoke("run", "cli_fails", "--verbose")
    assert "Traceback" in verbose.output and 'raise RuntimeError("the device said no")' in verbose.output

    detail = invoke("process", process_id_in(result.output)[:8])
    assert detail.exit_code == 0 and "Traceback" in detail.output


def test_prefect_logs_a_failed_step_in_one_line_without_its_traceback(orchestrator_database):
    """As a worker logs: Prefect's own log kept (--verbose), through our one logging set-up."""
    env = {**os.environ, "ORCHESTRATOR_DATABASE_URL": orchestrator_database, "PYTHONPATH": str(ROOT),
           "ORCHESTRATOR_WORKFLOW_MODULES": '["tests.cli.cli_workflows"]'}

    done = subprocess.run([str(BIN / "orchestrator"), "run", "cli_fails", "--verbose"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)

    assert done.returncode == 1, done.stdout + done.stderr
    about_it = [line for line in done.stderr.splitlines() if "the device said no" in line or "StepFailedError"
                in line or "ProcessDidNotCompleteError" in line]
    assert len(about_it) == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert "Traceback" in done.stdout  # --verbose: ours, from the step log
