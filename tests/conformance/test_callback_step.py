"""`callback_step` as the reference's applications use it (an LSO-style provisioning call): the action
step gets a callback route, the process waits in `awaiting_callback`, an external system's POST to
that route over real HTTP resumes it with the result in the state, and the validate step checks it.
A wrong or reused token is refused and changes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from orchestrator_core.api.app import create_app
from orchestrator_core.forms import FormPage
from orchestrator_core.testing import WorkflowResult, assert_complete, extract_state, result_of, run_workflow
from orchestrator_core.types import FormGenerator, State, UUIDstr
from orchestrator_core.utils.errors import ProcessFailureError
from orchestrator_core.workflow import StepList, begin, callback_step, conditional, step
from orchestrator_core.workflows.utils import task
from tests.http_server import serving
from tests.waiting import wait_until


@step("Request provisioning")
def request_provisioning(callback_route: str, process_id: UUIDstr) -> State:
    """Where a real step would send the playbook and `ORCHESTRATOR_URL + callback_route` to LSO."""
    return {"requested_route": callback_route, "requested_for": process_id}


@step("Evaluate provisioning result")
def evaluate_result(callback_result: dict) -> State:
    if callback_result["return_code"] != 0:
        raise ProcessFailureError(message="Provisioning proxy failure", details=callback_result)
    return {"provisioned": callback_result["output"]}


@task()
def task_callback_provision() -> StepList:
    return begin >> callback_step(name="Provision", action_step=request_provisioning, validate_step=evaluate_result)


@step("Evaluate under its own key")
def evaluate_own_key(lso_result: dict) -> State:
    return {"seen": lso_result["output"]}


@task()
def task_callback_result_key() -> StepList:
    return (begin
            >> callback_step(name="Deploy", action_step=request_provisioning, validate_step=evaluate_own_key,
                             result_key="lso_result")
            >> callback_step(name="Provision", action_step=request_provisioning, validate_step=evaluate_result))


def provision_choice_form() -> FormGenerator:
    class ProvisionChoice(FormPage):
        provision: bool

    user_input = yield ProvisionChoice
    return user_input.model_dump()


@step("After provisioning")
def after_provisioning() -> State:
    return {"after": True}


provision_when_asked = conditional(lambda state: state.get("provision") is True)


@task(initial_input_form=provision_choice_form)
def task_callback_optional() -> StepList:
    return (begin
            >> provision_when_asked(callback_step(name="Provision", action_step=request_provisioning,
                                                  validate_step=evaluate_result))
            >> after_provisioning)


@pytest.fixture(scope="module")
def client(orchestrator_database: str) -> Iterator[httpx.Client]:
    with serving(create_app(import_workflows=False)) as url, httpx.Client(base_url=url, timeout=30) as c:
        yield c


def settled(client: httpx.Client, process_id: Any, timeout: float = 60) -> dict[str, Any]:
    """The process as the API shows it once it stopped moving (no longer created or running)."""
    def ended() -> dict[str, Any] | None:
        body = client.get(f"/api/processes/{process_id}").raise_for_status().json()
        return body if body["status"] not in ("created", "running") else None

    return wait_until(ended, f"process {process_id} left created and running", timeout, interval=0.1)


def awaiting(name: str, inputs: list[dict[str, Any]] | None = None) -> tuple[WorkflowResult, str]:
    result = run_workflow(name, inputs)
    assert result.status == "awaiting_callback", result.process.failed_reason
    return result, extract_state(result)["callback_route"]


def unchanged(result: WorkflowResult) -> bool:
    now = result_of(result.process_id)
    return now.status == "awaiting_callback" and len(now.steps) == len(result.steps)


def test_the_process_waits_for_its_callback_and_the_post_completes_it(client):
    result, route = awaiting("task_callback_provision")

    assert re.fullmatch(rf"/api/processes/{result.process_id}/callback/[A-Za-z0-9_-]{{20,}}", route)
    assert extract_state(result)["requested_route"] == route
    assert (result.steps[-1].name, result.steps[-1].status) == ("Provision - Await callback", "awaiting_callback")
    assert client.get(f"/api/processes/{result.process_id}").json()["status"] == "awaiting_callback"

    answer = client.post(route, json={"return_code": 0, "output": "deployed"})

    assert answer.status_code == 200, answer.text
    body = settled(client, result.process_id)
    assert body["status"] == "completed", body["failed_reason"]
    assert [(s["name"], s["status"]) for s in body["steps"]] == [
        ("Start", "success"), ("Provision - Create endpoint", "success"), ("Request provisioning", "success"),
        ("Provision - Await callback", "awaiting_callback"), ("Provision - Await callback", "success"),
        ("Evaluate provisioning result", "success"), ("Provision - Cleanup callback step", "success"),
        ("Done", "complete")]
    state = body["current_state"]
    assert state["callback_result"] == {"return_code": 0, "output": "deployed"}
    assert state["provisioned"] == "deployed"
    assert state["__callback_token"] is None


def test_a_wrong_token_is_refused_and_changes_nothing(client):
    result, route = awaiting("task_callback_provision")

    answer = client.post(f"/api/processes/{result.process_id}/callback/not-the-token", json={"return_code": 0})

    assert answer.status_code == 404
    assert answer.json()["code"] == "process.callback_token_invalid"
    assert unchanged(result)
    assert client.post(route, json={"return_code": 0, "output": "late but right"}).status_code == 200
    assert settled(client, result.process_id)["status"] == "completed"


def test_a_token_used_once_is_refused_the_second_time(client):
    result, route = awaiting("task_callback_provision")
    assert client.post(route, json={"return_code": 0, "output": "first"}).status_code == 200
    first = settled(client, result.process_id)

    again = client.post(route, json={"return_code": 0, "output": "second"})

    assert again.status_code == 409
    assert again.json()["code"] == "process.not_resumable"
    after = settled(client, result.process_id)
    assert after["steps"] == first["steps"]
    assert after["current_state"]["provisioned"] == "first"


def test_a_failed_result_fails_the_validate_step_with_the_details(client):
    result, route = awaiting("task_callback_provision")

    assert client.post(route, json={"return_code": 2, "output": "unreachable"}).status_code == 200

    body = settled(client, result.process_id)
    assert body["status"] == "failed"
    assert body["failed_reason"] == "Provisioning proxy failure"
    failed = body["steps"][-1]
    assert (failed["name"], failed["status"]) == ("Evaluate provisioning result", "failed")
    assert failed["state"]["details"] == {"return_code": 2, "output": "unreachable"}


def test_the_result_is_stored_under_the_steps_result_key_and_each_callback_has_its_own_token(client):
    result, deploy_route = awaiting("task_callback_result_key")

    assert client.post(deploy_route, json={"output": "keyed"}).status_code == 200
    second = settled(client, result.process_id)
    assert second["status"] == "awaiting_callback"
    provision_route = second["current_state"]["callback_route"]
    assert provision_route != deploy_route
    assert client.post(deploy_route, json={"return_code": 0, "output": "replayed"}).status_code == 404
    assert client.post(provision_route, json={"return_code": 0, "output": "default"}).status_code == 200

    body = settled(client, result.process_id)
    assert body["status"] == "completed", body["failed_reason"]
    assert body["current_state"]["seen"] == "keyed"
    assert body["current_state"]["lso_result"] == {"output": "keyed"}
    assert body["current_state"]["callback_result"] == {"return_code": 0, "output": "default"}


def test_a_conditional_callback_step_whose_predicate_is_false_is_skipped():
    result = run_workflow("task_callback_optional", [{"provision": False}])

    assert_complete(result)
    skipped = [s.name for s in result.steps if s.status == "skipped"]
    assert skipped == ["Provision - Create endpoint", "Request provisioning", "Provision - Await callback",
                       "Evaluate provisioning result", "Provision - Cleanup callback step"]
    assert extract_state(result)["after"] is True


def test_an_aborted_process_takes_no_callback(client):
    result, route = awaiting("task_callback_optional", [{"provision": True}])

    assert client.put(f"/api/processes/{result.process_id}/abort").status_code == 204
    refused = client.post(route, json={"return_code": 0, "output": "too late"})

    assert refused.status_code == 409
    assert settled(client, result.process_id)["status"] == "aborted"


def test_a_callback_for_an_unknown_process_is_refused(client):
    answer = client.post("/api/processes/00000000-0000-4000-8000-000000000000/callback/some-token", json={})
    assert answer.status_code == 404
    assert answer.json()["code"] == "process.not_found"


def test_an_operators_resume_continues_without_a_callback_as_in_the_reference(client):
    result, route = awaiting("task_callback_provision")

    assert client.put(f"/api/processes/{result.process_id}/resume", json={}).status_code == 204

    body = settled(client, result.process_id)
    assert body["status"] == "failed"
    assert (body["steps"][-1]["name"], body["steps"][-1]["status"]) == ("Evaluate provisioning result", "failed")
    assert "callback_result" in body["failed_reason"]
    assert client.post(route, json={"return_code": 0}).status_code == 409


def test_progress_reports_show_in_the_awaiting_step_until_the_callback_arrives(client):
    result, route = awaiting("task_callback_provision")

    assert client.post(f"{route}/progress", json="playbook started").status_code == 204
    assert client.post(f"{route}/progress", json={"task": "configure interfaces", "done": 3}).status_code == 204
    assert client.post(f"/api/processes/{result.process_id}/callback/wrong/progress", json="x").status_code == 404

    shown = client.get(f"/api/processes/{result.process_id}").json()
    assert shown["status"] == "awaiting_callback"
    assert shown["steps"][-1]["state"]["callback_progress"] == {"task": "configure interfaces", "done": 3}
    assert client.post(route, json={"return_code": 0, "output": "done"}).status_code == 200
    body = settled(client, result.process_id)
    assert body["status"] == "completed", body["failed_reason"]
    assert "callback_progress" not in body["current_state"]
    assert client.post(f"{route}/progress", json="too late").status_code == 409
