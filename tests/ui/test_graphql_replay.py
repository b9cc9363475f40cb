"""orchestrator-ui's GraphQL calls, replayed against our app over real HTTP.

`queries/` holds each GraphQL document orchestrator-ui 8.8.2 sends (taken from its package: these are
the API calls we must answer). Every one is replayed with the variables the UI builds, on Node
Enrollment subscriptions and processes made through the services, and must answer 200 with data and no
`errors`; then values are spot-checked as the UI's pages read them.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from flows.node_enrollment.clients import NETWORK
from orchestrator_core.api.app import create_app
from orchestrator_core.db import transaction
from orchestrator_core.forms import FormPage
from orchestrator_core.migrations.helpers import get_product_id_by_name
from orchestrator_core.services.list_query import FieldFilter
from orchestrator_core.services.process_list import PROCESSES
from orchestrator_core.services.process_search import subscriptions_of
from orchestrator_core.services.processes import start_process
from orchestrator_core.settings import app_settings
from orchestrator_core.workflow import done, init, inputstep, step, workflow
from tests.api.conftest import JWT_SECRET, make_token
from tests.http_server import serving

QUERIES = Path(__file__).parent / "queries"
CUSTOMER_A, CUSTOMER_B = f"gql-{uuid.uuid4().hex[:8]}-a", f"gql-{uuid.uuid4().hex[:8]}-b"


class Approval(FormPage):
    approved: bool


@inputstep("Approve the change")
def approve() -> Any:
    user_input = yield Approval
    return user_input.model_dump()


@step("Apply the change")
def apply_change(approved: bool) -> dict[str, Any]:
    return {"applied": approved}


@workflow("Waits for an approval (GraphQL tests)")
def gql_approval() -> Any:
    return init >> approve >> apply_change >> done


@dataclass(frozen=True)
class Demo:
    url: str
    active: str
    """Customer A's active subscription: created, provisioned, activated."""
    provisioning: str
    """Customer A's subscription that was only created."""
    terminated: str
    """Customer B's, activated then terminated."""
    created: str
    """The create process of `active`."""
    suspended: str
    """A process waiting for its approval form."""


def _enroll(product_id: str, customer: str, node: str, until: str) -> tuple[str, str]:
    """A Node Enrollment taken through the demo's workflows to `until`; (subscription id, create process)."""
    page = {"customer_id": customer, "select_node": node, "role_id": "core", "url": f"https://{node}.mgmt.example.net"}
    created = start_process("create_node_enrollment", [{"product": product_id}, page], "alice")
    sid = str(subscriptions_of(created)[0])
    steps = {"provisioning": [], "active": ["provision_node_enrollment", "modify_node_enrollment"],
             "terminated": ["provision_node_enrollment", "modify_node_enrollment", "terminate_node_enrollment"]}[until]
    for name in steps:
        start_process(name, [{"subscription_id": sid}], "bob")
    return sid, str(created)


@pytest.fixture(scope="module")
def demo(orchestrator_database: str) -> Iterator[Demo]:
    NETWORK.reset()
    with transaction() as session:
        product_id = str(get_product_id_by_name(session, "Node Enrollment"))
    active, created = _enroll(product_id, CUSTOMER_A, "ams-rt1", "active")
    provisioning, _ = _enroll(product_id, CUSTOMER_A, "ams-rt2", "provisioning")
    terminated, _ = _enroll(product_id, CUSTOMER_B, "lon-rt1", "terminated")
    suspended = str(start_process("gql_approval", [{}], "carol", register=True))
    with serving(create_app()) as url:
        yield Demo(url, active, provisioning, terminated, created, suspended)
    NETWORK.reset()


def ask(demo: Demo, document: str, variables: dict[str, Any] | None = None, **headers: str) -> httpx.Response:
    return httpx.post(f"{demo.url}/api/graphql", json={"query": document, "variables": variables or {}},
                      headers=headers, timeout=30)


