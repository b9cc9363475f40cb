"""Per-process cost of the engine: a 10-step workflow of trivial steps, on Postgres with a
Prefect server, beside the floor (the same commits done with plain psycopg) in the same run.

    .venv/bin/python bench/engine.py [--runs 50]

The reference system (orchestrator-core) needs 131 ms per such process on this machine.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="bench-engine-prefect-"))
from orchestrator_core.engine.prefect_runtime import apply_environment_defaults  # noqa: E402

apply_environment_defaults()

import psycopg  # noqa: E402
import sqlalchemy as sa  # noqa: E402
from prefect import flow, task  # noqa: E402
from prefect.cache_policies import NO_CACHE  # noqa: E402
from prefect.settings import PREFECT_API_URL, temporary_settings  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from orchestrator_core.db import database  # noqa: E402
from orchestrator_core.db.migrate import upgrade  # noqa: E402
from orchestrator_core.devtools import prefect_server, recreate_postgres_database  # noqa: E402
from orchestrator_core.engine.prefect_runtime import executing  # noqa: E402
from orchestrator_core.services.processes import start_process  # noqa: E402
from orchestrator_core.workflow import StepList, step, workflow  # noqa: E402

STEPS = 10
REFERENCE_MS = 131.0


def _trivial(i: int):
    @step(f"Trivial {i}")
    def trivial() -> dict:
        return {f"v{i}": i}

    return trivial


@workflow("Ten trivial steps")
def ten_trivial_steps():
    return StepList([_trivial(i) for i in range(STEPS)])


def floor_once(dsn: str, workflow_id: uuid.UUID) -> float:
    """What the engine must at least do: create the process, then one commit per step."""
    t0 = time.perf_counter()
    with psycopg.connect(dsn) as conn:
        pid = uuid.uuid4()
        with conn.transaction():
            conn.execute("INSERT INTO processes (process_id, workflow_id, assignee, last_status, started_at, "
                         "last_modified_at, is_task) VALUES (%s, %s, 'SYSTEM', 'created', now(), now(), false)",
                         (pid, workflow_id))
            conn.execute("INSERT INTO input_states (input_state_id, process_id, input_state, input_time, input_type)"
                         " VALUES (%s, %s, '{}', now(), 'initial_state')", (uuid.uuid4(), pid))
        for i in range(STEPS):
            with conn.transaction():
                conn.execute("SELECT 1 FROM processes WHERE process_id = %s FOR UPDATE", (pid,))
                conn.execute("INSERT INTO process_steps (process_id, step_index, name, status, state, started_at, "
                             "completed_at) VALUES (%s, %s, %s, 'success', %s, now(), now())",
                             (pid, i, f"Trivial {i}", f'{{"v{i}": {i}}}'))
                conn.execute("UPDATE processes SET last_step = %s, last_modified_at = now() WHERE process_id = %s",
                             (f"Trivial {i}", pid))
        with conn.transaction():
            conn.execute("UPDATE processes SET last_status = 'completed' WHERE process_id = %s", (pid,))
    return time.perf_counter() - t0


@task(cache_policy=NO_CACHE, persist_result=False)
def bare_task(i: int) -> int:
    return i


@flow(persist_result=False, validate_parameters=False)
def bare_ten_tasks() -> None:
    for i in range(STEPS):
        bare_task(i)


def prefect_alone_once() -> float:
    """Prefect's own cost of the same shape: a flow run with 10 no-op tasks, no database of ours."""
    t0 = time.perf_counter()
    with executing():
        bare_ten_tasks(return_state=True)
    return time.perf_counter() - t0


def engine_once() -> float:
    t0 = time.perf_counter()
    start_process("ten_trivial_steps", [{}], "bench", wait=True, register=True)
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    url = recreate_postgres_database("bench_engine")
    database.configure(url)
    upgrade()
    with prefect_server(Path(os.environ["PREFECT_HOME"]), "bench_engine_prefect") as server, \
            temporary_settings({PREFECT_API_URL: server.api_url}):
        engine_once()  # registers the workflow, warms Prefect's client
        with database.transaction() as s:
            workflow_id = s.execute(sa.text(
                "SELECT workflow_id FROM workflows WHERE name = 'ten_trivial_steps'")).scalar_one()
        dsn = url.replace("postgresql+psycopg", "postgresql")
        prefect_alone_once()
        engine, floor, prefect_alone = [], [], []
        for _ in range(args.runs):  # interleaved, so that load changes hit all three alike
            engine.append(engine_once())
            floor.append(floor_once(dsn, workflow_id))
            prefect_alone.append(prefect_alone_once())
    report(engine, floor, prefect_alone, args.runs)


def report(engine: list[float], floor: list[float], prefect_alone: list[float], runs: int) -> None:
    e_ms, f_ms = statistics.median(engine) * 1000, statistics.median(floor) * 1000
    p_ms = statistics.median(prefect_alone) * 1000
    table = Table(title=f"10-step process, Postgres + Prefect server, median of {runs}")
    for column in ("what", "ms / process", "ms / step", "x floor", "x reference (131 ms)"):
        table.add_column(column, justify="right")
    table.add_row("floor: plain psycopg commits", f"{f_ms:.1f}", f"{f_ms / STEPS:.2f}", "1.00",
                  f"{f_ms / REFERENCE_MS:.2f}")
    table.add_row("Prefect alone: flow run + 10 no-op tasks", f"{p_ms:.1f}", f"{p_ms / STEPS:.2f}",
                  f"{p_ms / f_ms:.2f}", f"{p_ms / REFERENCE_MS:.2f}")
    table.add_row("engine: flow run + task per step", f"{e_ms:.1f}", f"{e_ms / STEPS:.2f}", f"{e_ms / f_ms:.2f}",
                  f"{e_ms / REFERENCE_MS:.2f}")
    Console().print(table)
    print(f"engine beyond Prefect alone and the commit floor: {e_ms - p_ms - f_ms:.1f} ms per process")


if __name__ == "__main__":
    from orchestrator_core.bootstrap import bootstrap

    bootstrap()  # a script is an entry point: wire the services into the engine
    sys.exit(main())
