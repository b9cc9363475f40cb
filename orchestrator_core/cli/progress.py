"""`orchestrator run` and `resume` follow the process as it goes: one line per step as it commits, read
from our step log (services/process_search.progress_since, as the API's event stream reads it), so that
the same lines appear whether the flow runs in this process (embedded) or on a worker (served).

Ctrl-C stops following, not the process: the command then ends with exit code 5 (still running)."""

from __future__ import annotations

import time
import uuid
from typing import Any

from rich.console import Console

from orchestrator_core.services.process_search import progress_since

console = Console()
MOVING = {"created", "running"}
POLL_SECONDS = 0.1
"""Also while the process waits for its executor: a process that starts at once (the kept Prefect server) is
often done within that first wait, and a longer one delayed a 9-step `run`'s answer by up to 0.3 s."""
MARKS = {"success": ("✓", "green"), "complete": ("✓", "green"), "skipped": ("-", "dim"),
         "failed": ("✗", "red"), "waiting": ("…", "yellow"), "suspend": ("‖", "yellow"),
         "awaiting_callback": ("…", "yellow"), "abort": ("✗", "red")}


def step_line(step: dict[str, Any]) -> str:
    mark, colour = MARKS.get(str(step["status"]), ("?", "yellow"))
    when = step["completed_at"].astimezone().strftime("%H:%M:%S") if step.get("completed_at") else ""
    return (f"  [{colour}]{mark}[/{colour}] {step['step_index'] + 1:>2} {step['name']} "
            f"[dim]{step['status']} {when}[/dim]")


def follow(process_id: uuid.UUID, label: str, after_step_id: int = 0) -> str:
    """Print each new step of the process until it no longer runs; its status then. `after_step_id` skips
    the rows a resume continues from."""
    last = after_step_id
    started = time.monotonic()
    with console.status(f"{label}…", spinner="dots") as status:
        while True:
            progress = progress_since(process_id, last)
            if progress is None:
                return "aborted"
            for step in progress.new_steps:
                last = step["step_id"]
                console.print(step_line(step), highlight=False, soft_wrap=True)
            if progress.status not in MOVING:
                return progress.status
            status.update(f"{label}… {time.monotonic() - started:.0f} s ({_what_it_waits_for(progress.status)})")
            time.sleep(POLL_SECONDS)


def _what_it_waits_for(status: str) -> str:
    """A process still `created` in embedded mode usually waits for this process's Prefect server: say so."""
    from orchestrator_core.engine.prefect_server import waiting_for

    return (waiting_for() or status) if status == "created" else status


def last_step_id(process_id: uuid.UUID) -> int:
    """The id of the process's newest step row (0 for none): a resume prints only the steps after it."""
    progress = progress_since(process_id, 0)
    return max((step["step_id"] for step in progress.new_steps), default=0) if progress else 0
