"""A failed run says where and why in a few lines, the traceback behind --verbose and in the process's
detail (issue 17); Prefect's records of a failed step make one log line, not ~60."""

from __future__ import annotations

import io
import logging
import re
import sys
import uuid

import pytest
from typer.testing import CliRunner

from orchestrator_core.cli.main import app
from orchestrator_core.logging_setup import configure_logging
from orchestrator_core.services.processes import start_process


def invoke(*args: str):
    return CliRunner().invoke(app, list(args))


def process_id_in(output: str) -> str:
    found = re.search(r"process ([0-9a-f-]{36})", output)
    assert found, output
    return found.group(1)


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


@pytest.fixture
def log_stream(monkeypatch):
    stream = io.StringIO()
    monkeypatch.setattr(sys, "stderr", stream)
    configure_logging(level="INFO", force=True)
    for name in ("prefect", "prefect.flow_runs", "prefect.task_runs"):  # as a worker has them
        monkeypatch.setattr(logging.getLogger(name), "level", logging.INFO)
    yield stream
    monkeypatch.undo()
    configure_logging(force=True)


def test_prefect_logs_a_failed_step_in_one_line_without_its_traceback(log_stream):
    process_id = start_process("cli_fails", [{}], "test")

    about_it = [line for line in log_stream.getvalue().splitlines()
                if "the device said no" in line or "StepFailedError" in line or str(process_id) in line]
    assert len(about_it) == 1, log_stream.getvalue()
    assert "Traceback" not in log_stream.getvalue()
    assert isinstance(process_id, uuid.UUID)
