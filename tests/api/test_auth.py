"""Authentication enabled: reads and writes need a valid bearer token; its user is the process's
creator; per-workflow authorization callbacks answer 403 with a code. (tests/security has the whole
matrix of bad tokens and every route.)"""

from __future__ import annotations

import pytest

from tests.api import api_workflows
from tests.api.conftest import make_token, register, wait_for


@pytest.fixture(autouse=True, scope="module")
def workflows_registered(orchestrator_database):
    register(*api_workflows.ALL)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.usefixtures("auth_enabled")
def test_unauthenticated_write_is_refused_401(client):
    response = client.post("/api/processes/api_greet", json=[{"name": "x", "count": 1}])
    assert response.status_code == 401
    assert response.json()["code"] == "auth.unauthenticated"
    assert response.headers["www-authenticate"] == "Bearer"
    for path in (
        "/api/processes/00000000-0000-0000-0000-000000000000/resume",
        "/api/processes/00000000-0000-0000-0000-000000000000/abort",
    ):
        assert client.put(path).status_code == 401


@pytest.mark.usefixtures("auth_enabled")
@pytest.mark.parametrize(
    ("token", "reason"),
    [
        (make_token(secret="another-secret-that-is-long-enough!"), "bad_signature"),
        (make_token(ttl=-10), "token_expired"),
        ("not-a-jwt", "malformed_token"),
        (make_token(roles="admin"), "invalid_claims"),
    ],
)
def test_bad_tokens_are_refused_401(client, token, reason):
    response = client.post("/api/processes/api_greet", json=[{"name": "x", "count": 1}], headers=bearer(token))
    assert response.status_code == 401
    assert response.json()["details"]["reason"] == reason


@pytest.mark.usefixtures("auth_enabled")
def test_valid_token_is_accepted_and_its_user_is_the_creator(client):
    response = client.post(
        "/api/processes/api_greet", json=[{"name": "x", "count": 1}], headers=bearer(make_token("alice"))
    )
    assert response.status_code == 201, response.text
    body = wait_for(client, response.json()["id"], {"completed", "failed"})
    assert body["created_by"] == "alice"
    assert body["steps"][0]["created_by"] == "alice"


@pytest.mark.usefixtures("auth_enabled")
def test_reads_need_a_token_too_but_health_does_not(client):
    """As in the reference: only health is open."""
    for path in ("/api/processes", "/api/subscriptions"):
        assert client.get(path).status_code == 401
        assert client.get(path, headers=bearer(make_token())).status_code == 200
    assert client.get("/api/health").status_code == 200


@pytest.mark.usefixtures("auth_enabled")
def test_authorize_callback_refuses_start_with_403(client):
    refused = client.post("/api/processes/api_admin_only", headers=bearer(make_token("bob")))
    assert refused.status_code == 403
    assert refused.json()["code"] == "auth.forbidden"
    assert refused.json()["details"]["reason"] == "start_not_authorized"
    allowed = client.post("/api/processes/api_admin_only", headers=bearer(make_token("admin")))
    assert allowed.status_code == 201
    wait_for(client, allowed.json()["id"], {"completed", "failed"})


@pytest.mark.usefixtures("auth_enabled")
def test_retry_auth_callback_is_honoured_on_resume(client):
    """The workflow's retry callback defaults to its authorize callback, as in the reference."""
    api_workflows.FLAKY["fail"] = True
    pid = client.post("/api/processes/api_flaky", headers=bearer(make_token("carol"))).json()["id"]
    wait_for(client, pid, {"failed"})
    api_workflows.FLAKY["fail"] = False
    assert client.put(f"/api/processes/{pid}/resume").status_code == 401
    assert client.put(f"/api/processes/{pid}/resume", headers=bearer(make_token("carol"))).status_code == 204
    assert wait_for(client, pid, {"completed", "failed"})["status"] == "completed"


def test_with_auth_disabled_writes_need_no_token(client):
    response = client.post("/api/processes/api_greet", json=[{"name": "x", "count": 1}])
    assert response.status_code == 201
    assert wait_for(client, response.json()["id"], {"completed", "failed"})["created_by"] == "SYSTEM"
