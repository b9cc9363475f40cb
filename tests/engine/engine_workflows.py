"""Workflows the engine tests run; importable by the crash child process too."""

from __future__ import annotations

import os
import queue
import signal
import threading

import sqlalchemy as sa

from orchestrator_core.db import session
from orchestrator_core.forms import FormPage
from orchestrator_core.workflow import conditional, done, init, inputstep, retrystep, step, workflow
from tests.attempts import attempts_file, count_attempt  # noqa: F401  (the engine tests import them from here)

EFFECTS_DDL = "CREATE TABLE IF NOT EXISTS step_effects (process_id VARCHAR(64), step VARCHAR(64))"


def record_effect(process_id: str, name: str) -> None:
    """A committed side effect of a step, written in the step's own transaction."""
    session().execute(sa.text("INSERT INTO step_effects (process_id, step) VALUES (:p, :s)"),
                      {"p": process_id, "s": name})


def _numbered(i: int, fail_once_at: int | None = None):
    @step(f"Step {i}")
    def numbered(process_id: str, idempotency_key: str) -> dict:
        count_attempt(process_id, f"Step {i}")
        record_effect(process_id, f"Step {i}")
        if i == fail_once_at and attempts_file(process_id).read_text().splitlines().count(f"Step {i}") == 1:
            raise ValueError(f"step {i} fails on its first attempt")
        return {f"key_{i}": idempotency_key}

    return numbered


@workflow("Five steps, the third fails once")
def five_steps_third_fails_once():
    return init >> _numbered(1) >> _numbered(2) >> _numbered(3, fail_once_at=3) >> _numbered(4) >> _numbered(5) >> done


@step("Write then raise")
def write_then_raise(process_id: str) -> dict:
    record_effect(process_id, "Write then raise")
    raise RuntimeError("the device refused the change")


@workflow("A step that writes and then raises")
def writes_then_raises():
    return init >> _numbered(1) >> write_then_raise >> done


@step("Needs a missing key")
def needs_missing(vlan_id: int) -> dict:
    return {"vlan": vlan_id}


@workflow("A step asks for a state key nobody provided")
def missing_argument():
    return init >> needs_missing >> done


@retrystep("Wait for the NOC")
def wait_for_noc() -> dict:
    raise ConnectionError("NSO is not reachable")


@workflow("A retrystep that fails")
def retrystep_fails():
    return init >> wait_for_noc >> done


@step("Flaky once", retries=2, retry_delay_seconds=0)
def flaky_once(process_id: str) -> dict:
    count_attempt(process_id, "Flaky once")
    if attempts_file(process_id).read_text().splitlines().count("Flaky once") == 1:
        raise TimeoutError("transient")
    return {"flaky": "ok"}


@workflow("A step that succeeds on its Prefect task retry")
def transient_fault():
    return init >> flaky_once >> done


@step("Choose")
def choose() -> dict:
    return {"provision": False}


@step("Provision")
def provision() -> dict:
    return {"provisioned": True}


@workflow("A conditional step")
def conditional_skip():
    return init >> choose >> conditional(lambda s: s["provision"])(provision) >> done


class Approval(FormPage):
    approved: bool
    comment: str = ""


@inputstep("Approve the change")
def approve(vlan: int):
    user_input = yield Approval
    return user_input.model_dump()


@step("Apply")
def apply(vlan: int, approved: bool) -> dict:
    return {"applied": approved, "vlan": vlan}


class VlanForm(FormPage):
    vlan: int


def vlan_form():
    user_input = yield VlanForm
    return user_input.model_dump()


@workflow("Suspends for approval", initial_input_form=vlan_form)
def needs_approval():
    return init >> approve >> apply >> done


@step("Kill after commit")
def kill_after_commit(process_id: str) -> dict:
    """Commits, then the executor dies before Prefect hears of it."""
    count_attempt(process_id, "Kill after commit")
    record_effect(process_id, "Kill after commit")
    if os.environ.get("ENGINE_TEST_KILL_AFTER_COMMIT") == "1":
        from sqlalchemy import event

        event.listen(session(), "after_commit", lambda _s: os.kill(os.getpid(), signal.SIGKILL), once=True)
    return {"committed": True}


@workflow("The executor dies right after a step commits")
def dies_after_commit():
    return init >> _numbered(1) >> kill_after_commit >> _numbered(3) >> done


HOLD_GATE = threading.Event()
HOLDING: queue.Queue[str] = queue.Queue()
"""The process id of each Hold step that has started: it then holds its transaction and the process row lock."""


@step("Hold")
def hold(process_id: str) -> dict:
    """Keeps its transaction (and the process row lock) open until the test lets it go."""
    HOLDING.put(process_id)
    HOLD_GATE.wait(30)
    return {"held": True}


@step("After the hold")
def after_hold(process_id: str) -> dict:
    record_effect(process_id, "After the hold")
    return {"after": True}


@workflow("A step that holds, so that an abort lands while the process runs")
def holds_then_continues():
    return init >> hold >> after_hold >> done


class FailForm(FormPage):
    fail: bool = False


def fail_form():
    user_input = yield FailForm
    return user_input.model_dump()


@step("Fail if asked")
def fail_if_asked(process_id: str, fail: bool) -> dict:
    record_effect(process_id, "Fail if asked")
    if fail:
        raise RuntimeError("asked to fail")
    return {"asked": "no"}


@workflow("Fails when its form asks it to", initial_input_form=fail_form)
def fails_when_asked():
    return init >> _numbered(1) >> fail_if_asked >> _numbered(2) >> done
