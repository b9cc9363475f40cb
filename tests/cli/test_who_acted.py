"""Step rows say who acted (issue 17): the steps a retry runs are recorded as done by who retried (here
through the CLI's --user), with an audit row of the retry; the code version comes from the installed
package when git cannot say."""

from __future__ import annotations

import re
import uuid
from importlib.metadata import version

import sqlalchemy as sa
from typer.testing import CliRunner

from orchestrator_core.cli.main import app
from orchestrator_core.db import InputStateTable, transaction
from orchestrator_core.services.process_queries import get_process
from orchestrator_core.settings import _git_version


def test_the_steps_a_retry_runs_are_recorded_as_done_by_who_retried():
    runner = CliRunner()
    failed = runner.invoke(app, ["run", "cli_fails", "--user", "ann"])
    process_id = uuid.UUID(re.search(r"process ([0-9a-f-]{36})", failed.output).group(1))

    runner.invoke(app, ["resume", str(process_id)[:8], "--user", "bob"])

    steps = get_process(process_id).steps
    assert [(s.name, s.status, s.created_by) for s in steps] == [
        ("Start", "success", "ann"), ("Say hello", "success", "ann"), ("Break", "failed", "ann"),
        ("Break", "failed", "bob")]
    with transaction() as session:
        retries = session.scalars(sa.select(InputStateTable.input_state).where(
            InputStateTable.process_id == process_id, InputStateTable.input_type == "retry")).all()
    assert retries == [{"retried_by": "bob", "from_status": "failed"}]


def test_the_code_version_comes_from_the_package_when_git_cannot_say(monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")  # no git

    assert _git_version.__wrapped__() == f"v{version('orchestrator-core-prefect')}"
