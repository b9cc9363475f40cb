"""Subscriptions over real HTTP: search, filters, paging, detail with workflows, processes and history."""

from __future__ import annotations

import uuid

import pytest

from orchestrator_core.services import subscriptions as guard
from tests.api import api_workflows
from tests.api.conftest import register, wait_for
from tests.api.subscription_data import PRODUCT, add_subscription, link_workflows, product_id

TAG = uuid.uuid4().hex[:8]
"""Makes this module's subscriptions findable apart from other tests' rows."""


@pytest.fixture(scope="module")
def subs(orchestrator_database):
    register(*api_workflows.ALL, *api_workflows.SUBSCRIPTION_WORKFLOWS)
    pid = product_id()
    link_workflows(pid, *api_workflows.SUBSCRIPTION_WORKFLOWS)
    guard.WF_USABLE_WHILE_OUT_OF_SYNC.append("api_snapshot")
    ids = {
        "amsterdam": add_subscription(pid, f"Circuit Amsterdam-Utrecht {TAG}", f"cust-a-{TAG}", days_ago=3),
        "utrecht": add_subscription(pid, f"circuit utrecht-den haag {TAG}", f"cust-b-{TAG}", days_ago=2),
        "percent": add_subscription(pid, f"100% fibre_link {TAG}", f"cust-a-{TAG}", status="provisioning", days_ago=1),
        "old": add_subscription(
            pid,
            f"Old circuit {TAG}",
            f"cust-b-{TAG}",
            status="terminated",
            days_ago=9,
            note="decommissioned in Zwolle",
        ),
        "outofsync": add_subscription(pid, f"Busy circuit {TAG}", f"cust-c-{TAG}", insync=False),
    }
    yield ids
    guard.WF_USABLE_WHILE_OUT_OF_SYNC.remove("api_snapshot")


def descriptions(client, **params) -> list[str]:
    response = client.get("/api/subscriptions", params={"q": TAG, **params})
    assert response.status_code == 200, response.text
    return [s["description"].replace(f" {TAG}", "") for s in response.json()["items"]]


def test_text_search_is_case_insensitive_substring_and_every_word_must_match(client, subs):
    assert sorted(descriptions(client, q=f"{TAG} UTRECHT")) == [
        "Circuit Amsterdam-Utrecht",
        "circuit utrecht-den haag",
    ]
    assert descriptions(client, q=f"{TAG} utrecht haag") == ["circuit utrecht-den haag"]
    assert descriptions(client, q=f"{TAG} zwolle") == ["Old circuit"]


def test_words_match_word_prefixes_and_punctuation_is_no_wildcard(client, subs):
    assert descriptions(client, q=f"{TAG} 100%") == ["100% fibre_link"]
    assert descriptions(client, q=f"{TAG} fib") == ["100% fibre_link"]
    assert descriptions(client, q=f"{TAG} fibre_link") == ["100% fibre_link"]
    assert descriptions(client, q=f"{TAG} ibre") == []
    assert len(descriptions(client, q=f"{TAG} %")) == 5
    assert len(descriptions(client, q=f"{TAG} apicirc")) == 5  # the product's tag


def test_search_by_id_product_customer_and_status(client, subs):
    one = client.get("/api/subscriptions", params={"q": str(subs["old"])}).json()
    assert [s["subscription_id"] for s in one["items"]] == [str(subs["old"])]
    assert len(descriptions(client, product=PRODUCT)) == 5
    assert len(descriptions(client, product="APICIRCUIT")) == 5
    assert sorted(descriptions(client, customer=f"cust-a-{TAG}")) == [
        "100% fibre_link",
        "Circuit Amsterdam-Utrecht",
    ]
    assert sorted(descriptions(client, status=["provisioning", "terminated"])) == [
        "100% fibre_link",
        "Old circuit",
    ]
    bad = client.get("/api/subscriptions", params={"status": "sleeping"})
    assert bad.status_code == 422 and bad.json()["details"]["fields"][0]["field"].startswith("query.status")


