"""Per-workflow authorization, decided here for every door a caller comes through (our API, the
Prefect UI), so that each door runs the same callbacks.

The Workflow's `authorize_callback` decides a start. A resume is decided by the callback in force
at the step the process stands at (a step's own resume/retry callback, else the workflow's), as
the reference system decides it: the resume callback for a suspended process, the retry callback
for a failed, waiting or crashed one. A refusal is a `ForbiddenError` with a reason code
(`start_not_authorized`, `resume_not_authorized`, `retry_not_authorized`); the API answers it 403.

Callbacks receive the caller: the API's `AuthUser`, or None for an anonymous caller. None is what
the API passes when auth is disabled and no token was sent, and what every action taken in the
Prefect UI passes (Run, Retry, a resume form), since Prefect OSS has no user identity. Runs of a
deployment's schedule and the CLI are operators acting on the server: they are not asked.
Callbacks may be sync or async.
"""

from __future__ import annotations

import asyncio
import inspect
import threading
import uuid
from collections.abc import Coroutine
from typing import Any

from orchestrator_core.db import transaction
from orchestrator_core.engine import step_log
from orchestrator_core.errors import ForbiddenError
from orchestrator_core.types import ProcessStatus
from orchestrator_core.workflow import Authorizer, Workflow

ANONYMOUS: None = None
"""The caller of an action without identity: the API with auth disabled and no token, the Prefect UI."""


def allowed(callback: Authorizer | None, caller: Any) -> bool:
    """The callback's verdict on `caller`; no callback allows everyone."""
    if callback is None:
        return True
    result: Any = callback(caller)
    if inspect.isawaitable(result):
        result = _run(_await(result))
    return bool(result)


async def _await(awaitable: Any) -> Any:
    return await awaitable


def _run(coroutine: Coroutine[Any, Any, Any]) -> Any:
    """Run an async callback to its end, also from a thread whose event loop is already running."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = asyncio.run(coroutine)
        except BaseException as exc:  # handed back to the caller's thread
            outcome["error"] = exc

    thread = threading.Thread(target=run, name="authorization-callback")
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")


def callbacks_at(workflow: Workflow, next_index: int) -> tuple[Authorizer | None, Authorizer | None]:
    """(resume, retry) in force at step `next_index`: the latest one set on a step so far wins."""
    resume: Authorizer | None = workflow.authorize_callback
    retry: Authorizer | None = workflow.retry_auth_callback  # make_workflow defaults it to authorize_callback
    for step in workflow.steps[: next_index + 1]:
        if step.resume_auth_callback is not None:
            resume = step.resume_auth_callback
        if step.retry_auth_callback or step.resume_auth_callback:
            retry = step.retry_auth_callback or step.resume_auth_callback
    return resume, retry


def authorize_start(workflow: Workflow, caller: Any) -> None:
    if not allowed(workflow.authorize_callback, caller):
        raise ForbiddenError(
            f"You may not start workflow {workflow.name!r}",
            reason="start_not_authorized",
            workflow=workflow.name,
        )


def check_resume_at(workflow: Workflow, process_id: uuid.UUID, next_index: int, status: str, caller: Any) -> None:
    """Resume (status suspended) or retry (any other status) the process at step `next_index`?"""
    resume, retry = callbacks_at(workflow, next_index)
    resuming = status == ProcessStatus.SUSPENDED
    if not allowed(resume if resuming else retry, caller):
        raise ForbiddenError(
            "You may not resume this step" if resuming else "You may not retry this process",
            reason="resume_not_authorized" if resuming else "retry_not_authorized",
            workflow=workflow.name,
            process_id=str(process_id),
        )


def authorize_resume(workflow: Workflow, process_id: uuid.UUID, status: str, caller: Any) -> None:
    """`check_resume_at` for the step the process stands at now, read from its step log."""
    with transaction() as session:
        next_index = step_log.resume_point(session, process_id).next_index
    check_resume_at(workflow, process_id, next_index, status, caller)


def step_name_at(workflow: Workflow, index: int) -> str:
    """The name of the step a process stands at, for a refusal's sentence."""
    return workflow.steps[index].name if index < len(workflow.steps) else "(end)"


def check_start_from_prefect(workflow: Workflow) -> None:
    """`authorize_start` for a run started in the Prefect UI (or through Prefect's API): anonymous."""
    try:
        authorize_start(workflow, ANONYMOUS)
    except ForbiddenError as refusal:
        raise ForbiddenError(
            f"Starting workflow {workflow.name!r} from the Prefect UI is not authorized: its start authorization "
            f"refuses an anonymous caller, and Prefect has no user identity. Nothing was written. An authorized "
            f"user must start it through the orchestrator API (POST /api/processes/{workflow.name}).",
            **refusal.details,
        ) from None


def check_from_prefect(workflow: Workflow, process_id: uuid.UUID, next_index: int, status: str) -> None:
    """`check_resume_at` for an action taken in the Prefect UI (or through Prefect's API), whose
    caller is anonymous; a refusal says why, what happened and what an operator does instead."""
    try:
        check_resume_at(workflow, process_id, next_index, status, ANONYMOUS)
    except ForbiddenError as refusal:
        step = step_name_at(workflow, next_index)
        action = "Resuming" if status == ProcessStatus.SUSPENDED else "Retrying"
        kind = "resume" if status == ProcessStatus.SUSPENDED else "retry"
        raise ForbiddenError(
            f"{action} process {process_id} at step {step!r} from the Prefect UI is not authorized: the "
            f"{kind} authorization of workflow {workflow.name!r} at that step refuses an anonymous caller, "
            f"and Prefect has no user identity. Nothing was run or written; the process stays {status}. "
            f"An authorized user must {kind} it through the orchestrator API "
            f"(PUT /api/processes/{process_id}/resume).",
            **refusal.details,
            step=step,
            status=status,
        ) from None
