"""Chaos: N processes on Postgres with a served executor while the executor, Postgres and Prefect die.

    .venv/bin/python bench/chaos.py [--n 200] [--kills 20] [--workers 1] [--no-postgres-restart]
                                    [--shared-postgres] [--seed 7]

A Prefect server (devtools) and `--workers` `orchestrator worker` subprocesses sharing its
deployments run `counted_modify` (every step counts its execution in a side table, in its own
transaction) on one subscription per process. Faults: SIGKILL of a worker (each in turn) at random
moments while one of its steps is inside its transaction (seen in pg_stat_activity under that
worker's application_name), restarted after each kill; one restart of Postgres; one stop/start of
the Prefect server. Postgres is a cluster of the run's own (initdb on a free port), so that its
restart breaks nobody else's sessions; --shared-postgres uses and restarts the machine's cluster
(15/main) instead. Then every resumable process is resumed until none is left,
and a table says what an operator would check. Every number but completed must be 0.
"""

from __future__ import annotations

import argparse
import contextvars
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="chaos-prefect-"))
from orchestrator_core.engine.prefect_runtime import apply_environment_defaults  # noqa: E402

apply_environment_defaults()

import sqlalchemy as sa  # noqa: E402
from prefect.settings import PREFECT_API_URL, temporary_settings  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from orchestrator_core.db import ProcessTable, database, transaction  # noqa: E402
from orchestrator_core.db.migrate import upgrade  # noqa: E402
from orchestrator_core.devtools import (  # noqa: E402
    POSTGRES_ADMIN_URL,
    PostgresCluster,
    prefect_server,
    private_postgres,
    recreate_postgres_database,
)
from orchestrator_core.engine import lease  # noqa: E402
from orchestrator_core.errors import OrchestratorError  # noqa: E402
from orchestrator_core.services.processes import resume_process, start_process  # noqa: E402
from orchestrator_core.settings import app_settings  # noqa: E402
from orchestrator_core.types import RESUMABLE_STATUSES, ProcessStatus  # noqa: E402
from tests.guard import factories  # noqa: E402
from tests.reliability import ledger  # noqa: E402
from tests.reliability.counted_workflows import EFFECTS_DDL, counted_modify  # noqa: E402
from tests.reliability.worker_process import WorkerProcess, worker_env  # noqa: E402

WORKER_APP = "chaos-worker"


@dataclass
class Faults:
    kills: int = 0
    kills_inside_step: int = 0
    postgres_restarts: int = 0
    prefect_restarts: int = 0
    kills_by_worker: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def steps_in_flight(app: str) -> int:
    """A worker's connections sitting inside a transaction: a step has begun and not committed."""
    with transaction() as s:
        return s.execute(sa.text("SELECT count(*) FROM pg_stat_activity WHERE application_name = :app AND "
                                 "datname = current_database() AND state LIKE 'idle in transaction%'"),
                         {"app": app}).scalar_one()


def kill_inside_a_step(worker: WorkerProcess, app: str, faults: Faults, rng: random.Random) -> None:
    """SIGKILL the worker once one of its steps is inside its transaction (or after 5 s), and start it
    again without waiting: with several workers, the next one is hit while this one boots."""
    worker.wait_ready()
    time.sleep(rng.uniform(0.2, 1.2))
    deadline = time.monotonic() + 5
    inside = False
    while time.monotonic() < deadline and not inside:
        inside = steps_in_flight(app) > 0
        if not inside:
            time.sleep(0.01)
    worker.kill()
    faults.kills += 1
    faults.kills_inside_step += inside
    faults.kills_by_worker[app] = faults.kills_by_worker.get(app, 0) + 1
    worker.start(wait=False)


