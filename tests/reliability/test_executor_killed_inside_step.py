"""An executor SIGKILLed while a step is half done: the step's writes vanish with its transaction,
the lease runs out, operators see `crashed` with a reason, the subscription is free, and a resume
runs the killed step once more and completes, with no step committed twice."""

from __future__ import annotations

from orchestrator_core.services.process_queries import get_process
from orchestrator_core.services.processes import resume_process, start_process
from tests.reliability import ledger


def test_sigkill_inside_a_step(served, make_worker, subscription, signals):
    worker = make_worker()
    process_id = start_process("counted_modify", [{"subscription_id": str(subscription)}], "ops", wait=False)
    ledger.wait_for_file(signals / f"inside-{process_id}", log=worker.log_tail)
    assert ledger.locked_subscriptions([subscription]) == [subscription]

    worker.kill()

    assert ledger.effects_of(process_id) == ["Counted 1", "Counted 2"]  # Hold's own write died with it
    assert get_process(process_id, with_steps=False).status == "running"  # until the lease runs out
    ledger.reap_until_crashed(process_id)
    crashed = get_process(process_id)
    assert crashed.status == "crashed"
    assert "stopped renewing its lease" in (crashed.failed_reason or "")
    assert crashed.last_step == "Counted 2"
    assert ledger.locked_subscriptions([subscription]) == []  # released for other workflows

    worker = make_worker()
    resume_process(process_id, user="ops", wait=False)

    ledger.wait_for_status(process_id, {"completed"}, log=worker.log_tail)
    assert ledger.effects_of(process_id) == ["Counted 1", "Counted 2", "Hold", "Counted 3"]
    assert ledger.check([process_id]).clean
    names = [s.name for s in get_process(process_id).steps]
    assert len(names) == len(set(names)), names  # every step committed exactly once
    assert ledger.locked_subscriptions([subscription]) == []
