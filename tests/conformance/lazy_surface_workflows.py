"""A workflow module that only `LazyWorkflowInstance` names: nothing imports it until it is used.

Written in the reference's style: the decorated function is the workflow, registered by its name.
"""

from __future__ import annotations

from orchestrator_core.types import State
from orchestrator_core.workflow import StepList, begin, step
from orchestrator_core.workflows.utils import task


@step("Say hello lazily")
def say_hello() -> State:
    return {"lazy_greeting": "hello"}


@task()
def task_surface_lazy() -> StepList:
    return begin >> say_hello
