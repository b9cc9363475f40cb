"""Start, resume and abort processes: the use cases every entry point (API, CLI, Prefect) shares.

Each is short: validate, ask the guard, write in one transaction, then hand the process to the
executor of the configured mode. A refusal raises a typed error before anything is written.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Callable, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from orchestrator_core.db import InputStateTable, ProcessTable, lock_for_update, transaction
from orchestrator_core.db.base import utcnow
from orchestrator_core.db.json_text import non_finite_path
from orchestrator_core.engine import lease, step_log
from orchestrator_core.engine.state import to_json
from orchestrator_core.errors import (
    OrchestratorError,
    ProcessNotFoundError,
    ProcessNotResumableError,
    WorkflowNotFoundError,
)
from orchestrator_core.forms import walk as form_walk
from orchestrator_core.forms.validation import FormInvalidError, validate_form
from orchestrator_core.services import authorization, dispatch, subscriptions, workflow_registry
from orchestrator_core.types import FINAL_STATUSES, RESUMABLE_STATUSES, ProcessStatus, State, StepStatus
from orchestrator_core.utils.errors import StartPredicateError
from orchestrator_core.workflow import (
    CALLBACK_RESULT_KEY_KEY,
    CALLBACK_TOKEN_KEY,
    DEFAULT_CALLBACK_PROGRESS_KEY,
    DEFAULT_CALLBACK_RESULT_KEY,
    InvalidWorkflowError,
    PredicateContext,
    RunPredicateFail,
    Workflow,
    get_workflow,
)


class CallbackTokenError(OrchestratorError):
    """A callback carried a token that is not the one its process waits for; nothing was changed."""

    code = "process.callback_token_invalid"
    http_status = 404


def workflow_named(name: str) -> Workflow:
    try:
        workflow = get_workflow(name)
    except InvalidWorkflowError as exc:
        raise WorkflowNotFoundError(str(exc), workflow=name) from exc
    if workflow is None:
        raise WorkflowNotFoundError(f"No workflow named {name!r}", workflow=name)
    return workflow


def check_run_predicate(workflow: Workflow) -> None:
    """A workflow's `run_predicate` may refuse a start (e.g. while another run of it is unfinished)."""
    if workflow.run_predicate is None:
        return
    verdict = workflow.run_predicate(PredicateContext(workflow=workflow, workflow_key=workflow.name))
    if isinstance(verdict, RunPredicateFail) or not verdict:
        message = getattr(verdict, "message", "") or f"Workflow {workflow.name!r} may not start now"
        raise StartPredicateError(workflow.name, message)


def _seed(workflow: Workflow, process_id: uuid.UUID, user_inputs: list[dict[str, Any]], user: str) -> State:
    """The state a workflow's initial form is called with."""
    base: State = {"process_id": str(process_id), "reporter": user, "workflow_name": workflow.name,
                   "workflow_target": str(workflow.target)}
    first_page = user_inputs[0] if user_inputs else {}
    return {**base, **{k: v for k, v in first_page.items() if k in ("subscription_id", "product")}}


def initial_state(workflow: Workflow, process_id: uuid.UUID, user_inputs: list[dict[str, Any]],
                  user: str) -> State:
    """Validate the initial form; the result is the state the first step sees."""
    seed = _seed(workflow, process_id, user_inputs, user)
    form_result = validate_form(workflow.initial_input_form, seed, user_inputs)
    return {**seed, **form_result}


def pending_start_page(workflow_name: str, user_inputs: list[dict[str, Any]],
                       user: str) -> form_walk.PendingPage | None:
    """Where `user_inputs` leave WORKFLOW's start form (a walk page by page, for the CLI's prompts); None when
    they complete it. Nothing is written; a refusal of the form's own checks (a product the workflow does not
    run on, a guard) is raised as the start would raise it."""
    workflow = workflow_named(workflow_name)
    return form_walk.pending_page(workflow.initial_input_form,
                                  _seed(workflow, uuid.uuid4(), user_inputs, user), user_inputs)


def create_process(session: Session, workflow: Workflow, user_inputs: list[dict[str, Any]], user: str,
                   flow_run_id: uuid.UUID | None = None, register: bool = False) -> uuid.UUID:
    """Validate, guard and write the process in the caller's transaction; nothing on refusal."""
    created = create_processes(session, workflow, [user_inputs], user, flow_run_id, register)[0]
    if isinstance(created, OrchestratorError):
        raise created
    return created