def wait_for_postgres(timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with transaction() as s:
                s.execute(sa.text("SELECT 1"))
            return
        except sa.exc.OperationalError:
            time.sleep(0.5)
    raise RuntimeError("Postgres did not come back")


def restart_postgres(faults: Faults, cluster: PostgresCluster | None) -> None:
    if cluster is not None:
        cluster.restart()
    else:
        subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", "15", "main", "restart"], check=True)
    faults.postgres_restarts += 1
    wait_for_postgres()


def restart_prefect(server, faults: Faults) -> None:
    server.stop()
    time.sleep(2)
    server.start()
    faults.prefect_restarts += 1


def statuses(process_ids: list[uuid.UUID]) -> dict[uuid.UUID, str]:
    with transaction() as s:
        return dict(s.execute(sa.select(ProcessTable.process_id, ProcessTable.last_status)
                              .where(ProcessTable.process_id.in_(process_ids))).all())


def start_in_background(subscriptions: list[uuid.UUID], faults: Faults) -> threading.Thread:
    """Start a process on every subscription, one after the other, while the faults go on: a start
    that Postgres or Prefect refused (restarting) is tried again; a refusal of our guard is noted."""

    def start_all() -> None:
        for sub in subscriptions:
            for _attempt in range(60):
                try:
                    start_process("counted_modify", [{"subscription_id": str(sub)}], "chaos", wait=False)
                    break
                except OrchestratorError as refused:
                    if refused.code != "prefect.unavailable":
                        faults.notes.append(f"start on {sub} refused: {refused.code}: {refused.message}")
                        break
                except Exception as exc:  # Postgres restarting (a dropped connection), or the like: again
                    faults.notes.append(f"start on {sub} retried after {type(exc).__name__}")
                time.sleep(1)

    thread = threading.Thread(target=contextvars.copy_context().run, args=(start_all,), name="chaos-starts")
    thread.start()
    return thread


def all_processes() -> list[uuid.UUID]:
    with transaction() as s:
        return list(s.execute(sa.select(ProcessTable.process_id)).scalars())


def unfinished(process_ids: list[uuid.UUID]) -> bool:
    """Whether any process is still waiting for or in an executor: faults now can still hurt one."""
    return any(status in (ProcessStatus.CREATED, ProcessStatus.RUNNING) for status in statuses(process_ids).values())


def settle(process_ids: list[uuid.UUID], quiet_seconds: float = 4, timeout: float = 600) -> dict[uuid.UUID, str]:
    """Wait until nothing runs and no status changed for a while (the worker drained its queue)."""
    deadline = time.monotonic() + timeout
    last, since = None, time.monotonic()
    while time.monotonic() < deadline:
        lease.reap_expired()
        now = statuses(process_ids)
        if now != last:
            last, since = now, time.monotonic()
        running = any(v == ProcessStatus.RUNNING for v in now.values())
        if not running and time.monotonic() - since > quiet_seconds:
            return now
        time.sleep(0.5)
    raise RuntimeError("processes never settled")


def resume_all(process_ids: list[uuid.UUID], rounds: int = 5) -> int:
    resumes = 0
    for _ in range(rounds):
        now = settle(process_ids)
        open_ids = [p for p, status in now.items() if ProcessStatus(status) in RESUMABLE_STATUSES]
        if not open_ids:
            break
        for process_id in open_ids:
            resume_process(process_id, user="chaos", wait=False)
            resumes += 1
    return resumes


def report(faults: Faults, process_ids: list[uuid.UUID], subscriptions: list[uuid.UUID], resumes: int,
           seconds: float, workers: int) -> bool:
    final = statuses(process_ids)
    check = ledger.check(process_ids)
    locked = ledger.locked_subscriptions(subscriptions)
    completed = sum(v == ProcessStatus.COMPLETED for v in final.values())
    resumable = sum(ProcessStatus(v) in RESUMABLE_STATUSES or v == ProcessStatus.RUNNING for v in final.values())
    stuck = Counter(v for v in final.values() if v != ProcessStatus.COMPLETED)
    table = Table(title=f"chaos: {len(process_ids)} processes, {workers} worker(s), {seconds:.0f} s, "
                        f"{resumes} resumes")
    table.add_column("what")
    table.add_column("count", justify="right")
    table.add_row("faults injected: worker SIGKILLs", str(faults.kills))
    if workers > 1:
        table.add_row("  per worker", " / ".join(str(n) for _app, n in sorted(faults.kills_by_worker.items())))
    table.add_row("  of which inside a step's transaction", str(faults.kills_inside_step))
    table.add_row("faults injected: Postgres restarts", str(faults.postgres_restarts))
    table.add_row("faults injected: Prefect server restarts", str(faults.prefect_restarts))
    table.add_row("processes", str(len(process_ids)))
    table.add_row("completed", str(completed))
    table.add_row("resumable (not completed)", str(resumable))
    table.add_row("stuck (not completed at the end)", str(sum(stuck.values())))
    table.add_row("lost steps", str(len(check.lost)))
    table.add_row("steps committed twice", str(len(check.doubled)))
    table.add_row("subscriptions left locked", str(len(locked)))
    Console().print(table)
    for line in faults.notes:
        print(line)
    if stuck:
        print("stuck by status:", dict(stuck))
    if check.lost or check.doubled:
        print("lost:", check.lost[:10], "doubled:", check.doubled[:10])
    return completed == len(process_ids) and not (resumable or stuck or check.lost or check.doubled or locked)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--kills", type=int, default=20, help="SIGKILLs that land inside a step")
    parser.add_argument("--workers", type=int, default=1, help="`orchestrator worker` processes sharing Prefect")
    parser.add_argument("--no-postgres-restart", action="store_true")
    parser.add_argument("--shared-postgres", action="store_true",
                        help="use (and restart) the machine's cluster, not one of the run's own")
    parser.add_argument("--step-seconds", type=float, default=0.3, help="upper bound of each step's dwell")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--name", default="chaos")
    args = parser.parse_args()
    if args.shared_postgres:
        return run(args, None)
    with private_postgres() as cluster:
        return run(args, cluster)


def run(args: argparse.Namespace, cluster: PostgresCluster | None) -> int:
    rng = random.Random(args.seed)
    t0 = time.monotonic()
    admin_url = cluster.admin_url if cluster is not None else POSTGRES_ADMIN_URL

    url = recreate_postgres_database(f"{args.name}_orchestrator", admin_url)
    database.configure(url)
    upgrade()
    with transaction() as s:
        s.execute(sa.text(EFFECTS_DDL))
    product_id = factories.product(tag="CHAOS")
    factories.register(counted_modify, product_id)
    subscriptions = [factories.subscription(product_id) for _ in range(args.n)]
    app_settings.ORCHESTRATOR_EXECUTION_MODE = "served"
    home = Path(os.environ["PREFECT_HOME"])
    faults = Faults()

    with prefect_server(home, f"{args.name}_prefect", admin_url=admin_url) as server, \
            temporary_settings({PREFECT_API_URL: server.api_url}):
        workers: list[tuple[str, WorkerProcess]] = []
        for i in range(args.workers):
            app = f"{WORKER_APP}-{i}"
            env = worker_env(server.api_url, f"{url}?application_name={app}", home / "signals",
                             COUNTED_STEP_SECONDS=str(args.step_seconds),
                             ORCHESTRATOR_STARTUP_WAIT_SECONDS="120")  # one booting during the Postgres restart
            env.pop("COUNTED_SIGNAL_DIR")
            (home / app).mkdir(exist_ok=True)
            workers.append((app, WorkerProcess(env, home / app)))
        try:
            for _app, worker in workers:
                worker.start()
            starter = start_in_background(subscriptions, faults)
            postgres_at = -1 if args.no_postgres_restart else max(1, args.kills // 3)
            prefect_at = max(1, 2 * args.kills // 3)
            attempts = 0
            while (faults.kills_inside_step < args.kills and attempts < 3 * args.kills
                   and (starter.is_alive() or unfinished(all_processes()))):
                attempts += 1
                app, worker = workers[faults.kills % len(workers)]  # the kills go round the workers
                kill_inside_a_step(worker, app, faults, rng)
                if faults.kills == postgres_at and not faults.postgres_restarts:
                    time.sleep(rng.uniform(0.3, 1.0))
                    restart_postgres(faults, cluster)
                if faults.kills == prefect_at and not faults.prefect_restarts:
                    time.sleep(rng.uniform(0.3, 1.0))
                    restart_prefect(server, faults)
            starter.join()
            for _app, worker in workers:
                worker.wait_ready()
            process_ids = all_processes()  # every process written, whether or not its start call returned
            resumes = resume_all(process_ids)
            settle(process_ids)
            ok = report(faults, process_ids, subscriptions, resumes, time.monotonic() - t0, len(workers))
        finally:
            for _app, worker in workers:
                worker.stop()
    return 0 if ok else 1


if __name__ == "__main__":
    from orchestrator_core.bootstrap import bootstrap

    bootstrap()  # a script is an entry point: wire the services into the engine
    sys.exit(main())
