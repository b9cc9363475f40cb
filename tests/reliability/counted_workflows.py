"""Workflows whose every step counts its execution in a side table, inside the step's transaction.

A committed execution leaves exactly one `counted_effects` row, so a step that ran twice (or a
step the log calls committed whose effect is missing) is visible by comparing the table with
the step log. Importable by `orchestrator worker` subprocesses (ORCHESTRATOR_WORKFLOW_MODULES),
the reliability tests and bench/chaos.py.

Knobs, read per call from the environment so a worker subprocess can be steered:
  COUNTED_STEP_SECONDS  upper bound of a random duration of each counted step's database work (after
                        its write): a slow statement in the step's own transaction, where a kill lands
  COUNTED_SIGNAL_DIR    the "Hold" step writes `inside-<process_id>` there (with its database
                        backend pid) once its effect row is written but not committed, then
                        waits until `release-<process_id>` appears or COUNTED_HOLD_SECONDS pass;
                        it holds only on its first execution for a process
"""

from __future__ import annotations

import contextlib
import os
import random
from pathlib import Path

import sqlalchemy as sa

from orchestrator_core.db import session
from orchestrator_core.targets import Target
from orchestrator_core.workflow import StepList, done, init, step, workflow
from orchestrator_core.workflows.steps import resync, store_process_subscription, unsync
from orchestrator_core.workflows.utils import modify_workflow
from tests.waiting import wait_until

EFFECTS_DDL = ("CREATE TABLE IF NOT EXISTS counted_effects (id BIGSERIAL PRIMARY KEY, process_id VARCHAR(64), "
               "step VARCHAR(64))")
STEP_NAMES = ["Counted 1", "Counted 2", "Hold", "Counted 3"]


def count_execution(process_id: str, name: str) -> None:
    session().execute(sa.text("INSERT INTO counted_effects (process_id, step) VALUES (:p, :s)"),
                      {"p": process_id, "s": name})
    session().flush()


def _dwell() -> None:
    """The step's work takes a while, in the database as a real step's would: a kill then lands
    mid-statement with the step's writes uncommitted. It decides no outcome of a test."""
    limit = float(os.environ.get("COUNTED_STEP_SECONDS", "0") or 0)
    if limit > 0:
        session().execute(sa.text("SELECT pg_sleep(:s)"), {"s": random.uniform(0, limit)})


def _counted(name: str):
    @step(name)
    def counted(process_id: str) -> dict:
        count_execution(process_id, name)
        _dwell()
        return {name.lower().replace(" ", "_"): "done"}

    return counted


def signal_dir() -> Path | None:
    raw = os.environ.get("COUNTED_SIGNAL_DIR")
    return Path(raw) if raw else None


@step("Hold")
def hold(process_id: str) -> dict:
    """Writes its effect, then (first time only) says so and waits: the moment tests inject a fault."""
    count_execution(process_id, "Hold")
    where = signal_dir()
    if where is not None and not (where / f"inside-{process_id}").exists():
        backend = session().execute(sa.text("SELECT pg_backend_pid()")).scalar_one()
        (where / f"inside-{process_id}").write_text(str(backend))
        with contextlib.suppress(AssertionError):  # unreleased, the step goes on after COUNTED_HOLD_SECONDS
            wait_until((where / f"release-{process_id}").exists, "the test releases the step",
                       float(os.environ.get("COUNTED_HOLD_SECONDS", "60")))
    _dwell()
    return {"held": True}


@modify_workflow("Counted steps on a subscription (reliability tests and chaos bench)")
def counted_modify() -> StepList:
    return StepList([_counted("Counted 1"), _counted("Counted 2"), hold, _counted("Counted 3")])


@workflow("Counted steps, then a Hold after the subscription is unlocked (a kill between unlock and done)",
          target=Target.MODIFY)
def counted_hold_after_unlock() -> StepList:
    return (init >> store_process_subscription() >> unsync >> _counted("Counted 1") >> resync >> hold
            >> done)
