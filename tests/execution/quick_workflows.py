"""A quick locking workflow for the start-up burst and dispatch tests (and bench/serve_startup.py):
a MODIFY on one subscription, so that every process holds that subscription's lock while it runs."""

from __future__ import annotations

from orchestrator_core.types import State
from orchestrator_core.workflow import StepList, step
from orchestrator_core.workflows.utils import modify_workflow


@step("Touch")
def touch(subscription_id: str) -> State:
    return {"touched": subscription_id}


@modify_workflow("Quick locking modify")
def quick_modify() -> StepList:
    return StepList([touch])
