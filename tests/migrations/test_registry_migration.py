"""Registration by migration: the guide's migration registers its workflows and links them to the
right products, default workflows reach every product, and running it twice changes nothing."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.operations import Operations
from alembic.runtime.migration import MigrationContext

from orchestrator_core.db import get_engine
from orchestrator_core.migrations import helpers
from tests.migrations import guide_migration

LINKS = sa.text(
    "SELECT w.name, w.target, p.name FROM products_workflows pw JOIN workflows w USING (workflow_id) "
    "JOIN products p USING (product_id) WHERE p.name LIKE 'Guide %' ORDER BY 1, 3"
)


def _run_migration(upgrade) -> None:
    """Run an upgrade() the way Alembic runs a revision: `op` bound to a connection, one transaction."""
    with get_engine().begin() as conn, Operations.context(MigrationContext.configure(conn)):
        upgrade()


def _snapshot() -> tuple:
    with get_engine().connect() as conn:
        return tuple(
            tuple(conn.execute(sa.text(q)).all())
            for q in ("SELECT * FROM workflows ORDER BY name", "SELECT * FROM products ORDER BY name",
                      "SELECT * FROM products_workflows ORDER BY product_id, workflow_id")
        )


def test_the_guide_migration_links_each_workflow_to_the_matching_products_only():
    _run_migration(guide_migration.upgrade)
    with get_engine().connect() as conn:
        links = conn.execute(LINKS).all()
    ours = [row for row in links if row[0] != "modify_note"]
    assert ours == [(wf, target, product) for wf, target in (
        ("create_guide_node", "CREATE"), ("modify_guide_node", "MODIFY"),
        ("terminate_guide_node", "TERMINATE"), ("validate_guide_node", "SYSTEM"))
        for product in ("Guide Node 100G", "Guide Node 10G")]
    assert {row[2] for row in links if row[0] == "modify_note"} == {"Guide Node 10G", "Guide Node 100G",
                                                                    "Guide Router"}


def test_running_it_twice_changes_nothing():
    _run_migration(guide_migration.upgrade)
    before = _snapshot()
    _run_migration(guide_migration.upgrade)
    with get_engine().begin() as conn:
        helpers.ensure_default_workflows(conn)
    assert _snapshot() == before


def test_create_with_workflows_and_default_workflows():
    new = {
        "products": {"Guide Switch": {"product_type": "GuideSwitch", "description": "Guide Switch",
                                      "tag": "GuideSwitch", "status": "active"}},
        "workflows": {"create_guide_switch": {"target": "CREATE", "description": "Create switch",
                                              "tag": "GuideSwitch", "search_phrase": "Guide Switch%"}},
    }
    with get_engine().begin() as conn:
        helpers.create(conn, new)
    with get_engine().connect() as conn:
        linked = {row[0] for row in conn.execute(LINKS) if row[2] == "Guide Switch"}
    assert linked == {"create_guide_switch", "modify_note"}