def create_processes(session: Session, workflow: Workflow, pages: Sequence[list[dict[str, Any]]], user: str,
                     flow_run_id: uuid.UUID | None = None, register: bool = False,
                     answers: Sequence[State] | None = None) -> list[uuid.UUID | OrchestratorError]:
    """`create_process` for each form input in `pages`: per input, its process or its refusal (for which
    nothing is written). Validated one by one, guarded and written together.

    `answers`: the initial forms' answers, when the caller knows what the form makes of its input
    without asking it (a bulk start on the plain subscription page, which the guard checks anyway)."""
    check_run_predicate(workflow)
    results: list[uuid.UUID | OrchestratorError] = []
    states: dict[uuid.UUID, State] = {}
    for i, user_inputs in enumerate(pages):
        process_id = uuid.uuid4()
        try:
            states[process_id] = (initial_state(workflow, process_id, user_inputs, user) if answers is None
                                  else {**_seed(workflow, process_id, user_inputs, user), **answers[i]})
        except OrchestratorError as refused:
            results.append(refused)
            continue
        results.append(process_id)
    row = (workflow_registry.ensure_workflow_row(session, workflow) if register
           else workflow_registry.registered_row(session, workflow))
    refusals = subscriptions.check_and_lock(session, workflow, states)
    for result, user_inputs in zip(results, pages, strict=True):
        if not isinstance(result, uuid.UUID) or result in refusals:
            continue
        process_id = result
        session.add(ProcessTable(process_id=process_id, workflow_id=row.workflow_id,
                                 last_status=str(ProcessStatus.CREATED), created_by=user,
                                 is_task=row.is_task, flow_run_id=flow_run_id))
        session.add(InputStateTable(process_id=process_id, input_state=to_json(states[process_id]),
                                    input_type="initial_state"))
        session.add(InputStateTable(process_id=process_id, input_state={"user_inputs": to_json(user_inputs)},
                                    input_type="user_input"))
    session.flush()
    return [refusals.get(r, r) if isinstance(r, uuid.UUID) else r for r in results]


def start_process(workflow_name: str, user_inputs: list[dict[str, Any]] | None = None, user: str = "SYSTEM",
                  *, wait: bool = True, register: bool = False, caller: Any = authorization.OPERATOR) -> uuid.UUID:
    """Start a workflow; with `wait`, return once this run of it ended (embedded mode only). The workflow's
    start authorization decides for `caller` (the API's user) before anything is written."""
    workflow = workflow_named(workflow_name)
    if authorization.asks(caller):
        authorization.authorize_start(workflow, caller)
    with transaction() as session:
        process_id = create_process(session, workflow, user_inputs or [{}], user, register=register)
        dispatch.prepare_start(session, workflow, process_id)
    dispatch.start(workflow, process_id, wait=wait)
    return process_id


def _locked(session: Session, process_id: uuid.UUID) -> ProcessTable:
    stmt = sa.select(ProcessTable).where(ProcessTable.process_id == process_id)
    process = session.execute(lock_for_update(stmt, of=ProcessTable)).scalar_one_or_none()
    if process is None:
        raise ProcessNotFoundError(f"Process {process_id} does not exist", process_id=str(process_id))
    return process


def _commit_user_input(session: Session, process: ProcessTable, workflow: Workflow,
                       user_inputs: list[dict[str, Any]], user: str,
                       point: step_log.ResumePoint | None = None) -> None:
    """Resuming a suspended process commits its input step with the validated input."""
    point = point or step_log.resume_point(session, process.process_id)
    step = workflow.steps[point.next_index]
    result = validate_form(step.form, point.state, user_inputs)
    state = to_json({**point.state, **result})
    step_log.record_step(session, process, point.next_index, step.name, StepStatus.SUCCESS, state, utcnow(), user)
    session.add(InputStateTable(process_id=process.process_id, input_state=to_json(result), input_type="user_input"))


def _commit_callback(session: Session, process: ProcessTable, workflow: Workflow, point: step_log.ResumePoint,
                     result: Any, user: str) -> None:
    """The await step of a callback step is committed with the callback's result in the state."""
    step = workflow.steps[point.next_index]
    state = dict(point.state)
    if result is not None:
        state[point.state.get(CALLBACK_RESULT_KEY_KEY) or DEFAULT_CALLBACK_RESULT_KEY] = result
    step_log.record_step(session, process, point.next_index, step.name, StepStatus.SUCCESS, to_json(state),
                         utcnow(), user)


ContinueAt = Callable[[Session, ProcessTable, Workflow, ProcessStatus], None]
"""Commits whatever the step a process stopped at needs before it runs on (input, a callback's result)."""


def _continue(process_id: uuid.UUID, resumable: frozenset[ProcessStatus], continue_at: ContinueAt, *,
              wait: bool, retried_by: str | None = None, caller: Any = authorization.OPERATOR) -> None:
    """The one resume path: lock, authorize `caller`, check the status, take the subscription locks back,
    commit what the waiting step needs, and dispatch; a refusal anywhere writes nothing."""
    lease.reap_expired()
    with transaction() as session:
        process = _locked(session, process_id)
        status = ProcessStatus(process.last_status)
        if authorization.asks(caller):
            authorization.authorize_resume(workflow_named(process.workflow.name), process_id, str(status), caller)
        if status not in resumable:
            raise ProcessNotResumableError(
                f"Process {process_id} is {status}; only {', '.join(sorted(resumable))} processes resume this way",
                status=str(status),
            )
        workflow = workflow_named(process.workflow.name)
        continue_at(session, process, workflow, status)
        if retried_by is not None:  # the steps that run now are recorded as done by who retried
            step_log.record_retry(session, process_id, retried_by, str(status))
        subscriptions.reacquire_on_resume(session, process_id, workflow)
        process.last_status = str(ProcessStatus.CREATED)
        process.last_modified_at = utcnow()
        dispatch.prepare_resume(session, workflow, process)
    dispatch.start(workflow, process_id, wait=wait)


