"""Runs `dies_after_commit` in its own OS process, which SIGKILLs itself after a step commits."""

import os
import sys

os.environ["ENGINE_TEST_KILL_AFTER_COMMIT"] = "1"
os.environ["ORCHESTRATOR_LEASE_SECONDS"] = "1"

from orchestrator_core.engine.prefect_runtime import apply_environment_defaults  # noqa: E402

apply_environment_defaults()

import tests.engine.engine_workflows  # noqa: E402,F401
from orchestrator_core.db import database  # noqa: E402
from orchestrator_core.testing import run_workflow  # noqa: E402

database.configure(sys.argv[1])
run_workflow("dies_after_commit")
raise SystemExit("the step should have killed this process")
