"""`orchestrator db init`: the files of a new application, as the reference's `db init` lays them out.

    alembic.ini                          where the application's migrations are
    .env                                 the settings it needs (read from the working directory)
    migrations/env.py                    runs against the orchestrator's database
    migrations/script.py.mako            template of new revisions
    migrations/helpers.py                the application's own helpers, the orchestrator's imported
    migrations/versions/schema/<date>_<rev>_create_data_head.py
                                         branch `data`, depending on the core schema's newest revision
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path
from string import Template

from alembic.config import Config
from alembic.script import ScriptDirectory

from orchestrator_core.errors import OrchestratorError

TEMPLATES = Path(__file__).parent / "templates"
CORE = Path(__file__).parent


class ApplicationExistsError(OrchestratorError):
    code = "application.exists"
    http_status = 409


def core_schema_head() -> str:
    cfg = Config()
    cfg.set_main_option("script_location", str(CORE))
    cfg.set_main_option("path_separator", "space")
    cfg.set_main_option("version_locations", str(CORE / "versions" / "schema"))
    return ScriptDirectory.from_config(cfg).get_current_head() or ""


def scaffold_application(directory: Path | str | None = None) -> list[Path]:
    """Write a new application's migration environment; refuses to touch one that is there."""
    base = Path(directory or Path.cwd()).resolve()
    migrations = base / "migrations"
    if migrations.exists() and any(migrations.iterdir()):
        raise ApplicationExistsError(f"{migrations} already exists and is not empty; nothing was written")
    if (base / "alembic.ini").exists():
        raise ApplicationExistsError(f"{base / 'alembic.ini'} already exists; nothing was written")
    now = datetime.now(UTC)
    revision = uuid.uuid4().hex[:12]
    data_head = Template((TEMPLATES / "data_head.py.tmpl").read_text()).substitute(
        revision=revision, create_date=now.isoformat(timespec="seconds"), depends_on=core_schema_head())
    files = {
        base / "alembic.ini": (TEMPLATES / "alembic.ini.tmpl").read_text(),
        migrations / "env.py": (TEMPLATES / "env.py.tmpl").read_text(),
        migrations / "script.py.mako": (CORE / "script.py.mako").read_text(),
        migrations / "helpers.py": (TEMPLATES / "helpers.py.tmpl").read_text(),
        migrations / "versions" / "schema" / f"{now:%Y-%m-%d}_{revision}_create_data_head.py": data_head,
    }
    if not (base / ".env").exists():
        files[base / ".env"] = (TEMPLATES / "env.tmpl").read_text()
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return list(files)


__all__ = ["ApplicationExistsError", "scaffold_application"]
