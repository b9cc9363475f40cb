"""Importing a module wires nothing: only `bootstrap()`, which every entry point calls, sets the
engine's hooks into the services. Checked in fresh interpreters: one imports every module of the
library (but the entry point Prefect loads, which bootstraps) and the demo application; one loads a
deployment's flow as Prefect's own process worker does, through none of our other entry points."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import importlib, pkgutil, orchestrator_core
SKIP = ("orchestrator_core.entrypoints", "orchestrator_core.migrations.env", "orchestrator_core.migrations.versions",
        "orchestrator_core.migrations.templates")
names = [m.name for m in pkgutil.walk_packages(orchestrator_core.__path__, "orchestrator_core.")
         if not m.name.startswith(SKIP) and not m.name.endswith("__main__")]
for name in [*names, "flows", "products"]:
    importlib.import_module(name)
from orchestrator_core.engine import lease, prefect_flows, prefect_suspend
wired = {"process factory": prefect_flows._process_factory, "retry authorizer": prefect_flows._retry_authorizer,
         "input committer": prefect_suspend._input_committer, "crash hooks": lease.CRASH_HOOKS or None,
         "periodic hooks": lease.PERIODIC_HOOKS or None}
print(sorted(k for k, v in wired.items() if v is not None))
from orchestrator_core.bootstrap import bootstrap
bootstrap(); bootstrap()
print(len(lease.CRASH_HOOKS), prefect_flows._retry_authorizer is not None)
"""


def _printed(code: str, **env: str) -> list[str]:
    """What a fresh interpreter running `code` from the checkout printed (it must succeed)."""
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT), **env})
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.splitlines()


def test_importing_every_module_wires_nothing_and_bootstrap_wires_once():
    assert _printed(PROBE)[-2:] == ["[]", "1 True"]


PREFECT_LOADS = """
from prefect.flows import load_flow_from_entrypoint
from orchestrator_core.bootstrap import bootstrapped
flow = load_flow_from_entrypoint("{entrypoint}")
print(flow.name, bootstrapped())
"""


def test_prefect_loads_each_deployment_flow_wired():
    entrypoints = [d["entrypoint"] for d in yaml.safe_load((ROOT / "prefect.yaml").read_text())["deployments"]]
    assert entrypoints and all(e.startswith("orchestrator_core/entrypoints.py:") for e in entrypoints)
    entrypoint = next(e for e in entrypoints if e.endswith(":modify_note"))
    printed = _printed(PREFECT_LOADS.format(entrypoint=entrypoint), ORCHESTRATOR_WORKFLOW_MODULES="[]")
    assert printed[-1] == "modify_note True"
