"""The `orchestrator` command: database, processes, worker, API server and demo.

`app` is the Typer app, at the reference's path: an application's own main.py imports its products
and workflows, then calls `app()` (`python main.py run WORKFLOW`, `python main.py db upgrade`); the
commands find those workflows already registered, plus ORCHESTRATOR_WORKFLOW_MODULES if set.

Every bad argument and every refusal ends a command with one line and exit code 2 (cli/errors.py); `run` and
`resume` end with a code that says how the process stands (cli/exit_codes.py).
"""

from __future__ import annotations

import sys
import uuid
from typing import Annotated

from orchestrator_core.engine.prefect_runtime import apply_environment_defaults

apply_environment_defaults()

import typer  # noqa: E402
from rich.console import Console  # noqa: E402

from orchestrator_core.cli import exit_codes, listings  # noqa: E402
from orchestrator_core.cli.database import db_app  # noqa: E402
from orchestrator_core.cli.errors import OneLineErrors  # noqa: E402
from orchestrator_core.cli.form_walk import complete_start_form  # noqa: E402
from orchestrator_core.cli.ids import ProcessId, process_uuid  # noqa: E402
from orchestrator_core.cli.invocation import command  # noqa: E402
from orchestrator_core.cli.params import User, parse_inputs  # noqa: E402
from orchestrator_core.cli.process_view import print_process, quiet_prefect  # noqa: E402
from orchestrator_core.cli.progress import last_step_id  # noqa: E402
from orchestrator_core.cli.up import up  # noqa: E402
from orchestrator_core.services.id_prefix import short  # noqa: E402

app = typer.Typer(help="Subscription orchestrator on Prefect.", no_args_is_help=True, cls=OneLineErrors)
app.add_typer(db_app, name="db")
console = Console()

Verbose = Annotated[bool, typer.Option("--verbose", "-v", help="The traceback of a failure, and Prefect's own log")]
Interactive = Annotated[bool | None, typer.Option(
    "--interactive/--no-interactive", help="Ask for missing form pages (default: when stdin is a terminal)")]
FormInput = Annotated[str | None, typer.Option("--input", help="Form pages as JSON: an object, or a list of objects")]


@app.callback()
def _configure_logging(ctx: typer.Context) -> None:
    """Every command (serve, worker, the rest) logs through the one structured set-up, has the services
    wired into the engine (bootstrap.py), and finds its database there (cli/database_ready.py)."""
    from orchestrator_core.bootstrap import bootstrap
    from orchestrator_core.cli import loading
    from orchestrator_core.cli.database_ready import require_database
    from orchestrator_core.logging_setup import configure_logging

    loading.clear()
    configure_logging()
    bootstrap()
    require_database(ctx.invoked_subcommand)


def _load() -> None:
    from orchestrator_core.services.workflow_registry import load_workflow_modules

    load_workflow_modules()


def _follow_show_and_exit(process_id: uuid.UUID, label: str, after_step_id: int, verbose: bool) -> None:
    """Each step as it commits, then the process as it ended (the step table unless it completed); its
    status decides the exit code (cli/exit_codes.py). Ctrl-C stops following: exit 5, still running."""
    from orchestrator_core.cli.progress import follow

    try:
        status = follow(process_id, label, after_step_id)
    except KeyboardInterrupt:
        console.print(f"Stopped following; the process runs on: {command()} process {short(process_id)}",
                      highlight=False, soft_wrap=True)
        raise typer.Exit(code=int(exit_codes.ExitCode.RUNNING)) from None
    _wait_for_this_process_executor()
    view = print_process(process_id, traceback=verbose, table=status != "completed")
    code = exit_codes.for_status(view.status)
    if code:
        raise typer.Exit(code=int(code))


def _wait_for_this_process_executor() -> None:
    """Embedded: the flow run in this process's thread ends just after its last step commits; wait for it,
    so that the command does not exit under it."""
    from orchestrator_core.engine.embedded import wait_for_background

    wait_for_background()


@app.command(help="Start WORKFLOW and wait for this run of it to end. Form pages come from --input (a product "
                  "by name or id, ids by a unique prefix); at a terminal, pages still missing are asked for field by "
                  f"field.\n\n{exit_codes.HELP}")
