"""Exit codes of `orchestrator run` and `orchestrator resume`, by how the process stands when the command
ends, so that a script can branch on them without parsing the table.

    0  completed
    1  failed or crashed: `orchestrator resume ID` retries at the failed step
    2  refused: a bad argument, or the services refused (nothing was written)
    3  stopped for someone else: suspended (an input step waits for a form), waiting (a step asked to be
       retried later) or awaiting a callback from an external system
    4  aborted (by someone else while it ran; `orchestrator abort` itself ends 0 once it aborted)
    5  still running when the command stopped following it (served mode, `--no-wait`)
"""

from __future__ import annotations

from enum import IntEnum

from orchestrator_core.types import ProcessStatus


class ExitCode(IntEnum):
    COMPLETED = 0
    FAILED = 1
    REFUSED = 2
    STOPPED = 3
    ABORTED = 4
    RUNNING = 5


BY_STATUS: dict[str, ExitCode] = {
    ProcessStatus.COMPLETED: ExitCode.COMPLETED,
    ProcessStatus.FAILED: ExitCode.FAILED,
    ProcessStatus.CRASHED: ExitCode.FAILED,
    ProcessStatus.SUSPENDED: ExitCode.STOPPED,
    ProcessStatus.WAITING: ExitCode.STOPPED,
    ProcessStatus.AWAITING_CALLBACK: ExitCode.STOPPED,
    ProcessStatus.ABORTED: ExitCode.ABORTED,
    ProcessStatus.CREATED: ExitCode.RUNNING,
    ProcessStatus.RUNNING: ExitCode.RUNNING,
}

HELP = ("Exit codes: 0 completed; 1 failed or crashed (resume retries it); 2 refused or a bad argument "
        "(nothing written); 3 suspended, waiting or awaiting a callback; 4 aborted; 5 still running.")


def for_status(status: str) -> ExitCode:
    return BY_STATUS.get(str(status), ExitCode.FAILED)
