"""The reference's migration helpers, as applications' data migrations call them.

Each test runs in a transaction that is rolled back, on the session's Postgres database.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from orchestrator_core.db import get_engine
from orchestrator_core.migrations import helpers

CATALOGUE_TABLES = ["products", "fixed_inputs", "product_blocks", "product_block_relations", "resource_types",
                    "product_product_blocks", "product_block_resource_types", "products_workflows", "workflows"]

NEW = {
    "products": {
        "circuit 10G": {"product_id": uuid.uuid4(), "product_type": "HelperCircuit", "description": "Circuit",
                        "tag": "HCIRCUIT", "status": "active", "root_product_block": "Helper Circuit",
                        "fixed_inputs": {"speed": "10000"}},
        "circuit 1G": {"product_id": uuid.uuid4(), "product_type": "HelperCircuit", "description": "Circuit",
                       "tag": "HCIRCUIT", "status": "active", "product_blocks": ["Helper Circuit"],
                       "fixed_inputs": {"speed": "1000"}},
    },
    "product_blocks": {
        "Helper Circuit": {"product_block_id": uuid.uuid4(), "description": "circuit", "tag": "HCIRCUIT",
                           "status": "active",
                           "resources": {"helper_circuit_id": "Circuit id", "helper_vlan": "VLAN"},
                           "depends_on_block_relations": ["Helper Circuit Port"]},
        "Helper Circuit Port": {"product_block_id": uuid.uuid4(), "description": "port", "tag": "PORT",
                         "status": "active", "resources": {"helper_port_name": "Port name"}},
    },
    "workflows": {},
}
RESOURCE_TYPES = ["helper_circuit_id", "helper_vlan", "helper_port_name"]


@pytest.fixture
def conn() -> Iterator[Connection]:
    with get_engine().connect() as connection:
        transaction = connection.begin()
        yield connection
        transaction.rollback()


def catalogue(conn: Connection) -> dict[str, list[tuple]]:
    return {t: sorted(map(tuple, conn.execute(sa.text(f"SELECT * FROM {t}")))) for t in CATALOGUE_TABLES}


def names(conn: Connection, sql: str, **params) -> list[str]:
    return sorted(conn.execute(sa.text(sql), params).scalars())


def test_delete_undoes_create_given_the_same_dict(conn):
    helpers.ensure_default_workflows(conn)  # create() links them to every product, older ones included
    before = catalogue(conn)
    helpers.create(conn, NEW)
    helpers.create_workflow(conn, {"name": "create_circuit", "target": "CREATE", "description": "Create circuit",
                                   "product_type": "HelperCircuit"})
    circuits = names(conn, "SELECT name FROM products WHERE product_type = 'HelperCircuit'")
    assert circuits == ["circuit 10G", "circuit 1G"]

    helpers.delete_workflow(conn, "create_circuit")
    helpers.delete(conn, {**NEW, "resource_types": RESOURCE_TYPES})

    assert catalogue(conn) == before


def test_lookups_by_name_type_and_id(conn):
    helpers.create(conn, NEW)
    product_id = helpers.get_product_id_by_name(conn, "circuit 10G")
    assert helpers.get_product_name_by_id(conn, product_id) == "circuit 10G"
    assert helpers.get_product_by_id(conn, str(product_id))["tag"] == "HCIRCUIT"
    assert set(helpers.get_product_ids_by_product_type(conn, "HelperCircuit")) == {
        product_id, helpers.get_product_id_by_name(conn, "circuit 1G")}
    assert [row.value for row in helpers.get_fixed_inputs_by_product_id(conn, product_id)] == ["10000"]
    assert helpers.get_fixed_input_id_by_name(conn, "speed") is not None
    assert {"product_id": product_id, "name": "circuit 10G"} in helpers.get_all_active_products_and_ids(conn)
    assert helpers.has_table_column("workflows", "is_task", conn)
    assert not helpers.has_table_column("workflows", "no_such_column", conn)
    assert not helpers.has_table_column("no_such_table", "id", conn)
    with pytest.raises(ValueError, match="product circuit 40G does not exist"):
        helpers.get_product_id_by_name(conn, "circuit 40G")


def test_workflows_linked_and_unlinked_by_product_tag(conn):
    helpers.create(conn, NEW)
    helpers.create_task(conn, {"name": "task_audit_circuits", "description": "Audit"})
    linked = "SELECT p.name FROM products_workflows JOIN products p USING (product_id) " \
             "JOIN workflows w USING (workflow_id) WHERE w.name = :w"

    helpers.add_products_to_workflow_by_product_tag(conn, "task_audit_circuits", "HCIRCUIT")
    assert names(conn, linked, w="task_audit_circuits") == ["circuit 10G", "circuit 1G"]
    helpers.remove_products_from_workflow_by_product_tag(conn, "task_audit_circuits", "HCIRCUIT", "%10G")
    assert names(conn, linked, w="task_audit_circuits") == ["circuit 1G"]


def test_block_relations_and_resource_types(conn):
    helpers.create(conn, NEW)
    circuit = helpers.get_product_block_id_by_name(conn, "Helper Circuit")
    port = helpers.get_product_block_id_by_name(conn, "Helper Circuit Port")
    children = "SELECT b.name FROM product_block_relations r JOIN product_blocks b " \
               "ON b.product_block_id = r.depends_on_id WHERE r.in_use_by_id = :parent"
    helpers.remove_product_block_relation_between_products_by_id(conn, circuit, port)
    assert names(conn, children, parent=circuit) == []
    helpers.add_product_block_relation_between_products_by_id(conn, circuit, port)
    helpers.add_product_block_relation_between_products_by_id(conn, circuit, port)
    assert names(conn, children, parent=circuit) == ["Helper Circuit Port"]

    block_types = "SELECT rt.resource_type FROM product_block_resource_types JOIN resource_types rt " \
                  "USING (resource_type_id) WHERE product_block_id = :block"
    helpers.delete_resource_types_from_product_blocks(conn, {"Helper Circuit": {"helper_vlan": "VLAN"}})
    assert names(conn, block_types, block=circuit) == ["helper_circuit_id"]
    kept = names(conn, "SELECT resource_type FROM resource_types WHERE resource_type = 'helper_vlan'")
    assert kept == ["helper_vlan"]
    helpers.insert_resource_type(conn, "helper_mtu", "MTU")
    helpers.insert_resource_type(conn, "helper_mtu", "MTU")
    helpers.delete_resource_types(conn, ["helper_vlan", "helper_mtu"])
    gone = names(conn, "SELECT resource_type FROM resource_types WHERE resource_type IN ('helper_vlan', 'helper_mtu')")
    assert gone == []


def _subscription_with_instance(conn: Connection, product: str, block: str) -> tuple[uuid.UUID, uuid.UUID]:
    """Rows as raw SQL writes them: the ids come from the database's defaults."""
    subscription_id = conn.execute(sa.text(
        "INSERT INTO subscriptions (description, status, product_id, customer_id) "
        "VALUES ('d', 'active', :p, 'c') RETURNING subscription_id"),
        {"p": helpers.get_product_id_by_name(conn, product)}).scalar_one()
    instance_id = conn.execute(sa.text(
        "INSERT INTO subscription_instances (subscription_id, product_block_id) VALUES (:s, :b) "
        "RETURNING subscription_instance_id"),
        {"s": subscription_id, "b": helpers.get_product_block_id_by_name(conn, block)}).scalar_one()
    return subscription_id, instance_id


