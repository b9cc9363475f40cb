"""Processes over real HTTP: start, follow, fail, retry, abort, and refusals that write nothing."""

from __future__ import annotations

import json

import httpx
import pytest
import sqlalchemy as sa

from orchestrator_core.db import transaction
from tests.api import api_workflows
from tests.api.conftest import register, wait_for


@pytest.fixture(autouse=True, scope="module")
def workflows_registered(orchestrator_database):
    register(*api_workflows.ALL)


def process_count() -> int:
    with transaction() as session:
        return session.execute(sa.text("SELECT count(*) FROM processes")).scalar_one()


def sse_events(client: httpx.Client, process_id: str) -> list[tuple[str, dict]]:
    events, name = [], None
    with client.stream("GET", f"/api/processes/{process_id}/events") as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        for line in response.iter_lines():
            if line.startswith("event: "):
                name = line[len("event: ") :]
            elif line.startswith("data: ") and name:
                events.append((name, json.loads(line[len("data: ") :])))
    return events


def test_start_answers_at_once_and_the_process_completes(client):
    response = client.post("/api/processes/api_greet", json=[{"name": "world", "count": 3}])

    assert response.status_code == 201, response.text
    process_id = response.json()["id"]
    body = wait_for(client, process_id, {"completed", "failed"})
    assert body["status"] == "completed", body["failed_reason"]
    assert [s["name"] for s in body["steps"]] == ["Start", "Greet", "Double", "Done"]
    assert body["created_by"] == "SYSTEM"
    assert body["current_state"]["greeting"] == "hello world"
    greet = body["steps"][1]
    assert greet["diff"]["added"] == {"greeting": "hello world"}
    assert body["steps"][2]["diff"]["added"] == {"doubled": 6}
    assert body["flow_run_id"]


def test_a_single_form_page_may_be_sent_as_an_object(client):
    response = client.post("/api/processes/api_greet", json={"name": "object", "count": 1})
    assert response.status_code == 201, response.text
    assert wait_for(client, response.json()["id"], {"completed", "failed"})["status"] == "completed"


def test_events_stream_steps_and_status_until_the_process_ends(client):
    process_id = client.post("/api/processes/api_greet", json=[{"name": "sse", "count": 2}]).json()["id"]

    events = sse_events(client, process_id)

    assert events[-1] == ("end", {"process_id": process_id, "status": "completed"})
    assert [e["name"] for kind, e in events if kind == "step"] == ["Start", "Greet", "Double", "Done"]
    assert [e["status"] for kind, e in events if kind == "status"][-1] == "completed"


def test_failed_step_is_visible_and_resume_completes_with_the_step_log_in_order(client):
    api_workflows.FLAKY["fail"] = True
    process_id = client.post("/api/processes/api_flaky", json=[{}]).json()["id"]

    failed = wait_for(client, process_id, {"failed", "completed"})
    assert failed["status"] == "failed"
    assert "the device refused the change" in failed["failed_reason"]
    assert failed["steps"][-1]["name"] == "Flaky" and failed["steps"][-1]["status"] == "failed"

    api_workflows.FLAKY["fail"] = False
    assert client.put(f"/api/processes/{process_id}/resume").status_code == 204
    done = wait_for(client, process_id, {"completed", "failed"})

    assert done["status"] == "completed"
    assert [(s["name"], s["status"]) for s in done["steps"]] == [
        ("Start", "success"),
        ("Prepare", "success"),
        ("Flaky", "failed"),
        ("Flaky", "success"),
        ("After flaky", "success"),
        ("Done", "complete"),
    ]
    assert done["steps"][3]["diff"]["added"] == {"flaky": "passed"}


def test_resume_of_a_completed_process_is_refused_with_a_code(client):
    process_id = client.post("/api/processes/api_greet", json=[{"name": "x", "count": 1}]).json()["id"]
    wait_for(client, process_id, {"completed"})

    response = client.put(f"/api/processes/{process_id}/resume")

    assert response.status_code == 409
    assert response.json()["code"] == "process.not_resumable"


