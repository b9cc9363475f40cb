"""Embedded execution: the flow runs in the calling process (the default, zero set-up mode)."""

from __future__ import annotations

import logging
import uuid
from concurrent.futures import Future, ThreadPoolExecutor

from orchestrator_core.engine.prefect_flows import prefect_flow
from orchestrator_core.engine.prefect_runtime import executing
from orchestrator_core.errors import WorkflowNotFoundError
from orchestrator_core.workflow import get_workflow

logger = logging.getLogger(__name__)
_pool: ThreadPoolExecutor | None = None


def run_in_process(workflow_name: str, process_id: uuid.UUID) -> None:
    """Run (or resume) the process as a Prefect flow run in this thread; its outcome is in our tables."""
    workflow = get_workflow(workflow_name)
    if workflow is None:
        raise WorkflowNotFoundError(f"Workflow {workflow_name!r} has no code in this process")
    with executing():
        prefect_flow(workflow)(process_id=str(process_id), return_state=True)


def _run_logged(workflow_name: str, process_id: uuid.UUID) -> None:
    try:
        run_in_process(workflow_name, process_id)
    except Exception:
        logger.exception("Process %s could not be run", process_id)


def run_in_background(workflow_name: str, process_id: uuid.UUID) -> Future[None]:
    """For the API in embedded mode: answer at once, run in a thread of this process."""
    global _pool
    if _pool is None:
        _pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="orchestrator-embedded")
    return _pool.submit(_run_logged, workflow_name, process_id)


def wait_for_background() -> None:
    """Wait until every run started here in the background has ended (the CLI, before it exits)."""
    global _pool
    if _pool is not None:
        _pool.shutdown(wait=True)
        _pool = None
