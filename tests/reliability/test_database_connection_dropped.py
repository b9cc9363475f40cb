"""The database drops a step's connection mid-step (as on a Postgres restart or a network cut): the
step is rolled back, the process ends resumable with a reason an operator can read, and a resume
completes it. Only this test's backend is terminated, so the shared server is left alone."""

from __future__ import annotations

import sqlalchemy as sa

from orchestrator_core.db import transaction
from orchestrator_core.services.process_queries import get_process
from orchestrator_core.services.processes import resume_process, start_process
from tests.reliability import ledger


def test_connection_dropped_during_a_step(served, make_worker, subscription, signals):
    worker = make_worker()
    process_id = start_process("counted_modify", [{"subscription_id": str(subscription)}], "ops", wait=False)
    backend = int(ledger.wait_for_file(signals / f"inside-{process_id}", log=worker.log_tail))

    with transaction() as s:
        assert s.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": backend}).scalar_one()
    (signals / f"release-{process_id}").write_text("go")

    status = ledger.wait_for_status(process_id, {"failed", "crashed"}, log=worker.log_tail)
    view = get_process(process_id)
    assert ledger.effects_of(process_id) == ["Counted 1", "Counted 2"]  # Hold rolled back
    assert view.last_step == "Hold" if status == "failed" else "Counted 2"
    reason = view.failed_reason or ""
    assert "database connection" in reason and "'Hold'" in reason and "rolled back" in reason, reason
    assert "Traceback" not in reason

    resume_process(process_id, user="ops", wait=False)

    ledger.wait_for_status(process_id, {"completed"}, log=worker.log_tail)
    assert ledger.effects_of(process_id) == ["Counted 1", "Counted 2", "Hold", "Counted 3"]
    assert ledger.check([process_id]).clean
    assert ledger.locked_subscriptions([subscription]) == []
    assert worker.alive()
