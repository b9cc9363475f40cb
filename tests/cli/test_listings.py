"""Listings (issue 17): `--json` on every one parses, ids in a table fit 80 columns as a prefix that every
command takes back, `--wide` prints them whole, and an ambiguous prefix is refused naming the candidates."""

from __future__ import annotations

import json
import uuid

import pytest
from typer.testing import CliRunner

from orchestrator_core.cli.main import app
from orchestrator_core.db import ProcessTable, transaction
from orchestrator_core.services.workflow_registry import workflow_row

LISTINGS = ["products", "workflows", "subscriptions", "processes"]


def invoke(*args: str, width: int = 80):
    return CliRunner().invoke(app, list(args), env={"COLUMNS": str(width)})


@pytest.mark.parametrize("listing", LISTINGS)
def test_json_of_every_listing_parses(listing):
    invoke("run", "cli_completes")

    result = invoke(listing, "--json")

    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert isinstance(rows, list)
    if listing in ("workflows", "processes"):
        assert rows, "the test workflows are registered and one of them ran"


def test_processes_fit_80_columns_with_a_prefix_that_commands_take_back():
    invoke("run", "cli_completes")
    process_id = json.loads(invoke("processes", "--json", "--limit", "1").output)[0]["process_id"]

    table = invoke("processes", "--limit", "5")
    wide = invoke("processes", "--limit", "5", "--wide")

    assert all(len(line) <= 80 for line in table.output.splitlines()), table.output
    assert process_id[:8] in table.output and process_id not in table.output
    assert process_id in wide.output
    shown = invoke("process", process_id[:8])
    assert shown.exit_code == 0, shown.output
    assert process_id in shown.output


@pytest.fixture
def two_processes_sharing_a_prefix():
    ids = [uuid.UUID("abcd0000-0000-4000-8000-000000000001"), uuid.UUID("abcd0000-0000-4000-8000-000000000002")]
    with transaction() as session:
        workflow_id = workflow_row(session, "cli_completes").workflow_id
        for process_id in ids:
            session.add(ProcessTable(process_id=process_id, workflow_id=workflow_id, last_status="completed",
                                     created_by="test"))
    yield ids
    with transaction() as session:
        for process_id in ids:
            session.delete(session.get_one(ProcessTable, process_id))


def test_an_ambiguous_prefix_is_refused_in_one_line_naming_the_candidates(two_processes_sharing_a_prefix):
    first, second = two_processes_sharing_a_prefix

    result = invoke("process", "abcd0000")

    assert result.exit_code == 2, result.output
    line, = result.output.strip().splitlines()
    assert "Refused (id.ambiguous)" in line and str(first) in line and str(second) in line
    assert invoke("process", "abcd0000-0000-4000-8000-00000000000").exit_code == 2
    assert str(second) in invoke("process", "abcd0000000040008000000000000002").output


def test_a_prefix_that_matches_nothing_or_is_no_id_is_refused_in_one_line():
    nothing = invoke("resume", "ffffffff-ffff")
    assert nothing.exit_code == 2 and "Refused (id.not_found)" in nothing.output

    short = invoke("abort", "ab")
    assert short.exit_code == 2 and "at least 4" in short.output
