"""An abort that lands while a step runs waits for that step's commit; no later step runs.

Ordered by events, not by time: the Hold step says when it holds the process row; the abort is
seen waiting for that lock in Postgres; the run is joined before the step log is read.
"""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa

from orchestrator_core.db import get_engine, is_sqlite, transaction
from orchestrator_core.services.processes import abort_process, start_process
from orchestrator_core.testing import result_of
from tests.engine.engine_workflows import EFFECTS_DDL, HOLD_GATE, HOLDING
from tests.waiting import wait_until

WAITING_FOR_A_LOCK = sa.text(
    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'")


def test_abort_during_a_step_stops_the_process_after_that_step():
    if is_sqlite():
        pytest.skip("SQLite serialises writers: there is no row lock for the abort to wait on")
    with transaction() as s:
        s.execute(sa.text(EFFECTS_DDL))
    HOLD_GATE.clear()
    run = threading.Thread(target=start_process, args=("holds_then_continues", [{}], "ops"),
                           kwargs={"wait": True, "register": True})
    run.start()
    process_id = HOLDING.get(timeout=180)  # the Hold step runs, inside its transaction (after Prefect starts)

    aborter = threading.Thread(target=abort_process, args=(process_id, "noc"))
    aborter.start()
    with get_engine().connect() as conn:  # the abort now waits for the row lock the running step holds
        wait_until(lambda: conn.execute(WAITING_FOR_A_LOCK).scalar() > 0, "the abort waits for the step's lock")
    HOLD_GATE.set()
    aborter.join(120)
    run.join(120)  # this run of the process has ended: a wrongly continuing run would have written by now
    assert not run.is_alive() and not aborter.is_alive()

    result = result_of(process_id)
    assert result.status == "aborted"
    assert [s.name for s in result.steps] == ["Start", "Hold", "Abort"]
    with transaction() as s:
        assert s.execute(sa.text("SELECT count(*) FROM step_effects WHERE process_id = :p"),
                         {"p": str(process_id)}).scalar() == 0
