"""Our authentication on and Prefect's API open is the unsafe combination: anyone who reaches Prefect
could act on our processes. `orchestrator worker` and `orchestrator serve` in served mode refuse to start
in it, with one line that says what to do, unless an operator sets ORCHESTRATOR_ALLOW_OPEN_PREFECT_API.
"Open" is measured: Prefect answers a protected read without credentials."""

from __future__ import annotations

import subprocess

import pytest
from prefect.settings import PREFECT_API_AUTH_STRING, PREFECT_API_URL, temporary_settings

from orchestrator_core.devtools import BIN
from orchestrator_core.services.authorization import (
    PrefectApiOpenError,
    PrefectCredentialsRefusedError,
    check_prefect_door,
)
from orchestrator_core.settings import app_settings
from tests.served_stack import ROOT, secured_settings, served_env


@pytest.fixture
def served_with_auth(monkeypatch):
    """This process as `orchestrator serve` runs it: served mode, our authentication on."""
    monkeypatch.setattr(app_settings, "ORCHESTRATOR_EXECUTION_MODE", "served")
    monkeypatch.setattr(app_settings, "ORCHESTRATOR_AUTH_DISABLED", False)


def test_the_worker_refuses_to_start_with_our_auth_on_and_prefect_open(prefect_api, orchestrator_database,
                                                                       tmp_path):
    env = served_env(prefect_api, orchestrator_database, tmp_path, ORCHESTRATOR_AUTH_DISABLED="false",
                     ORCHESTRATOR_JWT_SECRET="a-secret-of-enough-length-for-hs256-use")
    env.pop("PREFECT_API_AUTH_STRING", None)
    env.pop("ORCHESTRATOR_ALLOW_OPEN_PREFECT_API", None)

    worker = subprocess.run([str(BIN / "orchestrator"), "worker"], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=120)

    assert worker.returncode == 2, worker.stdout + worker.stderr
    output = (worker.stdout + worker.stderr).strip()
    assert "Traceback" not in output and len(output.splitlines()) == 1, output
    assert f"Prefect's API at {prefect_api} answers without credentials" in output
    assert "PREFECT_SERVER_API_AUTH_STRING" in output and "ORCHESTRATOR_ALLOW_OPEN_PREFECT_API=true" in output


def test_the_same_check_refuses_serve_and_an_operator_may_override_it(prefect_api, served_with_auth, monkeypatch):
    with temporary_settings({PREFECT_API_URL: prefect_api}):
        with pytest.raises(PrefectApiOpenError):
            check_prefect_door()

        monkeypatch.setattr(app_settings, "ORCHESTRATOR_ALLOW_OPEN_PREFECT_API", True)
        check_prefect_door()

        monkeypatch.setattr(app_settings, "ORCHESTRATOR_ALLOW_OPEN_PREFECT_API", False)
        monkeypatch.setattr(app_settings, "ORCHESTRATOR_AUTH_DISABLED", True)  # the local developer's stack
        check_prefect_door()


def test_an_authenticating_prefect_passes_and_wrong_credentials_are_refused(secured_prefect, served_with_auth):
    ours = secured_settings(secured_prefect)["PREFECT_API_AUTH_STRING"]
    with temporary_settings({PREFECT_API_URL: secured_prefect["api"], PREFECT_API_AUTH_STRING: ours}):
        check_prefect_door()
    for wrong in (f"{ours}-not", None):
        with temporary_settings({PREFECT_API_URL: secured_prefect["api"], PREFECT_API_AUTH_STRING: wrong}):
            with pytest.raises(PrefectCredentialsRefusedError, match="PREFECT_API_AUTH_STRING"):
                check_prefect_door()
