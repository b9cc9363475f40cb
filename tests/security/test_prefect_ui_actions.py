"""What an operator keeps in the Prefect UI when the operators choose so (ORCHESTRATOR_PREFECT_UI_ACTIONS
=allow, our authentication on, Prefect's server authenticating): Run, Retry and the resume form are put
to the workflow's authorization callbacks, and each is recorded in our step log as done by `prefect-ui`
with the user of Prefect's basic auth, since Prefect knows no user of its own."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from orchestrator_core.services.process_queries import get_process
from tests.security.prefect_stack import RETRY, process_of_flow_run, secured_stack, start, steps_of
from tests.served.conftest import wait_for, wait_for_flow_run
from tests.served_stack import PREFECT_USER
from tests.waiting import wait_until

PREFECT_UI_ACTIONS = "allow"
"""This module's worker (tests/served_stack.py, `secured_worker`)."""
BY_PREFECT = f"prefect-ui ({PREFECT_USER})"


@pytest.fixture(scope="module")
def stack(secured_worker, secured_api) -> Iterator[dict[str, Any]]:
    with secured_stack(secured_worker, secured_api) as stack:
        yield stack


def test_a_run_from_the_prefect_ui_is_recorded_as_prefect_ui_with_its_user(stack):
    deployment = stack["operator"].get("/deployments/name/api_greet/api_greet").raise_for_status().json()["id"]
    created = stack["operator"].post(f"/deployments/{deployment}/create_flow_run",
                                     json={"parameters": {"user_inputs": [{"name": "ui", "count": 2}]}})
    assert created.status_code == 201, created.text

    process_id = process_of_flow_run(stack, created.json()["id"])
    assert wait_for(process_id, {"completed"}, stack["worker"]) == "completed"
    view = get_process(process_id)
    assert view.created_by == BY_PREFECT
    assert {by for _name, _status, by in steps_of(process_id)} == {BY_PREFECT}


def test_a_retry_from_the_prefect_ui_records_who_retried_on_the_steps_it_ran(stack):
    process_id = start(stack, "five_steps_third_fails_once", [{}], {"failed"})
    flow_run_id = str(get_process(process_id).flow_run_id)
    wait_for_flow_run(stack["worker"]["api"], flow_run_id, "FAILED", stack["worker"], auth=stack["worker"]["auth"])

    answer = stack["operator"].post(f"/flow_runs/{flow_run_id}/set_state", json=RETRY)
    assert answer.status_code == 201 and answer.json()["status"] == "ACCEPT", answer.text

    assert wait_for(process_id, {"completed"}, stack["worker"]) == "completed"
    assert [(name, status, by) for name, status, by in steps_of(process_id) if name.startswith("Step")] == [
        ("Step 1", "success", "alice"), ("Step 2", "success", "alice"), ("Step 3", "failed", "alice"),
        ("Step 3", "success", BY_PREFECT), ("Step 4", "success", BY_PREFECT), ("Step 5", "success", BY_PREFECT)]


def test_the_resume_form_of_the_prefect_ui_records_who_submitted_it(stack):
    process_id = start(stack, "api_approval", [{}], {"suspended"})
    flow_run_id = str(get_process(process_id).flow_run_id)
    paused = wait_for_flow_run(stack["worker"]["api"], flow_run_id, "PAUSED", stack["worker"],
                               auth=stack["worker"]["auth"], name="Suspended")
    schema = f"/flow_runs/{flow_run_id}/input/{paused['state_details']['run_input_keyset']['schema']}"
    # Prefect stores the form's schema just after the Suspended state; the UI shows the form once it can read it
    wait_until(lambda: stack["operator"].get(schema).status_code == 200, "the resume form's schema is stored")

    answer = stack["operator"].post(f"/flow_runs/{flow_run_id}/resume", json={"run_input": {"approved": True}})
    assert answer.status_code == 201 and answer.json()["status"] == "ACCEPT", answer.text

    assert wait_for(process_id, {"completed"}, stack["worker"]) == "completed"
    assert [(name, by) for name, status, by in steps_of(process_id) if status == "success"][-2:] == [
        ("Approve", BY_PREFECT), ("Apply", "alice")]
