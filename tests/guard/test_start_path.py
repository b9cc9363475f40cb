"""The guard on the start path: refusals write nothing; the lock is held while a workflow runs,
given back at its end, on abort and when its executor crashes, and taken back on resume."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa

from orchestrator_core.db import ProcessTable, transaction
from orchestrator_core.db.subscription_tables import ProcessSubscriptionTable
from orchestrator_core.engine import lease
from orchestrator_core.errors import OrchestratorError
from orchestrator_core.services import subscriptions
from orchestrator_core.services.guard_errors import SubscriptionLockedError
from orchestrator_core.services.processes import abort_process, start_process
from orchestrator_core.testing import assert_complete, assert_failed, extract_error, result_of, run_workflow
from orchestrator_core.types import State
from orchestrator_core.workflow import step
from orchestrator_core.workflows.utils import modify_workflow
from tests.guard import factories
from tests.guard.guard_workflows import MODIFY, TASK

SEEN: dict[str, bool] = {}


@step("Look at the lock")
def look_at_the_lock(subscription_id: str, subscription: dict) -> State:
    SEEN["insync_during_run"] = factories.subscription_state(uuid.UUID(subscription_id))[1]
    return {"seen_insync": subscription["insync"]}


@modify_workflow("Guard test modify with the standard steps")
def guard_wrapped_modify():
    return look_at_the_lock


def _subscription(*workflows, **kwargs) -> uuid.UUID:
    product_id = factories.product()
    for wf in workflows:
        factories.register(wf, product_id)
    return factories.subscription(product_id, **kwargs)


def test_wrapped_modify_holds_the_lock_while_running_and_gives_it_back():
    sid = _subscription(guard_wrapped_modify)
    result = run_workflow("guard_wrapped_modify", {"subscription_id": str(sid)})
    assert_complete(result)
    assert SEEN["insync_during_run"] is False
    assert result.state["seen_insync"] is False
    assert factories.subscription_state(sid)[1] is True
    assert result.step_names() == ["Start", "Create Process Subscription relation", "Lock subscription",
                                   "Look at the lock", "Unlock subscription", "Done"]


@pytest.mark.parametrize("case", ["locked", "not_in_sync", "invalid_lifecycle", "not_linked", "not_found"])
def test_a_refusal_writes_no_process_row_and_changes_nothing(case):
    sid = _subscription(MODIFY, status="provisioning" if case == "invalid_lifecycle" else "active",
                        insync=case not in ("locked", "not_in_sync"))
    if case == "locked":
        factories.holding_process(MODIFY, sid)
    if case == "not_linked":
        sid = factories.subscription(factories.product())
    if case == "not_found":
        sid = uuid.uuid4()
    before_rows, before_sub = factories.process_count(), _maybe_state(sid)
    with pytest.raises(OrchestratorError) as refused:
        start_process(MODIFY.name, [{"subscription_id": str(sid)}])
    code = "workflow.not_linked_to_product" if case == "not_linked" else f"subscription.{case}"
    assert refused.value.code == code
    assert refused.value.message and refused.value.message[0].isupper()
    assert factories.process_count() == before_rows
    assert _maybe_state(sid) == before_sub


def _maybe_state(sid):
    try:
        return factories.subscription_state(sid)
    except Exception:
        return None


def test_a_second_start_is_refused_while_the_first_holds_the_lock():
    sid = _subscription(MODIFY)
    with transaction() as s:
        first = _start_without_running(s, sid)
    with pytest.raises(SubscriptionLockedError) as refused:
        start_process(MODIFY.name, [{"subscription_id": str(sid)}])
    assert refused.value.details["process_id"] == str(first)


def test_abort_gives_the_lock_back():
    sid = _subscription(MODIFY)
    with transaction() as s:
        holder = _start_without_running(s, sid)
    assert factories.subscription_state(sid)[1] is False
    abort_process(holder)
    assert factories.subscription_state(sid)[1] is True


def test_a_task_neither_needs_nor_takes_the_lock():
    sid = _subscription(TASK, insync=False)
    process_id = start_process(TASK.name, [{"subscription_id": str(sid)}])
    assert factories.subscription_state(sid)[1] is False
    with transaction() as s:
        linked = s.execute(sa.select(ProcessSubscriptionTable.subscription_id)
                           .where(ProcessSubscriptionTable.process_id == process_id)).scalars().all()
    assert linked == [sid]


def test_crash_releases_the_lock_and_resume_takes_it_back():
    sid = _subscription(MODIFY)
    with transaction() as s:
        process_id = _start_without_running(s, sid)
    assert factories.subscription_state(sid)[1] is False
    with transaction() as s:
        s.execute(sa.update(ProcessTable).where(ProcessTable.process_id == process_id)
                  .values(last_status="running", lease_expires_at=sa.text("now() - interval '1 hour'")))
    lease.reap_expired()  # (or the suite's served worker, which reaps this database too)
    assert result_of(process_id).status == "crashed"
    assert factories.subscription_state(sid)[1] is True
    with transaction() as s:
        subscriptions.reacquire_on_resume(s, process_id, MODIFY)
    assert factories.subscription_state(sid)[1] is False


def test_resume_is_refused_when_another_process_took_the_lock_after_a_crash():
    sid = _subscription(MODIFY)
    with transaction() as s:
        crashed = _start_without_running(s, sid)
        s.execute(sa.update(ProcessTable).where(ProcessTable.process_id == crashed)
                  .values(last_status="crashed"))
    with transaction() as s:
        subscriptions.release_crashed(s, [crashed])
    with transaction() as s:
        _start_without_running(s, sid)
    with pytest.raises(SubscriptionLockedError), transaction() as s:
        subscriptions.reacquire_on_resume(s, crashed, MODIFY)


def _start_without_running(session, sid) -> uuid.UUID:
    from orchestrator_core.services.processes import create_process

    return create_process(session, MODIFY, [{"subscription_id": str(sid)}], "test")


@step("Always fail")
def always_fail() -> None:
    raise RuntimeError("told to fail")


@modify_workflow("Guard test modify whose step fails")
def guard_failing_modify():
    return always_fail


def test_a_failed_wrapped_modify_keeps_the_lock():
    sid = _subscription(guard_failing_modify)
    failing = run_workflow("guard_failing_modify", [{"subscription_id": str(sid)}])
    assert_failed(failing)
    assert "told to fail" in extract_error(failing)
    assert factories.subscription_state(sid)[1] is False
    with transaction() as s:
        verdict = subscriptions.check_workflow_usable(s, "guard_failing_modify", sid)
    assert (verdict.code, verdict.details["process_id"]) == ("subscription.locked", str(failing.process_id))


def test_a_form_filled_against_an_older_version_is_refused():
    sid = _subscription(guard_wrapped_modify)
    rows = factories.process_count()
    with pytest.raises(OrchestratorError) as refused:
        start_process("guard_wrapped_modify", [{"subscription_id": str(sid), "version": 99}])
    assert refused.value.code == "subscription.version_conflict"
    assert refused.value.details == {"expected": 99, "current": 1}
    assert factories.process_count() == rows
