"""Helpers for workflow authors' tests: run a workflow for real and look at what it did.

They run on the configured database and real Prefect (embedded), exactly as production runs,
and register a decorated workflow's `workflows` row if a migration has not. Like every entry
point, importing this module sets Prefect's environment defaults (a patient embedded-server
start, quiet logs) before Prefect is imported; what the environment sets wins. Running a workflow
wires the services into the engine first (`orchestrator_core.bootstrap`), as every entry point does.
"""

from __future__ import annotations

from orchestrator_core.engine.prefect_runtime import apply_environment_defaults

apply_environment_defaults()  # before the imports below bring Prefect in

import uuid  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from typing import Any  # noqa: E402

from orchestrator_core.bootstrap import bootstrap  # noqa: E402
from orchestrator_core.db import WorkflowTable, transaction  # noqa: E402
from orchestrator_core.services.process_queries import ProcessView, StepView, get_process  # noqa: E402
from orchestrator_core.services.processes import (  # noqa: E402
    continue_awaiting_process,
    resume_process,
    start_process,
)
from orchestrator_core.services.workflow_registry import ensure_workflow_row, workflow_row  # noqa: E402
from orchestrator_core.types import ProcessStatus, State  # noqa: E402
from orchestrator_core.workflow import ALL_WORKFLOWS, CALLBACK_TOKEN_KEY, LazyWorkflowInstance, Workflow  # noqa: E402


@dataclass(frozen=True)
class WorkflowResult:
    process_id: uuid.UUID
    status: str
    state: State
    steps: list[StepView]
    process: ProcessView

    def step_names(self) -> list[str]:
        return [s.name for s in self.steps]

    def __iter__(self) -> Iterator[Any]:
        """Unpacks as the reference's `result, process, step_log = run_workflow(...)`: the result stands
        for its process as well, and the step log is `steps` (our step views, not (Step, Process) pairs)."""
        return iter((self, self, self.steps))


@dataclass(frozen=True)
class ResumedWorkflowResult(WorkflowResult):
    def __iter__(self) -> Iterator[Any]:
        """Unpacks as the reference's `result, step_log = resume_workflow(process, step_log, input)`."""
        return iter((self, self.steps))


