"""What arrives from Prefect rather than through our services: Run, Retry, resume and cancel.

Prefect's UI and API know no user of ours, so each action here is decided for an anonymous caller
(services/authorization.py: ORCHESTRATOR_PREFECT_UI_ACTIONS first, then the workflow's callback) and
recorded as done by `SUBMITTER` (`prefect-ui`). The engine's flow (engine/prefect_flows.py) calls these
through the functions `orchestrator_core.bootstrap` wires in; it never imports this module.

Who dispatched a run is read from the process row, by one rule (`retried_from_prefect`): our services
set a process `created` in the same transaction that accepts a start or resume, before they dispatch
it (to the embedded pool or as a Prefect flow run). A worker that takes a flow run stamps only a
`created` process running (lease.stamp_taken). So a run that finds its process failed, waiting or crashed, or running
under another executor whose lease nobody reaped yet, was not dispatched by us: somebody pressed
Retry in Prefect, or set the flow run AwaitingRetry through Prefect's API, and the retry must be
authorized before any step runs.

- **Run** (the Run button, Prefect's API, a schedule): a flow run without a `process_id`;
  `create_process_for_flow_run` guards and writes the process as our API would.
- **Retry**: `retry_from_flow_run`, inside the runner's claim, for a run the rule above says we did not
  dispatch; it authorizes and takes back the locks a crashed process gave up.
- **Resume** (the form of a paused flow run): `accept_input_from_flow_run` authorizes, validates and
  commits the input as our API's resume does.
- **Cancel**: a cancel in Prefect is not an abort; our process is the record. A flow run cancelled
  before any worker ran it leaves its process `created`, and the reaper marks it failed with the
  reason, resumable (engine/reconcile.recover_undispatched). A run `orchestrator worker` already
  executes (in a thread) is not interrupted by a cancel in Prefect: its steps run on. Ending a process
  for good is our abort, which cancels its flow run in Prefect (services/processes.abort_process).
"""

from __future__ import annotations

import uuid
from typing import Any

import sqlalchemy as sa

from orchestrator_core.db import ProcessTable, WorkflowTable, transaction
from orchestrator_core.db import session as enclosing_session
from orchestrator_core.db.base import utcnow
from orchestrator_core.engine import lease, step_log
from orchestrator_core.engine.prefect_suspend import SUBMITTER
from orchestrator_core.errors import ProcessNotResumableError
from orchestrator_core.services import authorization, subscriptions
from orchestrator_core.services.guard_errors import SubscriptionLockedError
from orchestrator_core.services.processes import _commit_user_input, _locked, create_process, workflow_named
from orchestrator_core.types import ProcessStatus
from orchestrator_core.workflow import Workflow

RETRIED_OUTSIDE = frozenset({ProcessStatus.FAILED, ProcessStatus.WAITING, ProcessStatus.CRASHED})
"""Statuses a run finds its process in only when nobody went through our services, which set a
process `created` before they dispatch a start or resume."""


def retried_from_prefect(process: ProcessTable, status: ProcessStatus) -> ProcessStatus | None:
    """The status a re-run that our services did not dispatch found (a running process of another
    executor whose lease nobody reaped yet counts as crashed); None for a run our services dispatched."""
    if status in RETRIED_OUTSIDE:
        return status
    if status == ProcessStatus.RUNNING and process.executor_id != lease.executor_id():
        return ProcessStatus.CRASHED  # its executor died and nobody reaped it yet
    return None


SCHEDULER = "prefect-schedule"
"""Who started a process that Prefect's scheduler created from a deployment's schedule."""


