"""`python main.py demo`: the guide's Node Enrollment, end to end, on the embedded default.

From an empty directory: the SQLite database is created by the migrations (which also register
the product and its workflows), then create -> provision -> activate -> validate -> a validate
whose NSO call fails and is resumed -> terminate run for real through Prefect, in this process,
against the in-process ESDB/NSO fakes. Each step is printed as it commits, as `orchestrator run`
prints it; after each process, its subscription; at the end, the lifecycle.
"""

from __future__ import annotations

import logging
import os
import shlex
import sys
import threading
import time
import uuid
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

console = Console()
APP_DIR = Path(__file__).resolve().parents[1]
"""This demo application's directory: its migrations/ hold the Node Enrollment registrations."""


def quiet() -> None:
    """Only our tables on the screen: Prefect, the form library and the engine keep quiet."""
    os.environ["PREFECT_LOGGING_LEVEL"] = "CRITICAL"
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    import structlog

    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
    for name in ("prefect", "orchestrator_core", "alembic", "httpx"):
        logging.getLogger(name).setLevel(logging.CRITICAL)


class Demo:
    def __init__(self) -> None:
        self.lifecycle = Table(title="Subscription lifecycle", title_justify="left")
        for column in ("after", "process", "lifecycle", "in sync", "description"):
            self.lifecycle.add_column(column)
        self.subscription_id: str | None = None

    def record(self, label: str, process_id: uuid.UUID) -> None:
        from orchestrator_core.db import transaction
        from orchestrator_core.db.subscription_tables import SubscriptionTable
        from orchestrator_core.services.process_queries import get_process

        view = get_process(process_id)
        status = view.status
        colour = {"completed": "green", "failed": "red"}.get(status, "yellow")
        console.print(f"  {view.workflow_name} [{colour}]{status}[/{colour}]", highlight=False)
        for step in view.steps[-1:]:
            if step.status in ("failed", "waiting"):
                console.print(f"  [red]{step.name}: {step.state.get('error', '')}[/red]", highlight=False)
        with transaction() as session:
            row = session.get_one(SubscriptionTable, uuid.UUID(self.subscription_id or ""))
            values = (row.status, "yes" if row.insync else "no", row.description)
        console.print(f"  subscription [bold]{values[0]}[/bold]: {values[2]}\n")
        self.lifecycle.add_row(label, status, *values)

    def start(self, label: str, workflow: str, user_inputs: list[dict[str, Any]]) -> uuid.UUID:
        from orchestrator_core.cli.progress import follow
        from orchestrator_core.services.processes import start_process

        console.rule(f"[bold]{label}[/bold]: {workflow}")
        process_id = start_process(workflow, user_inputs, "demo", wait=False)
        follow(process_id, f"Running {workflow}")  # each step as it commits, as `orchestrator run` shows it
        if self.subscription_id is None:
            from orchestrator_core.services.process_queries import get_process

            self.subscription_id = get_process(process_id).state["subscription_id"]
        self.record(label, process_id)
        return process_id

    def resume(self, label: str, process_id: uuid.UUID) -> None:
        from orchestrator_core.cli.progress import follow, last_step_id
        from orchestrator_core.services.processes import resume_process

        console.rule(f"[bold]{label}[/bold]: resume {process_id}")
        after = last_step_id(process_id)
        resume_process(process_id, [{}], "demo", wait=False)
        follow(process_id, "Resuming", after)
        self.record(label, process_id)


def run_demo() -> None:
    """The demo, on the local Prefect server kept between commands (found or started while the database is
    prepared); an interrupted demo stops the server it started."""
    quiet()
    from orchestrator_core.engine.prefect_server import ensure_started, for_this_process

    console.print("Node Enrollment demo: preparing the database and Prefect…", highlight=False)
    with for_this_process(start=False, reuse=True):
        prefect = threading.Thread(target=ensure_started, name="demo-prefect-server", daemon=True)
        prefect.start()
        _run_demo(prefect)


def _wait_for_prefect(prefect: threading.Thread) -> None:
    """Say what the demo waits for while the Prefect server starts (a first start takes seconds)."""
    from orchestrator_core.engine.prefect_server import waiting_for

    with console.status("Prefect…", spinner="dots") as status:
        while prefect.is_alive():
            status.update(f"Prefect: {waiting_for() or 'connecting'}")
            prefect.join(timeout=0.2)


def _run_demo(prefect: threading.Thread) -> None:
    started = time.perf_counter()
    from orchestrator_core.db import transaction
    from orchestrator_core.db.migrate import upgrade
    from orchestrator_core.logging_setup import redact_url
    from orchestrator_core.migrations.helpers import get_product_id_by_name
    from orchestrator_core.services.workflow_registry import load_workflow_modules
    from orchestrator_core.settings import app_settings

    upgrade(app_dir=APP_DIR)  # the core schema and this application's registrations
    load_workflow_modules()
    from flows.node_enrollment.clients import NETWORK

    NETWORK.reset()
    console.print(f"Database [bold]{redact_url(app_settings.ORCHESTRATOR_DATABASE_URL)}[/bold] at the newest schema; "
                  "ESDB and NSO are the in-process fakes.\n")
    with transaction() as session:
        product = str(get_product_id_by_name(session, "Node Enrollment"))
    _wait_for_prefect(prefect)

    demo = Demo()
    demo.start("create", "create_node_enrollment", [
        {"product": product},
        {"customer_id": "demo-customer", "select_node": "ams-rt1", "role_id": "core",
         "url": "https://ams-rt1.mgmt.example.net"},
    ])
    on = [{"subscription_id": demo.subscription_id}]
    demo.start("provision", "provision_node_enrollment", on)
    demo.start("activate", "modify_node_enrollment", on)
    demo.start("validate", "validate_node_enrollment", on)
    console.print("[yellow]NSO becomes unreachable for one call...[/yellow]")
    NETWORK.outage(calls=1)
    failed = demo.start("validate (NSO down)", "validate_node_enrollment", on)
    console.print("[yellow]...and is back: resuming continues at the failed step.[/yellow]")
    demo.resume("validate (resumed)", failed)
    demo.start("terminate", "terminate_node_enrollment", on)

    console.print(demo.lifecycle)
    console.print(f"Done in {time.perf_counter() - started:.1f} s. {look_around()}", soft_wrap=True, highlight=False)


def _relative(path: Path, start: Path) -> str:
    """`path` as the user would type it from `start`: relative when that is shorter."""
    relative = os.path.relpath(path, start)
    return relative if len(relative) < len(str(path)) else str(path)


def look_around(caller: Path | None = None, here: Path | None = None) -> str:
    """The closing hint: commands that work when pasted where the user is. scripts/demo runs the demo in
    DEMO_DIR and says where it was called from (DEMO_CALLER_DIR); the commands then start with a `cd`."""
    here = (here or Path.cwd()).absolute()
    caller = (caller or Path(os.environ.get("DEMO_CALLER_DIR") or here)).absolute()
    python = _relative(Path(sys.executable), here)
    main = _relative(APP_DIR / "main.py", here)
    command = f"{shlex.quote(python)} {shlex.quote(main)}"
    go = "" if caller == here else f"`cd {shlex.quote(_relative(here, caller))}`, then "
    return (f"Look around: {go}`{command} processes`; the same command with `process <id>` (an id prefix "
            "will do), `subscriptions`, `products`, or `serve` for the web page.")
