"""Prefect unreachable. At a start, the API answers 503 and writes nothing (no process row, no
lock). While a worker runs a process, losing Prefect leaves our step log consistent, and once
Prefect is back a resume completes the process (our database, not Prefect, is the record)."""

from __future__ import annotations

import httpx
import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from prefect.settings import PREFECT_API_URL, temporary_settings

from orchestrator_core.api.app import create_app
from orchestrator_core.db import ProcessTable, transaction
from orchestrator_core.devtools import free_port
from orchestrator_core.errors import ExecutorUnavailableError
from orchestrator_core.services.process_queries import get_process
from orchestrator_core.services.processes import resume_process, start_process
from tests.guard import factories
from tests.reliability import ledger
from tests.waiting import wait_until


def _process_count() -> int:
    with transaction() as s:
        return s.execute(sa.select(sa.func.count()).select_from(ProcessTable)).scalar_one()


def test_start_with_prefect_unreachable_answers_503_and_writes_nothing(served, subscription):
    before = _process_count()
    with temporary_settings({PREFECT_API_URL: f"http://127.0.0.1:{free_port()}/api"}):
        answer = TestClient(create_app(import_workflows=False)).post(
            "/api/processes/counted_modify", json=[{"subscription_id": str(subscription)}])

    assert answer.status_code == 503, answer.text
    assert answer.json()["code"] == "prefect.unavailable"
    assert "unreachable" in answer.json()["message"]
    assert _process_count() == before
    assert ledger.locked_subscriptions([subscription]) == []


def test_worker_losing_prefect_mid_run_keeps_the_log(served, make_worker, subscription, counted_product, signals):
    """Task states travel as events, so the run finishes on our database alone; the worker then
    keeps serving once Prefect is back."""
    worker = make_worker(PREFECT_CLIENT_MAX_RETRIES="1")
    process_id = start_process("counted_modify", [{"subscription_id": str(subscription)}], "ops", wait=False)
    ledger.wait_for_file(signals / f"inside-{process_id}", log=worker.log_tail)

    served.stop()
    try:
        (signals / f"release-{process_id}").write_text("go")
        ledger.wait_for_status(process_id, {"completed"}, log=worker.log_tail)
    finally:
        served.start()

    assert ledger.effects_of(process_id) == ["Counted 1", "Counted 2", "Hold", "Counted 3"]
    assert ledger.check([process_id]).clean
    assert ledger.locked_subscriptions([subscription]) == []
    flow_run_id = get_process(process_id, with_steps=False).flow_run_id
    assert wait_for_flow_run_state(served.api_url, flow_run_id, "COMPLETED") == "COMPLETED"  # the worker told Prefect

    other = factories.subscription(counted_product)
    next_id = start_process("counted_modify", [{"subscription_id": str(other)}], "ops", wait=False)
    (signals / f"release-{next_id}").write_text("go")
    ledger.wait_for_status(next_id, {"completed"}, log=worker.log_tail)
    assert worker.alive()


def wait_for_flow_run_state(api_url: str, flow_run_id, wanted: str, timeout: float = 60) -> str:
    def state() -> str:
        return httpx.get(f"{api_url}/flow_runs/{flow_run_id}").json()["state"]["type"]

    wait_until(lambda: state() == wanted, lambda: f"flow run {flow_run_id} is {wanted}, not {state()}", timeout,
               interval=0.5)
    return state()


def test_resume_while_prefect_unreachable_is_refused_and_changes_nothing(served, make_worker, subscription,
                                                                         signals):
    worker = make_worker()
    process_id = start_process("counted_modify", [{"subscription_id": str(subscription)}], "ops", wait=False)
    ledger.wait_for_file(signals / f"inside-{process_id}", log=worker.log_tail)
    worker.kill()
    ledger.reap_until_crashed(process_id)

    with temporary_settings({PREFECT_API_URL: f"http://127.0.0.1:{free_port()}/api"}), \
            pytest.raises(ExecutorUnavailableError):
        resume_process(process_id, user="ops", wait=False)

    view = get_process(process_id, with_steps=False)
    assert view.status == "crashed" and "lease" in (view.failed_reason or "")
    worker = make_worker()
    resume_process(process_id, user="ops", wait=False)
    ledger.wait_for_status(process_id, {"completed"}, log=worker.log_tail)
    assert ledger.effects_of(process_id) == ["Counted 1", "Counted 2", "Hold", "Counted 3"]
    assert ledger.check([process_id]).clean
