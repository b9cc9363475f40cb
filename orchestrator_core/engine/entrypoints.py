"""Module-level Prefect flows, one per registered workflow, for prefect.yaml's entrypoints.

Prefect's own workers load a flow by `path:attribute`; flows built by a factory are found here
under their workflow's name.
"""

from orchestrator_core.engine.prefect_flows import all_prefect_flows
from orchestrator_core.services.workflow_registry import load_workflow_modules

load_workflow_modules()
globals().update(all_prefect_flows())
