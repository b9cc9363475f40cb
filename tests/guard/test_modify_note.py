"""The built-in modify_note, end to end through run_workflow, registered by migration 0004."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa

import orchestrator_core.workflows  # noqa: F401  (registers modify_note)
from orchestrator_core.api.app import create_app
from orchestrator_core.db import WorkflowTable, database, transaction
from orchestrator_core.db.migrate import upgrade
from orchestrator_core.db.product_tables import products_workflows
from orchestrator_core.migrations import helpers
from orchestrator_core.testing import assert_complete, extract_state, run_workflow
from tests.api.conftest import wait_for
from tests.conftest import DEMO_APP
from tests.guard import factories
from tests.http_server import serving


def test_modify_note_saves_the_note_and_leaves_the_lock_alone():
    product_id = factories.product()
    with transaction() as s:  # a product added after the migrations: a later helpers.create() links it
        helpers.ensure_default_workflows(s)
    sid = factories.subscription(product_id)

    result = run_workflow("modify_note", [{"subscription_id": str(sid)}, {"note": "rack 12, port 3"}])

    assert_complete(result)
    assert factories.subscription_state(sid) == ("active", True, "rack 12, port 3")
    assert extract_state(result)["old_note"] is None
    assert result.step_names() == ["Start", "Create Process Subscription relation", "Store note", "Done"]


def test_modify_note_runs_on_an_out_of_sync_subscription():
    product_id = factories.product()
    with transaction() as s:
        helpers.ensure_default_workflows(s)
    sid = factories.subscription(product_id, insync=False)

    assert_complete(run_workflow("modify_note", [{"subscription_id": str(sid)}, {"note": "x"}]))
    assert factories.subscription_state(sid) == ("active", False, "x")


def test_migration_registered_modify_note_for_every_product():
    with transaction() as s:
        products = s.execute(sa.text("SELECT count(*) FROM products")).scalar_one()
        linked = s.execute(
            sa.select(sa.func.count()).select_from(products_workflows)
            .join(WorkflowTable, WorkflowTable.workflow_id == products_workflows.c.workflow_id)
            .where(WorkflowTable.name == "modify_note")
        ).scalar_one()
    assert products >= 1
    assert linked == products


@pytest.fixture(params=["postgres", "sqlite"])
def either_database(request: pytest.FixtureRequest, tmp_path: Path, orchestrator_database: str) -> Iterator[str]:
    """The session's Postgres, or the embedded default: a fresh SQLite file with the same migrations."""
    if request.param == "postgres":
        yield request.param
        return
    database.configure(f"sqlite:///{tmp_path / 'orchestrator.db'}")
    try:
        upgrade(app_dir=DEMO_APP)
        yield request.param
    finally:
        database.configure(orchestrator_database)


def test_modify_note_through_the_api_on_postgres_and_sqlite(either_database: str) -> None:
    """The inline note edit of orchestrator-ui posts modify_note; on SQLite its form compared the id as text
    with the UUID column and the API answered 500."""
    product_id = factories.product()
    with transaction() as s:
        helpers.ensure_default_workflows(s)
    sid = factories.subscription(product_id)
    with serving(create_app(import_workflows=False)) as url, httpx.Client(base_url=url, timeout=30) as client:
        started = client.post("/api/processes/modify_note", json=[{"subscription_id": str(sid)}, {"note": "rack 12"}])
        assert started.status_code == 201, started.text
        done = wait_for(client, started.json()["id"], {"completed", "failed"})
    assert done["status"] == "completed", done["failed_reason"]
    assert factories.subscription_state(sid) == ("active", True, "rack 12")
