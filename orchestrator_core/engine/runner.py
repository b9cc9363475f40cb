"""The single-process driver: run one process from its resume point to its end, a suspend or a failure.

It is the step-run core (`step_executor`) with a transaction per step. The runner knows nothing
of Prefect: it gets a `StepInvoker` that wraps each step's execution (the Prefect layer passes
one that runs it as a task).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable

from orchestrator_core.db.database import pinned_connection
from orchestrator_core.engine import lease
from orchestrator_core.engine.step_executor import (
    RetryAuthorizer,
    Run,
    StepAlreadyCommittedError,
    StepFailedError,
    StepOutcome,
    Suspend,
    claim,
    decide,
    drive,
    execute_step,
)
from orchestrator_core.types import ProcessStatus
from orchestrator_core.workflow import Step

__all__ = ["RetryAuthorizer", "StepInvoker", "advance_alone", "run_directly", "run_process"]

logger = logging.getLogger(__name__)

StepInvoker = Callable[[Step, int, Callable[[], StepOutcome]], StepOutcome]


def run_directly(_step: Step, _index: int, execute: Callable[[], StepOutcome]) -> StepOutcome:
    return execute()


def advance_alone(run: Run, index: int, step: Step, invoke: StepInvoker = run_directly) -> None:
    """Step `index` of one process in a transaction of its own. A step that waits is recorded directly;
    any other runs through `invoke` (a Prefect task, which retries it on StepFailedError)."""
    def execute() -> StepOutcome:
        return execute_step(run.process_id, index, step, run.state, run.user)

    try:
        outcome = execute() if isinstance(decide(step, run.state), Suspend) else invoke(step, index, execute)
    except StepFailedError as failure:
        run.status = failure.status
        return
    except StepAlreadyCommittedError as stop:
        logger.warning("This run of process %s stops: %s", run.process_id, stop)
        run.status = stop.status
        return
    run.advanced(index, outcome)


def run_process(process_id: uuid.UUID, invoke: StepInvoker = run_directly,
                flow_run_id: uuid.UUID | None = None,
                authorize_retry: RetryAuthorizer | None = None) -> ProcessStatus:
    """Run from the resume point; return the status the process ends this run with.

    Raises when the process does not exist or runs on a living executor; `authorize_retry` decides
    re-runs our services did not dispatch (see `claim`), and its refusal is raised with the process
    untouched."""
    with pinned_connection():  # one checkout for the run's transactions, not one (and a ping) per step
        runs, ended = claim([process_id], flow_run_id, authorize_retry)
        if process_id in ended:
            verdict = ended[process_id]
            if isinstance(verdict, Exception):
                raise verdict
            return verdict
        with lease.renewing(process_id):
            drive(runs, lambda group, index, step: advance_alone(group[0], index, step, invoke))
        status = runs[0].status
        assert status is not None
        return status
