"""Embedded execution: the flow runs in the calling process (the default, zero set-up mode).

A process accepted for the background pool is `created` under this executor's lease (lease.py)
until a thread runs it. If its run fails before the runner claimed it (Prefect unreachable, the
pool gone), or the process shuts down with it still queued, it is marked failed with the reason
at once, its locks given up, so that an operator sees why and resumes it; if this process dies
first, its lease runs out and the reaper does the same.
"""

from __future__ import annotations

import logging
import threading
import uuid
from concurrent.futures import Future, ThreadPoolExecutor, wait

from orchestrator_core.engine import lease, prefect_server
from orchestrator_core.engine.prefect_flows import prefect_flow
from orchestrator_core.engine.prefect_runtime import executing
from orchestrator_core.errors import WorkflowNotFoundError
from orchestrator_core.workflow import get_workflow

logger = logging.getLogger(__name__)
_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()
_queued: dict[uuid.UUID, Future[None]] = {}


def run_in_process(workflow_name: str, process_id: uuid.UUID) -> None:
    """Run (or resume) the process as a Prefect flow run in this thread; its outcome is in our tables."""
    workflow = get_workflow(workflow_name)
    if workflow is None:
        raise WorkflowNotFoundError(f"Workflow {workflow_name!r} has no code in this process")
    prefect_server.ensure_started()  # normally started by the entry point already: then a no-op
    with executing():
        prefect_flow(workflow)(process_id=str(process_id), return_state=True)


def _why(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}".strip()[:500]


def _run_logged(workflow_name: str, process_id: uuid.UUID) -> None:
    try:
        run_in_process(workflow_name, process_id)
    except Exception as exc:
        logger.exception("Process %s could not be run", process_id)
        lease.fail_undispatched([process_id], _why(exc))  # only if no executor claimed it
    finally:
        lease.release(process_id)
        _queued.pop(process_id, None)


def run_in_background(workflow_name: str, process_id: uuid.UUID) -> Future[None]:
    """For the API in embedded mode: answer at once, run in a thread of this process.

    The process was stamped with this executor's lease when it was written (`lease.stamp_queued`);
    it is renewed while it waits for a thread."""
    global _pool
    lease.hold(process_id)
    try:
        with _pool_lock:
            if _pool is None:
                _pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="orchestrator-embedded")
            future = _pool.submit(_run_logged, workflow_name, process_id)
            _queued[process_id] = future
    except Exception as exc:
        lease.release(process_id)
        lease.fail_undispatched([process_id], _why(exc))
        raise
    return future


def shutdown(grace_seconds: float = 30.0) -> None:
    """At the service's shutdown: processes still queued are marked failed with the reason (resumable),
    runs in progress get `grace_seconds` to end; later starts get a fresh pool."""
    global _pool
    with _pool_lock:
        pool, _pool = _pool, None
    if pool is None:
        return
    not_started = [pid for pid, future in list(_queued.items()) if future.cancel()]
    lease.fail_undispatched(not_started, "the service shut down before running it")
    for pid in not_started:
        lease.release(pid)
        _queued.pop(pid, None)
    running = [future for future in _queued.values() if not future.done()]
    if running:
        logger.warning("Waiting up to %.0f s for %d running processes before shutting down", grace_seconds,
                       len(running))
        wait(running, timeout=grace_seconds)
    pool.shutdown(wait=False)


def wait_for_background() -> None:
    """Wait until every run queued here has ended, then let the pool go (the CLI follows a run it started,
    then stops this process's Prefect server: a later command in the same process gets fresh threads, whose
    Prefect settings point at the server it starts)."""
    wait(list(_queued.values()))
    shutdown(grace_seconds=0)
