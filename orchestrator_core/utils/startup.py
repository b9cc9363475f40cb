"""The one start-up wait of the long-running commands (`worker`, `serve`): for the database's schema and,
for a worker, for Prefect's API. A container may start before its migration job or its Prefect server is
done; the operator chooses, with ORCHESTRATOR_STARTUP_WAIT_SECONDS, whether a command waits for them
(and how long) or refuses at once in one line."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from orchestrator_core.settings import app_settings

logger = logging.getLogger(__name__)
POLL_SECONDS = 1.0


def wait_for(command: str, problem: Callable[[], str | None], wait_seconds: float | None = None) -> str | None:
    """Ask `problem` (what keeps `command` from starting, in one sentence; None when nothing does) until it
    answers None or ORCHESTRATOR_STARTUP_WAIT_SECONDS (0, the default: do not wait) pass. Returns what is
    still wrong then."""
    wait = app_settings.ORCHESTRATOR_STARTUP_WAIT_SECONDS if wait_seconds is None else wait_seconds
    deadline = time.monotonic() + wait
    found = problem()
    if found is not None and wait > 0:
        logger.warning("%s; `orchestrator %s` waits up to %.0f s for it (ORCHESTRATOR_STARTUP_WAIT_SECONDS)",
                       found, command, wait)
        while found is not None and time.monotonic() < deadline:
            time.sleep(POLL_SECONDS)
            found = problem()
    return found
