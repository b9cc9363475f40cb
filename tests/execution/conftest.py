"""Fixtures of the execution tests: a database per test for `orchestrator serve` subprocesses, copied from
one prepared once a session (newest schema, a product linked to `quick_modify`, in-sync ACTIVE
subscriptions of it), so the migrations run once rather than once a test."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest

from orchestrator_core.devtools import copy_database, drop_database
from tests.execution import serve_under_test as sut

POSTGRES = "postgresql+psycopg://root@127.0.0.1:5432"


@pytest.fixture(scope="session")
def prepared_database() -> Iterator[tuple[str, list[uuid.UUID]]]:
    url = f"{POSTGRES}/serve_template_{os.getpid()}"
    try:
        yield url, sut.prepare_database(url, 20)
    finally:
        drop_database(url)


@pytest.fixture
def fresh_database(prepared_database) -> Iterator[str]:
    url = f"{POSTGRES}/serve_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    copy_database(prepared_database[0], url)
    yield url
    drop_database(url)


@pytest.fixture
def subscriptions(prepared_database) -> list[uuid.UUID]:
    """The subscriptions every fresh database holds, in sync and ACTIVE, that `quick_modify` may run on."""
    return prepared_database[1]
