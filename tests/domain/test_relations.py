"""A block of another subscription makes in_use_by / depends_on, and protects the block it uses."""

from __future__ import annotations

import pytest

from orchestrator_core.db import transaction
from orchestrator_core.domain import (
    BlockInUseError,
    SubscriptionLifecycle,
    UnsafeLifecycleChangeError,
    change_lifecycle,
)
from orchestrator_core.domain.queries import depends_on, in_use_by
from tests.domain.conftest import filled_sink, new_shared
from tests.domain.products_under_test import SharedInactive, SinkInactive


def _ids(rows) -> list:
    return [row.subscription_id for row in rows]


@pytest.fixture
def shared_and_sink(test_products):
    shared = new_shared(test_products)
    with transaction():
        sink = change_lifecycle(filled_sink(test_products, shared), SubscriptionLifecycle.ACTIVE)
        sink.save()
    return shared, sink


def test_referencing_a_block_of_another_subscription_makes_in_use_by_and_depends_on(shared_and_sink):
    shared, sink = shared_and_sink
    with transaction():
        assert _ids(in_use_by(shared.subscription_id)) == [sink.subscription_id]
        assert _ids(depends_on(sink.subscription_id)) == [shared.subscription_id]
        assert in_use_by(sink.subscription_id) == [] and depends_on(shared.subscription_id) == []
        assert _ids(in_use_by(shared.subscription_id, status="terminated")) == []


def test_saving_the_user_never_writes_the_used_subscriptions_values(shared_and_sink):
    shared, sink = shared_and_sink
    with transaction():
        loaded = SinkInactive.from_subscription(sink.subscription_id)
        loaded.root.shared.ref = "changed through the sink"
        loaded.save()
    with transaction():
        assert SharedInactive.from_subscription(shared.subscription_id).shared.ref == "shared-1"


def test_dropping_the_reference_ends_the_relation(shared_and_sink):
    shared, sink = shared_and_sink
    with transaction():
        loaded = SinkInactive.from_subscription(sink.subscription_id)
        loaded = change_lifecycle(loaded, SubscriptionLifecycle.PROVISIONING)
        loaded.root.shared = None
        loaded.save()
    with transaction():
        assert in_use_by(shared.subscription_id) == []


def test_a_used_subscription_cannot_be_terminated_while_its_user_is_active(shared_and_sink):
    shared, sink = shared_and_sink
    with pytest.raises(UnsafeLifecycleChangeError, match=str(sink.subscription_id)), transaction():
        change_lifecycle(
            SharedInactive.from_subscription(shared.subscription_id), SubscriptionLifecycle.TERMINATED
        )


def test_a_block_in_use_by_another_subscription_cannot_be_removed(test_products, shared_and_sink):
    shared, sink = shared_and_sink
    with transaction():
        used = SharedInactive.from_subscription(shared.subscription_id)
        used.shared = type(used.shared).new(shared.subscription_id, ref="replacement")
        with pytest.raises(BlockInUseError, match=str(sink.subscription_id)):
            used.save()
