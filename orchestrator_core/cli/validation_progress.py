"""The CLI face of the validation sweep: a rich progress bar while it runs, a summary after.

The sweep runs as the `task_validate_subscriptions` process (one Prefect flow run); the bar
hears of each subscription through `PROGRESS_LISTENERS`, which only this process sees.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from orchestrator_core.services import subscription_validation as validation
from orchestrator_core.settings import app_settings


def _listener(progress: Progress) -> Callable[[str, int], validation.Progress]:
    def factory(title: str, total: int) -> validation.Progress:
        task_id = progress.add_task(title, total=total, failed=0)
        failed = [0]

        def advance(outcome: validation.Outcome) -> None:
            if outcome.status != "completed":
                failed[0] += 1
            progress.update(task_id, advance=1, failed=failed[0])

        return advance

    return factory


def summary_table(summary: dict[str, Any]) -> Table:
    table = Table(title=f"Validated {summary['validated']} of {summary['total']} in {summary['seconds']:.1f} s",
                  title_justify="left")
    for column in ("subscription", "process", "status", "reason"):
        table.add_column(column)
    for row in summary["failed"] + summary["skipped"]:
        table.add_row(row["subscription_id"], row["process_id"], row["status"], row["reason"], style="red")
    return table


def run_with_progress(console: Console, concurrency: int | None = None, user: str = "cli") -> dict[str, Any]:
    from orchestrator_core.services.process_queries import get_process
    from orchestrator_core.services.processes import start_process

    if concurrency:
        app_settings.ORCHESTRATOR_VALIDATE_CONCURRENCY = concurrency
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TextColumn("[red]{task.fields[failed]} failed"), TimeElapsedColumn())
    with Progress(*columns, console=console) as progress:
        listener = _listener(progress)
        validation.PROGRESS_LISTENERS.append(listener)
        try:
            process_id = start_process("task_validate_subscriptions", [{}], user)
        finally:
            validation.PROGRESS_LISTENERS.remove(listener)
    view = get_process(process_id)
    summary = view.state.get("validation")
    if summary is None:
        console.print(f"Task process {process_id} is {view.status}: {view.failed_reason or 'started elsewhere'}")
        return {}
    console.print(summary_table(summary))
    console.print(f"Task process {process_id}: {summary['validated']} validated, {summary['failed_count']} failed, "
                  f"{summary['skipped_count']} skipped")
    return summary
