"""Per-workflow authorization: the Workflow's `authorize_callback` on start, and on resume the
callback in force at the step the process stands at (a step's own resume/retry callback, else
the workflow's), as the reference system decides it. A refusal is a 403 with a reason code.

Callbacks receive the caller (`AuthUser`, or None when auth is disabled and no token was sent),
and may be sync or async.
"""

from __future__ import annotations

import asyncio
import inspect
import uuid
from typing import Any

from orchestrator_core.api.auth import AuthUser
from orchestrator_core.api.errors import ForbiddenError
from orchestrator_core.db import transaction
from orchestrator_core.engine import step_log
from orchestrator_core.workflow import Authorizer, Workflow


def _allowed(callback: Authorizer | None, user: AuthUser | None) -> bool:
    if callback is None:
        return True
    result: Any = callback(user)
    if inspect.isawaitable(result):
        result = asyncio.run(_await(result))
    return bool(result)


async def _await(awaitable: Any) -> Any:
    return await awaitable


def authorize_start(workflow: Workflow, user: AuthUser | None) -> None:
    if not _allowed(workflow.authorize_callback, user):
        raise ForbiddenError(
            f"You may not start workflow {workflow.name!r}",
            reason="start_not_authorized",
            workflow=workflow.name,
        )


def _callbacks(workflow: Workflow, next_index: int) -> tuple[Authorizer | None, Authorizer | None]:
    """(resume, retry) in force at step `next_index`: the latest one set on a step so far wins."""
    resume: Authorizer | None = workflow.authorize_callback
    retry: Authorizer | None = workflow.retry_auth_callback  # make_workflow defaults it to authorize_callback
    for step in workflow.steps[: next_index + 1]:
        if step.resume_auth_callback is not None:
            resume = step.resume_auth_callback
        if step.retry_auth_callback or step.resume_auth_callback:
            retry = step.retry_auth_callback or step.resume_auth_callback
    return resume, retry


def authorize_resume(workflow: Workflow, process_id: uuid.UUID, status: str, user: AuthUser | None) -> None:
    with transaction() as session:
        next_index = step_log.resume_point(session, process_id).next_index
    resume, retry = _callbacks(workflow, next_index)
    if status == "suspended":
        if not _allowed(resume, user):
            raise ForbiddenError(
                "You may not resume this step",
                reason="resume_not_authorized",
                workflow=workflow.name,
                process_id=str(process_id),
            )
    elif not _allowed(retry, user):
        raise ForbiddenError(
            "You may not retry this process",
            reason="retry_not_authorized",
            workflow=workflow.name,
            process_id=str(process_id),
        )
