"""Several `orchestrator worker` processes share one Prefect server's deployments: every process runs
exactly once (no step doubled in the log or in its effects), and a worker drained with SIGTERM
claims nothing more, finishes the process it is running, and exits 0."""

from __future__ import annotations

import os
import signal
import uuid

import sqlalchemy as sa

from orchestrator_core.db import ProcessTable, transaction
from orchestrator_core.services.process_queries import get_process
from orchestrator_core.services.processes import resume_process, start_process
from tests.guard import factories
from tests.reliability import ledger
from tests.reliability.counted_workflows import STEP_NAMES
from tests.waiting import wait_until


def _executors(process_ids: list[uuid.UUID]) -> dict[uuid.UUID, int]:
    """The OS process id of the worker that ran each process (executor ids are host:pid:nonce)."""
    with transaction() as s:
        rows = s.execute(sa.select(ProcessTable.process_id, ProcessTable.executor_id)
                         .where(ProcessTable.process_id.in_(process_ids))).all()
    return {pid: int(executor.split(":")[1]) for pid, executor in rows if executor}


def _start(subscription_id: uuid.UUID) -> uuid.UUID:
    return start_process("counted_modify", [{"subscription_id": str(subscription_id)}], "ops", wait=False)


def test_three_workers_run_every_process_exactly_once(served, make_workers, counted_product):
    workers = make_workers(3, COUNTED_HOLD_SECONDS="0", COUNTED_STEP_SECONDS="0.05")
    subscriptions = [factories.subscription(counted_product) for _ in range(24)]

    process_ids = [_start(sid) for sid in subscriptions]

    logs = lambda: "\n".join(w.log_tail(1500) for w in workers)  # noqa: E731
    wait_until(lambda: ledger.statuses(process_ids) == {"completed": len(process_ids)},
                      f"all processes completed\n{logs()}", timeout=240)
    assert ledger.check(process_ids).clean
    for process_id in process_ids:
        names = [s.name for s in get_process(process_id).steps]
        assert [n for n in names if n in STEP_NAMES] == STEP_NAMES, names  # each step once, in order
        assert len(names) == len(set(names)), names
    assert ledger.locked_subscriptions(subscriptions) == []
    ran_on = set(_executors(process_ids).values())
    assert ran_on <= {w.process.pid for w in workers if w.process is not None}
    assert len(ran_on) >= 2, ran_on  # the work was shared
    assert all(w.alive() for w in workers)


def test_a_drained_worker_finishes_its_process_claims_no_more_and_exits(served, make_workers, counted_product,
                                                                         signals):
    workers = make_workers(2)
    held = _start(factories.subscription(counted_product))
    ledger.wait_for_file(signals / f"inside-{held}", log=lambda: workers[0].log_tail() + workers[1].log_tail())
    (draining,) = [w for w in workers if w.process is not None and w.process.pid == _executors([held])[held]]
    (other,) = [w for w in workers if w is not draining]
    assert draining.process is not None

    os.kill(draining.process.pid, signal.SIGTERM)
    wait_until(lambda: "is draining" in draining.log_tail(), "the worker says it drains")

    later = factories.subscription(counted_product)
    started_while_draining = _start(later)
    ledger.wait_for_status(started_while_draining, {"running", "completed"}, log=other.log_tail)
    (signals / f"release-{started_while_draining}").write_text("go")
    ledger.wait_for_status(started_while_draining, {"completed"}, log=other.log_tail)
    assert _executors([started_while_draining])[started_while_draining] == other.process.pid  # type: ignore[union-attr]
    assert draining.alive()  # still finishing the held process
    assert get_process(held, with_steps=False).status == "running"

    (signals / f"release-{held}").write_text("go")

    assert draining.process.wait(timeout=60) == 0, draining.log_tail()
    assert "drained" in draining.log_tail()
    assert get_process(held, with_steps=False).status == "completed"
    assert _executors([held])[held] == draining.process.pid
    assert ledger.check([held, started_while_draining]).clean
    names = [s.name for s in get_process(held).steps]
    assert len(names) == len(set(names)), names
    assert other.alive()


def test_a_dead_workers_process_is_found_by_another_worker_and_resumed_there(served, make_workers, counted_product,
                                                                             signals):
    workers = make_workers(2)
    process_id = _start(factories.subscription(counted_product))
    ledger.wait_for_file(signals / f"inside-{process_id}", log=lambda: workers[0].log_tail() + workers[1].log_tail())
    (dead,) = [w for w in workers if w.process is not None and w.process.pid == _executors([process_id])[process_id]]
    (alive,) = [w for w in workers if w is not dead]

    dead.kill()

    # nobody but the living worker reaps here: its lease reaper finds the process
    crashed = ledger.wait_for_status(process_id, {"crashed"}, log=alive.log_tail)
    assert crashed == "crashed"
    resume_process(process_id, user="ops", wait=False)
    ledger.wait_for_status(process_id, {"completed"}, log=alive.log_tail)
    assert _executors([process_id])[process_id] == alive.process.pid  # type: ignore[union-attr]
    assert ledger.effects_of(process_id) == ["Counted 1", "Counted 2", "Hold", "Counted 3"]
    assert ledger.check([process_id]).clean
