"""`orchestrator demo` from an empty directory, as the README's first command: it ends with its tables."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def test_the_demo_runs_in_an_empty_directory(tmp_path: Path):
    orchestrator = Path(sys.executable).parent / "orchestrator"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ORCHESTRATOR_", "PREFECT_API_URL"))}
    env.update(PREFECT_HOME=str(tmp_path / ".prefect"), COLUMNS="160", PYTHONPATH=str(Path(__file__).parents[2]))
    done = subprocess.run([str(orchestrator), "demo"], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=240)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    out = done.stdout
    assert (tmp_path / "orchestrator.db").exists()
    for title in ("create_node_enrollment", "provision_node_enrollment", "modify_node_enrollment",
                  "validate_node_enrollment", "terminate_node_enrollment", "Subscription lifecycle"):
        assert title in out
    assert "NSO: connection refused (fake outage)" in out
    lifecycle = out[out.index("Subscription lifecycle"):]
    for label, status in (("create", "provisioning"), ("activate", "active"), ("terminate", "terminated")):
        assert any(label in line and status in line for line in lifecycle.splitlines())
    assert "Traceback" not in done.stdout + done.stderr
