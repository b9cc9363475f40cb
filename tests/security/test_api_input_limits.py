"""Hostile input is a clear 4xx and writes nothing: bodies over the limit (413), strings longer than
the column they end up in or than the cap on any form string (422 naming the field), input to a
workflow that has no form, input that is not form pages, and JSON built to hurt the parser."""

from __future__ import annotations

import pytest

import flows  # noqa: F401  (registers the demo's workflows, as `orchestrator` does)
from flows.node_enrollment.clients import NETWORK
from orchestrator_core.db import transaction
from orchestrator_core.migrations.helpers import get_product_id_by_name
from orchestrator_core.settings import app_settings
from tests.api import api_workflows
from tests.api.conftest import register, wait_for
from tests.security.conftest import row_counts

CREATE = "/api/processes/create_node_enrollment"
GREET = "/api/processes/api_greet"


@pytest.fixture(autouse=True, scope="module")
def workflows_registered(orchestrator_database):
    register(*api_workflows.ALL)


@pytest.fixture
def product_id() -> str:
    NETWORK.reset()
    with transaction() as session:
        return str(get_product_id_by_name(session, "Node Enrollment"))


def create_form(product_id: str, **overrides: object) -> list[dict[str, object]]:
    page = {"customer_id": "customer-1", "select_node": "ams-rt1", "role_id": "core",
            "url": "https://ams-rt1.mgmt.example.net"}
    return [{"product": product_id}, {**page, **overrides}]


def refused_field(response, status: int = 422) -> str:
    assert response.status_code == status, response.text[:2000]
    fields = response.json()["details"]["fields"]
    assert len(fields) == 1, fields
    return fields[0]["field"]


def test_a_customer_id_longer_than_its_column_is_422_naming_it(client, product_id):
    """Was 201, then the process failed in the database (StringDataRightTruncation)."""
    before = row_counts()
    response = client.post(CREATE, json=create_form(product_id, customer_id="c" * 256))
    assert refused_field(response) == "customer_id"
    assert "255" in response.json()["message"]
    assert row_counts() == before
    accepted = client.post(CREATE, json=create_form(product_id, customer_id="c" * 255))
    assert accepted.status_code == 201, accepted.text
    assert wait_for(client, accepted.json()["id"], {"completed", "failed"})["status"] == "completed"


def test_any_string_longer_than_the_cap_is_422_naming_it(client, product_id):
    """Was stored: a 100,000-character url."""
    before = row_counts()
    response = client.post(CREATE, json=create_form(product_id, url="https://x.example/" + "a" * 100_000))
    assert refused_field(response) == "url"
    assert response.json()["details"]["fields"][0]["type"] == "string_too_long"
    nested = client.post(GREET, json=[{"name": "x", "count": 1, "extra": {"deep": ["y" * 20_000]}}])
    assert refused_field(nested) == "extra.deep.0"
    key = client.post(GREET, json=[{"k" * 20_000: 1}])
    assert refused_field(key).startswith("k")
    assert row_counts() == before


def test_the_cap_is_a_setting(client, monkeypatch):
    monkeypatch.setattr(app_settings, "ORCHESTRATOR_FORM_MAX_STRING_LENGTH", 5)
    before = row_counts()
    assert refused_field(client.post(GREET, json=[{"name": "abcdef", "count": 1}])) == "name"
    assert row_counts() == before


def test_a_body_over_the_limit_is_413_before_anything_runs(client, product_id):
    """The issue's 5 MB customer_id: larger than the 1 MiB body limit."""
    before = row_counts()
    response = client.post(CREATE, json=create_form(product_id, customer_id="c" * 5_000_000))
    assert response.status_code == 413 and response.json()["code"] == "request.too_large"
    assert response.json()["details"]["limit"] == app_settings.ORCHESTRATOR_MAX_BODY_BYTES

    def chunks():  # no Content-Length: the limit holds for a streamed body too
        yield b'[{"name": "'
        for _ in range(40):
            yield b"x" * 65_536
        yield b'", "count": 1}]'

    streamed = client.post(GREET, content=chunks(), headers={"Content-Type": "application/json"})
    assert streamed.status_code == 413 and streamed.json()["code"] == "request.too_large"
    assert row_counts() == before