def _inputs(data: dict[str, Any] | list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    if data is None:
        return [{}]
    return [data] if isinstance(data, dict) else list(data)


def result_of(process_id: uuid.UUID) -> WorkflowResult:
    view = get_process(process_id)
    return WorkflowResult(view.process_id, view.status, view.state, view.steps, view)


def run_workflow(name: str, input_data: dict[str, Any] | list[dict[str, Any]] | None = None,
                 user: str = "test") -> WorkflowResult:
    bootstrap()
    return result_of(start_process(name, _inputs(input_data), user, wait=True, register=True))


def _process_id(result_or_process_id: WorkflowResult | uuid.UUID | str) -> uuid.UUID:
    if isinstance(result_or_process_id, WorkflowResult):
        return result_or_process_id.process_id
    return uuid.UUID(str(result_or_process_id))


def resume_workflow(result_or_process_id: WorkflowResult | uuid.UUID | str,
                    user_input: dict[str, Any] | list[dict[str, Any]] | list[StepView] | None = None,
                    *reference_input: dict[str, Any] | list[dict[str, Any]],
                    user: str = "test") -> ResumedWorkflowResult:
    """Continue a suspended, failed or waiting process with the next form's input.

    The reference's call, `resume_workflow(process, step_log, input_data)`, works too: the step log
    is ours already (in the database), so only the input is used."""
    bootstrap()
    if reference_input:
        user_input = reference_input[0]
    process_id = _process_id(result_or_process_id)
    resume_process(process_id, _inputs(user_input), user, wait=True)  # type: ignore[arg-type]
    view = get_process(process_id)
    return ResumedWorkflowResult(view.process_id, view.status, view.state, view.steps, view)


def post_callback(result_or_process_id: WorkflowResult | uuid.UUID | str, callback_result: dict[str, Any],
                  user: str = "test") -> WorkflowResult:
    """What an external system's POST to the callback route does, without HTTP: the process awaiting
    a `callback_step` gets `callback_result` (under the step's result key) and runs on from its
    validate step. Refused, changing nothing, when the process does not await a callback."""
    bootstrap()
    process_id = _process_id(result_or_process_id)
    token = result_of(process_id).state.get(CALLBACK_TOKEN_KEY)
    continue_awaiting_process(process_id, str(token or ""), callback_result, user, wait=True)
    return result_of(process_id)


def _assert_status(result: WorkflowResult, expected: ProcessStatus) -> None:
    assert result.status == expected, (
        f"Process {result.process_id} is {result.status}, expected {expected}; "
        f"last step {result.process.last_step!r}; reason: {result.process.failed_reason}"
    )


def assert_complete(result: WorkflowResult) -> None:
    _assert_status(result, ProcessStatus.COMPLETED)


def assert_failed(result: WorkflowResult) -> None:
    _assert_status(result, ProcessStatus.FAILED)


def assert_waiting(result: WorkflowResult) -> None:
    _assert_status(result, ProcessStatus.WAITING)


def assert_awaiting_callback(result: WorkflowResult) -> None:
    """The process waits at a `callback_step` for an external system's result (see `post_callback`)."""
    _assert_status(result, ProcessStatus.AWAITING_CALLBACK)


def assert_suspended(result: WorkflowResult) -> None:
    _assert_status(result, ProcessStatus.SUSPENDED)


def assert_aborted(result: WorkflowResult) -> None:
    _assert_status(result, ProcessStatus.ABORTED)


def assert_state(result: WorkflowResult, expected: State) -> None:
    """The state holds at least `expected`'s keys, with its values."""
    actual = {key: result.state.get(key) for key in expected}
    assert actual == expected, f"Invalid state. Expected superset of: {expected}, but was: {actual}"


def assert_state_equal(result: WorkflowResult, expected: State, excluded_keys: list[str] | None = None) -> None:
    """The whole state equals `expected`, but for `excluded_keys` (by default the process's own keys)."""
    excluded = set(excluded_keys if excluded_keys is not None else ["process_id", "workflow_target", "workflow_name"])
    state = {k: v for k, v in result.state.items() if k not in excluded}
    wanted = {k: v for k, v in expected.items() if k not in excluded}
    assert state == wanted, f"Unexpected state: {state}, expected {wanted}"


def assert_step_name(log: WorkflowResult | list[StepView], expected: str) -> None:
    """The last step of the log (`result.steps`, or the step log of the reference's call shapes)."""
    steps = log.steps if isinstance(log, WorkflowResult) else log
    actual = steps[-1].name if steps else None
    assert actual == expected, f"Unexpected name. Expected {expected}, but was: {actual}"


def extract_state(result: WorkflowResult) -> State:
    return dict(result.state)


def extract_error(result: WorkflowResult) -> str:
    """The error message of the failed (or waiting) step."""
    return str(result.state.get("error", result.process.failed_reason or ""))


class WorkflowInstanceForTests(LazyWorkflowInstance):
    """The reference's helper for a workflow defined inside a test: for the `with` block it is
    registered under `name`, with its `workflows` row (which `with` gives), and afterwards what was
    registered under that name before is back.

    Unlike the reference, which deletes the row, the row stays when a process ran the workflow, so
    that the process keeps its history; a row the block made and nothing used is deleted."""

    def __init__(self, workflow: Workflow, name: str) -> None:
        # registered on entering the block, not here, as in the reference
        self.package = __name__
        self.function = self.name = name
        self.workflow = self._workflow = workflow
        self._own_name = workflow.name
        self._previous: LazyWorkflowInstance | None = None
        self._made_row = False

    def __enter__(self) -> WorkflowTable:
        self._previous = ALL_WORKFLOWS.get(self.name)
        self.workflow.name = self.name
        ALL_WORKFLOWS[self.name] = self
        with transaction() as session:
            self._made_row = workflow_row(session, self.name) is None
            return ensure_workflow_row(session, self.workflow)

    def __exit__(self, *_exc: object) -> None:
        self.workflow.name = self._own_name
        if self._previous is not None:
            ALL_WORKFLOWS[self.name] = self._previous
        else:
            ALL_WORKFLOWS.pop(self.name, None)
        if self._made_row:
            with transaction() as session:
                row = workflow_row(session, self.name)
                if row is not None and not row.processes:
                    session.delete(row)

    def __repr__(self) -> str:
        return f"WorkflowInstanceForTests({self.workflow!r}, {self.name!r})"
