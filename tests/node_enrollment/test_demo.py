"""The demo application's `python main.py demo` from an empty directory, as the README's first command does."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from orchestrator_core.engine import kept_prefect_server


def test_the_demo_runs_in_an_empty_directory(tmp_path: Path):
    main = Path(__file__).resolve().parents[2] / "main.py"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ORCHESTRATOR_", "PREFECT_API_URL"))}
    env.update(PREFECT_HOME=str(tmp_path / ".prefect"), COLUMNS="160")
    demo_dir = tmp_path / "demo-run"
    demo_dir.mkdir()
    try:
        done = subprocess.run([sys.executable, str(main), "demo"], cwd=demo_dir, capture_output=True, text=True,
                              env={**env, "DEMO_CALLER_DIR": str(tmp_path)}, timeout=240)  # as scripts/demo runs it
    finally:
        kept_prefect_server.stop(tmp_path / ".prefect")  # the server it kept for later commands
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    out = done.stdout
    assert (demo_dir / "orchestrator.db").exists()
    for title in ("create_node_enrollment", "provision_node_enrollment", "modify_node_enrollment",
                  "validate_node_enrollment", "terminate_node_enrollment", "Subscription lifecycle"):
        assert title in out
    assert "NSO: connection refused (fake outage)" in out
    lifecycle = out[out.index("Subscription lifecycle"):]
    for label, status in (("create", "provisioning"), ("activate", "active"), ("terminate", "terminated")):
        assert any(label in line and status in line for line in lifecycle.splitlines())
    assert "Traceback" not in done.stdout + done.stderr

    hint = next(line for line in out.splitlines() if "Look around" in line)
    go, listing = re.findall(r"`([^`]+)`", hint)[:2]
    assert go == "cd demo-run" and listing.endswith(" processes"), hint
    listed = subprocess.run(f"{go} && {listing}", shell=True, cwd=tmp_path, env=env, capture_output=True,
                            text=True, timeout=120)  # the demo's closing hint, pasted where the user is
    assert listed.returncode == 0, listed.stdout + listed.stderr
    assert "terminate_node_enrollment" in listed.stdout and "completed" in listed.stdout
