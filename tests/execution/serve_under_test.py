"""`orchestrator serve` as a user starts it (embedded, default settings, no PREFECT_API_URL), on a fresh
Postgres database with subscriptions for `quick_modify`; and the process tree it leaves behind.

Shared by tests/execution and bench/serve_startup.py. Descendants are found by parent process id
(/proc/*/stat), never by name, so that a Prefect server reparented to init is still seen as ours
through the process group and session it was started in.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import sqlalchemy as sa

from orchestrator_core.devtools import BIN, free_port, recreate_database
from tests.waiting import wait_until

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW = "quick_modify"
MODULES = '["flows", "tests.execution.quick_workflows"]'


def prepare_database(url: str, subscriptions: int) -> list[uuid.UUID]:
    """A fresh database at the newest schema, a product linked to `quick_modify`, and in-sync
    ACTIVE subscriptions of it. Runs in a subprocess so that this process keeps its own engine."""
    recreate_database(url)
    script = (
        "import sys, json\n"
        "from orchestrator_core.db import database\n"
        "from orchestrator_core.db.migrate import upgrade\n"
        "database.configure(sys.argv[1])\n"
        f"upgrade(app_dir={str(ROOT)!r})\n"
        "from tests.execution.quick_workflows import quick_modify\n"
        "from tests.guard import factories\n"
        "product = factories.product()\n"
        "factories.register(quick_modify, product)\n"
        "print(json.dumps([str(factories.subscription(product)) for _ in range(int(sys.argv[2]))]))\n"
    )
    done = subprocess.run([str(BIN / "python"), "-c", script, url, str(subscriptions)], cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True,
                          timeout=300, check=False)
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-3000:])
    import json

    return [uuid.UUID(s) for s in json.loads(done.stdout.strip().splitlines()[-1])]


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def at_a_terminal() -> dict[str, Any]:
    """Popen options that start a command as a terminal does: in a session of its own, with Ctrl-C's SIGINT
    at its default. A suite started in the background (`cmd &` in a script) ignores SIGINT, and commands
    inherit that, so a test of Ctrl-C must not depend on how the suite itself was started."""
    return {"start_new_session": True, "preexec_fn": _default_sigint}


def serve_env(database_url: str, prefect_home: Path, **settings: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "ORCHESTRATOR_"))}
    return {**env, "ORCHESTRATOR_DATABASE_URL": database_url, "PREFECT_HOME": str(prefect_home),
            "ORCHESTRATOR_WORKFLOW_MODULES": MODULES, "PYTHONPATH": str(ROOT), **settings}


@dataclass
class Served:
    url: str
    process: subprocess.Popen
    log: Path
    started_at: float

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")


@contextlib.contextmanager
def serving_subprocess(env: dict[str, str], log: Path, command: tuple[str, ...] = ("serve",)) -> Iterator[Served]:
    """`orchestrator serve` in a session of its own (as a terminal would start it), killed with its
    whole session at the end if a test left it running."""
    port = free_port()
    with log.open("w") as out:
        process = subprocess.Popen([str(BIN / "orchestrator"), *command, "--port", str(port)], cwd=ROOT, env=env,
                                   stdout=out, stderr=subprocess.STDOUT, **at_a_terminal())
    served = Served(f"http://127.0.0.1:{port}", process, log, time.monotonic())
    try:
        yield served
    finally:
        kill_session(process.pid)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=10)


def wait_ready(served: Served, timeout: float = 300) -> float:
    """Seconds from the command's start until /api/health answers 200; the Prefect server's start-up is part
    of it (3-7 s on an idle machine, over a minute on a loaded one)."""
    with httpx.Client(timeout=2) as client:
        def healthy() -> bool:
            if served.process.poll() is not None:
                raise RuntimeError(f"serve exited {served.process.returncode}: {served.log_text()[-3000:]}")
            with contextlib.suppress(httpx.HTTPError):
                return client.get(f"{served.url}/api/health").status_code == 200
            return False

        wait_until(healthy, lambda: f"serve is ready: {served.log_text()[-3000:]}", timeout)
    return time.monotonic() - served.started_at


def processes_table(url: str, process_ids: list[str]) -> dict[str, tuple[str, str | None]]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(sa.text("SELECT process_id::text, last_status, failed_reason FROM processes "
                                        "WHERE process_id::text = ANY(:ids)"), {"ids": process_ids}).all()
    finally:
        engine.dispose()
    return {row[0]: (row[1], row[2]) for row in rows}


def locked_subscriptions(url: str, subscription_ids: list[uuid.UUID]) -> list[str]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return list(conn.execute(sa.text("SELECT subscription_id::text FROM subscriptions WHERE NOT insync AND "
                                             "subscription_id::text = ANY(:ids)"),
                                     {"ids": [str(s) for s in subscription_ids]}).scalars())
    finally:
        engine.dispose()


# --- the process tree, by parent pid -------------------------------------------------------------


def _stat(pid: int) -> tuple[int, int, int] | None:
    """(ppid, pgrp, session) of a live process; None if it is gone or a zombie."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2:].split()
    if fields[0] == "Z":
        return None
    return int(fields[1]), int(fields[2]), int(fields[3])


def _all_pids() -> list[int]:
    return [int(name) for name in os.listdir("/proc") if name.isdigit()]


def descendants(pid: int) -> set[int]:
    """Live processes whose chain of parent pids leads to `pid`."""
    parents = {p: stat[0] for p in _all_pids() if (stat := _stat(p)) is not None}
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier and child not in found}
        found |= frontier
    return found


def command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
    except OSError:
        return ""


def prefect_servers(pids: set[int]) -> set[int]:
    """Those of `pids` that run a Prefect API server (used to count, not to find, our children)."""
    from orchestrator_core.engine.kept_prefect_server import APP  # the app our local servers run

    return {pid for pid in pids if any(mark in command_line(pid) for mark in ("prefect.server", "prefect server", APP))}


def alive(pids: set[int]) -> set[int]:
    return {pid for pid in pids if _stat(pid) is not None}


def kill_session(pid: int) -> None:
    """SIGKILL every live process of `pid`'s session and the descendants of `pid` (test clean-up)."""
    import signal

    doomed = descendants(pid) | {pid}
    doomed |= {p for p in _all_pids() if (stat := _stat(p)) is not None and stat[2] == pid}
    for victim in doomed:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(victim, signal.SIGKILL)
