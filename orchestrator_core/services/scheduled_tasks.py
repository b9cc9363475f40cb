"""The tasks that run on a schedule here: the SYSTEM tasks of ORCHESTRATOR_SCHEDULED_TASKS, whose Prefect
deployments get the ORCHESTRATOR_VALIDATE_CRON schedule (`engine.deployments`), with the next time that
schedule fires as Prefect computes it. Schedules run in served mode only, where `orchestrator worker`
installs them: in embedded mode nothing fires, and the next run time is None. A schedule someone adds in
Prefect to another deployment is Prefect's own and not listed.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from orchestrator_core.db import WorkflowTable, read_connection
from orchestrator_core.engine.deployments import scheduled_by_us
from orchestrator_core.settings import app_settings
from orchestrator_core.workflow import InvalidWorkflowError, get_workflow


def next_run(cron: str) -> datetime | None:
    """When the cron schedule fires next (UTC), computed by Prefect's own schedule; None if it never does."""
    from prefect.server.schemas.schedules import CronSchedule

    dates = asyncio.run(CronSchedule(cron=cron).get_dates(n=1))
    return dates[0] if dates else None


def scheduled_tasks() -> list[dict[str, Any]]:
    """Each scheduled task, in name order: `id` and `name` (the task's), `workflow_id`, `description`,
    `trigger` (`cron[...]`), `next_run_time`."""
    cron = app_settings.ORCHESTRATOR_VALIDATE_CRON
    names = sorted(app_settings.ORCHESTRATOR_SCHEDULED_TASKS)
    with read_connection() as connection:
        rows = connection.execute(
            sa.select(WorkflowTable.workflow_id, WorkflowTable.name, WorkflowTable.description)
            .where(WorkflowTable.name.in_(names), WorkflowTable.deleted_at.is_(None))
            .order_by(WorkflowTable.name)
        ).all()
    found = []
    fires = next_run(cron) if rows and app_settings.ORCHESTRATOR_EXECUTION_MODE == "served" else None
    for workflow_id, name, description in rows:
        try:
            code = get_workflow(name)
        except InvalidWorkflowError:
            code = None
        if code is None or not scheduled_by_us(code):
            continue
        found.append({"id": name, "name": name, "workflow_id": workflow_id, "description": description,
                      "trigger": f"cron[{cron}]", "next_run_time": fires})
    return found
