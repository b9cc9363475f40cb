"""A command on a database that was never created or upgraded says in one line to run `db upgrade`, and
leaves no empty SQLite file behind (issue 17)."""

from __future__ import annotations

import os
import subprocess

from orchestrator_core.devtools import BIN
from tests.served_stack import ROOT


def test_processes_without_a_database_says_to_upgrade_and_creates_nothing(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("ORCHESTRATOR_")}
    env["PYTHONPATH"] = str(ROOT)

    done = subprocess.run([str(BIN / "orchestrator"), "processes"], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=120)

    assert done.returncode == 2
    lines = (done.stdout + done.stderr).strip().splitlines()
    assert len(lines) == 1 and "db upgrade" in lines[0], done.stdout + done.stderr
    assert list(tmp_path.iterdir()) == []


def test_processes_on_a_database_without_tables_says_to_upgrade(tmp_path):
    (tmp_path / "orchestrator.db").touch()
    env = {k: v for k, v in os.environ.items() if not k.startswith("ORCHESTRATOR_")}
    env["PYTHONPATH"] = str(ROOT)

    done = subprocess.run([str(BIN / "orchestrator"), "processes"], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=120)

    assert done.returncode == 2
    line, = (done.stdout + done.stderr).strip().splitlines()
    assert "no orchestrator tables" in line and "db upgrade" in line and "Traceback" not in line
