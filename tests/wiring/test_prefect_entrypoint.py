"""The module prefect.yaml's deployments name is what Prefect's own process worker loads a flow from,
in a process that passed through none of our other entry points: loading it wires the services in."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
from prefect.flows import load_flow_from_entrypoint
from orchestrator_core.bootstrap import bootstrapped
flow = load_flow_from_entrypoint("{entrypoint}")
print(flow.name, bootstrapped())
"""


def test_prefect_loads_each_deployment_flow_wired():
    entrypoints = [d["entrypoint"] for d in yaml.safe_load((ROOT / "prefect.yaml").read_text())["deployments"]]
    assert entrypoints and all(e.startswith("orchestrator_core/entrypoints.py:") for e in entrypoints)
    entrypoint = next(e for e in entrypoints if e.endswith(":modify_note"))
    done = subprocess.run([sys.executable, "-c", PROBE.format(entrypoint=entrypoint)], cwd=ROOT, capture_output=True,
                          text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT), "ORCHESTRATOR_WORKFLOW_MODULES": "[]"})
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.splitlines()[-1] == "modify_note True"
