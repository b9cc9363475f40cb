"""A real `orchestrator worker` subprocess that tests and bench/chaos.py can start, SIGKILL and restart.

Faults are injected into a separate OS process on purpose: a SIGKILL takes its Postgres
connections, its lease renewer and its Prefect client with it, exactly as a dying executor does.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
from pathlib import Path

from orchestrator_core.devtools import BIN, stop_process_group
from tests.waiting import wait_until

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW_MODULES = '["flows", "tests.reliability.counted_workflows"]'


def worker_env(api_url: str, database_url: str, signal_dir: Path, lease_seconds: int = 2,
               **extra: str) -> dict[str, str]:
    return {**os.environ, "PREFECT_API_URL": api_url, "ORCHESTRATOR_DATABASE_URL": database_url,
            "ORCHESTRATOR_EXECUTION_MODE": "served", "ORCHESTRATOR_LEASE_SECONDS": str(lease_seconds),
            "ORCHESTRATOR_WORKFLOW_MODULES": WORKFLOW_MODULES, "COUNTED_SIGNAL_DIR": str(signal_dir),
            "PYTHONPATH": str(ROOT), **extra}


class WorkerProcess:
    """One worker at a time; each start gets its own log file so readiness is unambiguous."""

    def __init__(self, env: dict[str, str], log_dir: Path) -> None:
        self.env, self.log_dir = env, log_dir
        self.process: subprocess.Popen | None = None
        self.starts = 0
        self.log_path = log_dir / "worker-0.log"

    def start(self, timeout: float = 90, wait: bool = True) -> None:
        """Start it; with `wait`, return once it serves our deployments (else call `wait_ready`)."""
        self.starts += 1
        self.log_path = self.log_dir / f"worker-{self.starts}.log"
        with self.log_path.open("w") as log:
            self.process = subprocess.Popen([str(BIN / "orchestrator"), "worker"], cwd=ROOT, env=self.env,
                                            stdout=log, stderr=log, start_new_session=True)
        if wait:
            self.wait_ready(timeout)

    def wait_ready(self, timeout: float = 90) -> None:
        assert self.process is not None
        process = self.process
        with contextlib.suppress(AssertionError):  # a timeout is reported below, with the log
            wait_until(lambda: "deployments" in self.log_path.read_text() or process.poll() is not None,
                       "the worker serves our deployments", timeout, interval=0.1)
        if process.poll() is not None or "deployments" not in self.log_path.read_text():
            self.stop()
            raise RuntimeError(f"worker did not start: {self.log_path.read_text()[-3000:]}")

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        """SIGKILL, no goodbye: the fault under test."""
        if self.process is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            stop_process_group(self.process)

    def log_tail(self, chars: int = 3000) -> str:
        return self.log_path.read_text()[-chars:] if self.log_path.exists() else ""
