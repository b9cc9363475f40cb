"""How many processes and tasks stand at each status: the counts orchestrator-ui's badges and tabs show.

Counted in one grouped query; statuses are the UI's (`ui_status`: crashed ones count as failed).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import sqlalchemy as sa

from orchestrator_core.db import ProcessTable, read_connection
from orchestrator_core.services.ui_status import ui_status


@dataclass(frozen=True)
class StatusCounts:
    processes: dict[str, int]
    tasks: dict[str, int]


def status_counts() -> StatusCounts:
    p = ProcessTable.__table__
    statement = sa.select(p.c.is_task, p.c.last_status, sa.func.count()).group_by(p.c.is_task, p.c.last_status)
    processes: Counter[str] = Counter()
    tasks: Counter[str] = Counter()
    with read_connection() as connection:
        for is_task, status, number in connection.execute(statement):
            (tasks if is_task else processes)[ui_status(status)] += number
    return StatusCounts(dict(processes), dict(tasks))