def test_sorting_and_paging(client, subs):
    newest_first = descriptions(client)
    assert newest_first[-1] == "Old circuit"
    assert descriptions(client, sort="description", order="asc")[0] == "100% fibre_link"
    page = client.get("/api/subscriptions", params={"q": TAG, "limit": 2, "offset": 2}).json()
    assert page["total"] == 5 and len(page["items"]) == 2
    assert [s["description"].replace(f" {TAG}", "") for s in page["items"]] == newest_first[2:4]


def test_one_subscription_with_model_workflows_and_reasons(client, subs):
    body = client.get(f"/api/subscriptions/{subs['amsterdam']}").json()
    assert body["product_name"] == PRODUCT and body["status"] == "active"
    assert body["domain_model"]["kind"] in ("model", "generic")
    assert body["workflows"]["guard"] == "available"
    modify = {w["name"]: w for w in body["workflows"]["workflows"]["modify"]}
    assert modify["api_modify"]["allowed"] is True

    old = client.get(f"/api/subscriptions/{subs['old']}/workflows").json()
    blocked = {w["name"]: w for w in old["workflows"]["modify"]}["api_modify"]
    assert blocked["allowed"] is False and blocked["reason"] == "subscription.invalid_lifecycle"
    assert blocked["message"]

    busy = client.get(f"/api/subscriptions/{subs['outofsync']}/workflows").json()
    assert {w["name"]: w for w in busy["workflows"]["modify"]}["api_modify"]["reason"] == "subscription.not_in_sync"


def test_guard_refusal_on_start_is_a_coded_4xx_and_writes_nothing(client, subs):
    before = client.get("/api/processes", params={"subscription": str(subs["old"])}).json()["total"]
    response = client.post("/api/processes/api_modify", json=[{"subscription_id": str(subs["old"])}])
    assert response.status_code in (409, 412)
    assert response.json()["code"] == "subscription.invalid_lifecycle"
    assert client.get("/api/processes", params={"subscription": str(subs["old"])}).json()["total"] == before


def test_processes_and_history_of_a_subscription(client, subs):
    sid = str(subs["utrecht"])
    pid = client.post("/api/processes/api_snapshot", json=[{"subscription_id": sid}]).json()["id"]
    assert wait_for(client, pid, {"completed", "failed"})["status"] == "completed"

    detail = client.get(f"/api/subscriptions/{sid}").json()
    assert [p["process_id"] for p in detail["processes"]] == [pid]
    listed = client.get("/api/processes", params={"subscription": sid}).json()
    assert [p["process_id"] for p in listed["items"]] == [pid]
    history = client.get(f"/api/subscriptions/{sid}/history").json()
    recorded = [h for h in history if h["step_name"] == "Record the subscription"]
    assert recorded and recorded[0]["process_id"] == pid
    at = client.get(f"/api/subscriptions/{sid}/history/{pid}/{recorded[0]['step_index']}").json()
    assert at["subscription"]["description"] == "as the step left it"
    missing = client.get(f"/api/subscriptions/{sid}/history/{pid}/99")
    assert missing.status_code == 404 and missing.json()["code"] == "subscription.no_snapshot"


def test_unknown_subscription_is_404(client):
    response = client.get(f"/api/subscriptions/{uuid.uuid4()}")
    assert response.status_code == 404 and response.json()["code"] == "subscription.not_found"


def test_products_and_workflows_read(client, subs):
    products = {p["name"]: p for p in client.get("/api/products").json()}
    assert set(products[PRODUCT]["workflows"]) >= {"api_snapshot", "api_modify"}
    one = client.get(f"/api/products/{products[PRODUCT]['product_id']}").json()
    assert one["tag"] == "APICIRCUIT"
    workflows = {w["name"]: w for w in client.get("/api/workflows").json()}
    assert workflows["api_greet"]["steps"] == ["Start", "Greet", "Double", "Done"]
    form = client.get("/api/workflows/api_greet/form").json()
    assert set(form["form"]["properties"]) == {"name", "count"}
    assert client.get("/api/workflows/nope").json()["code"] == "workflow.unknown"


def test_health(client):
    body = client.get("/api/health").json()
    assert body["ok"] is True and body["checks"]["database"]["ok"] is True
