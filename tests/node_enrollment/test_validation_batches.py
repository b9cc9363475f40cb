"""The validation sweep's batches on real Node Enrollments: what only the sweep adds to the batch driver.

That both drivers log the same rows, statuses, failures and resume points is checked for each in
tests/engine/test_step_drivers.py. Here: the subscription rows the batch reads once for all its
processes (domain/prefetch.py) give the same states as a validation run alone; a validation that
fails in a batch keeps its subscription's lock until it is resumed; the sweep's guard and workers.
"""

from __future__ import annotations

import uuid
from typing import Any

from orchestrator_core.services.subscription_validation import ValidationTarget, validate_chunk
from orchestrator_core.testing import (
    assert_complete,
    assert_failed,
    extract_error,
    resume_workflow,
    run_workflow,
)
from orchestrator_core.testing import result_of as _result_of
from tests.node_enrollment.conftest import on, subscription_row


def _normalised(value: Any, process_id: str) -> Any:
    """A state with this run's own identity (process id, idempotency key) taken out."""
    if isinstance(value, dict):
        return {k: _normalised(v, process_id) for k, v in value.items()
                if k not in ("process_id", "traceback")}
    if isinstance(value, list):
        return [_normalised(v, process_id) for v in value]
    if isinstance(value, str):
        return value.replace(process_id, "<pid>")
    return value


def _log(result) -> list[tuple[str, str, Any]]:
    pid = str(result.process_id)
    return [(s.name, s.status, _normalised(s.state, pid)) for s in result.steps]


def _batch(*subscription_ids: str) -> dict[str, Any]:
    outcomes = validate_chunk([ValidationTarget(uuid.UUID(sid), "validate_node_enrollment")
                               for sid in subscription_ids], "test")
    assert [str(o.subscription_id) for o in outcomes] == list(subscription_ids)
    return {str(o.subscription_id): _result_of(o.process_id) for o in outcomes}


def test_a_batch_validation_with_prefetched_rows_logs_what_a_run_alone_logs(enrollment):
    sid = enrollment("active", "ams-rt1")
    other = enrollment("active", "lon-rt1")
    alone = run_workflow("validate_node_enrollment", on(sid))
    assert_complete(alone)

    batched = _batch(sid, other)[sid]
    assert_complete(batched)
    assert _log(batched) == _log(alone)
    assert subscription_row(sid)["insync"] is True and subscription_row(other)["insync"] is True


def test_a_validation_failing_in_a_batch_keeps_its_lock_until_resumed(enrollment, fake_network):
    broken = enrollment("active", "ams-rt2")
    healthy = enrollment("active", "lon-rt1")
    fake_network.devices.pop("ams-rt2")

    results = _batch(healthy, broken)
    assert_failed(results[broken])
    assert extract_error(results[broken]) == "Device not found in NSO"
    assert_complete(results[healthy])
    assert subscription_row(broken)["insync"] is False
    assert subscription_row(healthy)["insync"] is True

    fake_network.reset()
    assert_complete(resume_workflow(results[broken]))
    assert subscription_row(broken)["insync"] is True


def test_a_locked_subscription_is_skipped_by_the_batch_with_the_guards_reason(enrollment, fake_network):
    sid = enrollment("active", "ams-rt2")
    fake_network.devices.pop("ams-rt2")
    assert_failed(run_workflow("validate_node_enrollment", on(sid)))  # holds the lock

    outcomes = validate_chunk([ValidationTarget(uuid.UUID(sid), "validate_node_enrollment")], "test")
    assert [(o.status, o.process_id) for o in outcomes] == [("skipped", None)]
    assert outcomes[0].reason.startswith("subscription.locked")


def test_rows_read_for_a_batch_step_give_way_to_the_steps_own_writes(enrollment):
    import sqlalchemy as sa

    from orchestrator_core.db import transaction
    from orchestrator_core.domain import prefetch
    from products.product_types.node_enrollment import NodeEnrollment

    sid = uuid.UUID(enrollment("active", "ams-rt1"))
    with transaction() as session, prefetch.prefetched(session, [sid]) as batch:
        with prefetch.process_step(batch):
            first = NodeEnrollment.from_subscription(sid)
            assert batch.entries is not None and sid in batch.entries  # served from the batch's read
            session.execute(sa.text("UPDATE subscriptions SET description = 'changed' WHERE subscription_id = :s"),
                            {"s": sid})
            assert NodeEnrollment.from_subscription(sid).description == "changed"
        with prefetch.process_step(batch):  # another process's step: reads never end the use
            session.execute(sa.text("SELECT 1"))
            assert prefetch.cached(sid) is not None
            assert first.description != "changed"
    assert prefetch.cached(sid) is None  # nothing outside a batch step
    with transaction():
        assert NodeEnrollment.from_subscription(sid).description == "changed"


def test_the_sweep_runs_batches_in_forked_worker_processes(enrollment, fake_network):
    from orchestrator_core.services.subscription_validation import validate_all

    healthy = [enrollment("active", node) for node in ("ams-rt1", "lon-rt1", "ams-rt1")]
    broken = enrollment("active", "ams-rt2")
    fake_network.devices.pop("ams-rt2")  # the forks see the parent's fakes as they were at the fork

    targets = [ValidationTarget(uuid.UUID(sid), "validate_node_enrollment") for sid in [*healthy, broken]]
    summary = validate_all(targets, user="test", batch_size=1, processes=2)
    assert (summary.total, summary.validated, len(summary.skipped)) == (4, 3, 0)
    assert [(str(f.subscription_id), f.status, f.reason) for f in summary.failed] == [
        (broken, "failed", "Device not found in NSO")]
    processes = {str(o.subscription_id): o.process_id for o in summary.failed}
    failed = _result_of(processes[broken])
    assert [(s.name, s.status) for s in failed.steps][-1] == ("Check NSO", "failed")
    for sid in healthy:
        assert subscription_row(sid)["insync"] is True
    assert subscription_row(broken)["insync"] is False