def test_the_body_limit_is_a_setting(client, monkeypatch):
    monkeypatch.setattr(app_settings, "ORCHESTRATOR_MAX_BODY_BYTES", 1024)
    assert client.post(GREET, json=[{"name": "x" * 2000, "count": 1}]).status_code == 413
    ok = client.post(GREET, json=[{"name": "x" * 500, "count": 1}])
    assert ok.status_code == 201
    wait_for(client, ok.json()["id"], {"completed", "failed"})


JUNK_FOR_NO_FORM = {
    "unknown_field": ([{"junk": 1}], "junk"),
    "field_next_to_the_subscription": ([{"subscription_id": "x", "note": "y"}], "note"),
    "a_second_page": ([{}, {"more": 1}], "more"),
}


@pytest.mark.parametrize("workflow", ["api_flaky", "task_validate_subscriptions"])
@pytest.mark.parametrize("case", JUNK_FOR_NO_FORM, ids=list(JUNK_FOR_NO_FORM))
def test_a_workflow_without_a_form_refuses_any_input(client, workflow, case):
    """Was accepted: any junk was stored as the process's input."""
    pages, field = JUNK_FOR_NO_FORM[case]
    before = row_counts()
    response = client.post(f"/api/processes/{workflow}", json=pages)
    assert refused_field(response) == field
    assert response.json()["details"]["fields"][0]["type"] == "extra_forbidden"
    assert row_counts() == before


def test_a_workflow_without_a_form_still_starts_without_input(client):
    api_workflows.FLAKY["fail"] = False
    try:
        for body in (None, [], [{}], {}):
            response = client.post("/api/processes/api_flaky", json=body)
            assert response.status_code == 201, (body, response.text)
            wait_for(client, response.json()["id"], {"completed", "failed"})
    finally:
        api_workflows.FLAKY["fail"] = True


NOT_FORM_PAGES = {
    "a_list_of_numbers": b"[1, 2]",
    "a_string": b'"str"',
    "a_number": b"5",
    "nested_lists": b"[[{}]]",
    "deep_nesting": b'[{"a": ' + b"[" * 5000 + b"]" * 5000 + b"}]",
    "deep_objects": b'[{"a": ' + b'{"b": ' * 3000 + b"1" + b"}" * 3000 + b"}]",
    "a_huge_integer": b'[{"name": "x", "count": ' + b"9" * 50_000 + b"}]",
    "nan": b'[{"name": "x", "count": NaN}]',
    "nul_character": b'[{"name": "a\\u0000b", "count": 1}]',
    "lone_surrogate": b'[{"name": "\\ud800", "count": 1}]',
    "not_json": b"[{",
    "invalid_utf8": b'[{"name": "\xff\xfe", "count": 1}]',
}


@pytest.mark.parametrize("case", NOT_FORM_PAGES, ids=list(NOT_FORM_PAGES))
def test_bodies_that_are_not_form_pages_are_4xx_and_write_nothing(client, case):
    before = row_counts()
    response = client.post(GREET, content=NOT_FORM_PAGES[case], headers={"Content-Type": "application/json"})
    assert 400 <= response.status_code < 500, response.text[:2000]
    assert response.json()["code"]
    assert row_counts() == before


def test_resume_input_is_held_to_the_same_limits(client):
    started = client.post("/api/processes/api_approval")
    assert started.status_code == 201
    pid = started.json()["id"]
    wait_for(client, pid, {"suspended"})
    before = row_counts()
    for pages, field in (([{"approved": True, "junk": 1}], "junk"), ([{"approved": "y" * 20_000}], "approved")):
        response = client.put(f"/api/processes/{pid}/resume", json=pages)
        assert refused_field(response) == field
    assert row_counts() == before
    assert client.put(f"/api/processes/{pid}/resume", json=[{"approved": True}]).status_code == 204
    assert wait_for(client, pid, {"completed", "failed"})["status"] == "completed"
