"""Every field kind survives save -> from_subscription, in every lifecycle variant."""

from __future__ import annotations

import uuid
from ipaddress import IPv4Address

import pytest
import sqlalchemy as sa
from pydantic_core import to_jsonable_python

from orchestrator_core.db import session, transaction
from orchestrator_core.domain import SubscriptionLifecycle, SubscriptionModel, change_lifecycle
from tests.domain.conftest import filled_sink, new_shared
from tests.domain.products_under_test import (
    Chain,
    ChainBlock,
    Colour,
    LeafBlock,
    Sink,
    SinkInactive,
    SinkProvisioning,
)

VARIANTS = [
    (SubscriptionLifecycle.INITIAL, SinkInactive),
    (SubscriptionLifecycle.PROVISIONING, SinkProvisioning),
    (SubscriptionLifecycle.ACTIVE, Sink),
    (SubscriptionLifecycle.TERMINATED, SinkInactive),
]


def _dump(model: SubscriptionModel) -> dict:
    return model.model_dump(mode="json")


def test_a_new_subscription_has_empty_blocks_built_from_the_product(test_products):
    with transaction():
        sink = SinkInactive.from_product_id(test_products["Test Sink"], "customer-a")

    assert sink.status == SubscriptionLifecycle.INITIAL
    assert sink.speed == 1000, "fixed input of the product"
    assert sink.root.leaf.int_field is None
    assert len(sink.root.leaves) == 1, "a list of blocks starts at its minimum length"
    assert sink.root.spare is None and sink.root.shared is None
    assert sink.root.leaf.owner_subscription_id == sink.subscription_id
    with transaction():
        assert (
            session().scalar(
                sa.text("SELECT count(*) FROM subscriptions WHERE subscription_id = :i"),
                {"i": sink.subscription_id},
            )
            == 0
        ), "from_product_id saves nothing"


@pytest.mark.parametrize(("status", "expected_class"), VARIANTS)
def test_every_field_kind_round_trips_in_every_lifecycle(test_products, status, expected_class):
    shared = new_shared(test_products)
    with transaction():
        sink = change_lifecycle(filled_sink(test_products, shared), status)
        sink.save()
    saved = _dump(sink)

    with transaction():
        by_base = SinkInactive.from_subscription(sink.subscription_id)
        by_registry = SubscriptionModel.from_subscription(str(sink.subscription_id))

    for loaded in (by_base, by_registry):
        assert type(loaded) is expected_class
        assert _dump(loaded) == saved
    leaf = by_base.root.leaf
    assert (leaf.int_field, leaf.str_field, leaf.bool_field) == (1, "leaf 1", False)
    assert leaf.enum_field is Colour.GREEN
    assert leaf.uuid_field == uuid.UUID(int=1)
    assert leaf.ip_field == IPv4Address("10.0.0.1")
    assert [item.int_field for item in by_base.root.leaves] == [10, 11]
    assert by_base.root.leaves[0].bool_field is True
    assert by_base.root.spare.int_field == 99
    assert by_base.root.shared.ref == "shared-1"
    assert by_base.root.shared.owner_subscription_id == shared.subscription_id


def test_lifecycle_dates_are_set_on_activation_and_termination(test_products):
    shared = new_shared(test_products)
    with transaction():
        sink = change_lifecycle(filled_sink(test_products, shared), SubscriptionLifecycle.ACTIVE)
        assert sink.start_date is not None and sink.end_date is None
        sink = change_lifecycle(sink, SubscriptionLifecycle.TERMINATED)
        assert sink.end_date is not None
        sink.save()
    with transaction():
        loaded = SinkInactive.from_subscription(sink.subscription_id)
    assert loaded.status == SubscriptionLifecycle.TERMINATED
    assert loaded.start_date == sink.start_date and loaded.end_date == sink.end_date


def test_the_state_json_loads_back_as_the_same_model(test_products):
    shared = new_shared(test_products)
    with transaction():
        sink = change_lifecycle(filled_sink(test_products, shared), SubscriptionLifecycle.ACTIVE)
        sink.save()

    state = to_jsonable_python({"subscription": sink})
    assert state["subscription"]["root"]["leaf"]["int_field"] == 1
    assert state["subscription"]["root"]["leaf"]["name"] == "Test Leaf"

    reloaded = SinkInactive.model_validate(state["subscription"])
    assert type(reloaded) is Sink, "the base class picks the variant of the status in the dict"
    assert _dump(reloaded) == _dump(sink)
    with transaction():
        assert _dump(Sink.from_subscription(state["subscription"]["subscription_id"])) == _dump(sink)


