"""A process our services accepted is never left `created` without an executor: a dispatch that fails,
an executor that dies with the process still queued, and (served) a flow run Prefect never hands to a
worker all end in `failed` with a readable reason, the subscription lock given up by the crash rule,
and a resume that runs the process to the end (taking the lock back)."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from datetime import timedelta

import httpx
import sqlalchemy as sa
from prefect.settings import PREFECT_API_URL, temporary_settings

from orchestrator_core.db import ProcessTable, transaction
from orchestrator_core.db.subscription_tables import SubscriptionTable
from orchestrator_core.devtools import free_port
from orchestrator_core.engine import deployments, lease, reconcile
from orchestrator_core.services.processes import resume_process, start_process
from orchestrator_core.settings import app_settings
from tests.execution import serve_under_test as sut
from tests.execution.quick_workflows import quick_modify
from tests.guard import factories
from tests.waiting import wait_until


def _process(process_id: uuid.UUID) -> tuple[str, str | None]:
    with transaction() as s:
        row = s.get_one(ProcessTable, process_id)
        return row.last_status, row.failed_reason


def _insync(subscription_id: uuid.UUID) -> bool:
    with transaction() as s:
        return bool(s.execute(sa.select(SubscriptionTable.insync)
                              .where(SubscriptionTable.subscription_id == subscription_id)).scalar_one())


def _subscription() -> uuid.UUID:
    product = factories.product()
    factories.register(quick_modify, product)
    return factories.subscription(product)


def test_a_start_whose_embedded_dispatch_fails_is_failed_with_the_reason_and_unlocked(fresh_database, subscriptions,
                                                                                      tmp_path):
    """`serve` pointed at a Prefect that is down: the start is accepted (201), its run cannot reach
    Prefect, and the process says so instead of staying `created` with its subscription locked."""
    subscriptions = subscriptions[:1]
    dead_prefect = f"http://127.0.0.1:{free_port()}/api"
    env = sut.serve_env(fresh_database, tmp_path / "prefect-home", PREFECT_API_URL=dead_prefect,
                        PREFECT_CLIENT_MAX_RETRIES="1")
    with sut.serving_subprocess(env, tmp_path / "serve.log") as served:
        sut.wait_ready(served)
        with httpx.Client(base_url=served.url, timeout=30) as client:
            started = client.post(f"/api/processes/{sut.WORKFLOW}", json=[{"subscription_id": str(subscriptions[0])}])
            assert started.status_code == 201, started.text
            process_id = started.json()["id"]

            def ended() -> bool:
                return sut.processes_table(fresh_database, [process_id])[process_id][0] != "created"

            wait_until(ended, "the undispatched process left `created`", timeout=300)
            shown = client.get(f"/api/processes/{process_id}").json()
    status, reason = sut.processes_table(fresh_database, [process_id])[process_id]
    assert status == "failed", served.log_text()[-3000:]
    assert reason is not None and reason.startswith("could not be dispatched: ") and "resume it" in reason
    assert "Failed to reach API" in reason or "ConnectError" in reason, reason
    assert shown["failed_reason"] == reason  # what the operator sees
    assert sut.locked_subscriptions(fresh_database, subscriptions) == []


CHILD = """
import os, signal, sys
from orchestrator_core.db import database, transaction
database.configure(sys.argv[1])
from orchestrator_core.services import dispatch, processes
from tests.execution.quick_workflows import quick_modify
with transaction() as session:  # what start_process commits before it hands the process to the pool
    process_id = processes.create_process(session, quick_modify, [{"subscription_id": sys.argv[2]}], "test")
    dispatch.prepare_start(session, quick_modify, process_id)
print(process_id, flush=True)
os.kill(os.getpid(), signal.SIGKILL)  # dies before any thread ran it
"""


def test_a_process_queued_by_an_executor_that_died_is_failed_with_the_reason_and_resumable(orchestrator_database):
    subscription = _subscription()
    env = {**os.environ, "ORCHESTRATOR_LEASE_SECONDS": "1", "ORCHESTRATOR_EXECUTION_MODE": "embedded",
           "PYTHONPATH": str(sut.ROOT)}
    child = subprocess.run([sys.executable, "-c", CHILD, orchestrator_database, str(subscription)], cwd=sut.ROOT,
                           env=env, capture_output=True, text=True, timeout=120)
    assert child.returncode == -9, child.stderr[-3000:]
    process_id = uuid.UUID(child.stdout.strip().splitlines()[-1])
    assert _process(process_id)[0] == "created" and not _insync(subscription)

    def reaped() -> bool:
        lease.reap_expired()
        return _process(process_id)[0] != "created"

    wait_until(reaped, "the reaper found the orphaned queued process", timeout=30)
    status, reason = _process(process_id)
    assert status == "failed"
    assert reason is not None and reason.startswith("could not be dispatched: the executor that accepted it")
    assert "stopped before running it" in reason and "resume it" in reason
    assert _insync(subscription), "its lock is given up, as a crashed process's"

    resume_process(process_id, user="operator")
    assert _process(process_id) == ("completed", None)
    assert _insync(subscription)


def test_a_served_start_no_worker_takes_is_failed_with_the_reason_and_its_flow_run_cancelled(
        orchestrator_database, prefect_api, monkeypatch):
    from prefect.states import Cancelled

    monkeypatch.setattr(app_settings, "ORCHESTRATOR_EXECUTION_MODE", "served")
    never_polled, cancelled_in_prefect = _subscription(), _subscription()
    with temporary_settings({PREFECT_API_URL: prefect_api}):
        deployments.ensure_deployments({quick_modify.name: quick_modify})  # served by no worker
        first = start_process(quick_modify.name, [{"subscription_id": str(never_polled)}], "test", wait=False)
        second = start_process(quick_modify.name, [{"subscription_id": str(cancelled_in_prefect)}], "test",
                               wait=False)
        with deployments.prefect_client() as client:
            with transaction() as s:
                second_run = s.get_one(ProcessTable, second).flow_run_id
            client.set_flow_run_state(second_run, Cancelled(message="cancelled in the Prefect UI"), force=True)
            assert _process(first)[0] == "created" and not _insync(never_polled)

            def recovered() -> bool:
                reconcile.recover_undispatched(client, timedelta(0))
                return _process(first)[0] != "created" and _process(second)[0] != "created"

            wait_until(recovered, "both undispatched processes were recovered", timeout=30)
            with transaction() as s:
                first_run = s.get_one(ProcessTable, first).flow_run_id
            first_state = client.read_flow_run(first_run).state

    status, reason = _process(first)
    assert status == "failed" and reason is not None
    assert reason.startswith("could not be dispatched: no worker has polled deployment") and "resume it" in reason
    assert first_state is not None and first_state.type.value == "CANCELLED"  # no late worker runs it
    status, reason = _process(second)
    assert status == "failed" and reason is not None and "ended Cancelled in Prefect" in reason
    assert _insync(never_polled) and _insync(cancelled_in_prefect)
