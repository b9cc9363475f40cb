"""A subscription orchestrator for network service providers, running workflows on Prefect.

The reference's names at the package root (`from orchestrator_core import OrchestratorCore,
app_settings, step`) are loaded on first use, so that `import orchestrator_core` stays cheap: the
API pulls in FastAPI and the engine, the step DSL pydantic-forms.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_PROVIDERS = {
    "OrchestratorCore": "orchestrator_core.api.app",
    "app_settings": "orchestrator_core.settings",
    "step": "orchestrator_core.workflow",
    "inputstep": "orchestrator_core.workflow",
    "retrystep": "orchestrator_core.workflow",
    "conditional": "orchestrator_core.workflow",
    "begin": "orchestrator_core.workflow",
    "done": "orchestrator_core.workflow",
}
"""Root name -> the module that provides it. Not `workflow`: here that is the submodule
`orchestrator_core.workflow`; the decorator is imported from there."""

__all__ = ["OrchestratorCore", "__version__", "app_settings", "begin", "conditional", "done", "inputstep", "retrystep",
           "step"]

if TYPE_CHECKING:
    from orchestrator_core.api.app import OrchestratorCore
    from orchestrator_core.settings import app_settings
    from orchestrator_core.workflow import begin, conditional, done, inputstep, retrystep, step


def __getattr__(name: str) -> Any:
    provider = _PROVIDERS.get(name)
    if provider is None:
        raise AttributeError(f"module 'orchestrator_core' has no attribute {name!r}")
    value = getattr(importlib.import_module(provider), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_PROVIDERS})
