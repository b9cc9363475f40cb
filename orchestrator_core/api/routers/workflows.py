"""Workflows (read-only): what is registered, which steps its code has, and its first form page."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from orchestrator_core.api.errors import ApiError
from orchestrator_core.api.schemas.catalogue import WorkflowForm, WorkflowInfo
from orchestrator_core.errors import WorkflowNotFoundError
from orchestrator_core.forms.validation import FormIncompleteError, validate_form
from orchestrator_core.services import catalogue
from orchestrator_core.targets import Target
from orchestrator_core.workflow import get_workflow

router = APIRouter(prefix="/api/workflows", tags=["workflows"])
NamePath = Annotated[str, Path(max_length=255)]


@router.get("", response_model=list[WorkflowInfo])
def list_workflows(target: Annotated[Target | None, Query()] = None) -> list[WorkflowInfo]:
    return [WorkflowInfo(**w) for w in catalogue.list_workflows(str(target) if target else None)]


@router.get("/{name}", response_model=WorkflowInfo, responses={404: {"description": "Unknown workflow"}})
def get_one(name: NamePath) -> WorkflowInfo:
    found = catalogue.get_workflow_info(name)
    if found is None:
        raise WorkflowNotFoundError(f"No workflow named {name!r}", workflow=name)
    return WorkflowInfo(**found)


@router.get(
    "/{name}/form",
    response_model=WorkflowForm,
    responses={404: {"description": "Unknown workflow"}, 422: {"description": "Form cannot be shown"}},
)
def first_form(name: NamePath, subscription_id: Annotated[uuid.UUID | None, Query()] = None) -> WorkflowForm:
    """The first page of the start form; pass `subscription_id` for workflows on an existing subscription."""
    wf = get_workflow(name)
    if wf is None:
        raise WorkflowNotFoundError(f"No workflow named {name!r}", workflow=name)
    state: dict[str, Any] = {"subscription_id": str(subscription_id)} if subscription_id else {}
    try:
        validate_form(wf.initial_input_form, state, [])
    except FormIncompleteError as exc:
        return WorkflowForm(workflow=name, form=exc.details.get("form"), meta=exc.details.get("meta"))
    except KeyError as exc:
        raise ApiError(
            422,
            "form.needs_context",
            f"The form of {name!r} cannot be shown without more context: {exc}",
            workflow=name,
        ) from exc
    return WorkflowForm(workflow=name, form=None)
