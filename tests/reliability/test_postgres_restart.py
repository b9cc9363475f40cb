"""A real restart of the Postgres cluster while a step is inside its transaction.

The cluster is shared with everyone's tests on this machine, so this one test runs only where
ORCHESTRATOR_TEST_POSTGRES_RESTART=1 (CI sets it, .ci/run); it takes a few seconds.
"""

from __future__ import annotations

import os
import subprocess
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa

from orchestrator_core.db import transaction
from orchestrator_core.engine import lease
from orchestrator_core.engine.runner import run_process
from orchestrator_core.services.process_queries import get_process
from orchestrator_core.services.processes import create_process
from orchestrator_core.settings import app_settings
from orchestrator_core.types import ProcessStatus
from tests.reliability import ledger
from tests.reliability.counted_workflows import counted_modify
from tests.waiting import wait_until

pytestmark = [
    pytest.mark.postgres_restart,
    pytest.mark.skipif(os.environ.get("ORCHESTRATOR_TEST_POSTGRES_RESTART") != "1",
                       reason="restarts the shared Postgres cluster; set ORCHESTRATOR_TEST_POSTGRES_RESTART=1"),
]


def _postgres_back(timeout: float = 60) -> None:
    def answers() -> bool:
        try:
            with transaction() as s:
                return s.execute(sa.text("SELECT 1")).scalar_one() == 1
        except sa.exc.OperationalError:
            return False

    wait_until(answers, "Postgres answers again", timeout, interval=0.3)


def test_postgres_restart_during_a_step(subscription, signals, monkeypatch):
    monkeypatch.setattr(app_settings, "ORCHESTRATOR_LEASE_SECONDS", 1)
    monkeypatch.setenv("COUNTED_SIGNAL_DIR", str(signals))
    with transaction() as s:
        process_id = create_process(s, counted_modify, [{"subscription_id": str(subscription)}], "ops")

    with ThreadPoolExecutor(1) as pool:
        run = pool.submit(run_process, process_id)
        ledger.wait_for_file(signals / f"inside-{process_id}")
        subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", "15", "main", "restart"], check=True)
        (signals / f"release-{process_id}").write_text("go")
        run.result(timeout=60)
    _postgres_back()

    def stopped_running() -> bool:  # failed at once if recording worked, else crashed once the lease ran out
        lease.reap_expired()
        return get_process(process_id, with_steps=False).status != "running"

    wait_until(stopped_running, "the process stopped running", 15, interval=0.3)
    view = get_process(process_id, with_steps=False)
    assert view.status in ("failed", "crashed"), view
    assert "database" in (view.failed_reason or ""), view.failed_reason
    assert ledger.effects_of(process_id) == ["Counted 1", "Counted 2"]

    assert run_process(process_id) == ProcessStatus.COMPLETED
    assert ledger.effects_of(process_id) == ["Counted 1", "Counted 2", "Hold", "Counted 3"]
    assert ledger.check([process_id]).clean
    assert ledger.locked_subscriptions([subscription]) == []
