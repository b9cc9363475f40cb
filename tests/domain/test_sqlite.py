"""The embedded default: the same schema and domain code on SQLite."""

from __future__ import annotations

import pytest

from orchestrator_core.db import database, get_engine, transaction
from orchestrator_core.db.migrate import upgrade
from orchestrator_core.domain import SubscriptionLifecycle, change_lifecycle
from orchestrator_core.migrations import helpers
from tests.domain.conftest import filled_sink
from tests.domain.products_under_test import CATALOGUE, SharedInactive, SinkInactive


@pytest.fixture
def sqlite_database(tmp_path, orchestrator_database):
    database.configure(f"sqlite:///{tmp_path / 'orchestrator.db'}")
    try:
        upgrade()
        with get_engine().begin() as conn:
            helpers.create(conn, CATALOGUE)
            helpers.create(conn, CATALOGUE)
            product_ids = {name: helpers.get_product_id_by_name(conn, name) for name in CATALOGUE["products"]}
        yield product_ids
    finally:
        database.configure(orchestrator_database)


def test_a_subscription_round_trips_on_sqlite(sqlite_database):
    with transaction():
        shared = SharedInactive.from_product_id(sqlite_database["Test Shared Product"], "customer-b")
        shared.shared.ref = "on sqlite"
        shared.save()
        sink = change_lifecycle(filled_sink(sqlite_database, shared), SubscriptionLifecycle.PROVISIONING)
        sink.save()
        sink.save()
    with transaction():
        loaded = SinkInactive.from_subscription(sink.subscription_id)
    assert loaded.model_dump(mode="json") == sink.model_dump(mode="json")
    assert loaded.version == 2
