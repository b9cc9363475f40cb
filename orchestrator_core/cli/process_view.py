"""How the CLI shows one process: a header line, the step table, and for a failed one a short failure
(the step, a one-line reason, how to retry), with the traceback only when asked (`--verbose`) or in
`orchestrator process ID`, the detail view."""

from __future__ import annotations

import logging
import uuid

from rich.console import Console
from rich.table import Table

from orchestrator_core.cli.invocation import command
from orchestrator_core.services.id_prefix import short
from orchestrator_core.services.process_queries import ProcessView, get_process

console = Console()
STOPPED = {"failed", "crashed", "waiting"}


def status_colour(status: str) -> str:
    return {"completed": "green", "failed": "red", "crashed": "red", "aborted": "red"}.get(status, "yellow")


def one_line(text: str, limit: int = 200) -> str:
    line = " ".join(str(text).split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def steps_table(view: ProcessView) -> Table:
    table = Table()
    for column in ("#", "step", "status", "by", "completed", "note"):
        table.add_column(column, overflow="fold")
    for number, step in enumerate(view.steps, 1):
        note = step.state.get("error", "") if step.status in ("failed", "waiting") else ""
        style = {"failed": "red", "waiting": "yellow", "suspend": "yellow"}.get(step.status)
        table.add_row(str(number), step.name, step.status, step.created_by or "",
                      step.completed_at.strftime("%H:%M:%S.%f")[:-3], one_line(note, 120), style=style)
    return table


def failure_lines(view: ProcessView) -> list[str]:
    """`Failed at step 'X': reason` and what to do next, for a process that stopped on a step."""
    if view.status not in STOPPED:
        return []
    failed = next((step for step in reversed(view.steps) if step.status in ("failed", "waiting")), None)
    where = f" at step {failed.name!r}" if failed else ""
    reason = (failed.state.get("error") if failed else None) or view.failed_reason or view.status
    return [f"[red]{view.status.capitalize()}{where}[/red]: {one_line(reason)}",
            f"Retry at that step: {command()} resume {short(view.process_id)}"]


def print_process(process_id: uuid.UUID, *, traceback: bool = False, table: bool = True) -> ProcessView:
    view = get_process(process_id)
    colour = status_colour(view.status)
    console.print(f"{view.workflow_name} process {view.process_id} [{colour}]{view.status}[/{colour}]",
                  soft_wrap=True, highlight=False)
    if table:
        console.print(steps_table(view))
    for line in failure_lines(view):
        console.print(line, soft_wrap=True, highlight=False)
    if view.traceback and view.status in STOPPED:
        if traceback:
            console.print(view.traceback, markup=False, highlight=False, soft_wrap=True)
        else:
            console.print(f"[dim]The traceback: --verbose, or {command()} process "
                          f"{short(view.process_id)}[/dim]", highlight=False)
    return view


def quiet_prefect(verbose: bool) -> None:
    """Prefect's own log of a run (flow started, each task finished) is left out of the command's output;
    the step lines and table say it. `--verbose` keeps it."""
    import prefect  # noqa: F401  (Prefect configures its loggers on import: set ours after)

    level = logging.INFO if verbose else logging.CRITICAL
    for name in ("prefect", "prefect.flow_runs", "prefect.task_runs"):
        logging.getLogger(name).setLevel(level)
