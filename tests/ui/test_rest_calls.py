"""orchestrator-ui's REST calls and its event WebSocket, against our app over real HTTP.

Each call is made as the UI (8.8.2, `rtk/endpoints/`) makes it, at the reference's path, and must answer
with the status and the keys the UI reads. Requests with an `Origin` header are the UI's (a browser);
without one they are our other clients', which keep our own statuses.
"""

from __future__ import annotations

import json
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import ClientConnection, connect
from websockets.typing import Subprotocol

from flows.node_enrollment.clients import NETWORK
from orchestrator_core.api.app import create_app
from orchestrator_core.db import ProcessTable, transaction
from orchestrator_core.db.subscription_tables import SubscriptionTable
from orchestrator_core.forms import FormPage
from orchestrator_core.migrations.helpers import get_product_id_by_name
from orchestrator_core.services.process_search import subscriptions_of
from orchestrator_core.services.processes import start_process
from orchestrator_core.settings import app_settings
from orchestrator_core.types import State
from orchestrator_core.workflow import StepList, begin, done, init, inputstep, step, workflow
from orchestrator_core.workflows.utils import task
from tests.api.conftest import JWT_SECRET, make_token, wait_for
from tests.guard import factories
from tests.http_server import serving
from tests.waiting import wait_until

UI = "http://orchestrator-ui.example.net:3000"
CUSTOMER = f"ui-rest-{uuid.uuid4().hex[:8]}"
ATTEMPTS: Counter[str] = Counter()


class Confirmation(FormPage):
    confirmed: bool
    ticket: int


@inputstep("Confirm the change")
def confirm() -> Any:
    user_input = yield Confirmation
    return user_input.model_dump()


@workflow("Waits for a confirmation (UI REST tests)")
def ui_rest_confirmation() -> StepList:
    return init >> confirm >> done


@step("Fail at the first attempt")
def fail_once(process_id: str) -> State:
    ATTEMPTS[process_id] += 1
    if ATTEMPTS[process_id] == 1:
        raise RuntimeError("the first attempt fails")
    return {"attempts": ATTEMPTS[process_id]}


@task("Fails at its first attempt (UI REST tests)")
def task_ui_rest_flaky() -> StepList:
    return begin >> fail_once


@dataclass(frozen=True)
class Demo:
    url: str
    product: str
    active: str
    provisioning: str


def _enroll(product_id: str, node: str, active: bool) -> str:
    page = {"customer_id": CUSTOMER, "select_node": node, "role_id": "core", "url": f"https://{node}.example.net"}
    created = start_process("create_node_enrollment", [{"product": product_id}, page], "alice")
    sid = str(subscriptions_of(created)[0])
    for name in ("provision_node_enrollment", "modify_node_enrollment") if active else ():
        start_process(name, [{"subscription_id": sid}], "bob")
    return sid


@pytest.fixture(scope="module")
def demo(orchestrator_database: str) -> Iterator[Demo]:
    NETWORK.reset()
    with transaction() as session:
        product_id = str(get_product_id_by_name(session, "Node Enrollment"))
    active = _enroll(product_id, "ams-rt1", active=True)
    provisioning = _enroll(product_id, "lon-rt1", active=False)
    with serving(create_app()) as url:
        yield Demo(url, product_id, active, provisioning)
    NETWORK.reset()


@pytest.fixture
def client(demo: Demo) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=demo.url, timeout=30) as c:
        yield c


@pytest.fixture
def ui(demo: Demo, monkeypatch: pytest.MonkeyPatch) -> Iterator[httpx.Client]:
    """A browser on orchestrator-ui's origin, which is configured (ORCHESTRATOR_CORS_ORIGINS)."""
    monkeypatch.setattr(app_settings, "ORCHESTRATOR_CORS_ORIGINS", [UI])
    with httpx.Client(base_url=demo.url, timeout=30, headers={"Origin": UI}) as c:
        yield c


# settings, translations


def test_engine_status_is_running_and_a_global_pause_is_refused(ui: httpx.Client) -> None:
    status = ui.get("/api/settings/status")
    assert status.status_code == 200
    assert status.json()["global_status"] == "RUNNING" and isinstance(status.json()["running_processes"], int)
    assert ui.put("/api/settings/status", json={"global_lock": False}).json()["global_status"] == "RUNNING"
    pause = ui.put("/api/settings/status", json={"global_lock": True})
    assert pause.status_code == 409 and pause.json()["code"] == "engine.pause_not_supported"
    assert pause.json()["detail"]
    assert ui.get("/api/settings/status").json()["global_status"] == "RUNNING"
    assert ui.get("/api/settings/cache-names").json() == {}


