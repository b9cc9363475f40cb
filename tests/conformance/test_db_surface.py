"""The reference's database surface at its paths: `db.session` (inside and outside a transaction),
`init_database`, `BaseModel`, `ALL_DB_MODELS`, the table classes with the query style and the
relationships applications use, and the guide's test pattern."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa
from sqlalchemy import String, select
from sqlalchemy.orm import mapped_column

import orchestrator_core.db as db_package
from orchestrator_core.db import (
    ALL_DB_MODELS,
    NoTransactionError,
    ProcessTable,
    ProductBlockTable,
    ProductTable,
    ResourceTypeTable,
    SubscriptionInstanceTable,
    SubscriptionInstanceValueTable,
    SubscriptionTable,
    WorkflowTable,
    db,
    get_engine,
    init_database,
    is_sqlite,
    models,
    transaction,
)
from orchestrator_core.db.base import Base
from orchestrator_core.db.database import BaseModel
from orchestrator_core.settings import app_settings
from orchestrator_core.testing import assert_complete, extract_state, run_workflow
from orchestrator_core.types import SubscriptionLifecycle
from tests.conformance.test_domain_surface import (
    ConformanceNode,
    conformance_products,  # noqa: F401  (registers the products and workflows for this module too)
    create_node,
    create_port,
    product_id,
)

TABLES = ["FixedInputTable", "InputStateTable", "ProcessStepTable", "ProcessSubscriptionTable", "ProcessTable",
          "ProductBlockTable", "ProductTable", "ResourceTypeTable", "SubscriptionInstanceRelationTable",
          "SubscriptionInstanceTable", "SubscriptionInstanceValueTable", "SubscriptionTable", "WorkflowTable"]


@pytest.fixture(scope="module")
def node_and_port() -> tuple[str, str, str]:
    node_name = f"node-{uuid.uuid4().hex[:6]}"
    node_id = create_node(node_name)
    port_id, _state = create_port(node_id, "eth1")
    return node_id, port_id, node_name


def test_the_guides_test_pattern_reads_outside_a_transaction():
    """`result = run_workflow(...)`, then the model and the row, in the test, with no transaction open."""
    result = run_workflow("create_conformance_node", [{"product": product_id("Conformance Node")},
                                                      {"customer_id": "customer-2", "node_name": "guide-node"}])
    assert_complete(result)
    subscription_id = extract_state(result)["subscription_id"]

    node = ConformanceNode.from_subscription(subscription_id)
    assert node.status == SubscriptionLifecycle.ACTIVE
    assert node.node.node_name == "guide-node"

    row = db.session.execute(
        select(SubscriptionTable).where(SubscriptionTable.subscription_id == uuid.UUID(str(subscription_id)))
    ).scalar_one()
    assert (row.status, row.insync, row.customer_id) == ("active", True, "customer-2")


def test_reads_outside_a_transaction_see_what_commits_later(node_and_port):
    node_id, _port_id, _name = node_and_port
    sid = uuid.UUID(node_id)
    row = db.session.get(SubscriptionTable, sid)
    before = row.note
    with transaction() as session:
        session.execute(sa.update(SubscriptionTable).where(SubscriptionTable.subscription_id == sid)
                        .values(note="noted later"))
    assert db.session.get(SubscriptionTable, sid).note == "noted later"
    assert row.note == "noted later"  # a row read before reloads on its next use
    assert db.session.scalar(select(SubscriptionTable.note).where(SubscriptionTable.subscription_id == sid)) \
        == "noted later"
    with transaction() as session:
        session.execute(sa.update(SubscriptionTable).where(SubscriptionTable.subscription_id == sid)
                        .values(note=before))


def test_reads_outside_a_transaction_hold_no_lock(node_and_port):
    """Nothing stays open between reads: another connection may lock the tables they read at once."""
    if is_sqlite():
        pytest.skip("table locks are Postgres'")
    node_id, port_id, _name = node_and_port
    ConformanceNode.from_subscription(node_id)
    assert SubscriptionTable.query.filter(SubscriptionTable.subscription_id == uuid.UUID(port_id)).one()
    db.session.get(SubscriptionTable, uuid.UUID(node_id)).instances[0].values  # noqa: B018  (lazy loads)
    with get_engine().begin() as conn:
        conn.execute(sa.text("SET LOCAL lock_timeout = '2s'"))
        conn.execute(sa.text("LOCK TABLE subscriptions, subscription_instances, subscription_instance_values, "
                             "products IN ACCESS EXCLUSIVE MODE"))


OUTSIDE = "written outside a transaction"
"""A note no other test writes (the session's database is shared, and modify_note's tests write "x")."""


def test_writes_outside_a_transaction_are_refused_and_change_nothing(node_and_port):
    node_id, _port_id, _name = node_and_port
    sid = uuid.UUID(node_id)
    db.session.add(ProductTable(name="never stored", description="x", product_type="X", tag="X", status="active"))
    with pytest.raises(NoTransactionError, match="outside a transaction.*with transaction"):
        db.session.commit()
    with pytest.raises(NoTransactionError, match="UPDATE statement outside a transaction"):
        db.session.execute(sa.update(SubscriptionTable).values(note=OUTSIDE))
    with pytest.raises(sa.exc.DBAPIError):  # the connection itself is read-only
        db.session.execute(sa.text("UPDATE subscriptions SET note = :note"), {"note": OUTSIDE})
    row = db.session.get(SubscriptionTable, sid)
    row.description = "changed in place"
    with pytest.raises(NoTransactionError, match="saving 1 changed row"):
        db.session.get(SubscriptionTable, sid)

    assert db.session.scalars(select(ProductTable).where(ProductTable.name == "never stored")).all() == []
    assert db.session.get(SubscriptionTable, sid).description != "changed in place"
    assert db.session.scalar(select(sa.func.count()).where(SubscriptionTable.note == OUTSIDE)) == 0


def test_inside_a_transaction_db_session_is_that_transactions_session():
    with transaction() as session:
        assert db.session is session
        session.add(ProductTable(name=f"written {uuid.uuid4().hex[:6]}", description="x", product_type="X",
                                 tag="DBSURFACE", status="active"))
        db.session.flush()
        assert [p.tag for p in ProductTable.query.filter(ProductTable.tag == "DBSURFACE")] == ["DBSURFACE"]
    with transaction() as session:
        session.execute(sa.delete(ProductTable).where(ProductTable.tag == "DBSURFACE"))


def test_table_classes_at_the_reference_paths():
    for name in TABLES:
        assert getattr(db_package, name) is getattr(models, name)
        assert getattr(db_package, name) in ALL_DB_MODELS
    assert BaseModel is Base
    assert init_database(app_settings) is db
    engine = get_engine()
    assert init_database(app_settings) is db and get_engine() is engine  # same database: nothing replaced


def test_an_application_table_maps_on_our_base():
    class ConformanceCustomerTable(BaseModel):
        __tablename__ = "conformance_customers"

        customer_id = mapped_column(String, primary_key=True)
        fullname = mapped_column(String(255))

        @classmethod
        def get_customer_name(cls, customer_id: str) -> str | None:
            return db.session.execute(select(cls.fullname).where(cls.customer_id == customer_id)).scalar_one_or_none()

    table = ConformanceCustomerTable.__table__
    assert table.metadata is Base.metadata
    table.create(get_engine())
    try:
        with transaction() as session:
            session.add(ConformanceCustomerTable(customer_id="c-1", fullname="Customer One"))
        assert ConformanceCustomerTable.get_customer_name("c-1") == "Customer One"
        assert [c.fullname for c in ConformanceCustomerTable.query.all()] == ["Customer One"]
    finally:
        table.drop(get_engine())
        Base.metadata.remove(table)


def test_the_query_style_of_applications(node_and_port):
    node_id, port_id, node_name = node_and_port
    active = [SubscriptionLifecycle.ACTIVE]
    by_type = (
        SubscriptionTable.query.join(ProductTable)
        .filter(ProductTable.product_type == "ConformanceNode")
        .filter(SubscriptionTable.status.in_(active))
        .all()
    )
    assert uuid.UUID(node_id) in {s.subscription_id for s in by_type}
    by_value = (
        SubscriptionTable.query.join(ProductTable)
        .join(SubscriptionInstanceTable)
        .join(SubscriptionInstanceValueTable)
        .join(ResourceTypeTable)
        .filter(ProductTable.product_type == "ConformanceNode")
        .filter(SubscriptionInstanceValueTable.value == node_name)
        .filter(ResourceTypeTable.resource_type == "node_name")
        .filter(SubscriptionTable.status.in_(active))
        .all()
    )
    assert [s.subscription_id for s in by_value] == [uuid.UUID(node_id)]
    assert uuid.UUID(port_id) in {s.subscription_id for s in SubscriptionTable.find_by_product_tag("CPORT")}


def test_product_rows_and_their_helpers():
    product = db.session.scalars(select(ProductTable).where(ProductTable.name == "Conformance Port 10G")).one()
    assert product.fixed_input_value("speed") == "10000"
    assert {f.name: f.value for f in product.fixed_inputs} == {"speed": "10000"}
    assert [b.name for b in product.product_blocks] == ["Conformance Port"]
    assert "create_conformance_port" in [w.name for w in product.workflows]
    assert product.create_subscription_workflow_key() == "create_conformance_port"
    assert product.terminate_subscription_workflow_key() is None
    assert product.workflow_by_key("create_conformance_port").target == "CREATE"
    assert product.find_block_by_name("Conformance Port").tag == "CPORT"
    with pytest.raises(sa.exc.NoResultFound):
        product.fixed_input_value("no such input")

    port_block = ProductBlockTable.find_by_name("Conformance Port")
    node_block = ProductBlockTable.find_by_tag("CNODE")
    assert [b.name for b in port_block.depends_on] == ["Conformance Node"]
    assert "Conformance Port" in [b.name for b in node_block.in_use_by]
    assert port_block.find_resource_type_by_name("port_name").resource_type == "port_name"
    assert "Conformance Port" in [b.name for b in port_block.resource_types[0].product_blocks]
    assert "create_conformance_port" in [w.name for w in db.session.scalars(WorkflowTable.select())]


def test_subscription_and_instance_rows_and_their_helpers(node_and_port):
    node_id, port_id, node_name = node_and_port
    port = db.session.get(SubscriptionTable, uuid.UUID(port_id))
    (port_instance,) = port.find_instance_by_block_name("Conformance Port")
    (node_instance,) = port_instance.depends_on
    assert node_instance.subscription_id == uuid.UUID(node_id)
    assert [i.subscription_instance_id for i in node_instance.in_use_by] == [port_instance.subscription_instance_id]
    assert port_instance.value_for_resource_type("port_name").value == "eth1"
    assert port_instance.value_for_resource_type("nothing") is None
    assert [v.value for v in port.find_values_for_resource_type("port_name")] == ["eth1"]
    assert port.product_blocks_with_values() == [{"Conformance Port": [{"port_name": "eth1"}]}]
    assert node_instance.subscription.product.name == "Conformance Node"
    assert {v.resource_type.resource_type: v.value for v in node_instance.values}["node_name"] == node_name
    assert node_instance.values[0].subscription_instance is node_instance

    (link,) = port.processes
    assert link.process.workflow.name == "create_conformance_port"
    assert [s.subscription_id for s in link.process.subscriptions] == [uuid.UUID(port_id)]
    process = db.session.get(ProcessTable, link.process_id)
    assert [p.subscription_id for p in process.process_subscriptions] == [uuid.UUID(port_id)]
    assert process.input_states  # the forms' input, newest first
    assert process in process.workflow.processes
