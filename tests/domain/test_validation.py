"""Wrong types and fields missing for a lifecycle are refused with the field's name; nothing is saved."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from pydantic import ValidationError

from orchestrator_core.db import transaction
from orchestrator_core.domain import (
    ProductBlockNotRegisteredError,
    SubscriptionLifecycle,
    WrongLifecycleError,
    WrongProductError,
    change_lifecycle,
)
from tests.domain.conftest import filled_sink, new_shared
from tests.domain.products_under_test import LeafBlockInactive, Shared, SinkInactive


def _stored_status(subscription_id) -> str | None:
    with transaction() as s:
        return s.scalar(
            sa.text("SELECT status FROM subscriptions WHERE subscription_id = :i"), {"i": subscription_id}
        )


def test_a_wrong_type_is_refused_at_assignment_naming_the_field(test_products):
    with transaction():
        sink = SinkInactive.from_product_id(test_products["Test Sink"], "customer-a")
    with pytest.raises(ValidationError, match="int_field"):
        sink.root.leaf.int_field = "not a number"
    with pytest.raises(ValidationError, match="ip_field"):
        sink.root.leaf.ip_field = "999.1.1.1"


def test_a_field_missing_for_the_target_lifecycle_is_refused_naming_it(test_products):
    with transaction():
        sink = SinkInactive.from_product_id(test_products["Test Sink"], "customer-a")
        sink.save()
    with pytest.raises(ValidationError) as refused, transaction():
        loaded = SinkInactive.from_subscription(sink.subscription_id)
        change_lifecycle(loaded, SubscriptionLifecycle.ACTIVE).save()

    fields = {".".join(map(str, error["loc"])) for error in refused.value.errors()}
    assert {"root.title", "root.leaf.int_field", "root.leaf.bool_field", "root.shared"} <= fields
    assert _stored_status(sink.subscription_id) == "initial"


def test_a_list_beyond_its_maximum_length_is_refused_at_save_and_nothing_is_written(test_products):
    shared = new_shared(test_products)
    with transaction():
        sink = filled_sink(test_products, shared)
    sink.root.leaves.extend(LeafBlockInactive.new(sink.subscription_id) for _ in range(2))

    with pytest.raises(ValidationError, match="leaves"), transaction():
        sink.save()
    assert _stored_status(sink.subscription_id) is None


def test_setting_status_by_hand_is_refused_at_save(test_products):
    with transaction():
        sink = SinkInactive.from_product_id(test_products["Test Sink"], "customer-a")
    sink.status = SubscriptionLifecycle.ACTIVE
    with pytest.raises(WrongLifecycleError, match="change_lifecycle"), transaction():
        sink.save()
    assert _stored_status(sink.subscription_id) is None


def test_loading_with_another_products_class_is_refused(test_products):
    shared = new_shared(test_products)
    with transaction():
        sink = filled_sink(test_products, shared)
        sink.save()
    with pytest.raises(WrongProductError, match="Test Sink"), transaction():
        Shared.from_subscription(sink.subscription_id)


def test_a_block_that_no_migration_registered_is_refused(test_products):
    from orchestrator_core.domain import ProductBlockModel

    class Unregistered(ProductBlockModel, product_block_name="Never Registered"):
        x: int | None = None

    with transaction():
        sink = SinkInactive.from_product_id(test_products["Test Sink"], "customer-a")
        sink.root.spare = None
    # an unregistered block can't sit in a typed field, so check the catalogue directly
    from orchestrator_core.domain.saving import BlockTree, block_catalogue

    block = Unregistered(owner_subscription_id=sink.subscription_id)
    with pytest.raises(ProductBlockNotRegisteredError, match="Never Registered"), transaction():
        block_catalogue(BlockTree(owned={block.subscription_instance_id: block}))
