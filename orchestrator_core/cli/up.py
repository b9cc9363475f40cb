"""`orchestrator up`: the served stack on one machine, for trying served mode or demoing it.

In order: our database and Prefect's on Postgres (created when missing, kept across runs), `db upgrade`,
Prefect's server on its database (tuned as PREFECT-NOTES measured), `orchestrator worker` and
`orchestrator serve`, each as a child in a process group of its own, each waited for until healthy. Then
it prints the URLs (our page, our API's docs, Prefect's UI) and waits; Ctrl-C or SIGTERM stops them all,
the API first and Prefect last. Logs and PREFECT_HOME are under --state-dir.

The children run the same command as this one (`python main.py ...` for an application's main.py, else the
library's), so that an application's workflows are loaded in the worker too.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import httpx
import sqlalchemy as sa
import typer

STARTUP_SECONDS = 120.0
TUNED_PREFECT_SERVER = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_BATCH_SIZE": "100",
    "PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_FLUSH_INTERVAL": "1",
}


def self_command() -> list[str]:
    """How to run this same command in a child: an application's main.py, or the library's module."""
    script = sys.argv[0]
    if script.endswith(".py") and Path(script).name != "__main__.py":
        return [sys.executable, str(Path(script).resolve())]
    return [sys.executable, "-m", "orchestrator_core.cli"]


def app_directory() -> Path:
    """Where the children run: an application's main.py's directory (its migrations are there), else here."""
    script = sys.argv[0]
    if script.endswith(".py") and Path(script).name != "__main__.py":
        return Path(script).resolve().parent
    return Path.cwd()


def ensure_database(admin_url: str, name: str) -> str:
    """The URL of database `name` on the admin URL's server, created if it does not exist."""
    admin = sa.create_engine(sa.engine.make_url(admin_url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            exists = connection.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :name"),
                                        {"name": name}).first()
            if not exists:
                connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    return sa.engine.make_url(admin_url).set(database=name).render_as_string(hide_password=False)


@dataclass
class Child:
    name: str
    process: subprocess.Popen
    log: Path

    def stop(self, grace: float = 15) -> None:
        if self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=grace)

    def tail(self) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-15:])
        except OSError:
            return ""


def _start(name: str, argv: list[str], env: dict[str, str], state: Path) -> Child:
    log = state / f"{name}.log"
    with log.open("a") as out:
        process = subprocess.Popen(argv, env=env, stdout=out, stderr=out, stdin=subprocess.DEVNULL,
                                   start_new_session=True, cwd=app_directory())
    return Child(name, process, log)


def _wait_until(child: Child, ready: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while not ready():
        if child.process.poll() is not None:
            raise RuntimeError(f"{child.name} exited with code {child.process.returncode} before {what}:\n"
                               f"{child.tail()}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"{child.name} did not become ready ({what}) within {STARTUP_SECONDS:.0f} s:\n"
                               f"{child.tail()}")
        time.sleep(0.25)


def _healthy(url: str) -> bool:
    with contextlib.suppress(httpx.HTTPError):
        return httpx.get(url, timeout=2).status_code == 200
    return False


@contextlib.contextmanager
def _stopping_on_sigterm() -> Iterator[None]:
    def interrupt(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def up(
    postgres: Annotated[str, typer.Option(help="Postgres server (an admin URL)")] =
    "postgresql+psycopg://root@127.0.0.1:5432/postgres",
    name: Annotated[str, typer.Option(help="Our database's name; Prefect's is NAME_prefect")] = "orchestrator",
    api_port: Annotated[int, typer.Option(min=1, max=65535)] = 8080,
    prefect_port: Annotated[int, typer.Option(min=1, max=65535)] = 4200,
    state_dir: Annotated[Path, typer.Option(help="Logs and PREFECT_HOME")] = Path(".orchestrator-up"),
) -> None:
    """Start the served stack here: databases, schema, Prefect server, worker and API; Ctrl-C stops it."""
    state = state_dir.absolute()
    state.mkdir(parents=True, exist_ok=True)
    say = typer.echo
    database = ensure_database(postgres, name)
    prefect_database = ensure_database(postgres, f"{name}_prefect").replace("+psycopg", "+asyncpg")
    prefect_api = f"http://127.0.0.1:{prefect_port}/api"
    base = {k: v for k, v in os.environ.items() if k not in ("PREFECT_API_URL",)}
    ours = {**base, "ORCHESTRATOR_DATABASE_URL": database, "ORCHESTRATOR_EXECUTION_MODE": "served",
            "PREFECT_API_URL": prefect_api, "PREFECT_HOME": str(state / "prefect")}
    say(f"Databases: {sa.engine.make_url(database).render_as_string()} and {name}_prefect")
    upgrade = subprocess.run([*self_command(), "db", "upgrade"], env=ours, capture_output=True, text=True,
                             cwd=app_directory())
    if upgrade.returncode != 0:
        raise RuntimeError(f"db upgrade failed: {(upgrade.stdout + upgrade.stderr).strip()[-2000:]}")
    say(upgrade.stdout.strip())
    children: list[Child] = []
    with _stopping_on_sigterm():
        try:
            prefect_env = {**base, "PREFECT_HOME": str(state / "prefect"),
                           "PREFECT_SERVER_DATABASE_CONNECTION_URL": prefect_database, **TUNED_PREFECT_SERVER}
            prefect = _start("prefect", [str(Path(sys.executable).parent / "prefect"), "server", "start", "--host",
                                         "127.0.0.1", "--port", str(prefect_port)], prefect_env, state)
            children.append(prefect)
            say(f"Starting Prefect's server on {prefect_api} ...")
            _wait_until(prefect, lambda: _healthy(f"{prefect_api}/health"), "its health answered")
            worker = _start("worker", [*self_command(), "worker"], ours, state)
            children.append(worker)
            say("Starting the worker ...")
            _wait_until(worker, lambda: "deployments" in worker.tail(), "it served the deployments")
            api = _start("api", [*self_command(), "serve", "--port", str(api_port)], ours, state)
            children.append(api)
            say("Starting the API ...")
            _wait_until(api, lambda: _healthy(f"http://127.0.0.1:{api_port}/api/health"), "its health answered")
            say(f"Ready. Our page: http://127.0.0.1:{api_port}/  API docs: http://127.0.0.1:{api_port}/docs  "
                f"Prefect UI: http://127.0.0.1:{prefect_port}/  (logs in {state}; Ctrl-C stops everything)")
            while all(child.process.poll() is None for child in children):
                time.sleep(0.5)
            ended = next(child for child in children if child.process.poll() is not None)
            say(f"{ended.name} exited with code {ended.process.returncode}; stopping the rest:\n{ended.tail()}")
        except KeyboardInterrupt:
            say("Stopping ...")
        except RuntimeError as problem:
            say(str(problem))
            raise typer.Exit(code=1) from None
        finally:
            for child in reversed(children):
                child.stop()
            if children:
                say("Stopped: " + ", ".join(child.name for child in reversed(children)))
