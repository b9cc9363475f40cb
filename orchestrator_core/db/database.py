"""Engine and transaction handling: one unit of work at a time per context, and reads outside one.

A step, a service call or a test opens `transaction()`; code below it (domain models, the
step log) finds the same session through `session()` (or `db.session`, the reference system's
name). Leaving the block commits; an exception rolls everything back. That is what makes a
step's changes and its audit row commit together or not at all.

Outside a transaction, `session()` is this thread's read session, for the reads that forms,
tests and scripts do with no unit of work around them (as the reference's `db.session` allows):

- it reads through its own engine whose connections are in autocommit and read-only, so no
  transaction (no snapshot, no lock) is ever held between statements, and each statement sees
  what is committed when it runs;
- every statement's rows are buffered and its connection goes straight back to the pool, so an
  idle thread holds no connection;
- each `session()` call expires what the session loaded before, so rows read earlier reload
  fresh on their next use (after a workflow ran, say);
- it refuses to write, with `NoTransactionError` naming `transaction()`: the reference commits
  such writes when the caller calls `commit()`; here writes happen in a unit of work only.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine, Result
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker

from orchestrator_core.db import json_text
from orchestrator_core.db.base import Base
from orchestrator_core.settings import app_settings

_engine: Engine | None = None
_session_factory: sessionmaker[Session] | None = None
_read_engine: Engine | None = None
_current: ContextVar[Session | None] = ContextVar("orchestrator_db_session", default=None)
_pinned: ContextVar[Connection | None] = ContextVar("orchestrator_db_pinned_connection", default=None)
_read_sessions = threading.local()

BaseModel = Base
"""The reference system's name of the declarative base: `class CustomerTable(BaseModel)` maps an
application's own table on our metadata."""


