"""Bring a database to the newest schema: the core's own revisions plus the application's data branch.

As in the reference system, the core schema's revisions ship inside the library (branch `schema`)
and an application keeps its product and workflow registrations in its own directory, on a
`data` branch that depends on the core schema. The application is found in a directory (the
working directory by default): its `alembic.ini` as the reference writes it, or else a
`migrations/` folder with an `env.py`. Without either, only the core schema is migrated.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import Script, ScriptDirectory
from sqlalchemy.engine import Connection

from orchestrator_core.db.database import get_engine
from orchestrator_core.errors import OrchestratorError

CORE_MIGRATIONS = Path(__file__).resolve().parents[1] / "migrations"
"""The core schema's Alembic scripts (the `orchestrator_core.migrations` package, found without importing it)."""
CORE_VERSIONS = CORE_MIGRATIONS / "versions" / "schema"

PRE_SPLIT_CHAIN = ["0001", "0002", "0003", "0004_default_workflows", "0005", "0006", "0007", "0008", "0009"]
"""The one linear chain of databases made before the core schema and the demo's registrations were
split; its ids live on, some in the core, some in the application."""


class MigrationLayoutError(OrchestratorError):
    code = "database.migration_layout"


@dataclass(frozen=True)
class Application:
    """Where an application's migrations are: its env.py directory and its own version folders."""

    directory: Path
    script_location: Path
    version_locations: tuple[Path, ...]
    ini_file: Path | None = None


def find_application(directory: Path | str | None = None) -> Application | None:
    base = Path(directory or Path.cwd()).resolve()
    ini = base / "alembic.ini"
    if ini.is_file():
        parsed = Config(str(ini))
        script = parsed.get_main_option("script_location") or "migrations"
        locations = (parsed.get_main_option("version_locations") or "").split()
        return Application(base, Path(script), tuple(Path(p) for p in locations), ini)
    migrations = base / "migrations"
    if (migrations / "env.py").is_file():
        return Application(base, migrations, (migrations / "versions" / "schema",))
    return None


def alembic_config(app: Application | None = None) -> Config:
    """The application's Alembic configuration with the core's versions added, or the core's alone."""
    if app is None:
        cfg = Config()
        cfg.set_main_option("script_location", str(CORE_MIGRATIONS))
        locations = [CORE_VERSIONS]
    else:
        cfg = Config(str(app.ini_file)) if app.ini_file else Config()
        cfg.set_main_option("script_location", str(app.script_location))
        locations = [*app.version_locations, CORE_VERSIONS]
    cfg.set_main_option("path_separator", "space")
    cfg.set_main_option("version_locations", " ".join(str(p) for p in locations))
    return cfg


def upgrade(revision: str = "heads", app_dir: Path | str | None = None) -> None:
    """Migrate to `revision` ("heads": the core schema and the application's data branch)."""
    app = find_application(app_dir)
    cfg = alembic_config(app)
    script = ScriptDirectory.from_config(cfg)
    with get_engine().begin() as connection, importable(app):
        adopt_pre_split_history(connection, script)
        refuse_unknown_revisions(connection, script, app)
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, revision)


def downgrade(revision: str, app_dir: Path | str | None = None) -> None:
    app = find_application(app_dir)
    cfg = alembic_config(app)
    with get_engine().begin() as connection, importable(app):
        refuse_unknown_revisions(connection, ScriptDirectory.from_config(cfg), app)
        cfg.attributes["connection"] = connection
        command.downgrade(cfg, revision)


def refuse_unknown_revisions(connection: Connection, script: ScriptDirectory, app: Application | None) -> None:
    """A database that records revisions we cannot see was migrated with an application's migrations."""
    known = {rev.revision for rev in script.walk_revisions()}
    unknown = sorted(set(MigrationContext.configure(connection).get_current_heads()) - known)
    if unknown:
        where = f"the application in {app.directory}" if app else "no application directory (core schema only)"
        raise MigrationLayoutError(
            f"The database is at revision(s) {', '.join(unknown)}, which neither the core schema nor {where} "
            f"has. Run `orchestrator db upgrade` in the directory of the application that made them "
            f"(where its alembic.ini or migrations/ is)."
        )


@contextmanager
def importable(app: Application | None) -> Iterator[None]:
    """An application's migrations import its own modules (`from products.product_types.port import ...`), as
    they do under the reference's `python main.py db upgrade`: its directory is on the path while they run."""
    if app is None or str(app.directory) in sys.path:
        yield
        return
    sys.path.insert(0, str(app.directory))
    try:
        yield
    finally:
        sys.path.remove(str(app.directory))


def missing_heads(app_dir: Path | str | None = None) -> list[str]:
    """Heads of the core schema (and of the application's branch, when its directory is found) that the
    database has not reached; every head of a never-upgraded database. Reads, never writes."""
    app = find_application(app_dir)
    with importable(app):
        script = ScriptDirectory.from_config(alembic_config(app))
        revisions = {rev.revision: rev for rev in script.walk_revisions()}
        heads = script.get_heads()
    reached = {done for rev in current_heads() for done in _ancestors(revisions, rev)}
    return sorted(head for head in heads if head not in reached)


def current_heads() -> set[str]:
    with get_engine().connect() as connection:
        return set(MigrationContext.configure(connection).get_current_heads())


def adopt_pre_split_history(connection: Connection, script: ScriptDirectory) -> None:
    """Rewrite a pre-split database's one version row into the heads of the same history in the new layout.

    Every revision of the old chain up to the recorded one was applied; in the new layout those
    revisions sit on two branches, so the version table must name the newest applied one of each.
    """
    current = set(MigrationContext.configure(connection).get_current_heads())
    if len(current) != 1 or (recorded := current.pop()) not in PRE_SPLIT_CHAIN:
        return
    applied = PRE_SPLIT_CHAIN[: PRE_SPLIT_CHAIN.index(recorded) + 1]
    revisions = {rev.revision: rev for rev in script.walk_revisions()}
    missing = [rev for rev in applied if rev not in revisions]
    if missing:
        raise MigrationLayoutError(
            f"This database was made before the core schema and the application's registrations were split "
            f"(it is at revision {recorded}); revisions {', '.join(missing)} now belong to the application. "
            f"Run `orchestrator db upgrade` in the application's directory (where its alembic.ini or "
            f"migrations/ is) so its history is carried over."
        )
    ancestors = {a for rev in applied for a in _ancestors(revisions, rev) if a != rev}
    heads = [rev for rev in applied if rev not in ancestors]
    version_table = sa.table("alembic_version", sa.column("version_num", sa.String))
    connection.execute(sa.delete(version_table))
    connection.execute(sa.insert(version_table), [{"version_num": rev} for rev in heads])


def _ancestors(revisions: dict[str, Script], revision: str) -> set[str]:
    """The revision and everything it stands on: down revisions and dependencies, as Alembic counts them."""
    seen: set[str] = set()
    todo = [revision]
    while todo:
        rev = revisions.get(todo.pop())
        if rev is None or rev.revision in seen:
            continue
        seen.add(rev.revision)
        for parents in (rev.down_revision, rev.dependencies):
            todo.extend([parents] if isinstance(parents, str) else parents or ())
    return seen
