"""An executor SIGKILLed after "Unlock subscription" committed and before "Done": the resume must
not take the subscription's lock back (the log shows it given back), so the process completes and
the subscription is in sync with no process holding it (issue 14: a chaos run left one locked)."""

from __future__ import annotations

from orchestrator_core.db import transaction
from orchestrator_core.services.process_queries import get_process
from orchestrator_core.services.processes import resume_process, start_process
from orchestrator_core.services.subscription_facts import lock_holder
from tests.guard import factories
from tests.reliability import ledger


def test_sigkill_between_unlock_and_done_leaves_the_subscription_in_sync(served, make_worker, subscription,
                                                                        signals):
    worker = make_worker()
    process_id = start_process("counted_hold_after_unlock", [{"subscription_id": str(subscription)}], "ops",
                               wait=False)
    ledger.wait_for_file(signals / f"inside-{process_id}", log=worker.log_tail)
    assert [s.name for s in get_process(process_id).steps][-1] == "Unlock subscription"
    assert factories.subscription_state(subscription)[1] is True  # given back by the committed unlock

    worker.kill()
    ledger.reap_until_crashed(process_id)
    assert get_process(process_id, with_steps=False).status == "crashed"

    worker = make_worker()
    resume_process(process_id, user="ops", wait=False)

    ledger.wait_for_status(process_id, {"completed"}, log=worker.log_tail)
    assert [s.name for s in get_process(process_id).steps][-3:] == ["Unlock subscription", "Hold", "Done"]
    assert factories.subscription_state(subscription)[1] is True
    with transaction() as s:
        assert lock_holder(s, subscription) is None
    assert ledger.locked_subscriptions([subscription]) == []
    assert ledger.check([process_id]).clean
