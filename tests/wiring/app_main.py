"""A minimal application's main.py: it imports its own workflow, then runs the `orchestrator`
command (`python -m tests.wiring.app_main worker`), with ORCHESTRATOR_WORKFLOW_MODULES=[]."""

from orchestrator_core.cli.main import app
from tests.wiring import app_workflow  # noqa: F401  (registers wiring_probe)

if __name__ == "__main__":
    app()