def test_a_stricter_class_may_load_a_subscription_about_to_move_up(test_products):
    """The guide loads an INITIAL subscription as NodeEnrollmentProvisioning, then activates it."""
    shared = new_shared(test_products)
    with transaction():
        sink = filled_sink(test_products, shared)
        sink.save()
    with transaction():
        loaded = SinkProvisioning.from_subscription(sink.subscription_id)
    assert type(loaded) is SinkProvisioning and loaded.status == SubscriptionLifecycle.INITIAL


def test_blocks_nested_ten_deep_round_trip(test_products):
    with transaction():
        chain = Chain.from_product_id(test_products["Test Chain Product"], "customer-c")
        block = chain.chain
        for depth in range(1, 10):
            block.depth = depth
            block.child = ChainBlock.new(chain.subscription_id)
            block = block.child
        block.depth = 10
        chain.save()
    with transaction():
        loaded = Chain.from_subscription(chain.subscription_id)

    depths, block = [], loaded.chain
    while block is not None:
        depths.append(block.depth)
        block = block.child
    assert depths == list(range(1, 11))
    assert _dump(loaded) == _dump(chain)


def _rows(subscription_id: uuid.UUID) -> dict[str, list]:
    queries = {
        "instances": "SELECT subscription_instance_id, label FROM subscription_instances "
        "WHERE subscription_id = :i",
        "values": "SELECT v.subscription_instance_value_id, v.value FROM subscription_instance_values v "
        "JOIN subscription_instances i USING (subscription_instance_id) WHERE i.subscription_id = :i",
        "relations": "SELECT r.in_use_by_id, r.depends_on_id, r.order_id, r.domain_model_attr "
        "FROM subscription_instance_relations r JOIN subscription_instances i "
        "ON i.subscription_instance_id = r.in_use_by_id WHERE i.subscription_id = :i",
    }
    with transaction() as s:
        return {
            name: sorted(map(tuple, s.execute(sa.text(q), {"i": subscription_id})))
            for name, q in queries.items()
        }


def _version(subscription_id: uuid.UUID) -> int:
    with transaction() as s:
        return s.scalar(
            sa.text("SELECT version FROM subscriptions WHERE subscription_id = :i"), {"i": subscription_id}
        )


def test_saving_twice_leaves_the_same_rows_and_bumps_the_version(test_products):
    shared = new_shared(test_products)
    with transaction():
        sink = filled_sink(test_products, shared)
        sink.save()
    first = _rows(sink.subscription_id)
    assert _version(sink.subscription_id) == 1

    with transaction():
        sink.save()
    assert _rows(sink.subscription_id) == first
    assert _version(sink.subscription_id) == 2 == sink.version


def test_removed_blocks_and_cleared_values_leave_the_database(test_products):
    shared = new_shared(test_products)
    with transaction():
        sink = filled_sink(test_products, shared)
        sink.save()
    before = _rows(sink.subscription_id)

    with transaction():
        loaded = SinkInactive.from_subscription(sink.subscription_id)
        loaded.root.leaves.pop()
        loaded.root.spare = None
        loaded.root.leaf.str_field = None
        loaded.save()
    after = _rows(sink.subscription_id)
    with transaction():
        reloaded = SinkInactive.from_subscription(sink.subscription_id)

    assert len(after["instances"]) == len(before["instances"]) - 2
    assert len(after["values"]) == len(before["values"]) - 1 - 2 * 6
    assert [leaf.int_field for leaf in reloaded.root.leaves] == [10]
    assert reloaded.root.spare is None and reloaded.root.leaf.str_field is None


def test_list_order_is_kept(test_products):
    shared = new_shared(test_products)
    with transaction():
        sink = filled_sink(test_products, shared)
        sink.root.leaves.reverse()
        sink.save()
    with transaction():
        assert [
            leaf.int_field for leaf in SinkInactive.from_subscription(sink.subscription_id).root.leaves
        ] == [11, 10]


def test_an_active_leaf_class_requires_its_active_fields():
    with pytest.raises(Exception, match="bool_field"):
        LeafBlock(int_field=1, str_field="x")
