"""Engine and transaction handling: one unit of work at a time per context.

A step, a service call or a test opens `transaction()`; code below it (domain models, the
step log) finds the same session through `session()`. Leaving the block commits; an
exception rolls everything back. That is what makes a step's changes and its audit row
commit together or not at all.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session, sessionmaker

from orchestrator_core.db import json_text
from orchestrator_core.settings import app_settings

_engine: Engine | None = None
_session_factory: sessionmaker[Session] | None = None
_current: ContextVar[Session | None] = ContextVar("orchestrator_db_session", default=None)


class NoTransactionError(RuntimeError):
    """Raised when database code runs outside `transaction()`."""


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def create_db_engine(url: str) -> Engine:
    """On Postgres every execution is planned for its values: psycopg prepares a statement after five
    runs, and Postgres may then switch to one generic plan, which cannot see how common a search word
    is or how small a LIMIT is (measured: a common-word search went from 8 to 19 ms). The engine's own
    statements are small; planning them each time costs microseconds (turning preparation off for the
    search's reads alone instead cost the search 0.6 ms more, parsing each time)."""
    if url.startswith("sqlite"):
        engine = sa.create_engine(url, connect_args={"check_same_thread": False, "timeout": 30},
                                  json_serializer=json_text.dumps)
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return sa.create_engine(
        url,
        pool_size=10,
        max_overflow=20,
        pool_pre_ping=True,
        connect_args={"options": "-c plan_cache_mode=force_custom_plan"},
        json_serializer=json_text.dumps,
    )


def get_engine() -> Engine:
    global _engine, _session_factory
    if _engine is None:
        _engine = create_db_engine(app_settings.ORCHESTRATOR_DATABASE_URL)
        _session_factory = sessionmaker(_engine, expire_on_commit=False)
    return _engine


def configure(url: str) -> Engine:
    """Point the orchestrator at another database (tests, the CLI's --database)."""
    global _engine, _session_factory
    if _engine is not None:
        _engine.dispose()
    app_settings.ORCHESTRATOR_DATABASE_URL = url
    _engine = create_db_engine(url)
    _session_factory = sessionmaker(_engine, expire_on_commit=False)
    return _engine


def is_sqlite() -> bool:
    return get_engine().dialect.name == "sqlite"


@contextmanager
def transaction() -> Iterator[Session]:
    """Run the block as one unit of work; join the enclosing one if there is one."""
    outer = _current.get()
    if outer is not None:
        yield outer
        return
    get_engine()
    assert _session_factory is not None
    session = _session_factory()
    token = _current.set(session)
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        _current.reset(token)
        session.close()


@contextmanager
def read_connection() -> Iterator[Connection]:
    """For reads that need no unit of work (API pages): a Core connection in autocommit, so a page costs
    its statements and no BEGIN and COMMIT round trips. Inside a `transaction()` it reads through that
    transaction's connection, so it sees that transaction's writes."""
    outer = _current.get()
    if outer is not None:
        yield outer.connection()
        return
    with get_engine().connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        yield connection


def session() -> Session:
    """The session of the enclosing `transaction()`."""
    current = _current.get()
    if current is None:
        raise NoTransactionError("database access outside a transaction(): wrap the call in db.transaction()")
    return current


def lock_for_update(stmt: Any, of: Any = None) -> Any:
    """SELECT ... FOR UPDATE (of the given table) on Postgres; SQLite serialises writers on its own."""
    return stmt if is_sqlite() else stmt.with_for_update(of=of)
