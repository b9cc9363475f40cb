"""Keep Prefect's view of our runs and our view of Prefect's truthful, when one missed the other.

A worker that loses Prefect mid-run still finishes the process on our database (task states
travel as events, which are dropped), so Prefect keeps showing the flow run Running. Our
process table is the system of record: the worker periodically sets such runs to the state
their process actually ended in, so the Prefect UI shows the truth and offers Retry.

The other way round: a process our API accepted whose flow run Prefect never hands to a worker
(`recover_undispatched`) is marked failed with the reason, by the rule embedded mode applies to a
failed dispatch (lease.fail_undispatched), so that nothing stays `created` with its lock held.
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime, timedelta
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


def dispatch_timeout() -> timedelta:
    """How long an accepted process may wait for a worker to take its flow run before the reasons
    Prefect gives are believed: two leases (60 s by default), well past a worker's poll and claim."""
    from orchestrator_core.settings import app_settings

    return timedelta(seconds=2 * app_settings.ORCHESTRATOR_LEASE_SECONDS)


def _last_polled(client: Any, deployment_id: uuid.UUID) -> datetime | None:
    """When a worker last asked Prefect for this deployment's runs: ours polls the deployment, Prefect's
    own workers its work queue; the later of the two."""
    deployment = client.read_deployment(deployment_id)
    polled = [deployment.last_polled]
    if deployment.work_pool_name and deployment.work_queue_name:
        try:
            polled.append(client.read_work_queue_by_name(deployment.work_queue_name,
                                                         work_pool_name=deployment.work_pool_name).last_polled)
        except Exception:  # a queue removed since: only the deployment's own poll counts
            logger.debug("No work queue %s for deployment %s", deployment.work_queue_name, deployment_id)
    times = [t for t in polled if t is not None]
    return max(times) if times else None


def _why_not_handed(client: Any, run: Any, cutoff: datetime, polls: dict[uuid.UUID, datetime | None]) -> str | None:
    """Why Prefect will never hand this flow run to a worker; None while it may still (queued)."""
    from prefect.client.schemas.objects import StateType

    state = run.state
    kind = state.type if state is not None else None
    if kind in (StateType.COMPLETED, StateType.FAILED, StateType.CANCELLED, StateType.CRASHED,
                StateType.CANCELLING):
        return f"its flow run {run.id} ended {state.name} in Prefect before a worker ran it"
    if kind in (StateType.PENDING, StateType.RUNNING):
        if state.timestamp is not None and state.timestamp < cutoff:
            return (f"a worker claimed its flow run {run.id} ({state.name} since {state.timestamp:%H:%M:%S}) "
                    "and never started it")
        return None
    if kind in (StateType.SCHEDULED, StateType.PAUSED, None):
        if run.deployment_id is None:
            return f"its flow run {run.id} has no deployment, so no worker can take it"
        if run.deployment_id not in polls:
            polls[run.deployment_id] = _last_polled(client, run.deployment_id)
        polled = polls[run.deployment_id]
        if polled is None or polled < cutoff:
            since = f"since {polled:%H:%M:%S}" if polled is not None else "ever"
            return (f"no worker has polled deployment {run.deployment_id} {since}; start `orchestrator worker` "
                    "(it serves every registered workflow)")
    return None


def recover_undispatched(client: Any, timeout: timedelta | None = None) -> list[uuid.UUID]:
    """Served mode: processes our API accepted whose flow run Prefect never handed to a worker within
    `timeout` (`dispatch_timeout()`) are marked failed with the reason and their locks
    given up (lease.fail_undispatched, the crash rule), and their flow runs cancelled so that a worker
    arriving late does not run them as a retry; an operator resumes them. Returns those it marked."""
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId
    from prefect.states import Cancelled

    from orchestrator_core.engine import lease

    if timeout is None:
        timeout = dispatch_timeout()
    cutoff = utcnow() - timeout
    with transaction() as session:
        rows = session.execute(
            sa.select(ProcessTable.flow_run_id, ProcessTable.process_id).where(
                ProcessTable.last_status == str(ProcessStatus.CREATED), ProcessTable.flow_run_id.is_not(None),
                ProcessTable.lease_expires_at.is_(None),  # one with a lease is queued by a live executor
                ProcessTable.last_modified_at < cutoff)
            .order_by(ProcessTable.last_modified_at).limit(200)
        ).all()
    waiting = {flow_run_id: process_id for flow_run_id, process_id in rows if flow_run_id is not None}
    if not waiting:
        return []
    runs = {run.id: run for run in client.read_flow_runs(
        flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=list(waiting))), limit=len(waiting))}
    polls: dict[uuid.UUID, datetime | None] = {}
    marked: list[uuid.UUID] = []
    for flow_run_id, process_id in waiting.items():
        run = runs.get(flow_run_id)
        why = (f"its flow run {flow_run_id} no longer exists in Prefect" if run is None
               else _why_not_handed(client, run, cutoff, polls))
        if why is None or not lease.fail_undispatched([process_id], why):
            continue
        marked.append(process_id)
        if run is not None and why.startswith(("no worker", "a worker claimed")):
            client.set_flow_run_state(flow_run_id, Cancelled(message=f"Not dispatched: {why}"), force=True)
    return marked