def test_translations(ui: httpx.Client) -> None:
    answer = ui.get("/api/translations/en-GB")
    assert answer.status_code == 200 and answer.json()["forms"]["fields"] == {}
    assert ui.get("/api/translations/..%2Fetc").status_code in (404, 422)


# processes


def _crashed_process() -> str:
    """A failed task marked crashed, as the lease reaper marks one whose executor died."""
    pid = start_process("task_ui_rest_flaky", [{}], "carol", register=True)
    with transaction() as session:
        session.execute(sa.update(ProcessTable).where(ProcessTable.process_id == pid).values(last_status="crashed"))
    return str(pid)


def test_status_counts_are_answered_with_crashed_counted_as_failed(ui: httpx.Client) -> None:
    before = ui.get("/api/processes/status-counts")
    assert before.status_code == 200, before.text  # was a 422: the word was read as a process id
    assert set(before.json()) == {"process_counts", "task_counts"}
    assert before.json()["process_counts"]["completed"] >= 4
    _crashed_process()
    after = ui.get("/api/processes/status-counts").json()
    assert "crashed" not in after["task_counts"]
    assert after["task_counts"]["failed"] == before.json()["task_counts"].get("failed", 0) + 1


def test_a_crashed_process_shows_as_failed_in_the_uis_graphql(ui: httpx.Client) -> None:
    pid = _crashed_process()
    document = 'query($id: String!) { processes(filterBy: {field: "processId", value: $id}) { page { lastStatus } } }'
    found = ui.post("/api/graphql", json={"query": document, "variables": {"id": pid}}).json()
    assert found["data"]["processes"]["page"] == [{"lastStatus": "FAILED"}]
    assert ui.get(f"/api/processes/{pid}").json()["status"] == "crashed"  # our own API keeps our word


def test_resume_all_retries_the_failed_tasks(ui: httpx.Client, client: httpx.Client) -> None:
    failed = str(start_process("task_ui_rest_flaky", [{}], "carol", register=True))
    assert client.get(f"/api/processes/{failed}").json()["status"] == "failed"
    answer = ui.put("/api/processes/resume-all")
    assert answer.status_code == 200, answer.text
    assert answer.json()["count"] >= 1
    assert wait_for(client, failed, {"completed"})["status"] == "completed"


def test_a_task_can_be_deleted_and_a_workflows_process_cannot(ui: httpx.Client, client: httpx.Client) -> None:
    failed = str(start_process("task_ui_rest_flaky", [{}], "carol", register=True))
    assert ui.delete(f"/api/processes/{failed}").status_code == 204
    assert client.get(f"/api/processes/{failed}").status_code == 404
    kept = client.get("/api/processes", params={"workflow": "create_node_enrollment", "limit": 1}).json()
    workflow_process = kept["items"][0]["process_id"]
    refused = ui.delete(f"/api/processes/{workflow_process}")
    assert refused.status_code == 400 and refused.json()["code"] == "process.not_a_task"
    assert client.get(f"/api/processes/{workflow_process}").status_code == 200
    assert ui.delete(f"/api/processes/{uuid.uuid4()}").status_code == 404


def test_a_process_note_is_set_and_cleared(ui: httpx.Client, client: httpx.Client) -> None:
    some = client.get("/api/processes", params={"limit": 1}).json()["items"][0]["process_id"]
    answer = ui.patch(f"/api/processes/{some}", json={"note": "look at this"})
    assert answer.status_code == 200, answer.text
    assert client.get(f"/api/processes/{some}").json()["note"] == "look at this"
    document = 'query($id: String!) { processes(filterBy: {field: "processId", value: $id}) { page { note } } }'
    found = ui.post("/api/graphql", json={"query": document, "variables": {"id": some}}).json()
    assert found["data"]["processes"]["page"] == [{"note": "look at this"}]
    assert ui.patch(f"/api/processes/{some}", json={"note": None}).json()["note"] is None
    assert ui.patch(f"/api/processes/{uuid.uuid4()}", json={"note": "x"}).status_code == 404


def test_raw_process_detail_has_the_current_state_the_delta_view_reads(ui: httpx.Client, demo: Demo) -> None:
    modify = ui.get("/api/processes", params={"subscription": demo.active, "workflow": "modify_node_enrollment"})
    detail = ui.get(f"/api/processes/{modify.json()['items'][0]['process_id']}").json()
    state = detail["current_state"]
    assert state["subscription"]["subscription_id"] == demo.active
    assert demo.active in state["__old_subscriptions__"]


# forms


