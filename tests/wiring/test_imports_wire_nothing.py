"""Importing a module wires nothing: only `bootstrap()`, which every entry point calls, sets the
engine's hooks into the services. Checked in a fresh interpreter that imports every module of the
library (but the entry point Prefect loads, which bootstraps) and the demo application."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

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


def test_importing_every_module_wires_nothing_and_bootstrap_wires_once():
    done = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.splitlines()[-2:] == ["[]", "1 True"]