def run(workflow: str, input: FormInput = None, user: User = "cli", interactive: Interactive = None,
        verbose: Verbose = False) -> None:
    pages = parse_inputs(input) if input else []
    with console.status(f"Loading {workflow}…", spinner="dots"):  # at a terminal: the imports take seconds
        from orchestrator_core.engine.prefect_server import for_this_process
        from orchestrator_core.services.processes import start_process

        _load()
    pages = complete_start_form(workflow, pages, user, sys.stdin.isatty() if interactive is None else interactive)
    quiet_prefect(verbose)
    with for_this_process(start=False, reuse=True):
        process_id = start_process(workflow, pages or [{}], user, wait=False)
        console.print(f"Started {workflow} process {process_id}", highlight=False, soft_wrap=True)
        _follow_show_and_exit(process_id, f"Running {workflow}", 0, verbose)


@app.command(help="Resume a failed, waiting, crashed or suspended process at the step it stopped.\n\n"
                  f"{exit_codes.HELP}")
def resume(process_id: ProcessId, input: FormInput = None, user: User = "cli", verbose: Verbose = False) -> None:
    user_inputs = parse_inputs(input)
    with console.status("Loading…", spinner="dots"):  # at a terminal: the imports take seconds
        from orchestrator_core.engine.prefect_server import for_this_process
        from orchestrator_core.services.processes import resume_process

        _load()
    pid = process_uuid(process_id)
    quiet_prefect(verbose)
    after = last_step_id(pid)
    with for_this_process(start=False, reuse=True):
        resume_process(pid, user_inputs, user, wait=False)
        console.print(f"Resumed process {pid}", highlight=False, soft_wrap=True)
        _follow_show_and_exit(pid, "Resuming", after, verbose)


@app.command()
def abort(process_id: ProcessId, user: User = "cli") -> None:
    """End a process for good."""
    from orchestrator_core.services.processes import abort_process

    _load()
    pid = process_uuid(process_id)
    abort_process(pid, user)
    print_process(pid)


@app.command()
def process(process_id: ProcessId) -> None:
    """Show one process with its step log, and the traceback of a failed step."""
    print_process(process_uuid(process_id), traceback=True)


app.command()(listings.products)
app.command()(listings.workflows)
app.command()(listings.subscriptions)
app.command()(listings.processes)
app.command()(up)


@app.command()
def worker() -> None:
    """Serve every registered workflow as a Prefect deployment and execute their runs in-process.

    Refuses to start while our authentication is on and Prefect's API answers without credentials
    (see ORCHESTRATOR_ALLOW_OPEN_PREFECT_API), or when Prefect refuses this process's credentials,
    or while the database is not at the newest schema or Prefect's API cannot be reached (both wait
    ORCHESTRATOR_STARTUP_WAIT_SECONDS for it)."""
    from orchestrator_core.db.schema_check import require_schema
    from orchestrator_core.engine.prefect_server import for_this_process
    from orchestrator_core.engine.worker import run_worker
    from orchestrator_core.services.authorization import check_prefect_door

    require_schema("worker")
    _load()
    with for_this_process():  # without PREFECT_API_URL: a temporary Prefect server of its own, as `serve`
        check_prefect_door(needs_prefect="worker")
        run_worker()


@app.command("stop-prefect")
def stop_prefect() -> None:
    """Stop the local Prefect server that `run`, `resume`, `validate-subscriptions` and the demo keep between
    commands (embedded mode; it also ends itself after ORCHESTRATOR_PREFECT_SERVER_KEEP_SECONDS unused)."""
    from orchestrator_core.engine import kept_prefect_server

    home = kept_prefect_server.prefect_home()
    pid = kept_prefect_server.stop(home)
    console.print(f"Stopped the local Prefect server (pid {pid})." if pid else
                  f"No local Prefect server is kept in {home}.", highlight=False, soft_wrap=True)


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

    from orchestrator_core.db.schema_check import require_schema

    require_schema("serve")

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
    from orchestrator_core.cli.validation_progress import run_with_progress
    from orchestrator_core.engine.prefect_server import for_this_process

    _load()
    with for_this_process(start=False, reuse=True):
        run_with_progress(console, concurrency, user)


if __name__ == "__main__":
    app()
