"""`orchestrator serve` from cold: how long until it is ready, how many Prefect servers it starts, what
becomes of 20 starts fired in its first second, and what is left alive after SIGTERM.

    .venv/bin/python bench/serve_startup.py [--runs 3] [--starts 20] [--signal TERM|INT]

Embedded mode with default settings (no PREFECT_API_URL), on a fresh Postgres database per run and
a fresh PREFECT_HOME (the first start on a machine), or with --warm one PREFECT_HOME for all runs.
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.execution import serve_under_test as sut  # noqa: E402

FINAL = {"completed", "failed", "aborted", "crashed"}


def one_run(index: int, starts: int, sig: signal.Signals, prefect_home: Path | None = None) -> dict:
    url = f"postgresql+psycopg://root@127.0.0.1:5432/serve_startup_{os.getpid()}_{index}"
    subscriptions = sut.prepare_database(url, starts)
    work = Path(tempfile.mkdtemp(prefix="serve-startup-"))
    seen: set[int] = set()
    peak_servers = 0
    home = prefect_home or work / "prefect-home"
    with sut.serving_subprocess(sut.serve_env(url, home), work / "serve.log") as served:
        ready = sut.wait_ready(served)
        with httpx.Client(base_url=served.url, timeout=60) as client, ThreadPoolExecutor(starts) as pool:
            answers = list(pool.map(lambda s: client.post(f"/api/processes/{sut.WORKFLOW}",
                                                          json=[{"subscription_id": str(s)}]), subscriptions))
        fired = time.monotonic() - served.started_at - ready
        ids = [a.json()["id"] for a in answers if a.status_code == 201]
        deadline = time.monotonic() + 90
        table: dict = {}
        while time.monotonic() < deadline:
            seen |= sut.descendants(served.process.pid)
            peak_servers = max(peak_servers, len(sut.prefect_servers(sut.alive(seen))))
            table = sut.processes_table(url, ids)
            if len(table) == len(ids) and all(status in FINAL for status, _ in table.values()):
                break
            time.sleep(0.2)
        all_done = time.monotonic() - served.started_at
        seen |= sut.descendants(served.process.pid)
        os.kill(served.process.pid, sig)
        try:
            served.process.wait(timeout=30)
        except Exception:
            pass
        time.sleep(1)  # measuring only: let children finish exiting
        survivors = sut.alive(seen)
        locked = sut.locked_subscriptions(url, subscriptions)
    from orchestrator_core.devtools import drop_database

    drop_database(url)
    statuses = [status for status, _ in table.values()]
    return {"ready": ready, "fired_in": fired, "accepted": len(ids), "completed": statuses.count("completed"),
            "created": statuses.count("created"), "other": len(statuses) - statuses.count("completed")
            - statuses.count("created"), "all_done": all_done, "prefect_servers": peak_servers,
            "locked": len(locked), "survivors": len(survivors)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--starts", type=int, default=20)
    parser.add_argument("--signal", choices=["TERM", "INT"], default="TERM")
    parser.add_argument("--warm", action="store_true",
                        help="one PREFECT_HOME for all runs (a user's second start); run 0 warms it")
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="serve-startup-home-")) if args.warm else None
    rows = [one_run(i, args.starts, signal.Signals[f"SIG{args.signal}"], home) for i in range(args.runs)]
    keys = list(rows[0])
    print("run  " + "  ".join(f"{k:>15}" for k in keys))
    for i, row in enumerate(rows):
        print(f"{i:<4} " + "  ".join(f"{row[k]:>15.2f}" if isinstance(row[k], float) else f"{row[k]:>15}"
                                     for k in keys))
    print(f"median ready {statistics.median(r['ready'] for r in rows):.2f} s, median all done "
          f"{statistics.median(r['all_done'] for r in rows):.2f} s")


if __name__ == "__main__":
    main()
