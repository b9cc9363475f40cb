"""Module-level Prefect flows, one per registered workflow: the entry point of prefect.yaml's deployments.

Prefect's own workers (and `prefect deploy`) load a flow by `path:attribute`, in a process that went
through none of our other entry points: this module wires the services in (`bootstrap`) and loads the
configured workflow modules, and the flows built by the engine's factory are found here under their
workflow's name.
"""

from orchestrator_core.bootstrap import bootstrap
from orchestrator_core.engine.prefect_flows import all_prefect_flows
from orchestrator_core.services.workflow_registry import load_workflow_modules

bootstrap()
load_workflow_modules()
globals().update(all_prefect_flows())
