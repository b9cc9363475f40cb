"""Decorators that turn an author's StepList into a create, modify, terminate, validate or reconcile
workflow, or a task; with the reference system's names and signatures.

They add what every workflow of a kind needs, so the author writes only the product's steps:

    create:    init >> steps >> set_status(status) >> resync >> done   (form starts with the product)
    modify:    init >> store_process_subscription >> unsync >> steps >> resync >> done
    reconcile: the same as modify, without a user form (re-sync external systems with the subscription)
    validate:  the same as reconcile, without additional steps
    terminate: as modify, then set_status(TERMINATED) before resync; its first step sees the State
    task:      init >> steps >> done, target SYSTEM, is_task

A create form is called with `product` and `product_name` in its state; the forms of the others
with `subscription_id`, `product`, `customer_id` and `version`. Associated workflows get
`subscription_id` from a first form page that carries only it; the guard answers on that page
already, so a refusal comes before the user fills in anything else.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from orchestrator_core.targets import Target
from orchestrator_core.types import State, SubscriptionLifecycle
from orchestrator_core.workflow import (
    Authorizer,
    RunPredicate,
    Step,
    StepList,
    Workflow,
    begin,
    done,
    init,
    make_workflow,
    step,
    workflow,
)
from orchestrator_core.workflows.forms import wrap_create_initial_input_form, wrap_modify_initial_input_form
from orchestrator_core.workflows.steps import resync, set_status, store_process_subscription, unsync

Decorator = Callable[[Callable[[], StepList]], Workflow]
TERMINATE_STEP = set_status(SubscriptionLifecycle.TERMINATED)

modify_initial_input_form_generator = None
"""The reference's name for "no form of its own": a modify workflow that asks only for the subscription."""

validate_initial_input_form_generator = wrap_modify_initial_input_form(None)
"""The whole form of a validate (or reconcile) workflow: the subscription, checked by the guard."""


def _decorate(target: Target, form: Callable[..., Any] | None, around: Callable[[StepList], StepList],
              description: str, authorize_callback: Authorizer | None, retry_auth_callback: Authorizer | None,
              run_predicate: RunPredicate | None, is_task: bool = False) -> Decorator:
    def decorator(f: Callable[[], StepList]) -> Workflow:
        return make_workflow(f, description, form, target, around(f()), authorize_callback=authorize_callback,
                             retry_auth_callback=retry_auth_callback, is_task=is_task, run_predicate=run_predicate)

    return decorator


def _on_subscription(extra: StepList, end: Step | None = None) -> Callable[[StepList], StepList]:
    """Associated workflows: link, hold the lock, the author's steps, (end), give the lock back."""
    tail = StepList([end]) if end is not None else StepList()
    return lambda steps: (init >> store_process_subscription() >> unsync >> steps >> extra >> tail
                          >> resync >> done)


def create_workflow(description: str = "", initial_input_form: Callable[..., Any] | None = None,
                    status: SubscriptionLifecycle = SubscriptionLifecycle.ACTIVE,
                    additional_steps: StepList | None = None, authorize_callback: Authorizer | None = None,
                    retry_auth_callback: Authorizer | None = None,
                    run_predicate: RunPredicate | None = None) -> Decorator:
    """A CREATE workflow: the form asks for the product first; the subscription ends in `status`."""
    extra = additional_steps or StepList()
    return _decorate(Target.CREATE, wrap_create_initial_input_form(initial_input_form),
                     lambda steps: init >> steps >> extra >> set_status(status) >> resync >> done,
                     description, authorize_callback, retry_auth_callback, run_predicate)


def modify_workflow(description: str = "", initial_input_form: Callable[..., Any] | None = None,
                    additional_steps: StepList | None = None, authorize_callback: Authorizer | None = None,
                    retry_auth_callback: Authorizer | None = None,
                    run_predicate: RunPredicate | None = None) -> Decorator:
    """A MODIFY workflow on an existing subscription, which it holds locked while it runs."""
    return _decorate(Target.MODIFY, wrap_modify_initial_input_form(initial_input_form),
                     _on_subscription(additional_steps or StepList()), description, authorize_callback,
                     retry_auth_callback, run_predicate)


def terminate_workflow(description: str = "", initial_input_form: Callable[..., Any] | None = None,
                       additional_steps: StepList | None = None, authorize_callback: Authorizer | None = None,
                       retry_auth_callback: Authorizer | None = None,
                       run_predicate: RunPredicate | None = None) -> Decorator:
    """A TERMINATE workflow: undo what create did, then the subscription becomes TERMINATED."""
    return _decorate(Target.TERMINATE, wrap_modify_initial_input_form(initial_input_form),
                     _on_subscription(additional_steps or StepList(), TERMINATE_STEP),
                     description, authorize_callback, retry_auth_callback, run_predicate)


def validate_workflow(description: str = "", run_predicate: RunPredicate | None = None) -> Decorator:
    """A VALIDATE workflow: integrity checks on a subscription; no user input beyond the subscription."""
    return _decorate(Target.VALIDATE, validate_initial_input_form_generator, _on_subscription(StepList()),
                     description, None, None, run_predicate)


def reconcile_workflow(description: str = "", additional_steps: StepList | None = None,
                       authorize_callback: Authorizer | None = None, retry_auth_callback: Authorizer | None = None,
                       run_predicate: RunPredicate | None = None) -> Decorator:
    """A RECONCILE workflow: bring external systems in line with the subscription as it is; no user input
    beyond the subscription. It holds the subscription's lock while it runs, as a modify does."""
    return _decorate(Target.RECONCILE, wrap_modify_initial_input_form(None),
                     _on_subscription(additional_steps or StepList()), description, authorize_callback,
                     retry_auth_callback, run_predicate)


def task(description: str = "", initial_input_form: Callable[..., Any] | None = None,
         additional_steps: StepList | None = None, authorize_callback: Authorizer | None = None,
         retry_auth_callback: Authorizer | None = None, run_predicate: RunPredicate | None = None) -> Decorator:
    """A system task (target SYSTEM, is_task): runs on out-of-sync subscriptions and takes no lock."""
    extra = additional_steps or StepList()
    return _decorate(Target.SYSTEM, initial_input_form, lambda steps: init >> steps >> extra >> done,
                     description, authorize_callback, retry_auth_callback, run_predicate, is_task=True)


def ensure_provisioning_status(modify_steps: Step | StepList) -> StepList:
    """Run `modify_steps` with the subscription in PROVISIONING, and make it ACTIVE again after them.

    Usable as a decorator on a step, as in the reference: `@ensure_provisioning_status` above `@step`."""
    return (begin
            >> set_status(SubscriptionLifecycle.PROVISIONING)
            >> modify_steps
            >> set_status(SubscriptionLifecycle.ACTIVE))


@step("Equalize workflow step count")
def obsolete_step() -> State:
    """Stands in for a removed step, so that suspended processes of a changed workflow keep their step count."""
    return {}


__all__ = [
    "create_workflow",
    "ensure_provisioning_status",
    "modify_initial_input_form_generator",
    "modify_workflow",
    "obsolete_step",
    "reconcile_workflow",
    "task",
    "terminate_workflow",
    "validate_initial_input_form_generator",
    "validate_workflow",
    "workflow",
    "wrap_create_initial_input_form",
    "wrap_modify_initial_input_form",
]
