"""`db`, the reference system's handle on the database, and `init_database`.

Application code written for the reference reads and writes through `db.session`; here that is
`session()`: the enclosing `transaction()`'s session, or outside one the read-only read session
(see `database`). `init_database(settings)` points the handle at the settings' database.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from orchestrator_core.db import database


class Database:
    """What `db` offers: the current session and the engine."""

    @property
    def session(self) -> Session:
        return database.session()

    @property
    def engine(self) -> Engine:
        return database.get_engine()


db = Database()


def init_database(settings: Any) -> Database:
    """Use the database `settings` name (ORCHESTRATOR_DATABASE_URL, or `DATABASE_URI` as in the reference).

    Applications call this at start-up with `app_settings`; the engine is only replaced when the URL
    differs from the one in use, so calling it again (or after a test configured the database) is harmless.
    """
    url = _database_url(settings)
    current = database.get_engine().url.render_as_string(hide_password=False)
    if url != current:
        database.configure(url)
    return db


def _database_url(settings: Any) -> str:
    value = getattr(settings, "ORCHESTRATOR_DATABASE_URL", None) or getattr(settings, "DATABASE_URI", None)
    if value is None:
        raise ValueError(f"{type(settings).__name__} names no database: it has neither ORCHESTRATOR_DATABASE_URL "
                         "nor DATABASE_URI")
    secret = getattr(value, "get_secret_value", None)
    return str(secret() if secret is not None else value)
