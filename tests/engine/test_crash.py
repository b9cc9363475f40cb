"""An executor killed right after a step's commit: the retry does not run that step again."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from pathlib import Path

import sqlalchemy as sa

from orchestrator_core.db import ProcessTable, transaction
from orchestrator_core.testing import assert_complete, result_of, resume_workflow
from tests.engine.engine_workflows import EFFECTS_DDL, attempts_file
from tests.leases import lease_ran_out
from tests.waiting import wait_until

ROOT = Path(__file__).resolve().parents[2]


def test_sigkill_after_commit_does_not_double_the_committed_step(orchestrator_database, tmp_path, monkeypatch):
    with transaction() as s:
        s.execute(sa.text(EFFECTS_DDL))
    env = {**os.environ, "ENGINE_TEST_ATTEMPTS_DIR": str(tmp_path)}
    log = tmp_path / "child.log"
    with log.open("w") as out:
        child = subprocess.Popen([sys.executable, "-m", "tests.engine.crash_child", orchestrator_database],
                                 cwd=ROOT, env=env, stdout=out, stderr=out, start_new_session=True)
        try:
            returncode = child.wait(timeout=180)
        finally:  # the child's ephemeral Prefect server outlives it: end the whole group
            with contextlib.suppress(ProcessLookupError):
                os.killpg(child.pid, signal.SIGKILL)
    assert returncode == -signal.SIGKILL, log.read_text()[-2000:]

    with transaction() as s:
        process_id = s.execute(
            sa.select(ProcessTable.process_id).join(ProcessTable.workflow)
            .where(sa.text("workflows.name = 'dies_after_commit'"))
            .order_by(ProcessTable.started_at.desc()).limit(1)
        ).scalar_one()
    crashed = result_of(process_id)
    assert crashed.status == "running"  # what Prefect-less eyes see until the lease runs out
    assert crashed.steps[-1].name == "Kill after commit" and crashed.steps[-1].status == "success"

    wait_until(lambda: lease_ran_out(process_id), "the dead child's 1 s lease ran out", timeout=30)
    monkeypatch.setenv("ENGINE_TEST_ATTEMPTS_DIR", str(tmp_path))
    result = resume_workflow(process_id)

    assert_complete(result)
    assert attempts_file(str(process_id)).read_text().splitlines() == ["Step 1", "Kill after commit", "Step 3"]
    assert [s.name for s in result.steps] == ["Start", "Step 1", "Kill after commit", "Step 3", "Done"]
