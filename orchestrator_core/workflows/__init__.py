"""Standard steps, the workflow wrappers, and the built-in workflows registered by name.

As in the reference system, an application lists its workflows with `LazyWorkflowInstance`
(in its own `workflows/__init__.py`), which registers each in `ALL_WORKFLOWS` without importing
it; `get_workflow` imports a workflow's module the first time it is used. The built-in
workflows are registered the same way here, relative to this package.
"""

from orchestrator_core.workflow import ALL_WORKFLOWS, DEFAULT_PKG, LazyWorkflowInstance, get_workflow

LazyWorkflowInstance(".modify_note", "modify_note")
LazyWorkflowInstance(".tasks.validate_subscriptions", "task_validate_subscriptions")

BUILTIN_WORKFLOWS = ["modify_note", "task_validate_subscriptions"]

__all__ = ["ALL_WORKFLOWS", "BUILTIN_WORKFLOWS", "DEFAULT_PKG", "LazyWorkflowInstance", "get_workflow"]
