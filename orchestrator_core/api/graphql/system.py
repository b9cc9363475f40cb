"""The version orchestrator-ui checks, and the tasks that run on a schedule."""

from __future__ import annotations

import uuid
from datetime import datetime

import strawberry

from orchestrator_core import __version__
from orchestrator_core.api.graphql.paging import Connection, GraphqlSort, SortOrder, slice_connection
from orchestrator_core.services.list_query import ListQueryError
from orchestrator_core.services.scheduled_tasks import scheduled_tasks

REFERENCE_API_VERSION = "5.0.0"
"""The orchestrator-core version whose API these answers follow. orchestrator-ui reads the first entry of
`applicationVersions` as orchestrator-core's version and flags a backend below its minimum (5.0.0 for
orchestrator-ui 8); the second entry names this orchestrator and its own version."""


@strawberry.type(description="Versions of the API and of the orchestrator that answers it")
class VersionType:
    application_versions: list[str]


def version() -> VersionType:
    return VersionType(
        application_versions=[
            f"orchestrator-core: {REFERENCE_API_VERSION}",
            f"orchestrator-core-prefect: {__version__}",
        ]
    )


@strawberry.type(name="ScheduledTaskGraphql", description="A task that runs on a schedule (served mode)")
class ScheduledTask:
    id: str
    name: str
    next_run_time: datetime | None
    trigger: str
    workflow_id: uuid.UUID


SORTABLE = {
    "id": "id", "name": "name", "nextRunTime": "next_run_time", "trigger": "trigger", "workflowId": "workflow_id"
}


def scheduled_task_page(sort_by: list[GraphqlSort] | None, first: int, after: int) -> Connection[ScheduledTask]:
    rows = scheduled_tasks()
    by_key = {name.lower(): column for name, column in SORTABLE.items()}
    for key in reversed(sort_by or []):
        column = by_key.get(key.field.replace("_", "").lower())
        if column is None:
            raise ListQueryError(
                f"scheduled tasks cannot be sorted by {key.field[:100]!r}; sortable: {', '.join(sorted(SORTABLE))}",
                field=key.field[:100],
                known=sorted(SORTABLE),
            )
        rows.sort(key=lambda row: str(row[column] or ""), reverse=key.order == SortOrder.DESC)
    tasks = [
        ScheduledTask(id=r["id"], name=r["name"], next_run_time=r["next_run_time"], trigger=r["trigger"],
                      workflow_id=r["workflow_id"])
        for r in rows
    ]
    return slice_connection(tasks, first, after, sorted(SORTABLE))