def test_suspended_process_resumes_with_form_input_and_bad_input_changes_nothing(client):
    process_id = client.post("/api/processes/api_approval").json()["id"]
    suspended = wait_for(client, process_id, {"suspended", "failed"})
    assert suspended["status"] == "suspended"

    bad = client.put(f"/api/processes/{process_id}/resume", json=[{"approved": "perhaps"}])
    assert bad.status_code == 422
    assert bad.json()["code"] == "form.invalid"
    assert [f["field"] for f in bad.json()["details"]["fields"]] == ["approved"]
    assert client.get(f"/api/processes/{process_id}").json()["status"] == "suspended"

    assert client.put(f"/api/processes/{process_id}/resume", json={"approved": True}).status_code == 204
    done = wait_for(client, process_id, {"completed", "failed"})
    assert done["status"] == "completed"
    assert done["current_state"]["applied"] is True


def test_abort_ends_a_suspended_process_for_good(client):
    process_id = client.post("/api/processes/api_approval").json()["id"]
    wait_for(client, process_id, {"suspended"})

    assert client.put(f"/api/processes/{process_id}/abort").status_code == 204

    body = client.get(f"/api/processes/{process_id}").json()
    assert body["status"] == "aborted"
    assert body["steps"][-1]["status"] == "abort"
    again = client.put(f"/api/processes/{process_id}/abort")
    assert again.status_code == 409 and again.json()["code"] == "process.not_resumable"


def test_bad_form_input_is_422_naming_each_field_and_writes_nothing(client):
    before = process_count()

    response = client.post("/api/processes/api_greet", json=[{"name": "", "count": 99}])

    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "form.invalid"
    assert sorted(f["field"] for f in body["details"]["fields"]) == ["count", "name"]
    assert process_count() == before


def test_malformed_body_is_422_with_the_request_path(client):
    response = client.post("/api/processes/api_greet", content=b"[1, 2", headers={"content-type": "application/json"})
    assert response.status_code == 422
    assert response.json()["code"] == "request.invalid"


def test_unknown_workflow_is_404_and_writes_nothing(client):
    before = process_count()
    response = client.post("/api/processes/no_such_workflow", json=[{}])
    assert response.status_code == 404
    assert response.json() == {
        "code": "workflow.unknown",
        "message": "No workflow named 'no_such_workflow'",
        "details": {"workflow": "no_such_workflow"},
    }
    assert process_count() == before


def test_unknown_process_is_404(client):
    response = client.get("/api/processes/00000000-0000-0000-0000-000000000000")
    assert response.status_code == 404 and response.json()["code"] == "process.not_found"
    events = client.get("/api/processes/00000000-0000-0000-0000-000000000000/events")
    assert events.status_code == 404


def test_list_filters_by_workflow_and_status_and_pages(client):
    for n in range(3):
        pid = client.post("/api/processes/api_greet", json=[{"name": f"p{n}", "count": 1}]).json()["id"]
        wait_for(client, pid, {"completed"})

    page = client.get("/api/processes", params={"workflow": "api_greet", "status": "completed", "limit": 2}).json()

    assert page["total"] >= 3 and len(page["items"]) == 2
    assert {p["workflow_name"] for p in page["items"]} == {"api_greet"}
    second = client.get("/api/processes", params={"workflow": "api_greet", "limit": 2, "offset": 2}).json()
    assert not {p["process_id"] for p in page["items"]} & {p["process_id"] for p in second["items"]}
    bad = client.get("/api/processes", params={"status": "sleeping"})
    assert bad.status_code == 422 and bad.json()["details"]["fields"][0]["field"] == "query.status"


@pytest.mark.parametrize("number", [b"NaN", b"Infinity", b"-Infinity"])
def test_a_number_json_cannot_hold_is_422_naming_where_and_writes_nothing(client, number):
    """Python's JSON parser reads NaN and Infinity; Postgres cannot store them."""
    before = process_count()
    body = b'[{"name": "x", "count": 1, "extra": {"reading": ' + number + b"}}]"

    response = client.post("/api/processes/api_greet", content=body, headers={"content-type": "application/json"})

    assert response.status_code == 422, response.text
    assert response.json()["code"] == "form.invalid"
    assert [f["field"] for f in response.json()["details"]["fields"]] == ["extra.reading"]
    assert process_count() == before
