"""The `orchestrator` command: database, processes, worker, API server and demo.

`app` is the Typer app, at the reference's path: an application's own main.py imports its products
and workflows, then calls `app()` (`python main.py run WORKFLOW`, `python main.py db upgrade`); the
commands find those workflows already registered, plus ORCHESTRATOR_WORKFLOW_MODULES if set.

Every bad argument and every refusal ends a command with one line and exit code 2 (cli/errors.py).
"""

from __future__ import annotations

import uuid
from typing import Annotated

from orchestrator_core.engine.prefect_runtime import apply_environment_defaults

apply_environment_defaults()

import typer  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from orchestrator_core.cli.database import db_app  # noqa: E402
from orchestrator_core.cli.errors import OneLineErrors  # noqa: E402
from orchestrator_core.cli.params import User, parse_inputs  # noqa: E402
from orchestrator_core.types import ProcessStatus  # noqa: E402

app = typer.Typer(help="Subscription orchestrator on Prefect.", no_args_is_help=True, cls=OneLineErrors)
app.add_typer(db_app, name="db")
console = Console()

LIST_LIMIT_MAX = 1000
FormInput = Annotated[str | None, typer.Option("--input", help="Form pages as JSON: an object, or a list of objects")]


@app.callback()
def _configure_logging() -> None:
    """Every command (serve, worker, the rest) logs through the one structured set-up."""
    from orchestrator_core.logging_setup import configure_logging

    configure_logging()


def _load() -> None:
    from orchestrator_core.services.workflow_registry import load_workflow_modules

    load_workflow_modules()


def print_steps(process_id: uuid.UUID) -> None:
    from orchestrator_core.services.process_queries import get_process

    view = get_process(process_id)
    table = Table(title=f"{view.workflow_name} — process {view.process_id} — {view.status}")
    for column in ("#", "step", "status", "by", "completed", "note"):
        table.add_column(column)
    for number, step in enumerate(view.steps, 1):
        note = step.state.get("error", "") if step.status in ("failed", "waiting") else ""
        style = {"failed": "red", "waiting": "yellow", "suspend": "yellow"}.get(step.status)
        table.add_row(str(number), step.name, step.status, step.created_by or "",
                      step.completed_at.strftime("%H:%M:%S.%f")[:-3], str(note), style=style)
    console.print(table)


@app.command()
def run(workflow: str, input: FormInput = None, user: User = "cli") -> None:
    """Start WORKFLOW and wait for this run of it to end."""
    user_inputs = parse_inputs(input)
    from orchestrator_core.engine.prefect_server import for_this_process
    from orchestrator_core.services.processes import start_process

    _load()
    with for_this_process(start=False):
        print_steps(start_process(workflow, user_inputs, user))


@app.command()
def resume(process_id: uuid.UUID, input: FormInput = None, user: User = "cli") -> None:
    """Resume a failed, waiting, crashed or suspended process at the step it stopped."""
    user_inputs = parse_inputs(input)
    from orchestrator_core.engine.prefect_server import for_this_process
    from orchestrator_core.services.processes import resume_process

    _load()
    with for_this_process(start=False):
        resume_process(process_id, user_inputs, user)
    print_steps(process_id)


@app.command()
def abort(process_id: uuid.UUID, user: User = "cli") -> None:
    """End a process for good."""
    from orchestrator_core.services.processes import abort_process

    _load()
    abort_process(process_id, user)
    print_steps(process_id)


@app.command()
def process(process_id: uuid.UUID) -> None:
    """Show one process with its step log."""
    print_steps(process_id)


@app.command()
def processes(status: Annotated[ProcessStatus | None, typer.Option(case_sensitive=False)] = None,
              workflow: Annotated[str | None, typer.Option(help="Only this workflow's")] = None,
              limit: Annotated[int, typer.Option(min=1, max=LIST_LIMIT_MAX)] = 20) -> None:
    """List recent processes."""
    from orchestrator_core.services.process_queries import list_processes

    table = Table(title="Processes")
    for column in ("process", "workflow", "status", "last step", "started", "by"):
        table.add_column(column)
    for view in list_processes(status=status.value if status else None, workflow=workflow, limit=limit):
        table.add_row(str(view.process_id), view.workflow_name, view.status, view.last_step or "",
                      view.started_at.strftime("%Y-%m-%d %H:%M:%S"), view.created_by or "")
    console.print(table)


