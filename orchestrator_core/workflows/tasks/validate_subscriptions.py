"""The nightly sweep: run the validate workflow of every in-sync ACTIVE subscription.

Unlike the reference system, which starts one workflow run per subscription, the sweep is one
task process (one Prefect flow run) whose step runs the validations in batches (the batch
executor, in worker processes); each validation is still its own process with guard, lock and
step log.
"""

from __future__ import annotations

import uuid

from orchestrator_core.services.subscription_validation import validate_all
from orchestrator_core.settings import app_settings
from orchestrator_core.types import State
from orchestrator_core.workflow import StepList, begin, step
from orchestrator_core.workflows.utils import task


def _flow_run_id() -> uuid.UUID | None:
    """The sweep's Prefect flow run, stamped on every validation process it runs."""
    from prefect.context import FlowRunContext

    context = FlowRunContext.get()
    return context.flow_run.id if context and context.flow_run else None


@step("Validate subscriptions")
def validate_subscriptions(process_id: str, reporter: str = "SYSTEM") -> State:
    summary = validate_all(concurrency=app_settings.ORCHESTRATOR_VALIDATE_CONCURRENCY, user=reporter,
                           flow_run_id=_flow_run_id())
    return {"validation": summary.as_state()}


@task("Validate subscriptions")
def task_validate_subscriptions() -> StepList:
    return begin >> validate_subscriptions
