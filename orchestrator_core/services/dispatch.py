"""Hand a written process to the executor of the configured mode.

Embedded: the flow runs in this process; the process is written under this executor's lease
(lease.stamp_queued), and a dispatch that fails before the run claimed it marks it failed with
the reason (lease.fail_undispatched), so no accepted process stays `created` without an executor.

Served: a flow run of the workflow's Prefect deployment is created inside the caller's
transaction, so that when Prefect is unreachable the start is refused (503) and the process
row is rolled back with it.
"""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from orchestrator_core.db import ProcessTable
from orchestrator_core.engine import embedded, lease
from orchestrator_core.settings import app_settings
from orchestrator_core.workflow import Workflow


def served() -> bool:
    return app_settings.ORCHESTRATOR_EXECUTION_MODE == "served"


def prepare_start(session: Session, workflow: Workflow, process_id: uuid.UUID) -> None:
    if served():
        from orchestrator_core.engine import deployments

        flow_run_id = deployments.create_flow_run(workflow.name, process_id)
        session.get_one(ProcessTable, process_id).flow_run_id = flow_run_id
    else:
        lease.stamp_queued(session.get_one(ProcessTable, process_id))


def prepare_resume(session: Session, workflow: Workflow, process: ProcessTable) -> None:
    """Served: put the same flow run back to AwaitingRetry, exactly as the Prefect UI's Retry does."""
    if served():
        from orchestrator_core.engine import deployments

        process.flow_run_id = deployments.retry_flow_run(workflow.name, process.process_id, process.flow_run_id)
    else:
        lease.stamp_queued(process)


def start(workflow: Workflow, process_id: uuid.UUID, *, wait: bool) -> None:
    if served():
        return
    if wait:
        try:
            embedded.run_in_process(workflow.name, process_id)
        except Exception as exc:
            lease.fail_undispatched([process_id], f"{type(exc).__name__}: {exc}"[:500])  # if nothing claimed it
            raise
    else:
        embedded.run_in_background(workflow.name, process_id)


def cancel(flow_run_id: uuid.UUID | None) -> None:
    if served() and flow_run_id is not None:
        from orchestrator_core.engine import deployments

        deployments.cancel_flow_run(flow_run_id)
