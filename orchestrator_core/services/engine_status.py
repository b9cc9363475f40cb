"""The engine's state as orchestrator-ui's header and settings page read it (the reference's engine settings).

The UI checks it before every start, retry and abort and acts only while it answers `RUNNING`. This
orchestrator has no global pause: the reference's pause holds every process before its next step, which
our executors (embedded threads, Prefect workers on other machines) would all have to honour, and they do
not. So the status is always RUNNING, and a request to pause is refused (`PauseNotSupportedError`) rather
than answered as if processes had stopped.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from orchestrator_core.db import ProcessTable, read_connection
from orchestrator_core.errors import OrchestratorError
from orchestrator_core.types import ProcessStatus

RUNNING = "RUNNING"


class PauseNotSupportedError(OrchestratorError):
    code = "engine.pause_not_supported"
    http_status = 409


@dataclass(frozen=True)
class EngineStatus:
    global_lock: bool
    global_status: str
    running_processes: int


def engine_status() -> EngineStatus:
    p = ProcessTable.__table__
    statement = sa.select(sa.func.count()).select_from(p).where(p.c.last_status == str(ProcessStatus.RUNNING))
    with read_connection() as connection:
        running = connection.execute(statement).scalar_one()
    return EngineStatus(global_lock=False, global_status=RUNNING, running_processes=running)


def set_global_lock(lock: bool) -> EngineStatus:
    """Unlocking is what already holds; locking (a global pause) is refused and changes nothing."""
    if lock:
        raise PauseNotSupportedError(
            "This orchestrator has no global pause: processes keep running. Abort single processes, or stop "
            "the workers (served mode), to hold work"
        )
    return engine_status()
