"""An abort that lands while a step runs waits for that step's commit; no later step runs."""

from __future__ import annotations

import threading
import time

import sqlalchemy as sa

from orchestrator_core.db import transaction
from orchestrator_core.services.processes import abort_process, start_process
from orchestrator_core.testing import result_of
from tests.engine.engine_workflows import EFFECTS_DDL, HOLD_GATE


def _wait(predicate, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_abort_during_a_step_stops_the_process_after_that_step():
    with transaction() as s:
        s.execute(sa.text(EFFECTS_DDL))
    HOLD_GATE.clear()
    process_id = start_process("holds_then_continues", [{}], "ops", wait=False, register=True)
    _wait(lambda: result_of(process_id).process.last_step == "Start")

    aborter = threading.Thread(target=abort_process, args=(process_id, "noc"))
    aborter.start()
    time.sleep(0.3)  # the abort now waits for the row lock the running step holds
    HOLD_GATE.set()
    aborter.join(30)
    _wait(lambda: result_of(process_id).status == "aborted")
    time.sleep(0.5)  # give a wrongly continuing run the chance to write

    result = result_of(process_id)
    assert result.status == "aborted"
    assert [s.name for s in result.steps] == ["Start", "Hold", "Abort"]
    with transaction() as s:
        assert s.execute(sa.text("SELECT count(*) FROM step_effects WHERE process_id = :p"),
                         {"p": str(process_id)}).scalar() == 0
