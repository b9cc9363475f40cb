"""A suspended process over real HTTP in served mode: its flow run waits PAUSED in Prefect, our
resume endpoint validates the input (422 changes nothing) and continues the same flow run."""

from __future__ import annotations

from tests.served.api.conftest import follow
from tests.waiting import wait_until


def _prefect_state(prefect, flow_run_id: str, state_type: str, timeout: float = 30) -> dict:
    def state() -> dict:
        return prefect.get(f"/flow_runs/{flow_run_id}").json()["state"]

    wait_until(lambda: state()["type"] == state_type,
               lambda: f"flow run {flow_run_id} is {state_type}, not {state()['type']}", timeout)
    return state()


def test_suspended_process_resumes_through_our_api_and_bad_input_is_a_422(api, prefect, served_worker):
    process_id = api.post("/api/processes/api_approval", json=[{}]).json()["id"]
    suspended = follow(api, process_id, {"suspended", "failed"}, served_worker)
    assert suspended["status"] == "suspended"
    flow_run_id = suspended["flow_run_id"]
    assert _prefect_state(prefect, flow_run_id, "PAUSED")["name"] == "Suspended"

    bad = api.put(f"/api/processes/{process_id}/resume", json=[{"approved": "perhaps"}])
    assert bad.status_code == 422, bad.text
    assert bad.json()["code"] == "form.invalid"
    assert api.get(f"/api/processes/{process_id}").json()["status"] == "suspended"

    good = api.put(f"/api/processes/{process_id}/resume", json=[{"approved": True}])
    assert good.status_code == 204, good.text
    done = follow(api, process_id, {"completed"}, served_worker)
    assert done["flow_run_id"] == flow_run_id
    assert done["current_state"]["applied"] is True


def test_abort_of_a_suspended_process_cancels_its_paused_flow_run(api, prefect, served_worker):
    process_id = api.post("/api/processes/api_approval", json=[{}]).json()["id"]
    flow_run_id = follow(api, process_id, {"suspended", "failed"}, served_worker)["flow_run_id"]
    _prefect_state(prefect, flow_run_id, "PAUSED")

    assert api.put(f"/api/processes/{process_id}/abort").status_code == 204

    assert api.get(f"/api/processes/{process_id}").json()["status"] == "aborted"
    assert _prefect_state(prefect, flow_run_id, "CANCELLED")["type"] == "CANCELLED"
