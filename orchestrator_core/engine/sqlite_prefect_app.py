"""Prefect's API app for our local Prefect servers (the kept one and the temporary one), whose database is
SQLite: every write transaction begins IMMEDIATE.

Prefect begins most of its write transactions on SQLite DEFERRED. Such a transaction reads first, then
asks for the write lock; if another writer committed in between (the task-run recorder flushing a batch of
task-run events, say), SQLite answers "database is locked" at once, because its busy timeout does not
cover that upgrade. Prefect's API answers 503, and its client retries after a back-off of 2 s or more: a
flow run stalled for 1-2.5 s now and then (bench/create.py, Prefect alone, on an idle machine). Begun
IMMEDIATE, a writer takes the write lock first and waits its turn under the busy timeout, which is the
remedy Prefect's own SQLite configuration names in a comment. A Prefect server on Postgres is untouched.
Pinned by tests/unit/engine/test_sqlite_prefect_app.py.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any


def begin_writes_immediately() -> None:
    """Make `AioSqliteConfiguration.begin_transaction` take the write lock at BEGIN (idempotent)."""
    from prefect.server.database.configurations import AioSqliteConfiguration

    original = AioSqliteConfiguration.begin_transaction
    if getattr(original, "begins_immediately", False):
        return

    @asynccontextmanager
    async def begin_transaction(self: Any, session: Any, with_for_update: bool = False) -> AsyncIterator[Any]:
        async with original(self, session, with_for_update=True) as transaction:
            yield transaction

    begin_transaction.begins_immediately = True  # type: ignore[attr-defined]
    AioSqliteConfiguration.begin_transaction = begin_transaction  # type: ignore[method-assign]


def create_app() -> Any:
    """The app factory our local servers run (`uvicorn --factory`, the kept server's main)."""
    begin_writes_immediately()
    from prefect.server.api.server import create_app as prefect_app

    return prefect_app()