class NoTransactionError(RuntimeError):
    """Raised when code writes outside `transaction()`."""


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _sqlite_query_only(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA query_only=ON")
    cursor.close()


def create_db_engine(url: str, *, read_only: bool = False) -> Engine:
    """On Postgres every execution is planned for its values: psycopg prepares a statement after five
    runs, and Postgres may then switch to one generic plan, which cannot see how common a search word
    is or how small a LIMIT is (measured: a common-word search went from 8 to 19 ms). The engine's own
    statements are small; planning them each time costs microseconds (turning preparation off for the
    search's reads alone instead cost the search 0.6 ms more, parsing each time).

    `read_only`: the read engine, whose connections are in autocommit and refuse writes themselves.
    `hide_parameters`: a database error's message (stored on a failed process, logged) names the statement
    but not its values, which carry form input."""
    autocommit: dict[str, Any] = {"isolation_level": "AUTOCOMMIT"} if read_only else {}
    if url.startswith("sqlite"):
        engine = sa.create_engine(url, connect_args={"check_same_thread": False, "timeout": 30},
                                  json_serializer=json_text.dumps, hide_parameters=True, **autocommit)
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        if read_only:
            sa.event.listen(engine, "connect", _sqlite_query_only)
        return engine
    options = "-c plan_cache_mode=force_custom_plan"
    if read_only:
        options += " -c default_transaction_read_only=on"
    return sa.create_engine(
        url,
        pool_size=5 if read_only else 10,
        max_overflow=20,
        pool_pre_ping=True,
        connect_args={"options": options},
        json_serializer=json_text.dumps,
        hide_parameters=True,
        **autocommit,
    )


def get_engine() -> Engine:
    global _engine, _session_factory
    if _engine is None:
        _engine = create_db_engine(app_settings.ORCHESTRATOR_DATABASE_URL)
        _session_factory = sessionmaker(_engine, expire_on_commit=False)
    return _engine


def get_read_engine() -> Engine:
    global _read_engine
    if _read_engine is None:
        _read_engine = create_db_engine(app_settings.ORCHESTRATOR_DATABASE_URL, read_only=True)
    return _read_engine


def configure(url: str) -> Engine:
    """Point the orchestrator at another database (tests, the CLI's --database)."""
    global _engine, _session_factory, _read_engine
    if _engine is not None:
        _engine.dispose()
    if _read_engine is not None:
        _read_engine.dispose()
        _read_engine = None
    app_settings.ORCHESTRATOR_DATABASE_URL = url
    _engine = create_db_engine(url)
    _session_factory = sessionmaker(_engine, expire_on_commit=False)
    return _engine


def _forget_read_pool_after_fork() -> None:
    """A forked child must not use the parent's pooled read connections."""
    if _read_engine is not None:
        _read_engine.dispose(close=False)


os.register_at_fork(after_in_child=_forget_read_pool_after_fork)


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
    pinned = _pinned.get()
    usable = pinned is not None and not pinned.invalidated and not pinned.closed and not pinned.in_transaction()
    session = _session_factory(bind=pinned) if usable else _session_factory()
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
def pinned_connection() -> Iterator[None]:
    """Transactions in this block, in this thread, run on one connection checked out (and pinged) once.

    A process's run commits once per step: each checkout from the pool costs a round trip for the
    pre-ping. A connection the database dropped is left at once: the transaction on it fails as it
    would have anyway, and later ones check out a fresh, pinged connection."""
    if _pinned.get() is not None or _current.get() is not None:
        yield
        return
    with get_engine().connect() as connection:
        token = _pinned.set(connection)
        try:
            yield
        finally:
            _pinned.reset(token)


@contextmanager
def read_connection() -> Iterator[Connection]:
    """For reads that need no unit of work (API pages): a Core connection in autocommit (read-only), so a
    page costs its statements and no BEGIN and COMMIT round trips. Inside a `transaction()` it reads
    through that transaction's connection, so it sees that transaction's writes."""
    outer = _current.get()
    if outer is not None:
        yield outer.connection()
        return
    with get_read_engine().connect() as connection:
        yield connection


def in_transaction() -> bool:
    return _current.get() is not None


def session() -> Session:
    """The session of the enclosing `transaction()`; outside one, this thread's read session (module doc)."""
    current = _current.get()
    if current is not None:
        return current
    read = read_session()
    _refuse_unsaved_changes(read)
    read.expire_all()
    return read


def require_transaction(action: str) -> Session:
    """The enclosing transaction's session, or a `NoTransactionError` saying that `action` needs one."""
    current = _current.get()
    if current is None:
        raise NoTransactionError(_needs_transaction(action))
    return current


def _needs_transaction(action: str) -> str:
    return (f"{action} outside a transaction: db.session is read-only there; "
            "write inside `with transaction():` (orchestrator_core.db), as every workflow step runs")


def read_session() -> Session:
    """This thread's read session on the read engine (made on first use, again after `configure`)."""
    engine = get_read_engine()
    found: Session | None = getattr(_read_sessions, "session", None)
    if found is None or found.bind is not engine:
        found = _ReadSession(bind=engine, expire_on_commit=False, autoflush=False)
        _read_sessions.session = found
    return found


class _ReadSession(Session):
    """A session that reads statement by statement and refuses to write (the module doc says why)."""


def _changed(read: Session) -> int:
    return len(read.new) + len(read.dirty) + len(read.deleted)


def _refuse_unsaved_changes(read: Session) -> None:
    """Rows added to, changed in or deleted from the read session are dropped, and refused unless a flush
    already refused them: `db.session.add(row); db.session.commit()` fails here, never silently."""
    changed, already_refused = _changed(read), read.info.pop("refused", False)
    if changed:
        read.rollback()
        if not already_refused:
            raise NoTransactionError(_needs_transaction(f"saving {changed} changed row(s)"))


@sa.event.listens_for(_ReadSession, "do_orm_execute")
def _read_and_release(state: ORMExecuteState) -> Result[Any]:
    """Run the statement, buffer its rows and, once the outermost statement is done (loads it caused
    run nested), hand the connection back: there is nothing to commit on it."""
    if state.is_insert or state.is_update or state.is_delete:
        raise NoTransactionError(_needs_transaction(f"{type(state.statement).__name__.upper()} statement"))
    info = state.session.info
    info["depth"] = info.get("depth", 0) + 1
    try:
        rows = state.invoke_statement().freeze()
    except BaseException:
        info["depth"] -= 1
        if info["depth"] == 0:
            state.session.rollback()
        raise
    info["depth"] -= 1
    if info["depth"] == 0:
        state.session.commit()
    return rows()


@sa.event.listens_for(_ReadSession, "before_flush")
def _refuse_flush(read: Session, _context: Any, _instances: Any) -> None:
    read.info["refused"] = True
    raise NoTransactionError(_needs_transaction(f"saving {_changed(read)} changed row(s)"))


def lock_for_update(stmt: Any, of: Any = None) -> Any:
    """SELECT ... FOR UPDATE (of the given table) on Postgres; SQLite serialises writers on its own."""
    return stmt if is_sqlite() else stmt.with_for_update(of=of)
