"""`orchestrator db`: the core schema and the application's data migrations."""

from __future__ import annotations

import typer
from rich.console import Console

db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
console = Console()


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Bring the database to the newest schema."""
    from orchestrator_core.db.migrate import upgrade
    from orchestrator_core.settings import app_settings

    upgrade()
    console.print(f"Database at the newest schema: {app_settings.ORCHESTRATOR_DATABASE_URL}")
