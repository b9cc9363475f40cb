"""Each workflow as a Prefect flow, each step as a Prefect task run named after the step.

The flow function is thin: it finds (or, for a run started from Prefect, creates) the process
and hands it to the runner, passing an invoker that wraps every step in a task. Tasks neither
cache nor persist results: our step log decides what a retry skips, so Prefect's storage holds
nothing a user needs. Prefect's own retries serve `@step(retries=N)`.

Whether a run was dispatched by our services, or is a Retry from Prefect, is decided by the service
layer in the runner's claim (services/prefect_actions.py holds the rule and every Prefect-side
action; `orchestrator_core.bootstrap` wires them in), before any step runs: whether actions taken
in Prefect are allowed at all (ORCHESTRATOR_PREFECT_UI_ACTIONS) and the retry authorization for an
anonymous caller, then the subscription locks a crashed process gave up, taken back as a resume
takes them. A refusal (any `OrchestratorError`: not authorized, a subscription locked by another
process, the process running elsewhere) ends the run Failed with the reason in its logs, and the
process is left as it was.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from prefect import Flow, Task
from prefect.cache_policies import NO_CACHE
from prefect.context import FlowRunContext
from prefect.states import Completed

from orchestrator_core.db import ProcessTable
from orchestrator_core.engine import deployments, flow_run_warnings
from orchestrator_core.engine.prefect_suspend import FlowRunSuspension, pending_input
from orchestrator_core.engine.runner import RetryAuthorizer, run_process
from orchestrator_core.engine.step_executor import StepOutcome
from orchestrator_core.errors import OrchestratorError
from orchestrator_core.types import ProcessStatus
from orchestrator_core.workflow import WORKFLOWS, Step, Workflow

logger = logging.getLogger(__name__)

ProcessFactory = Callable[[str, list[dict[str, Any]], uuid.UUID, bool], uuid.UUID]
"""(workflow name, form pages, flow run id, whether our schedule created the run) -> process id."""
_process_factory: ProcessFactory | None = None
_retry_authorizer: RetryAuthorizer | None = None

_flows: dict[str, Flow] = {}
StepTask = Task[[Callable[[], StepOutcome]], StepOutcome]
_tasks: dict[int, StepTask] = {}


class ProcessDidNotCompleteError(RuntimeError):
    """Raised from the flow so that Prefect marks the run Failed and offers Retry."""

    recorded_in_step_log = True
    repeats_a_step_failure = True
    """The failed step was logged already: logs leave this one out (logging_setup.RecordedFailures)."""


def set_process_factory(factory: ProcessFactory) -> None:
    """The service layer's start path, for runs started from Prefect that never passed our API; wired by
    `orchestrator_core.bootstrap`."""
    global _process_factory
    _process_factory = factory


def set_retry_authorizer(authorizer: RetryAuthorizer) -> None:
    """The service layer's decision on a run it did not dispatch (the Prefect UI's Retry), wired by
    `orchestrator_core.bootstrap`."""
    global _retry_authorizer
    _retry_authorizer = authorizer


def _authorize_retry(workflow: Workflow, process: ProcessTable, next_index: int, status: ProcessStatus) -> str | None:
    """The service layer's verdict on a run it may not have dispatched (a Retry from Prefect)."""
    if _retry_authorizer is None:  # refuse rather than skip the workflow's retry authorization
        raise RuntimeError("Running a process from Prefect needs the services wired: call "
                           "orchestrator_core.bootstrap.bootstrap() in this process's entry point")
    return _retry_authorizer(workflow, process, next_index, status)


def _run_step_task(execute: Callable[[], StepOutcome]) -> StepOutcome:
    return execute()


def _task_for(step: Step) -> StepTask:
    task = _tasks.get(id(step))
    if task is None:
        task = Task(
            fn=_run_step_task,
            name=step.name,
            retries=step.retries,
            retry_delay_seconds=step.retry_delay_seconds,
            cache_policy=NO_CACHE,
            persist_result=False,
        )
        _tasks[id(step)] = task
    return task


def invoke_as_task(step: Step, _index: int, execute: Callable[[], StepOutcome]) -> StepOutcome:
    return _task_for(step)(execute)


def _current_flow_run_id() -> uuid.UUID | None:
    context = FlowRunContext.get()
    return context.flow_run.id if context and context.flow_run else None


def _scheduled_by_us(workflow_name: str) -> bool:
    """Created by Prefect's scheduler (no client can set this flag) for a workflow whose deployment
    has our schedule. A schedule someone added in Prefect to another workflow's deployment is a
    Prefect-side start like the Run button, and is decided as one."""
    context = FlowRunContext.get()
    workflow = WORKFLOWS.get(workflow_name)
    return bool(context and context.flow_run and context.flow_run.auto_scheduled
                and workflow is not None and deployments.scheduled_by_us(workflow))


