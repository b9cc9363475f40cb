"""Processes over real HTTP against a served stack: our API creates Prefect deployment runs, the
`orchestrator worker` executes them; retries come from Prefect's side (as the UI's Retry button
does) or from ours, and keep one flow run."""

from __future__ import annotations

import httpx
import sqlalchemy as sa

from orchestrator_core.db import transaction
from tests.served.api.conftest import follow
from tests.waiting import wait_until


def _process_count() -> int:
    with transaction() as session:
        return session.execute(sa.text("SELECT count(*) FROM processes")).scalar_one()


def _flow_run_state(prefect, flow_run_id: str) -> tuple[str, str]:
    state = prefect.get(f"/flow_runs/{flow_run_id}").raise_for_status().json()["state"]
    return state["type"], state["name"]


def _prefect_shows(prefect, flow_run_id: str, state_type: str, timeout: float = 30) -> str:
    """Prefect hears of the run's end just after our step log does: wait as a UI user would."""
    wait_until(lambda: _flow_run_state(prefect, flow_run_id)[0] == state_type,
               lambda: f"Prefect shows {flow_run_id} {state_type}, not {_flow_run_state(prefect, flow_run_id)}",
               timeout)
    return _flow_run_state(prefect, flow_run_id)[0]


def test_start_is_executed_by_the_worker_and_links_its_flow_run(api, prefect, served_worker):
    answer = api.post("/api/processes/api_greet", json=[{"name": "served", "count": 2}])
    assert answer.status_code == 201, answer.text

    body = follow(api, answer.json()["id"], {"completed", "failed"}, served_worker)

    assert body["status"] == "completed", body["failed_reason"]
    assert body["current_state"]["greeting"] == "hello served"
    assert body["current_state"]["doubled"] == 4
    flow_run_id = body["flow_run_id"]
    base = served_worker["api"].removesuffix("/api")
    assert body["prefect_url"] == f"{base}/runs/flow-run/{flow_run_id}"
    assert prefect.get(f"/flow_runs/{flow_run_id}").json()["name"]  # Prefect knows the linked run
    assert _prefect_shows(prefect, flow_run_id, "COMPLETED") == "COMPLETED"


def test_failed_step_retried_from_prefect_completes_in_the_same_flow_run(api, prefect, served_worker):
    process_id = api.post("/api/processes/five_steps_third_fails_once", json=[{}]).json()["id"]
    failed = follow(api, process_id, {"failed", "completed"}, served_worker)
    assert failed["status"] == "failed"
    assert "fails on its first attempt" in failed["failed_reason"]
    flow_run_id = failed["flow_run_id"]
    assert _prefect_shows(prefect, flow_run_id, "FAILED") == "FAILED"

    retry = prefect.post(f"/flow_runs/{flow_run_id}/set_state", json={
        "state": {"type": "SCHEDULED", "name": "AwaitingRetry", "message": "Retry from the UI"}, "force": False})
    assert retry.status_code == 201 and retry.json()["status"] == "ACCEPT", retry.text

    done = follow(api, process_id, {"completed"}, served_worker)
    assert done["flow_run_id"] == flow_run_id
    assert [s["status"] for s in done["steps"] if s["name"] == "Step 3"] == ["failed", "success"]
    assert [s["name"] for s in done["steps"]].count("Step 2") == 1  # committed steps never run twice


def test_failed_step_retried_through_our_api_completes_in_the_same_flow_run(api, served_worker):
    process_id = api.post("/api/processes/five_steps_third_fails_once", json=[{}]).json()["id"]
    flow_run_id = follow(api, process_id, {"failed", "completed"}, served_worker)["flow_run_id"]

    answer = api.put(f"/api/processes/{process_id}/resume", json=[{}])
    assert answer.status_code == 204, answer.text

    done = follow(api, process_id, {"completed"}, served_worker)
    assert done["flow_run_id"] == flow_run_id
    assert [s["status"] for s in done["steps"] if s["name"] == "Step 3"] == ["failed", "success"]


def test_abort_ends_the_process_and_cancels_its_flow_run(api, prefect, served_worker):
    process_id = api.post("/api/processes/five_steps_third_fails_once", json=[{}]).json()["id"]
    flow_run_id = follow(api, process_id, {"failed", "completed"}, served_worker)["flow_run_id"]
    assert _prefect_shows(prefect, flow_run_id, "FAILED") == "FAILED"

    answer = api.put(f"/api/processes/{process_id}/abort")
    assert answer.status_code == 204, answer.text

    body = api.get(f"/api/processes/{process_id}").json()
    assert body["status"] == "aborted"
    assert body["steps"][-1]["name"] == "Abort"
    assert _flow_run_state(prefect, flow_run_id)[0] == "CANCELLED"
    again = api.put(f"/api/processes/{process_id}/resume", json=[{}])
    assert again.status_code == 409, again.text


def test_prefect_unreachable_answers_503_and_writes_no_process(api_without_prefect, served_worker):
    before = _process_count()
    answer = httpx.post(f"{api_without_prefect}/api/processes/api_greet", json=[{"name": "x", "count": 1}],
                        timeout=60)

    assert answer.status_code == 503, answer.text
    assert answer.json()["code"] == "prefect.unavailable"
    assert "unreachable" in answer.json()["message"]
    assert _process_count() == before
