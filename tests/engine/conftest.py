"""Engine tests: a side table for committed step effects, and a per-test folder for attempts."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from orchestrator_core.db import transaction
from tests.engine.engine_workflows import EFFECTS_DDL


@pytest.fixture(autouse=True)
def effects_table(tmp_path, monkeypatch):
    monkeypatch.setenv("ENGINE_TEST_ATTEMPTS_DIR", str(tmp_path))
    with transaction() as s:
        s.execute(sa.text(EFFECTS_DDL))
