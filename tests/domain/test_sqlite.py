"""The embedded default: the same schema and domain code on SQLite."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from orchestrator_core.db import database, get_engine, transaction
from orchestrator_core.db.migrate import upgrade
from orchestrator_core.domain import SubscriptionLifecycle, change_lifecycle
from orchestrator_core.migrations import helpers
from orchestrator_core.services.subscription_search import SubscriptionQuery, search_subscriptions
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


def test_search_pages_totals_and_words_on_sqlite(sqlite_database):
    """The embedded default runs the same search statements: every page is a slice of the whole, totals
    are exact up to the cap, and words match inside host names and addresses."""
    descriptions = [f"Node node{i}.example.com 10.0.0.{i}/24" for i in range(7)]
    ids = []
    for i, description in enumerate(descriptions):
        with transaction():
            shared = SharedInactive.from_product_id(sqlite_database["Test Shared Product"], f"customer-{i}")
            shared.description = description
            shared.start_date = datetime(2026, 1, 1 + i, tzinfo=UTC)
            shared.save()
            ids.append(shared.subscription_id)
    newest_first = ids[::-1]
    assert [s["subscription_id"] for s in search_subscriptions(SubscriptionQuery(text="example")).items] == newest_first
    assert [s["description"] for s in search_subscriptions(SubscriptionQuery(text="10.0.0.3")).items] == [
        descriptions[3]
    ]
    for cap in (2, 6, 7):
        for limit, offset in [(1, 0), (2, 1), (3, 3), (2, 6), (5, 9)]:
            page = search_subscriptions(SubscriptionQuery(text="node", limit=limit, offset=offset), cap=cap)
            assert [s["subscription_id"] for s in page.items] == newest_first[offset : offset + limit]
            assert page.total == 7 if page.total_exact else cap <= page.total <= 7
            assert page.total_exact or cap < 7
