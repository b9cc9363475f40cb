"""Decorators that turn an author's StepList into a create, modify, validate or terminate workflow.

They add what every workflow of a kind needs, so the author writes only the product's steps:

    create:    init >> steps >> set_status(status) >> resync >> done   (form starts with the product)
    modify:    init >> store_process_subscription >> unsync >> steps >> resync >> done
    validate:  the same as modify, without a user form
    terminate: as modify, then set_status(TERMINATED) before resync; its first step sees the State
    task:      init >> steps >> done, target SYSTEM, is_task

Associated workflows get `subscription_id` from a first form page that carries only it; the
guard answers on that page already, so a refusal comes before the user fills in anything else.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from orchestrator_core.targets import Target
from orchestrator_core.types import SubscriptionLifecycle
from orchestrator_core.workflow import (
    Authorizer,
    Step,
    StepList,
    Workflow,
    done,
    init,
    make_workflow,
    workflow,
)
from orchestrator_core.workflows.forms import wrap_create_initial_input_form, wrap_modify_initial_input_form
from orchestrator_core.workflows.steps import resync, set_status, store_process_subscription, unsync

Decorator = Callable[[Callable[[], StepList]], Workflow]
TERMINATE_STEP = set_status(SubscriptionLifecycle.TERMINATED)


def _decorate(target: Target, form: Callable[..., Any] | None, around: Callable[[StepList], StepList],
              description: str, authorize_callback: Authorizer | None, retry_auth_callback: Authorizer | None,
              is_task: bool = False) -> Decorator:
    def decorator(f: Callable[[], StepList]) -> Workflow:
        return make_workflow(f, description, form, target, around(f()), authorize_callback=authorize_callback,
                             retry_auth_callback=retry_auth_callback, is_task=is_task)

    return decorator


def _on_subscription(extra: StepList, end: Step | None = None) -> Callable[[StepList], StepList]:
    """Associated workflows: link, hold the lock, the author's steps, (end), give the lock back."""
    tail = StepList([end]) if end is not None else StepList()
    return lambda steps: (init >> store_process_subscription() >> unsync >> steps >> extra >> tail
                          >> resync >> done)


def create_workflow(description: str = "", initial_input_form: Callable[..., Any] | None = None,
                    status: SubscriptionLifecycle = SubscriptionLifecycle.ACTIVE,
                    additional_steps: StepList | None = None, authorize_callback: Authorizer | None = None,
                    retry_auth_callback: Authorizer | None = None) -> Decorator:
    """A CREATE workflow: the form asks for the product first; the subscription ends in `status`."""
    extra = additional_steps or StepList()
    return _decorate(Target.CREATE, wrap_create_initial_input_form(initial_input_form),
                     lambda steps: init >> steps >> extra >> set_status(status) >> resync >> done,
                     description, authorize_callback, retry_auth_callback)


def modify_workflow(description: str = "", initial_input_form: Callable[..., Any] | None = None,
                    additional_steps: StepList | None = None, authorize_callback: Authorizer | None = None,
                    retry_auth_callback: Authorizer | None = None) -> Decorator:
    """A MODIFY workflow on an existing subscription, which it holds locked while it runs."""
    return _decorate(Target.MODIFY, wrap_modify_initial_input_form(initial_input_form),
                     _on_subscription(additional_steps or StepList()), description, authorize_callback,
                     retry_auth_callback)


def terminate_workflow(description: str = "", initial_input_form: Callable[..., Any] | None = None,
                       additional_steps: StepList | None = None, authorize_callback: Authorizer | None = None,
                       retry_auth_callback: Authorizer | None = None) -> Decorator:
    """A TERMINATE workflow: undo what create did, then the subscription becomes TERMINATED."""
    return _decorate(Target.TERMINATE, wrap_modify_initial_input_form(initial_input_form),
                     _on_subscription(additional_steps or StepList(), TERMINATE_STEP),
                     description, authorize_callback, retry_auth_callback)


def validate_workflow(description: str = "") -> Decorator:
    """A VALIDATE workflow: integrity checks on a subscription; no user input beyond the subscription."""
    return _decorate(Target.VALIDATE, wrap_modify_initial_input_form(None), _on_subscription(StepList()),
                     description, None, None)


def task(description: str = "", initial_input_form: Callable[..., Any] | None = None,
         additional_steps: StepList | None = None, authorize_callback: Authorizer | None = None,
         retry_auth_callback: Authorizer | None = None) -> Decorator:
    """A system task (target SYSTEM, is_task): runs on out-of-sync subscriptions and takes no lock."""
    extra = additional_steps or StepList()
    return _decorate(Target.SYSTEM, initial_input_form, lambda steps: init >> steps >> extra >> done,
                     description, authorize_callback, retry_auth_callback, is_task=True)


__all__ = [
    "create_workflow",
    "modify_workflow",
    "task",
    "terminate_workflow",
    "validate_workflow",
    "workflow",
    "wrap_create_initial_input_form",
    "wrap_modify_initial_input_form",
]
