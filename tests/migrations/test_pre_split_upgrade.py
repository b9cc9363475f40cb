"""A database made before the core schema and the demo's registrations were split upgrades in place.

The fixtures in pre_split/ were made by the code of that time (commit 8019a06): its one linear chain
recorded a single version row, 0009, for a history that now lies on two branches (the core's
`schema`, the demo application's `data`). After `upgrade` in the demo's directory the database has
every row it had, records both branches, gained the core's newer revisions, and runs workflows.
"""

from __future__ import annotations

import sqlite3
import subprocess
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

import flows  # noqa: F401  (registers the demo's workflows)
from orchestrator_core.db import database, get_engine, transaction
from orchestrator_core.db.migrate import MigrationLayoutError, current_heads, upgrade
from orchestrator_core.devtools import drop_database, recreate_database
from orchestrator_core.migrations.scaffold import core_schema_head
from orchestrator_core.testing import assert_complete, run_workflow
from products.product_types.node_enrollment import NodeEnrollment
from tests.conftest import DEMO_APP, database_url

PRE_SPLIT = Path(__file__).parent / "pre_split"

EVERYTHING = {
    "subscriptions": "SELECT subscription_id, description, status, insync, customer_id, version FROM subscriptions",
    "instance values": "SELECT subscription_instance_value_id, value FROM subscription_instance_values",
    "processes": "SELECT process_id, last_status, last_step, created_by FROM processes",
    "steps": "SELECT step_id, process_id, name, status, state FROM process_steps",
    "input states": "SELECT input_state_id, input_state FROM input_states",
    "products": "SELECT product_id, name FROM products",
    "workflows": "SELECT workflow_id, name, target, is_task FROM workflows",
    "product workflows": "SELECT product_id, workflow_id FROM products_workflows",
}


def everything() -> dict[str, set[tuple]]:
    with get_engine().connect() as conn:
        return {name: {tuple(str(v) for v in row) for row in conn.execute(sa.text(sql))}
                for name, sql in EVERYTHING.items()}


@pytest.fixture
def pre_split_postgres(orchestrator_database):
    url = f"{database_url()}_pre_split"
    recreate_database(url)
    try:
        plain = sa.engine.make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
        subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", "-d", plain, "-f", str(PRE_SPLIT / "postgres.sql")],
                       check=True, capture_output=True)
        database.configure(url)
        yield
    finally:
        database.configure(orchestrator_database)
        drop_database(url)


@pytest.fixture
def pre_split_sqlite(tmp_path, orchestrator_database):
    path = tmp_path / "orchestrator.db"
    with sqlite3.connect(path) as conn:
        conn.executescript((PRE_SPLIT / "sqlite.sql").read_text())
    database.configure(f"sqlite:///{path}")
    yield
    database.configure(orchestrator_database)


@pytest.mark.parametrize("pre_split", ["pre_split_postgres", "pre_split_sqlite"])
def test_a_pre_split_database_upgrades_in_place_and_keeps_working(pre_split, request):
    request.getfixturevalue(pre_split)
    assert current_heads() == {"0009"}
    before = everything()
    assert len(before["steps"]) > 0 and len(before["subscriptions"]) == 1

    upgrade(app_dir=DEMO_APP)

    assert current_heads() == {core_schema_head(), "0006"}
    assert everything() == before  # nothing lost, and no registration ran a second time
    upgrade(app_dir=DEMO_APP)
    assert current_heads() == {core_schema_head(), "0006"}

    (subscription,) = before["subscriptions"]  # made by create_node_enrollment, then provisioned
    subscription_id = str(uuid.UUID(subscription[0]))
    assert_complete(run_workflow("modify_node_enrollment", [{"subscription_id": subscription_id}]))
    with transaction():
        assert NodeEnrollment.from_subscription(subscription_id).status == "active"


def test_the_core_alone_refuses_a_pre_split_database_and_changes_nothing(pre_split_postgres, tmp_path):
    before = everything()

    with pytest.raises(MigrationLayoutError, match="0003, 0006 now belong to the application"):
        upgrade(app_dir=tmp_path)  # an empty directory: no application, only the core schema

    assert current_heads() == {"0009"}
    assert everything() == before
