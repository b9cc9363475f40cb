"""Logs keep secrets out: form input is never logged, at any level, by us or by pydantic-forms (which
logged every submission in full); URL passwords, bearer tokens and basic credentials are masked in
every line; the database URL is printed with its password hidden. JSON or console by a setting."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import structlog
from sqlalchemy.engine import make_url

from tests.api import api_workflows
from tests.api.conftest import register, wait_for

ROOT = Path(__file__).resolve().parents[2]
SECRET = "SECRET-4711-in-a-form"


def test_form_input_posted_to_the_api_is_not_logged_even_at_debug(client, caplog):
    register(*api_workflows.ALL)
    caplog.set_level(logging.DEBUG)
    structlog.get_logger("tests.probe").debug("probe", detail="a structlog record at debug is captured")
    refused = client.post("/api/processes/api_greet", json=[{"name": SECRET, "count": 99}])
    assert refused.status_code == 422
    started = client.post("/api/processes/api_greet", json=[{"name": SECRET, "count": 1}])
    assert started.status_code == 201
    wait_for(client, started.json()["id"], {"completed", "failed"})
    assert "tests.probe" in {record.name for record in caplog.records}
    logged = [f"{record.name} {record.getMessage()} {record.msg!r}" for record in caplog.records]
    assert not [line for line in logged if SECRET in line or "Post form" in line]


def _cli(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    modules = '["tests.api.api_workflows"]'
    environment = {**os.environ, "PYTHONPATH": str(ROOT), "ORCHESTRATOR_WORKFLOW_MODULES": modules, **env}
    return subprocess.run([sys.executable, "-m", "orchestrator_core.cli", *args], env=environment, cwd=ROOT,
                          capture_output=True, text=True, timeout=300)


def test_the_cli_logs_no_form_input_at_debug(orchestrator_database):
    register(*api_workflows.ALL)
    for count, code in ((99, 2), (1, 0)):  # refused, then run through Prefect
        result = _cli("run", "api_greet", "--input", json.dumps([{"name": SECRET, "count": count}]),
                      ORCHESTRATOR_DATABASE_URL=orchestrator_database, ORCHESTRATOR_LOG_LEVEL="DEBUG")
        assert result.returncode == code, result.stdout + result.stderr[-3000:]
        assert SECRET not in result.stdout + result.stderr
        assert "Post form" not in result.stderr
    assert "debug" in result.stderr  # the level took effect: there was something to leak into


def test_json_logs_and_the_database_url_without_its_password(orchestrator_database):
    with_password = make_url(orchestrator_database).set(password="hunter2-db-password")  # trust auth ignores it
    url = with_password.render_as_string(hide_password=False)
    result = _cli("db", "upgrade", ORCHESTRATOR_DATABASE_URL=url, ORCHESTRATOR_LOG_FORMAT="json",
                  LOG_LEVEL_ALEMBIC="INFO")  # alembic's set-up lines, held at WARNING by default
    assert result.returncode == 0, result.stderr[-3000:]
    assert "hunter2" not in result.stdout + result.stderr
    assert "***@" in result.stdout.replace("\n", "")
    records = [json.loads(line) for line in result.stderr.splitlines() if line.strip()]
    assert records and all({"event", "level", "logger", "timestamp"} <= set(r) for r in records)
