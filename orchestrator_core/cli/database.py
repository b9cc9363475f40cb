"""`orchestrator db`: the core schema and the application's data migrations, run in the application's directory.

Refusals (an `OrchestratorError`, a revision alembic cannot find) end the command with one line and exit
code 2, decided for every command in cli/errors.py."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from orchestrator_core.errors import OrchestratorError

db_app = typer.Typer(help="Database schema: the core's and this application's migrations.", no_args_is_help=True)
console = Console()


class NoApplicationError(OrchestratorError):
    code = "migrations.no_application"


@db_app.command("init")
def db_init() -> None:
    """Scaffold an application here: migrations/ with env.py and a data head, alembic.ini and .env."""
    from orchestrator_core.migrations.scaffold import scaffold_application

    for path in scaffold_application():
        console.print(f"created {path}")
    console.print("Next: `orchestrator db upgrade` creates the core schema; add data migrations with "
                  "`orchestrator db revision -m '...'`.")


@db_app.command("upgrade")
def db_upgrade(revision: Annotated[str, typer.Argument(help="Target revision")] = "heads") -> None:
    """Bring the database to the newest schema: the core's and this directory's application's."""
    from sqlalchemy.engine import make_url

    from orchestrator_core.db.migrate import find_application, upgrade
    from orchestrator_core.settings import app_settings

    upgrade(revision)
    app = find_application()
    scope = f"core schema and the application in {app.directory}" if app else "core schema (no application here)"
    url = make_url(app_settings.ORCHESTRATOR_DATABASE_URL).render_as_string(hide_password=True)
    console.print(f"Database {url} at {revision}: {scope}.")


@db_app.command("downgrade")
def db_downgrade(revision: Annotated[str, typer.Argument(help="Target revision, e.g. -1 or data@-1")]) -> None:
    """Undo migrations down to REVISION."""
    from orchestrator_core.db.migrate import downgrade

    downgrade(revision)


@db_app.command("heads")
def db_heads() -> None:
    """The newest revision of each branch (schema, data) that this directory knows."""
    from alembic import command

    from orchestrator_core.db.migrate import alembic_config, find_application

    command.heads(alembic_config(find_application()), verbose=False)


@db_app.command("revision")
def db_revision(message: Annotated[str, typer.Option("--message", "-m", help="What the migration does")],
                head: Annotated[str, typer.Option(help="Branch to add it to")] = "data@head") -> None:
    """Add an empty data migration to this application (as the reference's `db revision --head data@head`)."""
    from alembic import command

    from orchestrator_core.db.migrate import alembic_config, find_application

    if not message.strip():
        raise typer.BadParameter("must say what the migration does", param_hint="--message")
    app = find_application()
    if app is None:
        raise NoApplicationError("No application here (no alembic.ini or migrations/env.py); run "
                                 "`orchestrator db init` first")
    command.revision(alembic_config(app), message=message, head=head,
                     version_path=str(app.version_locations[0]) if app.version_locations else None)
