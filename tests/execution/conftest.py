"""Fixtures of the execution tests: a fresh database per test for `orchestrator serve` subprocesses."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest

from orchestrator_core.devtools import drop_database


@pytest.fixture
def fresh_database() -> Iterator[str]:
    url = f"postgresql+psycopg://root@127.0.0.1:5432/serve_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    yield url
    drop_database(url)
