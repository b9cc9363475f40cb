"""What changed among the processes since the last look, for orchestrator-ui's event WebSocket.

Read from our tables, as the process event stream (`process_search.progress_since`) reads one process:
new step rows, and the status of every process that is moving (created or running). Both are read through
indexes, whatever the number of processes kept: steps by their id, moving processes by the status index.
A process changed when it logged a step, started moving, changed status while moving, or stopped moving
(completed, failed, crashed, suspended, aborted). Resumes, crashes and aborts are seen too, whether they
were done by this API, another one, the CLI, a worker or Prefect.

A step whose row id was taken before a later one's but committed after the look may be seen only with the
process's next change; the UI's caches are then refreshed one change late, never wrongly.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

import sqlalchemy as sa

from orchestrator_core.db import ProcessStepTable, ProcessTable, read_connection
from orchestrator_core.db.subscription_tables import ProcessSubscriptionTable
from orchestrator_core.types import ProcessStatus

MOVING = [str(ProcessStatus.CREATED), str(ProcessStatus.RUNNING)]
STEPS_PER_LOOK = 5000


@dataclass
class ChangeFeed:
    """One reader's position: the last step row seen and the moving processes with their status."""

    step_mark: int | None = None
    moving: dict[uuid.UUID, str] = field(default_factory=dict)

    def changed(self) -> set[uuid.UUID]:
        """The processes that changed since the previous call (none on the first, which takes a position)."""
        steps = ProcessStepTable.__table__
        processes = ProcessTable.__table__
        with read_connection() as connection:
            first = self.step_mark is None
            if first:
                self.step_mark = connection.execute(sa.select(sa.func.max(steps.c.step_id))).scalar() or 0
            new_steps = [
                (row[0], row[1])
                for row in connection.execute(
                    sa.select(steps.c.step_id, steps.c.process_id)
                    .where(steps.c.step_id > self.step_mark)
                    .order_by(steps.c.step_id)
                    .limit(STEPS_PER_LOOK)
                )
            ]
            moving = {
                row[0]: row[1]
                for row in connection.execute(
                    sa.select(processes.c.process_id, processes.c.last_status).where(
                        processes.c.last_status.in_(MOVING)
                    )
                )
            }
        found = {process_id for _, process_id in new_steps}
        found |= {pid for pid, status in moving.items() if self.moving.get(pid) != status}
        found |= set(self.moving) - set(moving)
        if new_steps:
            self.step_mark = new_steps[-1][0]
        self.moving = moving
        return set() if first else found


def subscriptions_of(process_ids: set[uuid.UUID]) -> set[uuid.UUID]:
    """The subscriptions these processes ran on."""
    if not process_ids:
        return set()
    links = ProcessSubscriptionTable.__table__
    with read_connection() as connection:
        return set(
            connection.execute(
                sa.select(links.c.subscription_id).where(links.c.process_id.in_(list(process_ids))).distinct()
            ).scalars()
        )
