"""Before a command reads or writes our tables: is there a database at all? An SQLite file that does not
exist yet would be created empty by the first connection and then fail with `no such table`; instead the
command says in one line to run `db upgrade`, and leaves no empty file behind. A database that exists but
was never upgraded is caught when a statement meets a missing table (cli/errors.py), with the same advice."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import make_url

from orchestrator_core.cli.invocation import command
from orchestrator_core.errors import OrchestratorError
from orchestrator_core.settings import app_settings

NEEDS_DATABASE = {"run", "resume", "abort", "process", "processes", "products", "workflows", "subscriptions",
                  "validate-subscriptions", "check", "worker", "serve"}
"""The library's commands that use an existing database (`db` creates it; an application's own commands, such
as the demo's, decide for themselves)."""


class DatabaseNotReadyError(OrchestratorError):
    code = "database.schema_not_ready"
    http_status = 503


def upgrade_advice() -> str:
    return f"run `{command()} db upgrade` in the application's directory first"


def missing_sqlite_file(url: str | None = None) -> Path | None:
    """The SQLite file the URL names, when it does not exist (None for other databases and in-memory ones)."""
    parsed = make_url(url or app_settings.ORCHESTRATOR_DATABASE_URL)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    if parsed.database.startswith("file:"):
        return None
    path = Path(parsed.database)
    return None if path.exists() else path


def require_database(subcommand: str | None) -> None:
    if subcommand not in NEEDS_DATABASE:
        return
    missing = missing_sqlite_file()
    if missing is not None:
        raise DatabaseNotReadyError(f"No database here: {missing} does not exist; {upgrade_advice()}")


def missing_table(exc: BaseException) -> bool:
    """A statement met a table that does not exist: the schema was never created (or is too old)."""
    text = str(getattr(exc, "orig", exc)).lower()
    return "no such table" in text or ("relation" in text and "does not exist" in text)
