"""A step that runs longer than the lease belongs to a live executor: the reaper must not mark its
process crashed (nor give its subscription away), however long the step holds the process row.

The step's transaction holds the process row lock for the whole step; a renewal or a reap that
waits for that lock would apply only after the step, with a stale view of who is alive.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from orchestrator_core.db import transaction
from orchestrator_core.engine import lease
from orchestrator_core.engine.runner import run_process
from orchestrator_core.services.process_queries import get_process
from orchestrator_core.services.processes import create_process
from orchestrator_core.settings import app_settings
from orchestrator_core.types import ProcessStatus
from tests.leases import lease_ran_out
from tests.reliability import ledger
from tests.reliability.counted_workflows import counted_modify
from tests.waiting import wait_until


def test_a_step_longer_than_the_lease_is_not_reaped(subscription, signals, monkeypatch):
    monkeypatch.setattr(app_settings, "ORCHESTRATOR_LEASE_SECONDS", 1)
    monkeypatch.setenv("COUNTED_SIGNAL_DIR", str(signals))
    with transaction() as s:
        process_id = create_process(s, counted_modify, [{"subscription_id": str(subscription)}], "ops")

    with ThreadPoolExecutor(2) as pool:
        run = pool.submit(run_process, process_id)
        ledger.wait_for_file(signals / f"inside-{process_id}")
        wait_until(lambda: lease_ran_out(process_id), "the step outlived its 1 s lease", timeout=30)
        reaped: list = []
        reaper = threading.Thread(target=lambda: reaped.extend(lease.reap_expired()))
        reaper.start()
        reaper.join(timeout=2)
        still_waiting = reaper.is_alive()
        (signals / f"release-{process_id}").write_text("go")
        assert run.result(timeout=30) == ProcessStatus.COMPLETED
        reaper.join(timeout=10)

    assert not still_waiting, "the reaper waited for the step's row lock"
    assert process_id not in reaped
    view = get_process(process_id)
    assert view.status == "completed"
    assert view.failed_reason is None
    assert ledger.check([process_id]).clean