def resume_process(process_id: uuid.UUID, user_inputs: list[dict[str, Any]] | None = None, user: str = "SYSTEM",
                   *, wait: bool = True, caller: Any = authorization.OPERATOR) -> None:
    """Continue at the failed (or suspended) step; committed steps are never run again. The resume (or
    retry) authorization at that step decides for `caller`, on the status the process has under its lock.

    A process awaiting a callback continues without one, as in the reference system: its await step is
    committed with the state as it is, and the validate step after it decides."""

    def continue_at(session: Session, process: ProcessTable, workflow: Workflow, status: ProcessStatus) -> None:
        if status == ProcessStatus.SUSPENDED:
            _commit_user_input(session, process, workflow, user_inputs or [{}], user)
        elif status == ProcessStatus.AWAITING_CALLBACK:
            _commit_callback(session, process, workflow, step_log.resume_point(session, process_id), None, user)

    _continue(process_id, RESUMABLE_STATUSES, continue_at, wait=wait, retried_by=user, caller=caller)


def _storable(value: Any) -> Any:
    path = non_finite_path(value)
    if path is not None:
        raise FormInvalidError(f"The callback's body cannot be stored: {'.'.join(path) or '(body)'} is not a "
                               "finite number")
    return value


def _awaited_callback(session: Session, process_id: uuid.UUID, workflow: Workflow, token: str) -> step_log.ResumePoint:
    """Where the process awaits the callback that `token` answers; refused unless it is that one."""
    point = step_log.resume_point(session, process_id)
    expected = point.state.get(CALLBACK_TOKEN_KEY)
    awaiting = point.next_index < len(workflow.steps) and workflow.steps[point.next_index].kind == "callback"
    if not (awaiting and isinstance(expected, str) and secrets.compare_digest(expected, token)):
        raise CallbackTokenError(f"Invalid token for the callback of process {process_id}; nothing was changed",
                                 process_id=str(process_id))
    return point


def continue_awaiting_process(process_id: uuid.UUID, token: str, result: dict[str, Any], user: str = "SYSTEM",
                              *, wait: bool = True) -> None:
    """An external system's answer to a callback step: stored in the state (under `callback_result`, or
    the step's `result_key`) and the process resumes at its validate step.

    The token must be the one the process's callback route was made with; a wrong one, or a callback
    for a process that is not awaiting one (a token used twice), is refused and changes nothing."""
    _storable(result)

    def continue_at(session: Session, process: ProcessTable, workflow: Workflow, _status: ProcessStatus) -> None:
        point = _awaited_callback(session, process_id, workflow, token)
        _commit_callback(session, process, workflow, point, result, user)

    _continue(process_id, frozenset({ProcessStatus.AWAITING_CALLBACK}), continue_at, wait=wait)


def update_awaiting_process_progress(process_id: uuid.UUID, token: str, progress: str | dict[str, Any]) -> None:
    """A progress report of the external system a process awaits (`{callback_route}/progress`): shown in
    the awaiting step's state as `callback_progress`, replacing the previous one. It is not carried into
    the state the process continues with, as in the reference: the final callback must say it all."""
    _storable(progress)
    with transaction() as session:
        process = _locked(session, process_id)
        if process.last_status != str(ProcessStatus.AWAITING_CALLBACK):
            raise ProcessNotResumableError(f"Process {process_id} is {process.last_status}, not awaiting a callback",
                                           status=process.last_status)
        _awaited_callback(session, process_id, workflow_named(process.workflow.name), token)
        step_log.update_last_state(session, process_id, {DEFAULT_CALLBACK_PROGRESS_KEY: progress})


def abort_process(process_id: uuid.UUID, user: str = "SYSTEM", *, caller: Any = authorization.OPERATOR) -> None:
    """End a process for good; it keeps its step log and an Abort row. Whoever may retry it at its step
    may abort it (`caller`)."""
    with transaction() as session:
        process = _locked(session, process_id)
        status = ProcessStatus(process.last_status)
        if authorization.asks(caller):
            authorization.authorize_resume(workflow_named(process.workflow.name), process_id, str(status), caller)
        if status in FINAL_STATUSES:
            raise ProcessNotResumableError(f"Process {process_id} is already {status}", status=str(status))
        point = step_log.resume_point(session, process_id)
        step_log.record_step(session, process, point.next_index, "Abort", StepStatus.ABORT, point.state,
                             utcnow(), user)
        process.last_status = str(ProcessStatus.ABORTED)
        process.lease_expires_at = None
        subscriptions.release_on_abort(session, process_id)
        flow_run_id = process.flow_run_id
    dispatch.cancel(flow_run_id)
