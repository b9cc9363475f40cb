"""Start-up check of the long-running commands (`worker`, `serve`): is the database at our schema?

Without it, a worker on a never-upgraded database polls into `relation "processes" does not exist`
several times a second. Instead the command says, in one line, what to run and exits non-zero;
or, when the operator chose to (ORCHESTRATOR_STARTUP_WAIT_SECONDS, e.g. a container that starts
before its migration job ends), it waits until `orchestrator db upgrade` has run.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa

from orchestrator_core.db.database import get_engine
from orchestrator_core.errors import OrchestratorError
from orchestrator_core.utils.startup import wait_for

logger = logging.getLogger(__name__)


class SchemaNotReadyError(OrchestratorError):
    """The database is unreachable or not migrated to the schema this code needs."""

    code = "database.schema_not_ready"


@contextmanager
def _quiet_alembic() -> Iterator[None]:
    """Alembic logs its set-up at INFO on every look; a check repeated each second must not."""
    alembic = logging.getLogger("alembic")
    level = alembic.level
    alembic.setLevel(logging.WARNING)
    try:
        yield
    finally:
        alembic.setLevel(level)


def schema_problem(app_dir: Path | str | None = None) -> str | None:
    """What keeps this code from using the database, in one sentence; None when it is ready."""
    where = get_engine().url.render_as_string(hide_password=True)
    try:
        with _quiet_alembic():
            from orchestrator_core.db.migrate import missing_heads  # alembic logs its plugins on import

            missing = missing_heads(app_dir)
    except sa.exc.OperationalError as exc:
        cause = (str(exc.orig).strip().splitlines() or [type(exc.orig).__name__])[0]
        return f"The database {where} cannot be reached ({cause})"
    if not missing:
        return None
    return (f"The database {where} is not at the newest schema (missing revision(s) {', '.join(missing)}). "
            "Run `orchestrator db upgrade` in the application's directory")


def require_schema(command: str, app_dir: Path | str | None = None, wait_seconds: float | None = None) -> None:
    """Return once the database is ready; refuse (one line, non-zero exit) if it is not ready within
    ORCHESTRATOR_STARTUP_WAIT_SECONDS (0, the default: do not wait)."""
    problem = wait_for(command, lambda: schema_problem(app_dir), wait_seconds)
    if problem is not None:
        raise SchemaNotReadyError(f"{problem}; `orchestrator {command}` did not start.")