def data(demo: Demo, document: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    answer = ask(demo, document, variables)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert "errors" not in body, body["errors"]
    return body["data"]  # type: ignore[no-any-return]


def query(name: str) -> str:
    return (QUERIES / f"{name}.graphql").read_text()


def ui_variables(demo: Demo) -> dict[str, dict[str, Any]]:
    """What the UI sends with each document, as its pages build it."""
    page = {"first": 15, "after": 0}
    return {
        "customers": {},
        "customers_with_subscription_count": {},
        "customer": {"customerId": f"{CUSTOMER_A}|{CUSTOMER_B}", "first": 2},
        "metadata_product_blocks": {**page, "sortBy": {"field": "name", "order": "ASC"}},
        "metadata_products": {**page, "sortBy": {"field": "name", "order": "ASC"}, "query": "tag:NE"},
        "metadata_resource_types": {**page, "sortBy": {"field": "resourceType", "order": "ASC"}},
        "scheduled_tasks": {**page, "sortBy": {"field": "name", "order": "ASC"}},
        "metadata_tasks": {**page, "sortBy": {"field": "name", "order": "ASC"}},
        "metadata_workflows_description": {"workflowName": "create_node_enrollment"},
        "metadata_workflows": {**page, "sortBy": {"field": "name", "order": "ASC"}},
        "process_detail": {"processId": demo.created},
        "process_list": {**page, "sortBy": {"field": "startedAt", "order": "DESC"},
                         "filterBy": [{"field": "isTask", "value": "false"},
                                      {"field": "lastStatus", "value": "completed-aborted"}],
                         "query": f"customerId:{CUSTOMER_A}"},
        "process_list_summary": {"first": 5, "after": 0, "sortBy": {"field": "startedAt", "order": "DESC"},
                                 "filterBy": [{"field": "isTask", "value": "false"}, {"field": "lastStatus", "value":
                                              "created-running-suspended-waiting-failed-resumed-inconsistent_data-"
                                              "api_unavailable-awaiting_callback"}]},
        "process_steps": {"processName": "create_node_enrollment"},
        "products_summary": {"first": 1000, "after": 0, "sortBy": {"field": "name", "order": "ASC"},
                             "filterBy": [{"field": "status", "value": "!terminated"}]},
        "related_subscriptions": {"subscriptionId": demo.active, "first": 5, "after": 0,
                                  "sortBy": {"field": "startDate", "order": "DESC"},
                                  "terminatedSubscriptionFilter": [{"field": "status", "value":
                                                                    "active-disabled-initial-migrating-provisioning"}]},
        "start_options_workflows": {},
        "start_options_tasks": {},
        "subscription_detail": {"subscriptionId": demo.active},
        "subscription_in_use_by_relations": {"subscriptionIds": f"{demo.active}|{demo.terminated}"},
        "subscription_list": {**page, "sortBy": {"field": "startDate", "order": "DESC"},
                              "filterBy": [{"field": "status", "value": "active"}],
                              "query": f"customerId:{CUSTOMER_A}"},
        "subscription_list_summary": {"first": 5, "after": 0, "sortBy": {"field": "startDate", "order": "DESC"},
                                      "query": "insync:false", "filterBy": [{"field": "status",
                                                                             "value": "Active-Provisioning"}]},
        "versions": {},
    }


DOCUMENTS = sorted(p.stem for p in QUERIES.glob("*.graphql"))


def test_the_uis_23_documents_are_here() -> None:
    assert len(DOCUMENTS) == 23


@pytest.mark.parametrize("name", DOCUMENTS)
def test_every_ui_query_is_answered(demo: Demo, name: str) -> None:
    found = data(demo, query(name), ui_variables(demo)[name])
    assert found and all(value is not None for value in found.values())


def test_subscription_detail_shows_product_blocks_and_processes(demo: Demo) -> None:
    found = data(demo, query("subscription_detail"), {"subscriptionId": demo.active})["subscriptions"]["page"]
    assert len(found) == 1
    subscription = found[0]
    assert subscription["product"]["name"] == "Node Enrollment"
    assert (subscription["status"], subscription["insync"]) == ("ACTIVE", True)
    assert subscription["customer"]["customerId"] == CUSTOMER_A
    blocks = subscription["productBlockInstances"]
    values = {v["field"]: v["value"] for v in blocks[0]["productBlockInstanceValues"]}
    assert (values["name"], values["nodeName"], values["esdbNodeId"]) == ("Node Enrollment", "ams-rt1", 101)
    root = [b for b in subscription["productBlockInstances"] if b["parent"] is None]
    assert len(root) == 1 and root[0]["subscription"]["subscriptionId"] == demo.active
    processes = subscription["processes"]["page"]
    assert [p["workflowName"] for p in processes] == [
        "create_node_enrollment", "provision_node_enrollment", "modify_node_enrollment"
    ]
    assert {p["lastStatus"] for p in processes} == {"COMPLETED"}
    assert (subscription["metadata"], subscription["customerDescriptions"]) == ({}, [])


def test_process_detail_shows_steps_and_what_they_changed(demo: Demo) -> None:
    process = data(demo, query("process_detail"), {"processId": demo.created})["processes"]["page"][0]
    assert (process["lastStatus"], process["workflowName"], process["isTask"]) == (
        "COMPLETED", "create_node_enrollment", False
    )
    steps = {s["name"]: s for s in process["steps"]}
    construct = steps["Construct Node Enrollment model"]
    assert construct["status"] == "success" and construct["stepId"] and construct["started"]
    assert "subscription" in construct["stateDelta"]
    assert process["subscriptions"]["page"][0]["subscriptionId"] == demo.active
    assert process["subscriptions"]["page"][0]["product"]["name"] == "Node Enrollment"
    assert process["userPermissions"] == {"retryAllowed": True, "resumeAllowed": True}
    assert process["form"] is None and process["customer"]["fullname"] == CUSTOMER_A


def test_a_suspended_process_offers_its_form_and_its_steps_to_come(demo: Demo) -> None:
    process = data(demo, query("process_detail"), {"processId": demo.suspended})["processes"]["page"][0]
    assert process["lastStatus"] == "SUSPENDED"
    assert "approved" in process["form"]["properties"]
    assert [(s["name"], s["status"]) for s in process["steps"]] == [
        ("Start", "success"), ("Approve the change", "suspend"), ("Apply the change", "pending"), ("Done", "pending")
    ]
    assert process["customer"] == {"fullname": ""}


PAGE = """query Page($first: Int!, $after: Int!, $sortBy: [GraphqlSort!], $filterBy: [GraphqlFilter!], $query: String) {
  subscriptions(first: $first, after: $after, sortBy: $sortBy, filterBy: $filterBy, query: $query) {
    page { subscriptionId description status }
    pageInfo { totalItems hasNextPage hasPreviousPage startCursor endCursor sortFields filterFields }
  }
}"""


def test_paging_totals(demo: Demo) -> None:
    mine = [{"field": "customerId", "value": f"{CUSTOMER_A}|{CUSTOMER_B}"}]
    first = data(demo, PAGE, {"first": 2, "after": 0, "filterBy": mine})["subscriptions"]
    second = data(demo, PAGE, {"first": 2, "after": 2, "filterBy": mine})["subscriptions"]
    assert first["pageInfo"]["totalItems"] == second["pageInfo"]["totalItems"] == 3
    assert (first["pageInfo"]["hasNextPage"], first["pageInfo"]["hasPreviousPage"]) == (True, False)
    assert (second["pageInfo"]["hasNextPage"], second["pageInfo"]["hasPreviousPage"]) == (False, True)
    assert (second["pageInfo"]["startCursor"], second["pageInfo"]["endCursor"]) == (2, 2)
    seen = {s["subscriptionId"] for s in first["page"] + second["page"]}
    assert seen == {demo.active, demo.provisioning, demo.terminated}
    assert {"startDate", "description", "status"} <= set(first["pageInfo"]["sortFields"])


def test_filters_split_negate_and_combine_with_the_search_text(demo: Demo) -> None:
    mine = {"field": "customerId", "value": f"{CUSTOMER_A}|{CUSTOMER_B}"}

    def statuses(*filters: dict[str, str], text: str | None = None) -> set[str]:
        found = data(demo, PAGE, {"first": 50, "after": 0, "filterBy": [mine, *filters], "query": text})
        return {s["status"] for s in found["subscriptions"]["page"]}

    assert statuses({"field": "status", "value": "active-provisioning"}) == {"ACTIVE", "PROVISIONING"}
    assert statuses({"field": "status", "value": "!terminated"}) == {"ACTIVE", "PROVISIONING"}
    assert statuses({"field": "status", "value": "Terminated"}) == {"TERMINATED"}
    assert statuses(text=f"status:(active|terminated) -customerId:{CUSTOMER_B}") == {"ACTIVE"}
    assert statuses(text="ams-rt2") == {"PROVISIONING"}  # words match as the REST search's


def test_sorting(demo: Demo) -> None:
    mine = [{"field": "customerId", "value": f"{CUSTOMER_A}|{CUSTOMER_B}"}]
    for order in ("ASC", "DESC"):
        page = data(demo, PAGE, {"first": 50, "after": 0, "filterBy": mine,
                                 "sortBy": [{"field": "description", "order": order}]})["subscriptions"]["page"]
        descriptions = [s["description"] for s in page]
        assert descriptions == sorted(descriptions, key=str.lower, reverse=order == "DESC")


def test_version_is_one_orchestrator_ui_accepts_and_names_us(demo: Demo) -> None:
    versions = data(demo, query("versions"))["version"]["applicationVersions"]
    major = re.fullmatch(r"orchestrator-core: (\d+)\.\d+\.\d+", versions[0])
    assert major and int(major[1]) >= 5
    assert any(v.startswith("orchestrator-core-prefect: ") for v in versions)


def test_scheduled_tasks_are_the_validate_sweep_with_its_next_run_when_served(
    demo: Demo, monkeypatch: pytest.MonkeyPatch
) -> None:
    def sweep() -> dict[str, Any]:
        variables = {"first": 15, "after": 0, "sortBy": {"field": "name", "order": "ASC"}}
        tasks = data(demo, query("scheduled_tasks"), variables)["scheduledTasks"]["page"]
        return next(t for t in tasks if t["name"] == "task_validate_subscriptions")

    assert sweep()["trigger"] == f"cron[{app_settings.ORCHESTRATOR_VALIDATE_CRON}]"
    assert sweep()["nextRunTime"] is None  # embedded: no worker installs the schedule, nothing fires
    monkeypatch.setattr(app_settings, "ORCHESTRATOR_VALIDATE_CRON", "30 2 * * *")
    monkeypatch.setattr(app_settings, "ORCHESTRATOR_EXECUTION_MODE", "served")
    fires = datetime.fromisoformat(sweep()["nextRunTime"])
    assert (fires.hour, fires.minute) == (2, 30) and fires > datetime.now(UTC)


def test_start_options_and_workflow_steps(demo: Demo) -> None:
    workflows = data(demo, query("start_options_workflows"))["workflows"]["page"]
    create = next(w for w in workflows if w["name"] == "create_node_enrollment")
    assert create["isAllowed"] and "Node Enrollment" in [p["name"] for p in create["products"]]
    steps = data(demo, query("process_steps"), {"processName": "create_node_enrollment"})["workflows"]["page"][0]
    assert "Construct Node Enrollment model" in [s["name"] for s in steps["steps"]]


@pytest.mark.parametrize(
    "variables",
    [
        {"filterBy": [{"field": "status", "value": "!"}]},
        {"filterBy": [{"field": "subscriptionId", "value": "not-an-id"}]},
        {"filterBy": [{"field": "startDate", "value": ">=yesterday"}]},
        {"filterBy": [{"field": "insync", "value": "maybe"}]},
        {"sortBy": [{"field": "colour", "order": "ASC"}]},
        {"query": "colour:red"},
        {"first": -1},
    ],
)
def test_what_a_list_cannot_read_is_an_error_naming_it(demo: Demo, variables: dict[str, Any]) -> None:
    answer = ask(demo, PAGE, {"first": 5, "after": 0, **variables})
    assert answer.status_code == 200
    (error,) = answer.json()["errors"]
    assert error["extensions"]["code"] == "list.invalid_query", error


def test_the_uis_failed_also_finds_crashed_processes() -> None:
    condition = PROCESSES.filter_condition(FieldFilter("lastStatus", "Failed-inconsistent_data"))
    sql = str(condition.compile(compile_kwargs={"literal_binds": True}))
    assert "'failed'" in sql and "'crashed'" in sql and "'inconsistent_data'" in sql


def test_bad_input_is_a_clear_error_and_writes_are_refused(demo: Demo) -> None:
    unknown = ask(demo, PAGE, {"first": 5, "after": 0, "filterBy": [{"field": "colour", "value": "red"}]}).json()
    assert unknown["errors"][0]["extensions"]["code"] == "list.invalid_query"
    assert "colour" in unknown["errors"][0]["message"] and "status" in unknown["errors"][0]["message"]
    mutation = ask(demo, "mutation { startProcess(name: \"x\") { id } }").json()
    assert mutation["data"] is None and "not supported" in mutation["errors"][0]["message"]


def test_with_auth_on_it_needs_a_bearer_token(demo: Demo, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app_settings, "ORCHESTRATOR_AUTH_DISABLED", False)
    monkeypatch.setattr(app_settings, "ORCHESTRATOR_JWT_SECRET", JWT_SECRET)
    refused = ask(demo, query("versions"))
    assert refused.status_code == 401 and refused.json()["details"]["reason"] == "missing_token"
    allowed = ask(demo, query("versions"), Authorization=f"Bearer {make_token('dave')}")
    assert allowed.status_code == 200 and "errors" not in allowed.json()


def test_a_missing_variable_is_the_callers_error_not_an_internal_one(demo: Demo) -> None:
    answer = ask(demo, query("process_list"), {"after": 0}).json()
    assert answer["errors"] and all("Internal error" not in e["message"] for e in answer["errors"]), answer
    assert any("first" in e["message"] for e in answer["errors"]), answer