def test_a_form_that_needs_more_input_is_510_with_the_page_at_the_top(ui: httpx.Client, client: httpx.Client,
                                                                      demo: Demo) -> None:
    answer = ui.post("/api/processes/create_node_enrollment", json=[{"product": demo.product}])
    assert answer.status_code == 510
    body = answer.json()
    assert "customer_id" in body["form"]["properties"] and "meta" in body
    assert body["details"]["form"] == body["form"]  # ours as well
    assert client.post("/api/processes/create_node_enrollment", json=[{"product": demo.product}]).status_code == 510


def test_invalid_input_is_400_with_validation_errors_for_the_ui(ui: httpx.Client, client: httpx.Client,
                                                                demo: Demo) -> None:
    pages = [{"product": demo.product}, {"customer_id": CUSTOMER, "select_node": "ams-rt2", "role_id": "core",
                                         "url": "not a url"}]
    answer = ui.post("/api/processes/create_node_enrollment", json=pages)
    assert answer.status_code == 400, answer.text
    errors = answer.json()["validation_errors"]
    assert any(e["loc"] == ["url"] and e["msg"] and e["type"] for e in errors), errors
    assert client.post("/api/processes/create_node_enrollment", json=pages).status_code == 422


def test_a_start_the_guard_refuses_is_412_with_a_detail(ui: httpx.Client, client: httpx.Client, demo: Demo) -> None:
    page = [{"subscription_id": demo.active}]  # the demo's modify runs on provisioning subscriptions only
    answer = ui.post("/api/processes/modify_node_enrollment", json=page)
    assert answer.status_code == 412, answer.text
    assert "active" in answer.json()["detail"] and answer.json()["code"] == "subscription.invalid_lifecycle"
    assert client.post("/api/processes/modify_node_enrollment", json=page).status_code == 409


def test_a_suspended_process_offers_its_form_and_is_resumed_through_it(ui: httpx.Client, client: httpx.Client) -> None:
    pid = str(start_process("ui_rest_confirmation", [{}], "carol", register=True))
    detail = client.get(f"/api/processes/{pid}").json()
    assert detail["status"] == "suspended"
    assert {"confirmed", "ticket"} <= set(detail["form"]["properties"])
    refused = ui.put(f"/api/processes/{pid}/resume", json=[{"confirmed": True, "ticket": "not a number"}])
    assert refused.status_code == 400 and refused.json()["validation_errors"][0]["loc"] == ["ticket"]
    assert ui.put(f"/api/processes/{pid}/resume", json=[{"confirmed": True, "ticket": 42}]).status_code == 204
    assert wait_for(client, pid, {"completed"})["status"] == "completed"
    assert client.get(f"/api/processes/{pid}").json()["form"] is None


# subscriptions


def test_subscription_workflows_by_id_in_the_reference_shape(ui: httpx.Client, demo: Demo) -> None:
    active = ui.get(f"/api/subscriptions/workflows/{demo.active}")
    assert active.status_code == 200, active.text
    body = active.json()
    assert {"create", "modify", "terminate", "system", "validate", "reconcile"} <= set(body)
    modify = {w["name"]: w for w in body["modify"]}
    assert "reason" not in modify["modify_note"] and modify["modify_note"]["description"]
    refused = modify["modify_node_enrollment"]  # the demo's modify runs on provisioning subscriptions only
    assert refused["reason"] == "subscription.no_modify_invalid_status"
    assert (refused["status"], refused["usable_when"], refused["action"]) == ("active", ["provisioning"], "modified")
    provisioning = ui.get(f"/api/subscriptions/workflows/{demo.provisioning}").json()
    assert "reason" not in {w["name"]: w for w in provisioning["modify"]}["modify_node_enrollment"]
    assert ui.get(f"/api/subscriptions/workflows/{uuid.uuid4()}").status_code == 404


def test_set_in_sync_refuses_while_a_process_holds_the_subscription(ui: httpx.Client, demo: Demo) -> None:
    from orchestrator_core.workflow import get_workflow

    sid = uuid.UUID(demo.provisioning)
    with transaction() as session:
        session.execute(sa.update(SubscriptionTable).where(SubscriptionTable.subscription_id == sid)
                        .values(insync=False))
    holder = factories.holding_process(get_workflow("modify_node_enrollment"), sid, status="failed")
    refused = ui.put(f"/api/subscriptions/{sid}/set_in_sync")
    assert refused.status_code == 422 and str(holder) in refused.json()["detail"]
    assert factories.subscription_state(sid)[1] is False
    with transaction() as session:
        session.execute(sa.update(ProcessTable).where(ProcessTable.process_id == holder).values(last_status="aborted"))
    assert ui.put(f"/api/subscriptions/{sid}/set_in_sync").status_code == 200
    assert factories.subscription_state(sid)[1] is True
    assert ui.put(f"/api/subscriptions/{uuid.uuid4()}/set_in_sync").status_code == 404


