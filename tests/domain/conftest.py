"""Domain tests run on the session's database (tests/conftest.py), with the test products registered."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from ipaddress import IPv4Address

import pytest

from orchestrator_core.db import get_engine, transaction
from orchestrator_core.domain import change_lifecycle
from orchestrator_core.migrations import helpers
from orchestrator_core.migrations.helpers import get_product_id_by_name
from orchestrator_core.types import SubscriptionLifecycle
from tests.domain.products_under_test import CATALOGUE, Colour, SharedInactive, SinkInactive


@pytest.fixture(scope="session", autouse=True)
def test_products(orchestrator_database: str) -> dict[str, uuid.UUID]:
    with get_engine().begin() as conn:
        helpers.create(conn, CATALOGUE)
        return {name: get_product_id_by_name(conn, name) for name in CATALOGUE["products"]}


@pytest.fixture
def uow() -> Iterator[None]:
    """One unit of work around the test body, committed at its end."""
    with transaction():
        yield


def new_shared(products: dict[str, uuid.UUID], ref: str = "shared-1") -> SharedInactive:
    with transaction():
        shared = SharedInactive.from_product_id(products["Test Shared Product"], "customer-b")
        shared.shared.ref = ref
        shared = change_lifecycle(shared, SubscriptionLifecycle.ACTIVE)
        shared.insync = True
        shared.save()
    return shared


def filled_sink(
    products: dict[str, uuid.UUID], shared: SharedInactive, customer: str = "customer-a"
) -> SinkInactive:
    """A new Test Sink with every field set, still INITIAL and unsaved."""
    sink = SinkInactive.from_product_id(products["Test Sink"], customer)
    root = sink.root
    root.title = "the root"
    fill_leaf(root.leaf, 1)
    fill_leaf(root.leaves[0], 10)
    root.leaves.append(fill_leaf(type(root.leaves[0]).new(sink.subscription_id), 11))
    root.spare = fill_leaf(type(root.leaf).new(sink.subscription_id), 99)
    root.shared = shared.shared
    return sink


def fill_leaf(leaf, n: int):
    leaf.int_field = n
    leaf.str_field = f"leaf {n}"
    leaf.bool_field = n % 2 == 0
    leaf.enum_field = Colour.GREEN
    leaf.uuid_field = uuid.UUID(int=n)
    leaf.ip_field = IPv4Address(f"10.0.0.{n}")
    return leaf
