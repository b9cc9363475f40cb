"""`orchestrator worker`: executes our deployments' flow runs in this process, in threads.

Prefect's serve() and process worker start a subprocess per run (about 1.5 s each, see
PREFECT-NOTES.md). This worker polls Prefect for due runs of our deployments (new starts,
schedules, and AwaitingRetry runs from the UI's Retry button), takes each with a Pending
state (the server accepts only one taker) and runs the flow in a thread pool. It also reaps
processes whose executor died, and fails (with the reason) accepted processes whose flow run
Prefect never handed to any worker (reconcile.recover_undispatched).

Any number of workers, on one machine or several, share one Prefect server's deployments: the
Pending state lets one worker take a run, and our runner's claim (process row lock and lease)
refuses a second executor even if two got it. A worker is drained with SIGTERM (or SIGINT): it
stops claiming, finishes the flow runs it has, and exits 0. A second signal ends it at once; the
lease reaper of the other workers then marks its processes crashed, to be resumed.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

from orchestrator_core.engine import deployments, lease
from orchestrator_core.engine.prefect_flows import prefect_flow
from orchestrator_core.engine.prefect_runtime import executing
from orchestrator_core.engine.reconcile import reconcile_running_flow_runs, recover_undispatched
from orchestrator_core.settings import app_settings
from orchestrator_core.workflow import get_workflow

logger = logging.getLogger(__name__)
REAP_EVERY_SECONDS = 5.0


def _execute(workflow_name: str, flow_run: Any) -> None:
    from prefect.exceptions import Pause
    from prefect.flow_engine import run_flow

    workflow = get_workflow(workflow_name)
    if workflow is None:
        logger.error("Flow run %s is for %r, which has no code here", flow_run.id, workflow_name)
        return
    try:
        with executing():
            run_flow(prefect_flow(workflow), flow_run=flow_run, return_type="state")
    except Pause:
        logger.info("Flow run %s of %s is suspended for input; a resume schedules it again", flow_run.id,
                    workflow_name)
    except Exception:
        logger.exception("Flow run %s of %s ended with an engine error", flow_run.id, workflow_name)


def _take(client: Any, flow_run: Any) -> bool:
    """Take a due flow run for this worker: Prefect's server accepts one Pending per run, so one worker
    gets it. (Not our claim of its process, step_executor.claim, which the flow makes next.)"""
    from prefect.states import Pending

    try:
        result = client.set_flow_run_state(flow_run.id, Pending(), force=False)
    except Exception:
        logger.warning("Could not take flow run %s", flow_run.id, exc_info=True)
        return False
    return str(result.status.value).upper() == "ACCEPT"


def _stamp(flow_run: Any) -> None:
    process_id = (flow_run.parameters or {}).get("process_id")
    if process_id:
        try:
            lease.stamp_taken(uuid.UUID(str(process_id)))
        except Exception:  # the flow's own claim will try again and report
            logger.warning("Could not stamp process %s taken by this worker", process_id, exc_info=True)


class Worker:
    def __init__(self, threads: int | None = None, poll_seconds: float | None = None) -> None:
        self.threads = threads or app_settings.ORCHESTRATOR_WORKER_THREADS
        self.poll_seconds = poll_seconds or app_settings.ORCHESTRATOR_WORKER_POLL_SECONDS
        self.stopped = threading.Event()
        self.busy = 0
        self._busy_lock = threading.Lock()

    def _done(self, _future: Any) -> None:
        with self._busy_lock:
            self.busy -= 1

    def _poll_once(self, client: Any, pool: ThreadPoolExecutor, by_id: dict[uuid.UUID, str]) -> None:
        free = self.threads - self.busy
        if free <= 0:
            return
        runs = client.get_scheduled_flow_runs_for_deployments(
            list(by_id), scheduled_before=datetime.now(UTC), limit=free)
        for flow_run in runs:
            if flow_run.deployment_id in by_id and _take(client, flow_run):
                with self._busy_lock:
                    self.busy += 1
                fresh = client.read_flow_run(flow_run.id)
                _stamp(fresh)
                pool.submit(_execute, by_id[flow_run.deployment_id], fresh).add_done_callback(self._done)

    def drain(self, signum: int | None = None, _frame: Any = None) -> None:
        """Stop claiming; `run` returns once the flow runs this worker has are finished. A second
        call (a second SIGTERM or Ctrl-C) ends the process at once."""
        if self.stopped.is_set() and signum is not None:
            logger.warning("orchestrator worker %s stops now, %d flow run(s) unfinished; other workers' lease "
                           "reaper marks their processes crashed", lease.executor_id(), self.busy)
            os._exit(1)
        self.stopped.set()
        logger.warning("orchestrator worker %s is draining: it claims no more flow runs and finishes the %d it "
                       "has (signal again to stop at once)", lease.executor_id(), self.busy)

    def _register_deployments(self) -> dict[uuid.UUID, str]:
        """Our deployments by id. Prefect may go away between the start-up check and here (a restart):
        the worker waits for it, as its poll loop does later, instead of dying with a traceback."""
        import httpx

        while True:
            try:
                return {dep: name for name, dep in deployments.ensure_deployments().items()}
            except (httpx.TransportError, httpx.HTTPStatusError) as exc:
                if isinstance(exc, httpx.HTTPStatusError) and exc.response.status_code < 500:
                    raise
                logger.warning("orchestrator worker %s cannot register its deployments yet (%s: %s); retrying",
                               lease.executor_id(), type(exc).__name__, exc)
            if self.stopped.wait(1.0):
                raise SystemExit(0)

    def run(self) -> None:
        by_id = self._register_deployments()
        logger.warning("orchestrator worker %s serves %d deployments", lease.executor_id(), len(by_id))
        last_reap = 0.0
        with ThreadPoolExecutor(self.threads, thread_name_prefix="orchestrator-worker") as pool:
            with deployments._client() as client:
                while not self.stopped.is_set():
                    try:
                        self._poll_once(client, pool, by_id)
                        if time.monotonic() - last_reap > REAP_EVERY_SECONDS:
                            lease.reap_expired()
                            reconcile_running_flow_runs(client, list(by_id))
                            recover_undispatched(client)
                            last_reap = time.monotonic()
                    except Exception:
                        logger.warning("Worker poll failed; retrying", exc_info=True)
                        time.sleep(1)
                    self.stopped.wait(self.poll_seconds)
            pool.shutdown(wait=True)
        logger.warning("orchestrator worker %s drained: every flow run it claimed has ended", lease.executor_id())


def run_worker() -> None:
    """The `orchestrator worker` command: runs until SIGTERM or SIGINT, then drains."""
    worker = Worker()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, worker.drain)
    worker.run()