def _refused(refusal: OrchestratorError) -> ProcessDidNotCompleteError:
    """A refusal ends the run Failed with the reason in the logs the Prefect UI shows."""
    flow_run_warnings.warn(refusal.message)
    return ProcessDidNotCompleteError(refusal.message)


def _suspend_or_complete(suspension: FlowRunSuspension | None, pid: uuid.UUID) -> Any:
    """Served: a Prefect suspension with the step's form (raises Pause). Otherwise, or if Prefect
    refuses the suspension, the run ends Completed("Suspended") and the process waits in our tables."""
    pending = pending_input(pid) if suspension is not None else None
    if suspension is not None and pending is not None:
        try:
            suspension.suspend(pending)
        except Exception:
            logger.warning("Could not suspend the flow run of process %s for input", pid, exc_info=True)
    return Completed(name="Suspended", message=f"Process {pid} waits for user input",
                     data={"process_id": str(pid), "status": str(ProcessStatus.SUSPENDED)})


def _flow_body(workflow_name: str, process_id: str | None, user_inputs: list[dict[str, Any]] | None) -> Any:
    flow_run_id = _current_flow_run_id()
    if process_id is None:
        if _process_factory is None or flow_run_id is None:
            raise RuntimeError("A run without a process_id needs the services wired: call "
                               "orchestrator_core.bootstrap.bootstrap() in this process's entry point")
        try:
            pid = _process_factory(workflow_name, user_inputs or [{}], flow_run_id, _scheduled_by_us(workflow_name))
        except OrchestratorError as refusal:  # not authorized, refused by the guard, invalid form input
            raise _refused(refusal) from None
    else:
        pid = uuid.UUID(str(process_id))
    suspension = FlowRunSuspension.for_current_run()
    if suspension is not None and (pending := pending_input(pid)) is not None \
            and not suspension.accept_submitted_input(pid, pending):
        return _suspend_or_complete(suspension, pid)  # resumed by Prefect without acceptable input
    try:
        status = run_process(pid, invoke_as_task, flow_run_id, _authorize_retry)
    except OrchestratorError as refusal:  # e.g. a retry from the Prefect UI that the workflow does not allow
        # (ForbiddenError) or whose subscription another process locked meanwhile (SubscriptionLockedError)
        raise _refused(refusal) from None
    if status in (ProcessStatus.FAILED, ProcessStatus.WAITING, ProcessStatus.CRASHED):
        raise ProcessDidNotCompleteError(f"Process {pid} is {status}; resume it to continue at the failed step")
    if status == ProcessStatus.SUSPENDED:
        return _suspend_or_complete(suspension, pid)
    if status == ProcessStatus.AWAITING_CALLBACK:  # the callback's POST resumes this run, as a retry does
        return Completed(name="AwaitingCallback", message=f"Process {pid} waits for its callback",
                         data={"process_id": str(pid), "status": str(status)})
    return {"process_id": str(pid), "status": str(status)}


def _entry_for(workflow: Workflow) -> Callable[..., Any]:
    name = workflow.name

    def entry(process_id: str | None = None, user_inputs: list[dict[str, Any]] | None = None) -> Any:
        return _flow_body(name, process_id, user_inputs)

    entry.__name__ = entry.__qualname__ = name
    entry.__doc__ = workflow.description
    return entry


def _plain_json(value: Any) -> bool:
    if value is None or isinstance(value, str | int | float | bool):
        return True
    if isinstance(value, list | tuple):
        return all(_plain_json(item) for item in value)
    if isinstance(value, dict):
        return all(isinstance(key, str) and _plain_json(item) for key, item in value.items())
    return False


class ProcessFlow(Flow):
    """A workflow's flow. Its parameters (a process id, form pages) are plain JSON already, which Prefect
    would record after encoding them with FastAPI's `jsonable_encoder`: an import of FastAPI that costs a
    CLI run 0.2-0.5 s. Plain JSON is recorded as it is, the same values; anything else as Prefect does."""

    def serialize_parameters(self, parameters: dict[str, Any]) -> dict[str, Any]:
        if all(_plain_json(value) for value in parameters.values()):
            return dict(parameters)
        return super().serialize_parameters(parameters)


def unused_result_storage() -> Path:
    """Prefect's own local fallback, named outright: a flow without storage asks the server for its
    default storage block on every run (one HTTP round trip of six), for results ours never persist."""
    from prefect.settings import get_current_settings

    return Path(get_current_settings().results.local_storage_path)


def prefect_flow(workflow: Workflow) -> Flow:
    flow = _flows.get(workflow.name)
    if flow is None or flow.fn.__doc__ != workflow.description:
        flow = ProcessFlow(
            fn=_entry_for(workflow),
            name=workflow.name,
            description=workflow.description,
            validate_parameters=False,
            persist_result=False,
            result_storage=unused_result_storage(),
            retries=0,
        )
        _flows[workflow.name] = flow
    return flow


def all_prefect_flows() -> dict[str, Flow]:
    return {name: prefect_flow(wf) for name, wf in WORKFLOWS.items()}