def test_backfill_and_relation_conversions(conn):
    helpers.create(conn, NEW)
    _, circuit_instance = _subscription_with_instance(conn, "circuit 10G", "Helper Circuit")
    port_subscription, port_instance = _subscription_with_instance(conn, "circuit 1G", "Helper Circuit Port")
    values = "SELECT value FROM subscription_instance_values WHERE subscription_instance_id = :i " \
             "AND resource_type_id = :rt"
    relations = "SELECT CAST(depends_on_id AS text) FROM subscription_instance_relations " \
                "WHERE in_use_by_id = :i AND domain_model_attr = 'port'"

    vlan = helpers.get_resource_type_id_by_name(conn, "helper_vlan")
    helpers.backfill_resource_type_with_default(conn, vlan, "Helper Circuit", 100)
    assert names(conn, values, i=circuit_instance, rt=vlan) == ["100"]
    helpers.remove_resource_type_from_subscription_instance(conn, "helper_vlan")
    assert names(conn, values, i=circuit_instance, rt=vlan) == []

    helpers.insert_resource_type(conn, "port_subscription_id", "the port's subscription")
    reference = helpers.get_resource_type_id_by_name(conn, "port_subscription_id")
    conn.execute(sa.text("INSERT INTO subscription_instance_values (subscription_instance_id, resource_type_id, value) "
                         "VALUES (:i, :rt, :v)"), {"i": circuit_instance, "rt": reference, "v": str(port_subscription)})
    helpers.convert_resource_type_relations_to_instance_relations(conn, reference, "port")
    assert names(conn, relations, i=circuit_instance) == [str(port_instance)]
    assert names(conn, values, i=circuit_instance, rt=reference) == []

    helpers.convert_instance_relations_to_resource_type_relations_by_domain_model_attr(conn, "port", reference)
    assert names(conn, values, i=circuit_instance, rt=reference) == [str(port_subscription)]
    assert names(conn, relations, i=circuit_instance) == []
