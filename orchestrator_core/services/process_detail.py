"""One process as orchestrator-ui's process page shows it: its step log with what each step changed, the
steps still to come, the form it waits for, and what the caller may do with it.

The same step log and diffs as the REST detail, in the shape of the reference's process page: a step's
`state_delta` holds the keys it added or changed (the first step's, its whole state), and the steps of
the workflow after the last logged one follow as `pending`. The authorization is the one every door
uses (`authorization.callbacks_at`).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from pydantic_forms.core import page_schema

from orchestrator_core.db import transaction
from orchestrator_core.engine import step_log
from orchestrator_core.forms.validation import first_page
from orchestrator_core.services import authorization
from orchestrator_core.services.process_queries import ProcessView, get_process
from orchestrator_core.types import FINAL_STATUSES, ProcessStatus
from orchestrator_core.workflow import InvalidWorkflowError, Workflow, get_workflow

PENDING = "pending"
COMMITTED = {str(s) for s in step_log.COMMITTED}


@dataclass(frozen=True)
class ProcessPage:
    view: ProcessView
    steps: list[dict[str, Any]]
    form: dict[str, Any] | None
    next_index: int


def _code(name: str) -> Workflow | None:
    try:
        return get_workflow(name)
    except InvalidWorkflowError:
        return None


def load(process_id: uuid.UUID) -> ProcessPage:
    """ProcessNotFoundError if there is no such process."""
    view = get_process(process_id, with_steps=False)
    with transaction() as session:
        rows = [_logged(row) for row in step_log.steps_of(session, process_id)]
        try:
            point = step_log.resume_point(session, process_id)
        except LookupError:  # no step committed and no initial state (yet): it stands at its start
            point = step_log.ResumePoint(0, {})
    code = _code(view.workflow_name)
    return ProcessPage(view, _with_deltas(rows) + _pending(view, code, rows), _form(view, code, point),
                       point.next_index)


def _logged(row: Any) -> dict[str, Any]:
    return {
        "step_id": row.step_id,
        "step_index": row.step_index,
        "name": row.name,
        "status": row.status,
        "created_by": row.created_by,
        "started": row.started_at,
        "completed": row.completed_at,
        "commit_hash": row.commit_hash,
        "state": dict(row.state),
    }


def _with_deltas(steps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each step's keys that differ from the state of the last committed step before it."""
    base: dict[str, Any] = {}
    for step in steps:
        step["state_delta"] = {k: v for k, v in step["state"].items() if k not in base or base[k] != v}
        if step["status"] in COMMITTED:
            base = step["state"]
    return steps


def _pending(view: ProcessView, code: Workflow | None, logged: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The workflow's steps after the last logged one, while the process may still run them."""
    if code is None or view.status in FINAL_STATUSES:
        return []
    last_index = max((s["step_index"] for s in logged), default=-1)
    return [{"name": step.name, "status": PENDING} for step in code.steps[last_index + 1:]]


def _form(view: ProcessView, code: Workflow | None, point: step_log.ResumePoint) -> dict[str, Any] | None:
    """The JSON schema of the first page of the form a suspended process waits for (as a 510 carries it)."""
    if view.status != ProcessStatus.SUSPENDED or code is None or point.next_index >= len(code.steps):
        return None
    page = first_page(code.steps[point.next_index].form, point.state)
    return page_schema(page) if page is not None else None


def waiting_form(view: ProcessView) -> dict[str, Any] | None:
    """The form a process waits for (REST's process detail), read as the process page reads it (`_form`)."""
    if view.status != ProcessStatus.SUSPENDED:
        return None
    with transaction() as session:
        point = step_log.resume_point(session, view.process_id)
    return _form(view, _code(view.workflow_name), point)


def permissions(page: ProcessPage, caller: Any) -> tuple[bool, bool]:
    """(retry allowed, resume allowed) for the caller at the step the process stands at; False without code."""
    code = _code(page.view.workflow_name)
    if code is None:
        return False, False
    resume, retry = authorization.callbacks_at(code, page.next_index)
    return authorization.allowed(retry, caller), authorization.allowed(resume, caller)
