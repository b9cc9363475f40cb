"""`inject_args` lives with the step DSL now (orchestrator_core/injection.py); this path still imports."""

from orchestrator_core.injection import MissingStepArgumentError, inject_args

__all__ = ["MissingStepArgumentError", "inject_args"]
