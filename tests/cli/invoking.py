"""The CLI as an operator calls it, in this process (typer's runner), and the process id it prints."""

from __future__ import annotations

import re

from click.testing import Result
from typer.testing import CliRunner

from orchestrator_core.cli.main import app


def invoke(*args: str, input: str | None = None, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(app, list(args), input=input, env=env)


def process_id_in(output: str) -> str:
    found = re.search(r"process ([0-9a-f-]{36})", output)
    assert found, output
    return found.group(1)