# the event WebSocket


def _ws(demo: Demo, token: str | None = None, origin: str | None = None) -> ClientConnection:
    protocols = [Subprotocol("base64.bearer.token"), Subprotocol(token)] if token else None
    return connect(demo.url.replace("http", "ws") + "/api/ws/events", subprotocols=protocols,
                   origin=origin, proxy=None, open_timeout=10)  # type: ignore[arg-type]


def _messages_until(ws: ClientConnection, wanted: dict[str, str], timeout: float = 60) -> list[dict[str, Any]]:
    seen: list[dict[str, Any]] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        message = json.loads(ws.recv(timeout=max(0.1, deadline - time.monotonic())))
        seen.append(message)
        if message == {"name": "invalidateCache", "value": wanted}:
            return seen
    raise AssertionError(f"no {wanted} among {seen}")


def test_the_websocket_answers_pings_and_invalidates_a_changed_process(demo: Demo, client: httpx.Client) -> None:
    with _ws(demo) as ws:
        ws.send("__ping__")
        assert ws.recv(timeout=10) == "__pong__"
        started = client.post("/api/processes/modify_note", json=[{"subscription_id": demo.active}, {"note": "ws"}])
        assert started.status_code == 201, started.text
        pid = started.json()["id"]
        seen = _messages_until(ws, {"type": "processes", "id": pid})
        wait_for(client, pid, {"completed"})
        seen += _messages_until(ws, {"type": "subscriptions", "id": demo.active})
    values = [m["value"] for m in seen]
    assert {"type": "processes", "id": "LIST"} in values and {"type": "processStatusCounts"} in values


def test_the_websocket_needs_a_token_when_auth_is_on(demo: Demo, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app_settings, "ORCHESTRATOR_AUTH_DISABLED", False)
    monkeypatch.setattr(app_settings, "ORCHESTRATOR_JWT_SECRET", JWT_SECRET)
    with pytest.raises(InvalidStatus) as refused:
        _ws(demo)
    assert refused.value.response.status_code == 403
    with pytest.raises(InvalidStatus):
        _ws(demo, token="not-a-jwt")
    with _ws(demo, token=make_token("dave")) as ws:
        assert ws.subprotocol == "base64.bearer.token"
        ws.send("__ping__")
        assert ws.recv(timeout=10) == "__pong__"


def test_the_websocket_refuses_a_foreign_origin_and_serves_a_configured_one(
    demo: Demo, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(InvalidStatus) as refused:
        _ws(demo, origin="http://evil.example")
    assert refused.value.response.status_code == 403
    monkeypatch.setattr(app_settings, "ORCHESTRATOR_CORS_ORIGINS", [UI])
    with _ws(demo, origin=UI) as ws:
        ws.send("__ping__")
        assert ws.recv(timeout=10) == "__pong__"


def test_with_auth_on_the_uis_rest_calls_need_a_token(ui: httpx.Client, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app_settings, "ORCHESTRATOR_AUTH_DISABLED", False)
    monkeypatch.setattr(app_settings, "ORCHESTRATOR_JWT_SECRET", JWT_SECRET)
    for path in ("/api/settings/status", "/api/processes/status-counts", "/api/translations/en-GB"):
        assert ui.get(path).status_code == 401, path
    headers = {"Authorization": f"Bearer {make_token('dave')}"}
    assert ui.get("/api/settings/status", headers=headers).status_code == 200


def test_the_websocket_is_closed_when_its_token_expires(demo: Demo, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app_settings, "ORCHESTRATOR_AUTH_DISABLED", False)
    monkeypatch.setattr(app_settings, "ORCHESTRATOR_JWT_SECRET", JWT_SECRET)
    with _ws(demo, token=make_token("erin", ttl=2)) as ws:
        with pytest.raises(ConnectionClosed) as closed:
            while True:
                ws.recv(timeout=30)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 1001


def test_the_websocket_counts_against_the_event_stream_limits(demo: Demo, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app_settings, "ORCHESTRATOR_SSE_MAX_STREAMS_PER_CLIENT", 1)
    with _ws(demo) as first:
        with pytest.raises(InvalidStatus) as refused:
            _ws(demo)
        assert refused.value.response.status_code == 403
        first.send("__ping__")
        assert first.recv(timeout=10) == "__pong__"

    def connects() -> bool:
        try:
            _ws(demo).close()
        except InvalidStatus:
            return False
        return True

    wait_until(connects, "the slot given back when the first connection ended", timeout=10)
