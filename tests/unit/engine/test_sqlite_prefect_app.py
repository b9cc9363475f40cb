"""Our local Prefect servers begin every SQLite write transaction IMMEDIATE (engine/sqlite_prefect_app.py):
pins the Prefect internals that patch relies on, by what SQLite then does."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa
from prefect.server.database.configurations import AioSqliteConfiguration

from orchestrator_core.engine.sqlite_prefect_app import begin_writes_immediately


def _another_writer_may_begin(path: Path) -> bool:
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError as refused:
        assert "locked" in str(refused)
        return False
    finally:
        other.close()


def _writer_may_begin_inside_a_prefect_transaction(path: Path) -> bool:
    """Inside Prefect's `begin_transaction` as its API's write paths call it (no `with_for_update`), after a
    read: may another connection start writing?"""
    config = AioSqliteConfiguration(connection_url=f"sqlite+aiosqlite:///{path}")

    async def inside() -> bool:
        engine = await config.engine()
        try:
            session = await config.session(engine)
            async with session, config.begin_transaction(session):
                await session.execute(sa.text("SELECT 1"))
                return await asyncio.to_thread(_another_writer_may_begin, path)
        finally:
            await engine.dispose()

    return asyncio.run(inside())


@pytest.mark.parametrize("patched", [False, True], ids=["prefect-as-shipped", "ours"])
def test_a_prefect_write_transaction_holds_the_write_lock_from_its_begin(tmp_path, monkeypatch, patched):
    monkeypatch.setattr(AioSqliteConfiguration, "begin_transaction", AioSqliteConfiguration.begin_transaction)
    if patched:
        begin_writes_immediately()
    sqlite3.connect(tmp_path / "prefect.db").close()

    # As shipped, a read inside the transaction takes no write lock: a commit by another writer in between
    # makes this transaction's first write fail with "database is locked" (a 503 from Prefect's API).
    assert _writer_may_begin_inside_a_prefect_transaction(tmp_path / "prefect.db") is not patched


def test_our_local_servers_run_the_app_that_begins_writes_immediately():
    from orchestrator_core.engine import kept_prefect_server  # the temporary server runs the same APP

    assert kept_prefect_server.APP == "orchestrator_core.engine.sqlite_prefect_app:create_app"
