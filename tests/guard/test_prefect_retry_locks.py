"""A crashed subscription workflow retried from the Prefect UI takes its subscription lock back
before any step runs, exactly as our resume does; when another process holds that lock now, the
retry is refused: nothing runs or is written, and the run's logs say which subscription and which
process. No Prefect server is needed: a retry from Prefect is the flow run again without our services."""

from __future__ import annotations

import logging
import uuid
from datetime import timedelta

import sqlalchemy as sa

from orchestrator_core.db import ProcessTable, session, transaction
from orchestrator_core.db.base import utcnow
from orchestrator_core.engine import lease
from orchestrator_core.engine.prefect_flows import prefect_flow
from orchestrator_core.engine.prefect_runtime import executing
from orchestrator_core.services.processes import abort_process, create_process
from orchestrator_core.services.subscription_facts import lock_holder, lock_state
from orchestrator_core.targets import Target
from orchestrator_core.testing import assert_complete, assert_failed, result_of, resume_workflow, run_workflow
from orchestrator_core.workflow import done, get_workflow, init, step, workflow
from orchestrator_core.workflows.steps import resync, store_process_subscription, unsync
from orchestrator_core.workflows.utils import modify_workflow
from tests.guard import factories
from tests.guard.guard_workflows import MODIFY

SEEN: dict[str, list[tuple[bool, uuid.UUID | None]]] = {}
"""Per process: (insync, lock holder) of its subscription each time the observing step ran."""


@step("Observe the lock, fail the first time")
def observe_the_lock(process_id: str, subscription_id: str) -> None:
    found = lock_state(session(), uuid.UUID(subscription_id))
    assert found is not None
    seen = SEEN.setdefault(process_id, [])
    seen.append(found)
    if len(seen) == 1:
        raise RuntimeError("the first attempt fails")


@modify_workflow("Guard test modify that observes its lock and fails once")
def guard_observing_modify():
    return observe_the_lock


WORKFLOW = "guard_observing_modify"
AFTER_UNLOCK = "guard_fails_after_unlock"


@workflow("Guard test modify whose step after the unlock fails once", target=Target.MODIFY)
def guard_fails_after_unlock():
    return init >> store_process_subscription() >> unsync >> resync >> observe_the_lock >> done


def _subscription(workflow_name: str = WORKFLOW) -> uuid.UUID:
    product_id = factories.product()
    factories.register(get_workflow(workflow_name), product_id)
    factories.register(MODIFY, product_id)
    return factories.subscription(product_id)


def _crashed_process(sid: uuid.UUID, workflow_name: str = WORKFLOW) -> uuid.UUID:
    """A run of the workflow that stopped at the observing step, then an executor that died
    running it; the lease reaper marks it crashed and the crash hook gives its lock away."""
    failed = run_workflow(workflow_name, {"subscription_id": str(sid)})
    assert_failed(failed)
    pid = failed.process_id
    with transaction() as s:
        s.execute(sa.update(ProcessTable).where(ProcessTable.process_id == pid)
                  .values(last_status="running", executor_id="gone:1:dead",
                          lease_expires_at=utcnow() - timedelta(seconds=1)))
    lease.reap_expired()  # (or the suite's served worker, which reaps this database too)
    assert result_of(pid).status == "crashed"
    assert factories.subscription_state(sid)[1] is True  # released for other workflows
    return pid


def _run_flow_again(process_id: uuid.UUID, workflow_name: str = WORKFLOW):
    """What the worker does when Prefect hands it a flow run again (the UI's Retry)."""
    with executing():
        return prefect_flow(get_workflow(workflow_name))(process_id=str(process_id), return_state=True)


def _holder(sid: uuid.UUID) -> uuid.UUID | None:
    with transaction() as s:
        return lock_holder(s, sid)


def _steps(process_id: uuid.UUID) -> list[tuple[str, str]]:
    return [(s.name, s.status) for s in result_of(process_id).steps]


def test_a_crashed_workflow_retried_from_prefect_holds_its_lock_again_and_gives_it_back_at_the_end():
    sid = _subscription()
    pid = _crashed_process(sid)

    state = _run_flow_again(pid)

    assert state.is_completed()
    assert_complete(result_of(pid))
    assert SEEN[str(pid)] == [(False, pid), (False, pid)]  # locked by this process on both attempts
    assert factories.subscription_state(sid)[1] is True  # "Unlock subscription" gave it back


def test_a_retry_from_prefect_is_refused_while_another_process_holds_the_subscription(caplog):
    sid = _subscription()
    pid = _crashed_process(sid)
    before = _steps(pid)
    with transaction() as s:
        other = create_process(s, MODIFY, [{"subscription_id": str(sid)}], "test")  # takes the free lock
    assert (factories.subscription_state(sid)[1], _holder(sid)) == (False, other)

    with caplog.at_level(logging.WARNING, logger="orchestrator_core.engine.flow_run_warnings"):
        state = _run_flow_again(pid)

    assert state.is_failed()
    assert "ProcessDidNotCompleteError" in (state.message or "") and str(sid) in (state.message or "")
    warned = [r.getMessage() for r in caplog.records
              if r.name == "orchestrator_core.engine.flow_run_warnings" and r.levelno == logging.WARNING]
    assert len(warned) == 1, warned  # the flow's own message, logged into the run's logs too
    assert f"Retrying process {pid}" in warned[0] and "Prefect UI" in warned[0]
    assert f"Subscription {sid} is now locked by process {other}" in warned[0]
    assert result_of(pid).status == "crashed"
    assert _steps(pid) == before
    assert len(SEEN[str(pid)]) == 1  # the observing step did not run again
    assert (factories.subscription_state(sid)[1], _holder(sid)) == (False, other)
    assert result_of(other).status == "created"

    abort_process(other)  # once the other process is gone, the same retry goes through
    assert _run_flow_again(pid).is_completed()
    assert_complete(result_of(pid))
    assert SEEN[str(pid)][-1] == (False, pid)
    assert factories.subscription_state(sid)[1] is True


def test_a_process_that_crashed_after_its_unlock_is_retried_from_prefect_without_taking_the_lock_back():
    sid = _subscription(AFTER_UNLOCK)
    pid = _crashed_process(sid, AFTER_UNLOCK)
    assert SEEN[str(pid)][0][0] is True  # "Unlock subscription" had committed

    assert _run_flow_again(pid, AFTER_UNLOCK).is_completed()

    assert_complete(result_of(pid))
    assert SEEN[str(pid)][-1][0] is True  # the log says the lock was given back: not retaken
    assert (factories.subscription_state(sid)[1], _holder(sid)) == (True, None)


def test_a_process_that_failed_after_its_unlock_resumes_with_its_subscription_in_sync():
    sid = _subscription(AFTER_UNLOCK)
    failed = run_workflow(AFTER_UNLOCK, {"subscription_id": str(sid)})
    assert_failed(failed)

    assert_complete(resume_workflow(failed.process_id))

    assert [insync for insync, _holder in SEEN[str(failed.process_id)]] == [True, True]
    assert (factories.subscription_state(sid)[1], _holder(sid)) == (True, None)
