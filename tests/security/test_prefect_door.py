"""Prefect is no way around our authentication (issue 13).

On the served stack the README ships (Prefect's server with PREFECT_SERVER_API_AUTH_STRING, our
worker and our API as its clients, our authentication on), a start, a Retry and a resume through
Prefect's API answer 401 without Prefect's credential. With it (an operator in the Prefect UI) our
authorization decides, and by default, while our authentication is on, it refuses every action taken
in Prefect. Refused means: no process row, no step row, no subscription change. The same actions
through our API need our token, and work with it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from orchestrator_core.db import ProcessTable, transaction
from orchestrator_core.migrations.helpers import get_product_id_by_name
from orchestrator_core.services.process_queries import get_process
from tests.security.prefect_stack import (
    DENIED,
    RETRY,
    failed_with,
    logged,
    rows,
    secured_stack,
    start,
    steps_of,
    subscription,
)
from tests.served.conftest import wait_for, wait_for_flow_run


@pytest.fixture(scope="module")
def stack(secured_worker, secured_api) -> Iterator[dict[str, Any]]:
    """Our worker with the default ORCHESTRATOR_PREFECT_UI_ACTIONS: deny, as our authentication is on."""
    with secured_stack(secured_worker, secured_api) as stack:
        yield stack


@pytest.fixture(scope="module")
def live_subscription(stack) -> str:
    with transaction() as session:
        product = str(get_product_id_by_name(session, "Node Enrollment"))
    created = start(stack, "create_node_enrollment", [{"product": product}, {
        "customer_id": str(uuid.uuid4()), "select_node": "ams-rt1", "role_id": "core",
        "url": "https://ams-rt1.mgmt.example.net"}], {"completed"})
    subscription_id = get_process(created).state["subscription_id"]
    for workflow in ("provision_node_enrollment", "modify_node_enrollment"):
        start(stack, workflow, [{"subscription_id": subscription_id}], {"completed"})
    assert subscription(subscription_id)["status"] == "active"
    return subscription_id


def test_a_start_through_prefect_is_refused_and_the_live_subscription_stays_as_it_was(stack, live_subscription):
    before, counts = subscription(live_subscription), rows()
    deployment = stack["operator"].get("/deployments/name/terminate_node_enrollment/terminate_node_enrollment")
    run = f"/deployments/{deployment.raise_for_status().json()['id']}/create_flow_run"
    parameters = {"parameters": {"user_inputs": [{"subscription_id": live_subscription}]}}

    assert stack["anonymous"].post(run, json=parameters).status_code == 401

    created = stack["operator"].post(run, json=parameters)  # the Prefect UI's Run button, logged in
    assert created.status_code == 201, created.text
    flow_run_id = created.json()["id"]
    message = failed_with(stack, flow_run_id, DENIED)
    assert "POST /api/processes/terminate_node_enrollment" in message
    with transaction() as session:
        assert session.execute(sa.select(ProcessTable).where(ProcessTable.flow_run_id == flow_run_id)).first() is None
    assert rows() == counts
    assert subscription(live_subscription) == before

    through_our_api = httpx.post(f"{stack['api_url']}/api/processes/terminate_node_enrollment",
                                 json=[{"subscription_id": live_subscription}], timeout=30)
    assert through_our_api.status_code == 401
    assert rows() == counts and subscription(live_subscription) == before


def test_a_retry_through_prefect_is_refused_and_runs_nothing(stack):
    process_id = start(stack, "five_steps_third_fails_once", [{}], {"failed"})
    flow_run_id = str(get_process(process_id).flow_run_id)
    wait_for_flow_run(stack["worker"]["api"], flow_run_id, "FAILED", stack["worker"], auth=stack["worker"]["auth"])
    before, counts = steps_of(process_id), rows()
    attempts = stack["worker"]["attempts_dir"] / f"attempts-{process_id}"
    assert attempts.read_text().splitlines() == ["Step 1", "Step 2", "Step 3"]

    assert stack["anonymous"].post(f"/flow_runs/{flow_run_id}/set_state", json=RETRY).status_code == 401

    answer = stack["operator"].post(f"/flow_runs/{flow_run_id}/set_state", json=RETRY)  # the UI's Retry
    assert answer.status_code == 201 and answer.json()["status"] == "ACCEPT", answer.text
    message = failed_with(stack, flow_run_id, DENIED)
    assert f"PUT /api/processes/{process_id}/resume" in message and "stays failed" in message
    assert get_process(process_id, with_steps=False).status == "failed"
    assert steps_of(process_id) == before and rows() == counts
    assert attempts.read_text().splitlines() == ["Step 1", "Step 2", "Step 3"]

    assert stack["api"].put(f"/api/processes/{process_id}/resume", json=[{}]).status_code == 204
    assert wait_for(process_id, {"completed"}, stack["worker"]) == "completed"
    assert attempts.read_text().splitlines() == ["Step 1", "Step 2", "Step 3", "Step 3", "Step 4", "Step 5"]


def test_a_resume_through_prefect_is_refused_and_the_process_stays_suspended(stack):
    process_id = start(stack, "api_approval", [{}], {"suspended"})
    flow_run_id = str(get_process(process_id).flow_run_id)
    paused = wait_for_flow_run(stack["worker"]["api"], flow_run_id, "PAUSED", stack["worker"],
                               auth=stack["worker"]["auth"], name="Suspended")
    before, counts = steps_of(process_id), rows()
    resume = {"run_input": {"approved": True}}

    assert stack["anonymous"].post(f"/flow_runs/{flow_run_id}/resume", json=resume).status_code == 401

    answer = stack["operator"].post(f"/flow_runs/{flow_run_id}/resume", json=resume)  # the UI's resume form
    assert answer.status_code == 201 and answer.json()["status"] == "ACCEPT", answer.text
    line = logged(stack, flow_run_id, DENIED)
    assert f"PUT /api/processes/{process_id}/resume" in line
    again = wait_for_flow_run(stack["worker"]["api"], flow_run_id, "PAUSED", stack["worker"],
                              auth=stack["worker"]["auth"], name="Suspended")
    assert again["state_details"]["pause_key"] != paused["state_details"]["pause_key"]  # the form is open again
    assert get_process(process_id, with_steps=False).status == "suspended"
    assert steps_of(process_id) == before and rows() == counts

    assert stack["api"].put(f"/api/processes/{process_id}/resume", json=[{"approved": True}]).status_code == 204
    assert wait_for(process_id, {"completed"}, stack["worker"]) == "completed"
    assert [(name, by) for name, status, by in steps_of(process_id) if status == "success"][-2:] == [
        ("Approve", "alice"), ("Apply", "alice")]
