"""Search words against network names, and totals counted only up to a cap: over HTTP where the
behaviour is the API's, through the service where the cap is set low to reach every paging path."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa

from orchestrator_core.db import transaction
from orchestrator_core.db.subscription_tables import SubscriptionTable
from orchestrator_core.services.subscription_search import MAX_EXPANSIONS, SubscriptionQuery, search_subscriptions
from tests.api.subscription_data import add_subscription, product_id

TAG = uuid.uuid4().hex[:8]
ROWS = [
    f"Node node1.example.com 10.0.0.1/24 {TAG}",
    f"Node node2.example.net 10.1.0.0/24 {TAG}",
    f"Circuit Amsterdam-Zwolle {TAG}",
    f"Circuit Zwolle-Amsterdam {TAG}",
    f"Port noc@provider.nl {TAG}",
    f"Port v2.1 {TAG}",
    f"Port serial 3e5ceaf5 {TAG}",
    f"Spare {TAG}",
]


@pytest.fixture(scope="module")
def rows(orchestrator_database):
    pid = product_id()
    return [add_subscription(pid, text, f"cust-{TAG}", days_ago=i) for i, text in enumerate(ROWS)]


def found(client, words: str) -> list[str]:
    response = client.get("/api/subscriptions", params={"q": f"{TAG} {words}", "sort": "description", "order": "asc"})
    assert response.status_code == 200, response.text
    return [s["description"].replace(f" {TAG}", "") for s in response.json()["items"]]


def test_words_match_the_parts_of_host_names_and_addresses(client, rows):
    assert found(client, "example") == ["Node node1.example.com 10.0.0.1/24", "Node node2.example.net 10.1.0.0/24"]
    assert found(client, "example.com") == ["Node node1.example.com 10.0.0.1/24"]
    assert found(client, "provider") == ["Port noc@provider.nl"]
    assert found(client, "v2.1") == ["Port v2.1"]
    assert found(client, "3e5ceaf5") == found(client, "3e5c") == ["Port serial 3e5ceaf5"]  # not '3e5' and 'ceaf5'


def test_the_parts_of_one_word_must_follow_each_other_in_order(client, rows):
    assert found(client, "10.0.0.1") == ["Node node1.example.com 10.0.0.1/24"]
    assert found(client, "10.1") == ["Node node2.example.net 10.1.0.0/24"]
    assert found(client, "10.0.0.1/24") == ["Node node1.example.com 10.0.0.1/24"]
    assert found(client, "amsterdam-zwolle") == ["Circuit Amsterdam-Zwolle"]
    assert found(client, "zwolle amsterdam") == ["Circuit Amsterdam-Zwolle", "Circuit Zwolle-Amsterdam"]


@pytest.mark.parametrize("cap", [2, 3, len(ROWS) - 1, len(ROWS), 50])
def test_pages_and_totals_with_a_count_cap(rows, cap):
    """Every page is the same slice of the full result; a total is exact, or a lower bound of at least
    the cap when there are more hits than the cap."""
    everything = search_subscriptions(SubscriptionQuery(text=TAG, limit=100))
    assert everything.total_exact and everything.total == len(ROWS)
    newest_first = [s["subscription_id"] for s in everything.items]
    assert newest_first == rows  # days_ago 0, 1, 2, ...
    for limit in (1, 2, 3, len(ROWS)):
        for offset in range(len(ROWS) + 3):
            page = search_subscriptions(SubscriptionQuery(text=TAG, limit=limit, offset=offset), cap=cap)
            where = f"cap={cap} limit={limit} offset={offset}"
            assert [s["subscription_id"] for s in page.items] == newest_first[offset : offset + limit], where
            if page.total_exact:
                assert page.total == len(ROWS), where
            else:
                assert len(ROWS) > cap and cap <= page.total <= len(ROWS), where
            if cap >= len(ROWS):
                assert page.total_exact, where


def test_a_word_written_by_an_update_is_found_by_its_prefix(client, rows):
    word = f"renamed{TAG}"
    with transaction() as session:
        session.execute(
            sa.update(SubscriptionTable)
            .where(SubscriptionTable.subscription_id == rows[-1])
            .values(description=f"Spare {word} {TAG}")
        )
    assert found(client, word[:-3]) == [f"Spare {word}"]


def test_a_prefix_starting_more_words_than_are_expanded_finds_them_all(rows):
    pid = product_id()
    many = [add_subscription(pid, f"Bulk many{TAG}x{i}", f"cust-{TAG}") for i in range(MAX_EXPANSIONS + 3)]
    page = search_subscriptions(SubscriptionQuery(text=f"many{TAG}", limit=100))
    assert sorted(s["subscription_id"] for s in page.items) == sorted(many) and page.total == len(many)
    one = search_subscriptions(SubscriptionQuery(text=f"many{TAG}x7", limit=100))
    assert [s["description"] for s in one.items] == [f"Bulk many{TAG}x7"]


def test_a_word_no_subscription_holds_finds_nothing(client, rows):
    assert found(client, "nosuchwordanywhere") == []
    assert found(client, "node nosuchwordanywhere") == []
