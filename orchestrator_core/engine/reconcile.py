"""Keep Prefect's view of our runs truthful when it missed how they ended.

A worker that loses Prefect mid-run still finishes the process on our database (task states
travel as events, which are dropped), so Prefect keeps showing the flow run Running. Our
process table is the system of record: the worker periodically sets such runs to the state
their process actually ended in, so the Prefect UI shows the truth and offers Retry.
"""

from __future__ import annotations

import logging
import uuid
from datetime import timedelta
from typing import Any

import sqlalchemy as sa

from orchestrator_core.db import ProcessTable, lock_for_update, transaction
from orchestrator_core.db.base import utcnow
from orchestrator_core.types import ProcessStatus

logger = logging.getLogger(__name__)
SETTLED_AFTER = timedelta(seconds=15)
"""A process must have ended this long ago: the run's own report normally arrives within milliseconds."""


def _ended_query(flow_run_ids: list[uuid.UUID]) -> Any:
    return sa.select(ProcessTable.flow_run_id, ProcessTable.last_status, ProcessTable.failed_reason).where(
        ProcessTable.flow_run_id.in_(flow_run_ids),
        ProcessTable.last_status.in_([str(s) for s in (ProcessStatus.COMPLETED, ProcessStatus.ABORTED,
                                                       ProcessStatus.FAILED, ProcessStatus.CRASHED)]),
        ProcessTable.last_modified_at < utcnow() - SETTLED_AFTER,
    )


def _ended_processes(flow_run_ids: list[uuid.UUID]) -> dict[uuid.UUID, tuple[str, str | None]]:
    with transaction() as session:
        rows = session.execute(_ended_query(flow_run_ids)).all()
    return {row[0]: (row[1], row[2]) for row in rows if row[0] is not None}


def _correct(client: Any, flow_run_id: uuid.UUID) -> str | None:
    """Set one run to its process's end, holding the process row, so that a resume (which holds it
    while it puts the run to AwaitingRetry) is never overwritten: either the resume sees the
    corrected run, or this sees the process no longer ended. Returns the status set, if any."""
    from prefect.client.schemas.objects import StateType

    with transaction() as session:
        row = session.execute(lock_for_update(_ended_query([flow_run_id]), of=ProcessTable)).first()
        if row is None:
            return None
        state = client.read_flow_run(flow_run_id).state
        if state is None or state.type != StateType.RUNNING:
            return None
        client.set_flow_run_state(flow_run_id, _prefect_state(row[1], row[2]), force=True)
        return str(row[1])


def _prefect_state(status: str, reason: str | None) -> Any:
    from prefect.states import Cancelled, Completed, Failed

    message = "Set by the orchestrator: Prefect missed how this run ended"
    if status == ProcessStatus.COMPLETED:
        return Completed(message=message)
    if status == ProcessStatus.ABORTED:
        return Cancelled(message=message)
    return Failed(message=f"{message}: {reason or status}")


def reconcile_running_flow_runs(client: Any, deployment_ids: list[uuid.UUID]) -> int:
    """Correct Running flow runs whose process already ended; return how many were corrected."""
    from prefect.client.schemas.filters import (
        DeploymentFilter,
        DeploymentFilterId,
        FlowRunFilter,
        FlowRunFilterState,
        FlowRunFilterStateType,
    )
    from prefect.client.schemas.objects import StateType

    runs = client.read_flow_runs(
        flow_run_filter=FlowRunFilter(state=FlowRunFilterState(type=FlowRunFilterStateType(any_=[StateType.RUNNING]))),
        deployment_filter=DeploymentFilter(id=DeploymentFilterId(any_=deployment_ids)),
        limit=200,
    )
    ended = _ended_processes([run.id for run in runs]) if runs else {}
    corrected = 0
    for flow_run_id in ended:
        if (status := _correct(client, flow_run_id)) is not None:
            corrected += 1
            logger.warning("Flow run %s was still Running in Prefect; set to its process's end: %s", flow_run_id,
                           status)
    return corrected
