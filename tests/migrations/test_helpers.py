"""migrations/helpers: helpers.create registers the catalogue idempotently; workflows link to their
products (the domain tests' catalogue, tests/domain/products_under_test.py)."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa

from orchestrator_core.db import get_engine
from orchestrator_core.migrations import helpers
from orchestrator_core.settings import app_settings
from tests.domain.products_under_test import CATALOGUE

TABLES = [
    "products",
    "fixed_inputs",
    "product_blocks",
    "product_block_relations",
    "resource_types",
    "product_product_blocks",
    "product_block_resource_types",
    "products_workflows",
    "workflows",
]


@pytest.fixture(scope="module", autouse=True)
def catalogue() -> None:
    """The products the tests link workflows to, as the domain tests register them."""
    with get_engine().begin() as conn:
        helpers.create(conn, CATALOGUE)


def _snapshot() -> dict[str, list]:
    with get_engine().connect() as conn:
        return {t: sorted(map(tuple, conn.execute(sa.text(f"SELECT * FROM {t}")))) for t in TABLES}


def test_create_twice_changes_nothing():
    with get_engine().begin() as conn:
        helpers.create(conn, CATALOGUE)
    before = _snapshot()
    with get_engine().begin() as conn:
        helpers.create(conn, CATALOGUE)
    assert _snapshot() == before


def test_the_node_enrollment_migration_registered_the_guides_product():
    with get_engine().connect() as conn:
        block_id = helpers.get_product_block_id_by_name(conn, "Node Enrollment")
        resources = conn.execute(
            sa.text(
                "SELECT rt.resource_type FROM resource_types rt JOIN product_block_resource_types p "
                "USING (resource_type_id) WHERE p.product_block_id = :b"
            ),
            {"b": block_id},
        ).scalars()
        assert {"esdb_node_id", "uuid", "nso_service_id", "routing_domain"} <= set(resources)
        assert helpers.get_product_id_by_name(conn, "Node Enrollment")


def _linked_products(conn, workflow_name: str) -> set[str]:
    return set(
        conn.execute(
            sa.text(
                "SELECT p.name FROM products p JOIN products_workflows pw USING (product_id) "
                "JOIN workflows w USING (workflow_id) WHERE w.name = :n"
            ),
            {"n": workflow_name},
        ).scalars()
    )


def test_a_workflow_links_to_products_by_search_phrase_and_tag():
    name = f"modify_test_sink_{uuid.uuid4().hex[:8]}"
    with get_engine().begin() as conn:
        helpers.create(
            conn,
            {
                "workflows": {
                    name: {
                        "target": "MODIFY",
                        "description": "Modify a test sink",
                        "tag": "TestSink",
                        "search_phrase": "Test%",
                    }
                }
            },
        )
        helpers.create_workflow(conn, {"name": name, "target": "MODIFY", "search_phrase": "Test Sink%"})
        assert _linked_products(conn, name) == {"Test Sink"}


def test_default_workflows_link_to_every_product(monkeypatch):
    name = f"default_{uuid.uuid4().hex[:8]}"
    monkeypatch.setattr(app_settings, "DEFAULT_PRODUCT_WORKFLOWS", [name])
    with get_engine().begin() as conn:
        helpers.create_task(conn, {"name": name, "description": "a default workflow"})
        helpers.ensure_default_workflows(conn)
        products = set(conn.execute(sa.text("SELECT name FROM products")).scalars())
        assert _linked_products(conn, name) == products
