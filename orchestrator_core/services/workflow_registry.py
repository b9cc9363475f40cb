"""Rows of the `workflows` table for the workflows this process has code for."""

from __future__ import annotations

import importlib

import sqlalchemy as sa
from sqlalchemy.orm import Session

from orchestrator_core.db import WorkflowTable
from orchestrator_core.errors import OrchestratorError
from orchestrator_core.workflow import DEFAULT_PKG, Workflow


class WorkflowNotRegisteredError(OrchestratorError):
    code = "workflow.not_registered"
    http_status = 404


def workflow_row(session: Session, name: str) -> WorkflowTable | None:
    return session.execute(
        sa.select(WorkflowTable).where(WorkflowTable.name == name, WorkflowTable.deleted_at.is_(None))
    ).scalar_one_or_none()


def ensure_workflow_row(session: Session, workflow: Workflow) -> WorkflowTable:
    """The row of a decorated workflow, created if missing (tests and tasks need no migration)."""
    row = workflow_row(session, workflow.name)
    if row is None:
        row = WorkflowTable(
            name=workflow.name,
            target=str(workflow.target),
            description=workflow.description,
            is_task=workflow.is_task,
        )
        session.add(row)
        session.flush()
    return row


def registered_row(session: Session, workflow: Workflow) -> WorkflowTable:
    row = workflow_row(session, workflow.name)
    if row is None:
        raise WorkflowNotRegisteredError(
            f"Workflow {workflow.name!r} has code but is not registered; add it with a migration "
            "(helpers.create_workflow)",
            workflow=workflow.name,
        )
    return row


def workflow_modules() -> list[str]:
    """The modules that register this process's workflows: the built-ins and ORCHESTRATOR_WORKFLOW_MODULES
    (an application's `workflows` package, whose LazyWorkflowInstance lines register its workflows)."""
    from orchestrator_core.settings import app_settings

    return [DEFAULT_PKG, *app_settings.ORCHESTRATOR_WORKFLOW_MODULES]


def load_workflow_modules() -> None:
    """Import the configured modules so that their workflows register themselves (lazily or decorated)."""
    for module in workflow_modules():
        importlib.import_module(module)