def create_process_for_flow_run(workflow_name: str, user_inputs: list[dict[str, Any]],
                                flow_run_id: uuid.UUID, scheduled: bool = False) -> uuid.UUID:
    """A run started from Prefect that never passed our API: guard and write it as the API would.

    A run of a deployment's schedule is the operators' own configuration (ORCHESTRATOR_SCHEDULED_TASKS),
    trusted as a start from our CLI is, and recorded as started by `prefect-schedule`. Any other run
    (the Prefect UI's Run button, Prefect's API) has an anonymous caller: the workflow's start
    authorization decides for None, as for our API without a token, and it is recorded as started
    by `prefect-ui`. A refusal writes nothing.

    The same flow run again (the Prefect UI's Retry of such a run) is the process written for it
    the first time, which the runner then continues at its failed step like any other retry."""
    workflow = workflow_named(workflow_name)
    with transaction() as session:
        existing = session.execute(  # this workflow's own: a sweep's child processes carry its flow run id too
            sa.select(ProcessTable.process_id).join(ProcessTable.workflow)
            .where(ProcessTable.flow_run_id == flow_run_id, WorkflowTable.name == workflow.name)
            .order_by(ProcessTable.started_at).limit(1)
        ).scalar_one_or_none()
        if existing is not None:
            return existing
        if not scheduled:
            authorization.check_start_from_prefect(workflow)
        user = SCHEDULER if scheduled else SUBMITTER
        return create_process(session, workflow, user_inputs, user, flow_run_id=flow_run_id, register=False)


def retry_from_flow_run(workflow: Workflow, process: ProcessTable, next_index: int,
                        status: ProcessStatus) -> str | None:
    """The runner's claim asks this for every run of a flow: None for a run our services dispatched
    (`retried_from_prefect`); otherwise a Retry from Prefect of a failed, waiting or crashed process,
    decided for an anonymous caller by the retry callback in force at the failed step, and returned as
    run by `SUBMITTER`, whom the steps of this run are recorded as run by.

    Once authorized, the process takes back the subscription locks it gave up when it crashed,
    exactly as `resume_process` does. This runs inside the runner's claim transaction, so the
    locks are taken in the same commit that marks the process running. A refusal leaves the
    process as it is and writes nothing: `ForbiddenError` (`retry_not_authorized`), or
    `SubscriptionLockedError` when another process holds one of its subscriptions now."""
    found = retried_from_prefect(process, status)
    if found is None:
        return None
    _authorize_retry(workflow, process.process_id, next_index, found)
    return SUBMITTER


def _authorize_retry(workflow: Workflow, process_id: uuid.UUID, next_index: int, status: ProcessStatus) -> None:
    authorization.check_from_prefect(workflow, process_id, next_index, str(status))
    try:
        subscriptions.reacquire_on_resume(enclosing_session(), process_id, workflow)
    except SubscriptionLockedError as locked:
        step = authorization.step_name_at(workflow, next_index)
        raise SubscriptionLockedError(
            f"Retrying process {process_id} at step {step!r} from the Prefect UI is refused: {locked.message}. "
            f"Nothing was run or written; the process stays {status}. Once that process has finished or been "
            f"aborted, retry this one again or resume it through the orchestrator API "
            f"(PUT /api/processes/{process_id}/resume).",
            **locked.details,
            step=step,
            status=str(status),
        ) from None


def accept_input_from_flow_run(process_id: uuid.UUID, user_inputs: list[dict[str, Any]], user: str) -> None:
    """Input submitted through Prefect (its UI's resume form) for a suspended process: authorized,
    validated and committed exactly as our API's resume does, without dispatching, since the flow
    run that calls this is already running. `user` is the submitter recorded in the step log.

    Prefect has no user identity, so the resume callback in force at the step decides for an
    anonymous caller (None), as for an API call without a token. A refusal (`ForbiddenError`,
    `resume_not_authorized`), like refused input, raises and writes nothing; the process stays
    suspended until an authorized user resumes it through our API."""
    with transaction() as session:
        process = _locked(session, process_id)
        status = ProcessStatus(process.last_status)
        if status != ProcessStatus.SUSPENDED:
            raise ProcessNotResumableError(f"Process {process_id} is {status}, not waiting for input",
                                           status=str(status))
        workflow = workflow_named(process.workflow.name)
        point = step_log.resume_point(session, process_id)
        authorization.check_from_prefect(workflow, process_id, point.next_index, str(status))
        subscriptions.reacquire_on_resume(session, process_id, workflow)
        _commit_user_input(session, process, workflow, user_inputs, user, point)
        process.last_status = str(ProcessStatus.CREATED)
        process.last_modified_at = utcnow()

