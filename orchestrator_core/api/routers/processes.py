"""Processes: start a workflow, read and follow processes, resume and abort them.

Handlers are sync (FastAPI runs them in its thread pool) because the services are; the event
stream is async so that a follower holds no thread while it waits.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Path, Query, Response, status

from orchestrator_core.api.auth import AuthUser, user_name, writer
from orchestrator_core.api.events import process_event_stream, stream_client
from orchestrator_core.api.links import flow_run_url
from orchestrator_core.api.pagination import Page, PageParams, page_params, page_response
from orchestrator_core.api.params import text_query
from orchestrator_core.api.schemas.processes import (
    ProcessDetail,
    ProcessId,
    ProcessPatch,
    ProcessStatusCounts,
    ProcessStep,
    ProcessSummary,
    ResumeAll,
    StateDiff,
)
from orchestrator_core.api.state_diff import step_diffs
from orchestrator_core.services import (
    process_counts,
    process_detail,
    process_notes,
    process_search,
    task_housekeeping,
)
from orchestrator_core.services.process_queries import get_process
from orchestrator_core.services.processes import (
    abort_process,
    continue_awaiting_process,
    resume_process,
    start_process,
    update_awaiting_process_progress,
)
from orchestrator_core.types import ProcessStatus

router = APIRouter(prefix="/api/processes", tags=["processes"])

FormPages = list[dict[str, Any]] | dict[str, Any] | None
FORM_BODY = Body(default=None, description="The filled form pages (a list), or one page as an object")
ProcessIdPath = Annotated[uuid.UUID, Path(description="The process id")]


def _pages(body: FormPages) -> list[dict[str, Any]]:
    if body is None:
        return [{}]
    return [body] if isinstance(body, dict) else body


REFUSALS: dict[int | str, dict[str, Any]] = {
    401: {"description": "No or bad bearer token"},
    403: {"description": "Not authorized for this workflow"},
    404: {"description": "Unknown workflow or process"},
    409: {"description": "Refused by the guard or state"},
    412: {"description": "A precondition of the guard failed"},
    422: {"description": "Invalid form input"},
    503: {"description": "Prefect is unreachable (served mode)"},
}


@router.post("/{workflow}", status_code=status.HTTP_201_CREATED, response_model=ProcessId, responses=REFUSALS)
def start(
    workflow: Annotated[str, Path(max_length=255)],
    body: FormPages = FORM_BODY,
    user: AuthUser | None = Depends(writer),
) -> ProcessId:
    """Start a workflow; answers at once with the process id, the flow runs in the background."""
    return ProcessId(id=start_process(workflow, _pages(body), user_name(user), wait=False, caller=user))


@router.get("", response_model=Page[ProcessSummary])
def list_processes(
    status: Annotated[ProcessStatus | None, Query()] = None,
    workflow: Annotated[str | None, text_query(255)] = None,
    subscription: Annotated[uuid.UUID | None, Query(description="A subscription id")] = None,
    page: PageParams = Depends(page_params),
) -> Response:
    """Newest first, filtered by status, workflow name and subscription."""
    result = process_search.search_processes(
        str(status) if status else None, workflow, subscription, page.limit, page.offset
    )
    return page_response(Page[ProcessSummary], result.items, result.total, True, page)


@router.get("/status-counts", response_model=ProcessStatusCounts)
def status_counts() -> ProcessStatusCounts:
    """Processes and tasks by status, as orchestrator-ui's badges and tabs show them (crashed ones count as
    failed). Declared before `/{process_id}`, which would read the word as an id."""
    counts = process_counts.status_counts()
    return ProcessStatusCounts(process_counts=counts.processes, task_counts=counts.tasks)


@router.put("/resume-all", response_model=ResumeAll, responses=REFUSALS)
def resume_all(user: AuthUser | None = Depends(writer)) -> ResumeAll:
    """Retry every failed, waiting or crashed task the caller may retry (orchestrator-ui's "retry all" of the
    tasks page); each as `PUT /{id}/resume` would, the others are listed with the reason code."""
    result = task_housekeeping.retry_failed_tasks(user, user_name(user))
    return ResumeAll(count=len(result.resumed), refused={str(k): e.code for k, e in result.refused.items()})


@router.get("/{process_id}", response_model=ProcessDetail, responses={404: {"description": "Unknown process"}})
def get_one(process_id: ProcessIdPath) -> ProcessDetail:
    """Status, who and when, every step with its state and what it changed, and the Prefect flow run."""
    view = get_process(process_id)
    initial = process_search.initial_state_of(process_id)
    diffs = step_diffs(initial, [(s.status, s.state) for s in view.steps])
    steps = [
        ProcessStep(
            step_index=s.step_index,
            name=s.name,
            status=s.status,
            created_by=s.created_by,
            started_at=s.started_at,
            completed_at=s.completed_at,
            commit_hash=s.commit_hash,
            state=s.state,
            diff=StateDiff.model_validate(d),
        )
        for s, d in zip(view.steps, diffs, strict=True)
    ]
    return ProcessDetail(
        process_id=view.process_id,
        workflow_name=view.workflow_name,
        status=view.status,
        last_step=view.last_step,
        failed_reason=view.failed_reason,
        traceback=view.traceback,
        created_by=view.created_by,
        started_at=view.started_at,
        last_modified_at=view.last_modified_at,
        assignee=view.assignee,
        is_task=view.is_task,
        note=view.note,
        flow_run_id=view.flow_run_id,
        prefect_url=flow_run_url(view.flow_run_id),
        subscription_ids=process_search.subscriptions_of(process_id),
        current_state=view.steps[-1].state if view.steps else initial,
        form=process_detail.waiting_form(view),
        steps=steps,
    )


@router.delete(
    "/{process_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses={400: {"description": "Not a task: a workflow's process is kept"}, **REFUSALS},
)
def delete(process_id: ProcessIdPath, user: AuthUser | None = Depends(writer)) -> Response:
    """Delete a task's process with its step log (as the reference, tasks only; not while it runs). The caller
    must be one who may retry it."""
    task_housekeeping.delete_task(process_id, caller=user)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.patch("/{process_id}", response_model=ProcessDetail, responses={404: REFUSALS[404]},
              dependencies=[Depends(writer)])
def patch(process_id: ProcessIdPath, body: ProcessPatch) -> ProcessDetail:
    """Set or clear the process's note (orchestrator-ui's process list edits it); nothing else changes."""
    process_notes.set_note(process_id, body.note)
    return get_one(process_id)


@router.put(
    "/{process_id}/resume",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=REFUSALS,
)
def resume(process_id: ProcessIdPath, body: FormPages = FORM_BODY, user: AuthUser | None = Depends(writer)) -> Response:
    """Retry a failed/waiting/crashed process at its failed step, or resume a suspended one with its input."""
    resume_process(process_id, _pages(body), user_name(user), wait=False, caller=user)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


CALLBACK_REFUSALS: dict[int | str, dict[str, Any]] = {
    401: REFUSALS[401],
    404: {"description": "Unknown process, or a token that is not the one the process waits for"},
    409: {"description": "The process is not awaiting a callback (e.g. the token was used already)"},
    422: {"description": "The body is not a JSON object"},
    503: REFUSALS[503],
}


@router.post("/{process_id}/callback/{token}", response_model=ProcessId, responses=CALLBACK_REFUSALS)
def callback(
    process_id: ProcessIdPath,
    token: Annotated[str, Path(max_length=255, description="The token of the process's callback route")],
    body: Annotated[dict[str, Any], Body(description="The external system's result, stored in the state")],
    user: AuthUser | None = Depends(writer),
) -> ProcessId:
    """An external system's answer to a `callback_step`: the process resumes at its validate step with
    the body in its state (`callback_result`). The route is the one the step put in the state."""
    continue_awaiting_process(process_id, token, body, user_name(user), wait=False)
    return ProcessId(id=process_id)


@router.post("/{process_id}/callback/{token}/progress", status_code=status.HTTP_204_NO_CONTENT,
             response_class=Response, responses=CALLBACK_REFUSALS, dependencies=[Depends(writer)])
def callback_progress(
    process_id: ProcessIdPath,
    token: Annotated[str, Path(max_length=255, description="The token of the process's callback route")],
    body: Annotated[str | dict[str, Any], Body(description="A progress report: text or a JSON object")],
) -> Response:
    """A progress report of the external system a process awaits, shown as `callback_progress` in the
    awaiting step's state until the callback itself arrives."""
    update_awaiting_process_progress(process_id, token, body)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.put("/{process_id}/abort", status_code=status.HTTP_204_NO_CONTENT, response_class=Response, responses=REFUSALS)
def abort(process_id: ProcessIdPath, user: AuthUser | None = Depends(writer)) -> Response:
    """End a process for good; it keeps its step log."""
    abort_process(process_id, user_name(user), caller=user)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/{process_id}/events",
    response_class=Response,
    responses={
        200: {"content": {"text/event-stream": {}}, "description": "Server-sent events"},
        404: {"description": "Unknown process"},
        429: {"description": "Too many event streams open"},
    },
)
async def events(process_id: ProcessIdPath, client: str = Depends(stream_client)) -> Response:
    """Server-sent events: `status` and `step` as they happen, then `end` once the process stops moving."""
    return await process_event_stream(process_id, client)
