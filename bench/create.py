"""Issue 16's CREATE, ours beside the reference, the floor and Prefect alone, in one run.

The work (bench/create_workflows.py): initial form (product, node id, node name), construct
the subscription, `store_process_subscription`, 10 trivial steps, set active, unlock, done
(16 step rows), started with `start_process(..., wait=True)` on Postgres; and the same with no
trivial steps (6 rows), so that a trivial step costs (10-step - 0-step) / 10, as the reference's
figure is derived. Modes, each in a child process of its own so that their Prefect settings
do not mix:

- embedded: the default, the flow runs in this process on a temporary Prefect server;
- server:   the flow runs in this process on a Prefect server on Postgres (devtools settings);
- served:   `orchestrator worker` runs it, on that Prefect server; the time is until our
            process row says completed (polled every 2 ms).

A mode may carry settings: `served@PREFECT_X=1@PREFECT_Y=2` (the child's environment), and
`@server:PREFECT_Z=false` for the Prefect server's (served/server modes get a server of their own
per distinct server setting). Beside them: the floor (the same step commits with plain psycopg on
one connection: a transaction per step that locks the process row, writes a step row and the
process pointer) and Prefect alone (a flow run with 16 or 6 no-op tasks, heartbeats off, in each
mode's child). Rounds are interleaved across modes; every figure is the median of the rounds'
medians.

    .venv/bin/python bench/create.py [--rounds 5] [--n 20] [--modes embedded served server]

The reference (orchestrator-core 5.5.0 through its service layer, thread-pool executor, log level
WARNING, same machine): 128 ms for the 10-step CREATE, 93 ms for the 0-step one, 3.7 ms a step.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.append(str(ROOT))  # after PYTHONPATH, so that a mode may run another tree (`@PYTHONPATH=...`)

from bench.common import prepare_create_database  # noqa: E402

REFERENCE = {"create10": 128.0, "create0": 93.0, "step": 3.7}
ROWS_10, ROWS_0 = 16, 6
DEFAULT_URL = "postgresql+psycopg://root@127.0.0.1:5432/bench_create"
NODE_PAGE = {"node_id": 101, "node_name": "ams-rt1"}


# ---------------------------------------------------------------- child: one mode's measurements

def _child(mode: str, url: str) -> None:
    from orchestrator_core.engine.prefect_runtime import apply_environment_defaults
    from orchestrator_core.logging_setup import configure_logging

    apply_environment_defaults()
    configure_logging()  # the child's ORCHESTRATOR_LOG_LEVEL (WARNING, as the reference was measured)
    import psycopg
    from prefect import flow, task
    from prefect.cache_policies import NO_CACHE

    import bench.create_workflows as wf
    from orchestrator_core.db import database, transaction
    from orchestrator_core.engine import prefect_server
    from orchestrator_core.engine.prefect_flows import unused_result_storage
    from orchestrator_core.engine.prefect_runtime import executing
    from orchestrator_core.migrations.helpers import get_product_id_by_name
    from orchestrator_core.services.processes import start_process

    database.configure(url)
    with transaction() as session:
        product = str(get_product_id_by_name(session, "Node Enrollment"))
    if mode == "embedded":
        prefect_server.ensure_started()
    served = mode == "served"
    watch = psycopg.connect(url.replace("postgresql+psycopg", "postgresql"), autocommit=True)

    @task(cache_policy=NO_CACHE, persist_result=False)
    def no_op(i: int) -> int:
        return i

    @flow(persist_result=False, validate_parameters=False, result_storage=unused_result_storage())
    def alone(tasks: int) -> None:
        for i in range(tasks):
            no_op(i)

    def create(name: str) -> float:
        t0 = time.perf_counter()
        pid = start_process(name, [{"product": product}, NODE_PAGE], "bench", wait=True)
        if served:
            while watch.execute("SELECT last_status FROM processes WHERE process_id = %s",
                                (pid,)).fetchone()[0] not in ("completed", "failed"):
                time.sleep(0.002)
        elapsed = time.perf_counter() - t0
        status = watch.execute("SELECT last_status FROM processes WHERE process_id = %s", (pid,)).fetchone()[0]
        if status != "completed":
            raise SystemExit(f"{mode}: process {pid} of {name} ended {status}")
        return elapsed

    def prefect_alone(tasks: int) -> float:
        t0 = time.perf_counter()
        with executing():
            alone(tasks, return_state=True)
        return time.perf_counter() - t0

    def one_round(n: int) -> dict[str, list[float]]:
        out: dict[str, list[float]] = {"create10": [], "create0": [], "alone16": [], "alone6": []}
        for _ in range(n):
            out["create10"].append(create(wf.WORKFLOW_10))
            out["create0"].append(create(wf.WORKFLOW_0))
            out["alone16"].append(prefect_alone(ROWS_10))
            out["alone6"].append(prefect_alone(ROWS_0))
        return out

    one_round(2)  # warm-up: client, caches, the server's first runs
    print("READY", flush=True)
    for line in sys.stdin:
        print("RESULT " + json.dumps(one_round(int(line))), flush=True)


# ---------------------------------------------------------------- parent: databases, servers, floor

def _floor_process(conn: Any, workflow_id: uuid.UUID, rows: int) -> float:
    """The same commits done with plain psycopg: the process, then one transaction per step row."""
    t0 = time.perf_counter()
    pid = uuid.uuid4()
    with conn.transaction():
        conn.execute("INSERT INTO processes (process_id, workflow_id, assignee, last_status, started_at, "
                     "last_modified_at, is_task) VALUES (%s, %s, 'SYSTEM', 'running', now(), now(), false)",
                     (pid, workflow_id))
        conn.execute("INSERT INTO input_states (input_state_id, process_id, input_state, input_time, input_type)"
                     " VALUES (%s, %s, '{}', now(), 'initial_state')", (uuid.uuid4(), pid))
    for i in range(rows):
        with conn.transaction():
            conn.execute("SELECT 1 FROM processes WHERE process_id = %s FOR UPDATE", (pid,))
            conn.execute("INSERT INTO process_steps (process_id, step_index, name, status, state, started_at, "
                         "completed_at) VALUES (%s, %s, %s, 'success', %s, now(), now())",
                         (pid, i, f"Step {i}", json.dumps({f"v{i}": i})))
            conn.execute("UPDATE processes SET last_step = %s, last_modified_at = now() WHERE process_id = %s",
                         (f"Step {i}", pid))
    with conn.transaction():
        conn.execute("UPDATE processes SET last_status = 'completed' WHERE process_id = %s", (pid,))
    return time.perf_counter() - t0


def _parse(spec: str) -> tuple[str, dict[str, str], dict[str, str]]:
    """`served@K=V@server:K2=V2` -> ("served", client env, server env)."""
    base, *parts = spec.split("@")
    client, server = {}, {}
    for part in parts:
        target = server if part.startswith("server:") else client
        key, _, value = part.removeprefix("server:").partition("=")
        target[key] = value
    if base not in ("embedded", "server", "served"):
        raise SystemExit(f"unknown mode {base!r}")
    return base, client, server


class _Mode:
    def __init__(self, spec: str, url: str, stack: contextlib.ExitStack, servers: dict[str, str]) -> None:
        from orchestrator_core.devtools import prefect_server

        self.spec = spec
        base, client, server_env = _parse(spec)
        home = Path(tempfile.mkdtemp(prefix="bench-create-"))
        env = {"ORCHESTRATOR_LOG_LEVEL": "WARNING", **os.environ, "PYTHONPATH": str(ROOT), "PREFECT_HOME": str(home),
               "ORCHESTRATOR_DATABASE_URL": url,
               "ORCHESTRATOR_WORKFLOW_MODULES": json.dumps(["bench.create_workflows"]), **client}
        env["PYTHONPATH"] = os.pathsep.join(dict.fromkeys([*env["PYTHONPATH"].split(os.pathsep), str(ROOT)]))
        env.pop("PREFECT_API_URL", None)
        if base != "embedded":
            key = json.dumps(server_env, sort_keys=True)
            if key not in servers:
                saved = {k: os.environ.get(k) for k in server_env}
                os.environ.update(server_env)
                try:
                    server = stack.enter_context(prefect_server(home / "server",
                                                                f"bench_create_prefect_{len(servers)}"))
                finally:
                    for k, v in saved.items():
                        os.environ.pop(k) if v is None else os.environ.__setitem__(k, v)
                servers[key] = server.api_url
            env["PREFECT_API_URL"] = servers[key]
        if base == "served":
            env["ORCHESTRATOR_EXECUTION_MODE"] = "served"
            stack.enter_context(self._worker(env, home))
        self.child = subprocess.Popen([sys.executable, __file__, "--child", base, "--url", url], env=env, cwd=ROOT,
                                      stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        stack.callback(self.close)
        self._until("READY")

    @staticmethod
    @contextlib.contextmanager
    def _worker(env: dict[str, str], home: Path) -> Iterator[None]:
        from tests.reliability.worker_process import WorkerProcess

        worker = WorkerProcess(env, home)
        worker.start(timeout=120)
        try:
            yield
        finally:
            worker.stop()

    def _until(self, prefix: str) -> str:
        assert self.child.stdout is not None
        for line in self.child.stdout:
            if line.startswith(prefix):
                return line[len(prefix):].strip()
            sys.stderr.write(f"[{self.spec}] {line}")
        raise SystemExit(f"mode {self.spec} ended early (exit {self.child.wait()})")

    def round(self, n: int) -> dict[str, list[float]]:
        assert self.child.stdin is not None
        self.child.stdin.write(f"{n}\n")
        self.child.stdin.flush()
        return json.loads(self._until("RESULT "))

    def close(self) -> None:
        if self.child.stdin:
            self.child.stdin.close()
        try:
            self.child.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.child.kill()


def _median_of_medians(rounds: list[list[float]]) -> float:
    return statistics.median(statistics.median(r) for r in rounds) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--n", type=int, default=20, help="processes of each variant per round")
    parser.add_argument("--modes", nargs="+", default=["embedded", "served", "server"])
    parser.add_argument("--url", default=DEFAULT_URL)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return _child(args.child, args.url)

    import psycopg
    import sqlalchemy as sa

    prepare_create_database(args.url)
    from orchestrator_core.db import transaction

    with transaction() as session:
        workflow_id = session.execute(sa.text("SELECT workflow_id FROM workflows WHERE name = 'bench_create_10'")
                                      ).scalar_one()
    results: dict[str, dict[str, list[list[float]]]] = {}
    floor: dict[str, list[list[float]]] = {"create10": [], "create0": []}
    with contextlib.ExitStack() as stack, psycopg.connect(args.url.replace("postgresql+psycopg", "postgresql")) as conn:
        servers: dict[str, str] = {}
        modes = [_Mode(spec, args.url, stack, servers) for spec in args.modes]
        for r in range(args.rounds):  # interleaved: a load change on the machine hits every variant alike
            floor["create10"].append([_floor_process(conn, workflow_id, ROWS_10) for _ in range(args.n)])
            floor["create0"].append([_floor_process(conn, workflow_id, ROWS_0) for _ in range(args.n)])
            for mode in modes:
                for key, values in mode.round(args.n).items():
                    results.setdefault(mode.spec, {}).setdefault(key, []).append(values)
            print(f"round {r + 1}/{args.rounds} done", file=sys.stderr, flush=True)
    report(results, floor, args)


def _row(table: Any, what: str, ten: float, zero: float, rows: tuple[int, int] = (ROWS_10, ROWS_0)) -> None:
    per_step = (ten - zero) / (rows[0] - rows[1])
    table.add_row(what, f"{ten:.1f}", f"{ten / REFERENCE['create10']:.2f}", f"{zero:.1f}",
                  f"{zero / REFERENCE['create0']:.2f}", f"{per_step:.2f}", f"{per_step / REFERENCE['step']:.2f}")


def report(results: dict[str, dict[str, list[list[float]]]], floor: dict[str, list[list[float]]],
           args: argparse.Namespace) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"CREATE of issue 16's shape: median of {args.rounds} round medians, {args.n} each")
    for column in ("system / mode", "10-step ms", "x ref", "0-step ms", "x ref", "ms / step", "x ref"):
        table.add_column(column, justify="right")
    table.add_row("reference (orchestrator-core 5.5.0, constants)", f"{REFERENCE['create10']:.1f}", "1.00",
                  f"{REFERENCE['create0']:.1f}", "1.00", f"{REFERENCE['step']:.2f}", "1.00")
    for spec, values in results.items():
        _row(table, f"ours, {spec}", _median_of_medians(values["create10"]), _median_of_medians(values["create0"]))
    _row(table, "floor: plain psycopg, same commits", _median_of_medians(floor["create10"]),
         _median_of_medians(floor["create0"]))
    for spec, values in results.items():
        _row(table, f"Prefect alone (16 / 6 no-op tasks), {spec}", _median_of_medians(values["alone16"]),
             _median_of_medians(values["alone6"]))
    Console(width=140).print(table)
    print("x ref: ratio to the reference's figure in the same column; ms / step = (10-step - 0-step) / 10. "
          "Floor and Prefect alone have 16 / 6 step rows or tasks, as our processes do.")


if __name__ == "__main__":
    try:  # a script is an entry point: wire the services into the engine
        from orchestrator_core.bootstrap import bootstrap

        bootstrap()
    except ImportError:  # a mode on an older tree (`@PYTHONPATH=...`), wired by its imports
        pass
    sys.exit(main())
