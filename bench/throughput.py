"""Processes per second through the served path, for 1, 2 and 4 `orchestrator worker` processes sharing one
Prefect server on Postgres, beside one in-process executor in the same run (issue 14).

    .venv/bin/python bench/throughput.py [--n 100] [--workers 1 2 4] [--url postgresql+psycopg://...]

The work is bench/create_workflows.py's 10-step CREATE (16 step rows), the shape of issue 16. Served: our
API (`orchestrator serve`, served mode) answers N starts sent by 8 client threads at once, the workers
execute them; the time runs from the first start sent until our process table says the last one ended.
Each worker count gets workers of its own (ORCHESTRATOR_WORKER_THREADS threads each, default 4), after a
warm-up of 4 processes. The baseline: `start_process(..., wait=True)` N times, one after the other, in one
process whose flows run in-process on the same Prefect server.

The reference (orchestrator-core 5.5.0 on this machine, same shape): 7.8/s with 1 thread, 7.3-7.9/s with
2-8 threads, 11.2/s with two OS processes.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import prepare_create_database  # noqa: E402

DEFAULT_URL = "postgresql+psycopg://root@127.0.0.1:5432/bench_throughput"
WORKFLOW = "bench_create_10"
NODE_PAGE = {"node_id": 101, "node_name": "ams-rt1"}
REFERENCE = [("reference, 1 thread", "7.8"), ("reference, 2-8 threads", "7.3-7.9"),
             ("reference, 2 OS processes", "11.2")]
SENDERS = 8
WARM_UP = 4
FINAL = ("completed", "failed", "aborted", "crashed")


def _product_id(url: str) -> str:
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    with engine.connect() as conn:
        product = conn.execute(sa.text("SELECT product_id::text FROM products WHERE name = 'Node Enrollment'")
                               ).scalar_one()
    engine.dispose()
    return str(product)


def _ended(url: str, ids: list[str], timeout: float) -> dict[str, int]:
    """Wait until every process has ended; how many ended how."""
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    deadline = time.monotonic() + timeout
    try:
        with engine.connect() as conn:
            while True:
                rows = conn.execute(sa.text("SELECT last_status, count(*) FROM processes WHERE process_id::text = "
                                            "ANY(:ids) GROUP BY last_status"), {"ids": ids}).all()
                conn.rollback()
                counts = {status: n for status, n in rows}
                if sum(counts.get(s, 0) for s in FINAL) == len(ids) or time.monotonic() > deadline:
                    return counts
                time.sleep(0.01)
    finally:
        engine.dispose()


def _served_round(api: str, url: str, form: list[dict], n: int) -> tuple[float, dict[str, int]]:
    import httpx

    with httpx.Client(base_url=api, timeout=120) as client, ThreadPoolExecutor(SENDERS) as pool:
        def start(_: int) -> str:
            answer = client.post(f"/api/processes/{WORKFLOW}", json=form)
            if answer.status_code != 201:
                raise SystemExit(f"start refused: {answer.status_code} {answer.text}")
            return str(answer.json()["id"])

        t0 = time.perf_counter()
        ids = list(pool.map(start, range(n)))
    counts = _ended(url, ids, timeout=max(600.0, n * 5.0))
    return time.perf_counter() - t0, counts


def _in_process(url: str, n: int) -> None:
    """The baseline, in a child of its own (so that its Prefect settings are its own): prints the seconds."""
    from orchestrator_core.engine.prefect_runtime import apply_environment_defaults

    apply_environment_defaults()
    import bench.create_workflows  # noqa: F401  (registers the workflows)
    from orchestrator_core.db import database
    from orchestrator_core.services.processes import start_process

    database.configure(url)
    form = [{"product": _product_id(url)}, NODE_PAGE]
    for _ in range(WARM_UP):
        start_process(WORKFLOW, form, "bench", wait=True)
    t0 = time.perf_counter()
    ids = [str(start_process(WORKFLOW, form, "bench", wait=True)) for _ in range(n)]
    elapsed = time.perf_counter() - t0
    print("RESULT " + json.dumps({"seconds": elapsed, "counts": _ended(url, ids, timeout=60)}), flush=True)


def _env(url: str, api_url: str, home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "ORCHESTRATOR_"))}
    return {**env, "ORCHESTRATOR_LOG_LEVEL": "WARNING", "ORCHESTRATOR_DATABASE_URL": url,
            "ORCHESTRATOR_EXECUTION_MODE": "served", "PREFECT_API_URL": api_url, "PREFECT_HOME": str(home),
            "ORCHESTRATOR_WORKFLOW_MODULES": json.dumps(["bench.create_workflows"]), "PYTHONPATH": str(ROOT)}


def _baseline(env: dict[str, str], url: str, n: int) -> dict:
    child = {**env, "ORCHESTRATOR_EXECUTION_MODE": "embedded"}
    done = subprocess.run([sys.executable, __file__, "--in-process", "--n", str(n), "--url", url], env=child,
                          cwd=ROOT, capture_output=True, text=True, timeout=3600, check=False)
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    if done.returncode != 0 or not lines:
        raise SystemExit(f"in-process baseline failed: {done.stdout[-2000:]}{done.stderr[-3000:]}")
    result = json.loads(lines[-1].removeprefix("RESULT "))
    if result["counts"].get("completed", 0) != n:  # a rate of processes that did not complete is no baseline
        raise SystemExit(f"in-process baseline: not every process completed ({result['counts']}): "
                         f"{done.stderr[-3000:]}")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=100, help="processes per measurement")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--url", default=DEFAULT_URL)
    parser.add_argument("--in-process", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.in_process:
        return _in_process(args.url, args.n)

    from orchestrator_core.devtools import drop_database, prefect_server
    from tests.execution import serve_under_test as sut
    from tests.reliability.worker_process import WorkerProcess

    prepare_create_database(args.url)
    form = [{"product": _product_id(args.url)}, NODE_PAGE]
    work = Path(tempfile.mkdtemp(prefix="bench-throughput-"))
    rows: list[tuple[str, int, float, dict[str, int]]] = []
    try:
        with contextlib.ExitStack() as stack:
            server = stack.enter_context(prefect_server(work / "prefect", f"bench_throughput_prefect_{os.getpid()}"))
            env = _env(args.url, server.api_url, work / "prefect")
            print("in-process baseline…", file=sys.stderr, flush=True)
            base = _baseline(env, args.url, args.n)
            rows.append(("in-process executor (baseline)", args.n, base["seconds"], base["counts"]))
            served = stack.enter_context(sut.serving_subprocess(env, work / "serve.log"))
            sut.wait_ready(served)
            for count in args.workers:
                print(f"{count} worker(s)…", file=sys.stderr, flush=True)
                workers = [WorkerProcess(env, _directory(work / f"workers-{count}-{i}")) for i in range(count)]
                try:
                    for worker in workers:
                        worker.start(wait=False)
                    for worker in workers:
                        worker.wait_ready(timeout=300)
                    _served_round(served.url, args.url, form, WARM_UP)
                    seconds, counts = _served_round(served.url, args.url, form, args.n)
                finally:
                    for worker in workers:
                        worker.stop()
                rows.append((f"{count} worker{'s' if count > 1 else ''}", args.n, seconds, counts))
    finally:
        drop_database(args.url)
    report(rows, args.n)


def _directory(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


def report(rows: list[tuple[str, int, float, dict[str, int]]], n: int) -> None:
    from rich.console import Console
    from rich.table import Table

    baseline = rows[0][1] / rows[0][2]
    threads = os.environ.get("ORCHESTRATOR_WORKER_THREADS", "4")
    table = Table(title=f"Throughput, {WORKFLOW} (16 step rows), {n} processes each; workers with {threads} "
                        "threads; served: our API start -> our process completed")
    table.add_column("executor")
    for column in ("processes", "seconds", "processes/s", "x in-process", "not completed"):
        table.add_column(column, justify="right")
    for label, count, seconds, counts in rows:
        rate = count / seconds
        missing = count - counts.get("completed", 0)
        table.add_row(label, str(count), f"{seconds:.1f}", f"{rate:.2f}", f"{rate / baseline:.2f}", str(missing))
    for label, rate_text in REFERENCE:
        table.add_row(f"{label} (constant)", "", "", rate_text, "", "")
    Console(width=140).print(table)
    print(f"Load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (figures on a busy "
          "machine are ratios only).")


if __name__ == "__main__":
    from orchestrator_core.bootstrap import bootstrap

    bootstrap()  # a script is an entry point: wire the services into the engine (the in-process baseline runs here)
    sys.exit(main())
