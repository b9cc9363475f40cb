"""Built-in system tasks (target SYSTEM, is_task): importing this registers them."""

from orchestrator_core.workflows.tasks.validate_subscriptions import task_validate_subscriptions

__all__ = ["task_validate_subscriptions"]
