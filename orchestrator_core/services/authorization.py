"""Per-workflow authorization, decided here for every door a caller comes through (our API, the
Prefect UI), so that each door runs the same callbacks. The use cases ask it (services/processes.py
with the `caller` a door passes, services/prefect_actions.py for Prefect); no door decides itself.

The Workflow's `authorize_callback` decides a start. A resume is decided by the callback in force
at the step the process stands at (a step's own resume/retry callback, else the workflow's), as
the reference system decides it: the resume callback for a suspended process, the retry callback
for a failed, waiting or crashed one. A refusal is a `ForbiddenError` with a reason code
(`start_not_authorized`, `resume_not_authorized`, `retry_not_authorized`); the API answers it 403.

Callbacks receive the caller: the API's `AuthUser`, or None for an anonymous caller. None is what
the API passes when auth is disabled and no token was sent, and what every action taken in the
Prefect UI passes (Run, Retry, a resume form), since Prefect OSS has no user identity. Runs of the
schedules we install and the CLI are operators acting on the server: they are not asked.
Callbacks may be sync or async.

Prefect's door. Whether actions taken in Prefect are put to the callbacks at all is the operator's
choice, ORCHESTRATOR_PREFECT_UI_ACTIONS: with `deny` (the default while our authentication is on)
each is refused before the callbacks are asked (`prefect_actions_denied`). And since anyone who
reaches an unauthenticated Prefect API can take such actions, `check_prefect_door` refuses to let
the worker or the API start in served mode while our authentication is on and Prefect's API is open.
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
from orchestrator_core.errors import ForbiddenError, OrchestratorError
from orchestrator_core.settings import app_settings
from orchestrator_core.types import ProcessStatus
from orchestrator_core.utils.startup import wait_for
from orchestrator_core.workflow import Authorizer, Workflow

ANONYMOUS: None = None
"""The caller of an action without identity: the API with auth disabled and no token, the Prefect UI."""


class _Operator:
    def __repr__(self) -> str:
        return "OPERATOR"


OPERATOR: Any = _Operator()
"""The caller the use cases (services/processes.py) assume unless told: an operator acting on the server
(the CLI, our schedules, an application's own scripts and tests), whom the callbacks are not asked
about. Every door with callers of its own (the API, Prefect) passes its caller, and the use case asks."""


def asks(caller: Any) -> bool:
    """Whether the callbacks decide for this caller (anyone but `OPERATOR`)."""
    return caller is not OPERATOR


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


def prefect_actions_allowed() -> bool:
    """ORCHESTRATOR_PREFECT_UI_ACTIONS; `auto` allows them only while our authentication is off."""
    choice = app_settings.ORCHESTRATOR_PREFECT_UI_ACTIONS
    return app_settings.ORCHESTRATOR_AUTH_DISABLED if choice == "auto" else choice == "allow"


def _prefect_actions_denied(action: str, instead: str, **details: Any) -> ForbiddenError:
    return ForbiddenError(
        f"{action} from the Prefect UI (or Prefect's API) is refused: actions taken in Prefect are off "
        f"(ORCHESTRATOR_PREFECT_UI_ACTIONS={app_settings.ORCHESTRATOR_PREFECT_UI_ACTIONS}"
        f"{', and our authentication is on' if app_settings.ORCHESTRATOR_PREFECT_UI_ACTIONS == 'auto' else ''}). "
        f"Nothing was run or written. An authorized user must {instead}.",
        reason="prefect_actions_denied",
        **details,
    )


def check_start_from_prefect(workflow: Workflow) -> None:
    """`authorize_start` for a run started in the Prefect UI (or through Prefect's API): anonymous."""
    if not prefect_actions_allowed():
        raise _prefect_actions_denied(f"Starting workflow {workflow.name!r}",
                                      f"start it through the orchestrator API (POST /api/processes/{workflow.name})",
                                      workflow=workflow.name)
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
    if not prefect_actions_allowed():
        resuming = status == ProcessStatus.SUSPENDED
        raise _prefect_actions_denied(
            f"{'Resuming' if resuming else 'Retrying'} process {process_id} at step "
            f"{step_name_at(workflow, next_index)!r}",
            f"{'resume' if resuming else 'retry'} it through the orchestrator API "
            f"(PUT /api/processes/{process_id}/resume); the process stays {status}",
            workflow=workflow.name, process_id=str(process_id), status=status)
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


class PrefectApiOpenError(OrchestratorError):
    """Served mode with our authentication on, and Prefect's API open to anyone who reaches it."""

    code = "prefect.api_open"
    http_status = 503


class PrefectUnreachableError(OrchestratorError):
    """A command that cannot work without Prefect found its API unreachable at start-up."""

    code = "prefect.unreachable"
    http_status = 503


class PrefectCredentialsRefusedError(OrchestratorError):
    """Prefect's server authenticates, and refuses the credentials this process sends it."""

    code = "prefect.credentials_refused"
    http_status = 503


def check_prefect_door(needs_prefect: str | None = None) -> None:
    """What `orchestrator worker` and `orchestrator serve` ask before they start: in served mode, refuse
    (raise) when our authentication is on and Prefect's API answers a protected read without credentials
    (unless ORCHESTRATOR_ALLOW_OPEN_PREFECT_API), and when Prefect refuses this process's own credentials.

    `needs_prefect` names a command that cannot work without Prefect (the worker): it waits for an
    unreachable Prefect as for the database (ORCHESTRATOR_STARTUP_WAIT_SECONDS), then refuses in one line,
    so the door is always decided before it serves. For the API an unreachable Prefect is not decided
    here: it answers starts 503 until Prefect is back, and asks again at its own start-up."""
    from orchestrator_core.engine import prefect_access

    if app_settings.ORCHESTRATOR_EXECUTION_MODE != "served":
        return
    api_url = prefect_access.configured_api_url()
    if api_url is None:
        return
    door = prefect_access.probe(api_url)
    if needs_prefect is not None and door.ours is None:
        def unreachable() -> str | None:
            nonlocal door
            door = prefect_access.probe(api_url)
            return None if door.ours is not None else f"Prefect's API at {api_url} cannot be reached"

        if (problem := wait_for(needs_prefect, unreachable)) is not None:
            raise PrefectUnreachableError(
                f"{problem}; `orchestrator {needs_prefect}` did not start. Start the Prefect server, or set "
                f"PREFECT_API_URL to where it runs.", prefect_api_url=api_url)
    if door.refuses_us:
        raise PrefectCredentialsRefusedError(
            f"Prefect's API at {api_url} refuses this process's credentials (HTTP {door.ours}): set "
            f"PREFECT_API_AUTH_STRING to the value of the Prefect server's PREFECT_SERVER_API_AUTH_STRING.",
            prefect_api_url=api_url)
    our_auth_on = not app_settings.ORCHESTRATOR_AUTH_DISABLED
    if door.open and our_auth_on and not app_settings.ORCHESTRATOR_ALLOW_OPEN_PREFECT_API:
        raise PrefectApiOpenError(
            f"Our authentication is on, but Prefect's API at {api_url} answers without credentials, so anyone "
            f"who reaches it can start, retry and resume processes; not starting. Start the Prefect server with "
            f"PREFECT_SERVER_API_AUTH_STRING=user:password and give this process PREFECT_API_AUTH_STRING with "
            f"the same value, or set ORCHESTRATOR_ALLOW_OPEN_PREFECT_API=true to accept the risk.",
            prefect_api_url=api_url)
