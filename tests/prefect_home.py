"""A PREFECT_HOME whose SQLite database is already migrated, for tests whose subprocess starts Prefect's
embedded server: Prefect migrates a new home's database on its first start (about 10 s of CPU here), so
each such test copies one migrated once a session instead. A test about a user's very first start
(the demo from an empty directory, `serve`'s first start) keeps a new, empty home."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from orchestrator_core.devtools import BIN


@pytest.fixture(scope="session")
def migrated_prefect_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("migrated-prefect-home")
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PREFECT_API_", "PREFECT_SERVER_DATABASE", "PREFECT_HOME"))}
    done = subprocess.run([str(BIN / "prefect"), "server", "database", "upgrade", "-y"],
                          env={**env, "PREFECT_HOME": str(home)}, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0 and (home / "prefect.db").exists(), done.stdout[-2000:] + done.stderr[-2000:]
    return home


def warm_prefect_home(migrated: Path, home: Path) -> Path:
    """`home` (new, or still unused) with a copy of the migrated database."""
    shutil.copytree(migrated, home, dirs_exist_ok=True)
    return home


@pytest.fixture
def prefect_home(migrated_prefect_home: Path, tmp_path: Path) -> Path:
    """This test's own PREFECT_HOME, its database migrated already."""
    return warm_prefect_home(migrated_prefect_home, tmp_path / "prefect-home")