@app.command()
def worker() -> None:
    """Serve every registered workflow as a Prefect deployment and execute their runs in-process.

    Refuses to start while our authentication is on and Prefect's API answers without credentials
    (see ORCHESTRATOR_ALLOW_OPEN_PREFECT_API), or when Prefect refuses this process's credentials."""
    from orchestrator_core.engine.prefect_server import for_this_process
    from orchestrator_core.engine.worker import run_worker
    from orchestrator_core.services.authorization import check_prefect_door

    _load()
    with for_this_process():  # without PREFECT_API_URL: a temporary Prefect server of its own, as `serve`
        check_prefect_door()
        run_worker()


@app.command("prefect-yaml")
def prefect_yaml(output: str = "prefect.yaml") -> None:
    """Write prefect.yaml: a deployment per registered workflow, cron schedules for the validate tasks."""
    from pathlib import Path

    from orchestrator_core.engine.prefect_yaml import render_prefect_yaml

    _load()
    try:
        Path(output).write_text(render_prefect_yaml())
    except OSError as exc:
        raise typer.BadParameter(f"cannot write {output}: {exc.strerror or exc}", param_hint="--output") from None
    console.print(f"Wrote {output}")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on; with auth off, loopback only")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535)] = 8080,
    allow_remote_without_auth: Annotated[bool, typer.Option(
        "--allow-remote-without-auth",
        help="With auth off, listen on a non-loopback address anyway (ORCHESTRATOR_ALLOW_REMOTE_WITHOUT_AUTH)",
    )] = False,
) -> None:
    """Run the REST API (and the small web page): the app an application's wsgi.py builds, OrchestratorCore."""
    import uvicorn

    from orchestrator_core.api.serving import bind_refusal
    from orchestrator_core.settings import app_settings

    refusal = bind_refusal(host, allow_remote_without_auth)
    if refusal is not None:
        typer.echo(refusal, err=True)
        raise typer.Exit(code=2)
    if allow_remote_without_auth:
        app_settings.ORCHESTRATOR_ALLOW_REMOTE_WITHOUT_AUTH = True  # the request guard holds the same rule

    from orchestrator_core.services import execution

    execution.prepare()  # this process's Prefect server starts while the app is built
    from orchestrator_core.api.app import OrchestratorCore
    from orchestrator_core.services.authorization import check_prefect_door

    check_prefect_door()  # one line and exit 2 here; the app's start-up asks again for `uvicorn wsgi:app`
    uvicorn.run(OrchestratorCore(), host=host, port=port, log_config=None)  # our logging, configured once


@app.command()
def check() -> None:
    """Start-up self-check: registered workflows without code, code without registration."""
    from orchestrator_core.services.self_check import self_check

    problems = self_check(load_code=True)
    for problem in problems:
        colour = "red" if problem.severity == "error" else "yellow"
        console.print(f"[{colour}]{problem.severity} {problem.code}[/{colour}] {problem.subject}: {problem.message}")
    if any(problem.severity == "error" for problem in problems):
        raise typer.Exit(code=1)
    console.print("[green]Workflow code, registrations and products agree.[/green]")


@app.command("validate-subscriptions")
def validate_subscriptions(
        concurrency: Annotated[int | None, typer.Option(min=1, max=256, help="Validations at once")] = None,
        user: User = "cli") -> None:
    """Run the validate workflow of every in-sync ACTIVE subscription: one task, one process each."""
    from orchestrator_core.engine.prefect_server import for_this_process
    from orchestrator_core.services.validation_progress import run_with_progress

    _load()
    with for_this_process(start=False):
        run_with_progress(console, concurrency, user)


if __name__ == "__main__":
    app()
