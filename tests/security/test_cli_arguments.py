"""Every bad argument of the `orchestrator` command ends it with one line and exit code 2, never a
Python traceback, and writes nothing (issue 13). The issue's own cases run the installed console script;
the matrix over every command's arguments runs the same click group in this process."""

from __future__ import annotations

import json
import os
import subprocess
import uuid

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from orchestrator_core.cli.main import app
from orchestrator_core.db import ProcessTable, transaction
from orchestrator_core.devtools import BIN
from tests.served_stack import ROOT

UNKNOWN = str(uuid.uuid4())
NUL_NOTE = json.dumps({"subscription_id": UNKNOWN, "note": "before\x00after"})  # as `\u0000` in the JSON

ISSUE_CASES = [
    (["run", "modify_note", "--input", "[1,2]"], "item 0 is a number"),
    (["run", "modify_note", "--input", '"str"'], "not a string"),
    (["run", "modify_note", "--input", "5"], "not a number"),
    (["run", "modify_note", "--input", NUL_NOTE], "NUL character (\\u0000) at note"),
    (["processes", "--limit", "-5"], "'--limit'"),
    (["run", "modify_note", "--user", "u" * 300], "300 characters long; at most 255"),
    (["processes", "--status", "nope"], "'nope' is not one of 'created'"),
]

MATRIX = [
    (["run"], "Missing argument"),
    (["run", "modify_note", "--input", "{"], "not valid JSON"),
    (["run", "modify_note", "--input", '{"speed": NaN}'], "NaN is not a number JSON allows"),
    (["run", "modify_note", "--input", "[{}, []]"], "item 1 is a list"),
    (["run", "modify_note", "--input", "null"], "not null"),
    (["run", "modify_note", "--input", "[" * 100_000 + "]" * 100_000], "nested too deeply"),
    (["run", "modify_note", "--input", '{"k\\u0000": 1}'], "NUL character"),
    (["run", "modify_note", "--user", ""], "must not be empty"),
    (["run", "modify_note", "--user", "eve\nSYSTEM"], "control characters"),
    (["run", "modify_note", "--bogus"], "No such option"),
    (["run", "no_such_workflow"], "Refused (workflow.unknown)"),
    (["resume", "not-a-uuid"], "'process_id'"),
    (["resume", UNKNOWN, "--input", "[1]"], "item 0 is a number"),
    (["resume", UNKNOWN, "--user", "x" * 256], "at most 255"),
    (["resume", UNKNOWN], "Refused (process.not_found)"),
    (["abort", "42"], "'process_id'"),
    (["abort", UNKNOWN, "--user", "\x1b[31m"], "control characters"),
    (["abort", UNKNOWN], "Refused (process.not_found)"),
    (["process", "nope"], "'process_id'"),
    (["process", UNKNOWN], "Refused (process.not_found)"),
    (["processes", "--limit", "0"], "'--limit'"),
    (["processes", "--limit", "1000001"], "'--limit'"),
    (["processes", "--limit", "many"], "'--limit'"),
    (["validate-subscriptions", "--concurrency", "0"], "'--concurrency'"),
    (["validate-subscriptions", "--concurrency", "x"], "'--concurrency'"),
    (["validate-subscriptions", "--user", "u" * 300], "at most 255"),
    (["prefect-yaml", "--output", "/no/such/directory/prefect.yaml"], "cannot write /no/such/directory"),
    (["db", "revision", "-m", " "], "must say what the migration does"),
    (["db", "upgrade", "no_such_revision"], "Can't locate revision"),
    (["db", "downgrade"], "Missing argument"),
    (["no-such-command"], "No such command"),
]


def process_count() -> int:
    with transaction() as session:
        return session.execute(sa.select(sa.func.count()).select_from(ProcessTable)).scalar_one()


def one_line(output: str) -> str:
    lines = output.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in output, output
    return lines[0]


@pytest.mark.parametrize(("args", "says"), ISSUE_CASES, ids=lambda value: " ".join(value)[:40]
                         if isinstance(value, list) else None)
def test_the_issues_bad_arguments_end_with_one_line_and_exit_2(args, says, orchestrator_database):
    env = {**os.environ, "ORCHESTRATOR_DATABASE_URL": orchestrator_database, "PYTHONPATH": str(ROOT)}
    before = process_count()

    done = subprocess.run([str(BIN / "orchestrator"), *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)

    assert done.returncode == 2, done.stdout + done.stderr
    assert says in one_line(done.stdout + done.stderr)
    assert done.stdout == ""  # an argument error goes to stderr, as click's own do
    assert process_count() == before


@pytest.mark.parametrize(("args", "says"), MATRIX, ids=lambda value: " ".join(value)[:40]
                         if isinstance(value, list) else None)
def test_every_commands_bad_arguments_end_with_one_line_and_exit_2(args, says):
    before = process_count()

    result = CliRunner().invoke(app, args)

    assert result.exit_code == 2, (result.output, result.exception)
    assert isinstance(result.exception, SystemExit), result.exception  # not an exception that escaped
    assert says in one_line(result.output)
    assert process_count() == before


def test_a_good_argument_in_another_case_still_works():
    result = CliRunner().invoke(app, ["processes", "--status", "FAILED", "--limit", "1"])

    assert result.exit_code == 0, result.output
    assert "Processes" in result.output
