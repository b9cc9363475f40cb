"""CLI tests: the `orchestrator` app run in this process by typer's CliRunner, on the session's database,
with the test workflows of cli_workflows registered."""

from __future__ import annotations

import pytest

from orchestrator_core.db import transaction
from orchestrator_core.services.workflow_registry import ensure_workflow_row
from orchestrator_core.workflow import get_workflow
from tests.cli import cli_workflows


@pytest.fixture(scope="session", autouse=True)
def cli_workflow_rows(orchestrator_database):
    with transaction() as session:
        for name in cli_workflows.NAMES:
            workflow = get_workflow(name)
            assert workflow is not None
            ensure_workflow_row(session, workflow)
