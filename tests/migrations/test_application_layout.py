"""The library/application boundary of the migrations, as the reference draws it.

The core schema ships inside orchestrator_core (branch `schema`); an application scaffolds its own
migrations with `orchestrator db init` and keeps its registrations on a `data` branch that depends
on the core schema, also by the reference's revision ids, with raw SQL written for the reference's
schema.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import sqlalchemy as sa

from orchestrator_core.db import database, get_engine
from orchestrator_core.db.migrate import current_heads, upgrade
from orchestrator_core.devtools import drop_database, recreate_database
from orchestrator_core.migrations.scaffold import core_schema_head
from tests.conftest import database_url

ORCHESTRATOR = Path(sys.executable).parent / "orchestrator"


def orchestrator(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ORCHESTRATOR_")}
    env.update(ORCHESTRATOR_DATABASE_URL=f"sqlite:///{cwd / 'app.db'}", COLUMNS="200")
    return subprocess.run([str(ORCHESTRATOR), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def test_db_init_then_upgrade_gives_the_core_schema_and_no_product(tmp_path):
    init = orchestrator(tmp_path, "db", "init")
    assert init.returncode == 0, init.stdout + init.stderr
    (data_head,) = (tmp_path / "migrations" / "versions" / "schema").glob("*_create_data_head.py")
    assert f'depends_on = "{core_schema_head()}"' in data_head.read_text()
    assert {p.name for p in tmp_path.iterdir()} >= {"alembic.ini", ".env", "migrations"}

    upgraded = orchestrator(tmp_path, "db", "upgrade")
    assert upgraded.returncode == 0, upgraded.stdout + upgraded.stderr
    with sqlite3.connect(tmp_path / "app.db") as db:
        workflows = {name: is_task for name, is_task in db.execute("SELECT name, is_task FROM workflows")}
        assert workflows == {"modify_note": 0, "task_validate_subscriptions": 1}
        assert db.execute("SELECT count(*) FROM products").fetchone() == (0,)
        assert db.execute("SELECT count(*) FROM subscriptions").fetchone() == (0,)
        (version,) = db.execute("SELECT version_num FROM alembic_version").fetchall()
    assert data_head.name.split("_")[1] == version[0]

    again = orchestrator(tmp_path, "db", "init")
    assert again.returncode == 2
    assert "already exists" in again.stdout
    assert len(list((tmp_path / "migrations" / "versions" / "schema").iterdir())) == 1

    added = orchestrator(tmp_path, "db", "revision", "-m", "add node product")
    assert added.returncode == 0, added.stdout + added.stderr
    (revision,) = (tmp_path / "migrations" / "versions" / "schema").glob("*_add_node_product.py")
    assert f"down_revision = {version[0]!r}" in revision.read_text()


def test_db_upgrade_without_an_application_migrates_the_core_schema_alone(tmp_path):
    upgraded = orchestrator(tmp_path, "db", "upgrade")
    assert upgraded.returncode == 0, upgraded.stdout + upgraded.stderr
    assert "no application here" in upgraded.stdout
    with sqlite3.connect(tmp_path / "app.db") as db:
        assert db.execute("SELECT version_num FROM alembic_version").fetchall() == [(core_schema_head(),)]


REFERENCE_STYLE = {
    "2023-10-24_a1b2c3d4e5f6_create_data_head.py": '''
        revision = "a1b2c3d4e5f6"
        down_revision = None
        branch_labels = ("data",)
        depends_on = "da5c9f4cce1c"  # a revision id of the reference's schema


        def upgrade() -> None:
            pass


        def downgrade() -> None:
            pass
    ''',
    "2023-10-27_b2c3d4e5f6a1_add_router.py": '''
        from uuid import uuid4

        from alembic import op

        from orchestrator_core.migrations.helpers import create, create_workflow, ensure_default_workflows
        from orchestrator_core.targets import Target

        revision = "b2c3d4e5f6a1"
        down_revision = "a1b2c3d4e5f6"
        branch_labels = None
        depends_on = None

        new_products = {
            "products": {"router Nokia": {"product_id": uuid4(), "product_type": "Router", "description": "Router",
                                          "tag": "ROUTER", "status": "active", "root_product_block": "Router",
                                          "fixed_inputs": {"vendor": "Nokia"}}},
            "product_blocks": {"Router": {"product_block_id": uuid4(), "description": "router block",
                                          "tag": "ROUTER", "status": "active",
                                          "resources": {"router_name": "Name of the router"},
                                          "depends_on_block_relations": []}},
            "workflows": {},
        }


        def upgrade() -> None:
            conn = op.get_bind()
            create(conn, new_products)
            create_workflow(conn, {"name": "create_router", "target": Target.CREATE, "description": "Create router",
                                   "product_type": "Router"})
            ensure_default_workflows(conn)


        def downgrade() -> None:
            pass
    ''',
    "2023-12-04_c3d4e5f6a1b2_raw_sql.py": '''
        import sqlalchemy as sa
        from alembic import op

        revision = "c3d4e5f6a1b2"
        down_revision = "b2c3d4e5f6a1"
        branch_labels = None
        depends_on = None


        def upgrade() -> None:
            conn = op.get_bind()
            conn.execute(sa.text("INSERT INTO workflows(name, target, description) VALUES (:n, :t, :d)"),
                         {"n": "task_sync_inventory", "t": "SYSTEM", "d": "Sync inventory"})
            conn.execute(sa.text("UPDATE workflows SET is_task = TRUE WHERE target IN ('SYSTEM', 'VALIDATE')"))
            customers = op.create_table(
                "customers",
                sa.Column("customer_id", sa.String(), server_default=sa.text("uuid_generate_v4()"), primary_key=True),
                sa.Column("fullname", sa.String(length=255), nullable=True),
            )
            op.bulk_insert(customers, [{"fullname": "SURF"}, {"fullname": "ESnet"}])


        def downgrade() -> None:
            op.drop_table("customers")
    ''',
}


@pytest.fixture
def fresh_postgres(orchestrator_database):
    url = f"{database_url()}_application"
    recreate_database(url)
    try:
        database.configure(url)
        yield
    finally:
        database.configure(orchestrator_database)
        drop_database(url)


def test_reference_style_data_migrations_apply_on_the_core_schema(fresh_postgres, tmp_path):
    """Written as the reference's applications write them: a data head on a reference revision id, helpers,
    and raw SQL that leaves ids, times and flags to the database and calls uuid-ossp."""
    versions = tmp_path / "migrations" / "versions" / "schema"
    versions.mkdir(parents=True)
    (tmp_path / "migrations" / "env.py").write_text(
        "from orchestrator_core.migrations.environment import run_migrations\n\nrun_migrations()\n")
    for name, source in REFERENCE_STYLE.items():
        (versions / name).write_text(textwrap.dedent(source))

    upgrade(app_dir=tmp_path)

    assert current_heads() == {core_schema_head(), "c3d4e5f6a1b2"}
    with get_engine().connect() as conn:
        workflows = dict(conn.execute(sa.text("SELECT name, is_task FROM workflows")).all())
        assert workflows == {"modify_note": False, "task_validate_subscriptions": True, "create_router": False,
                             "task_sync_inventory": True}
        linked = conn.execute(sa.text(
            "SELECT w.name FROM products_workflows pw JOIN workflows w USING (workflow_id) "
            "JOIN products p USING (product_id) WHERE p.name = 'router Nokia' ORDER BY w.name")).scalars().all()
        assert linked == ["create_router", "modify_note"]
        customers = conn.execute(sa.text("SELECT customer_id FROM customers")).scalars().all()
        assert len(customers) == 2 and all(len(c) == 36 for c in customers)
