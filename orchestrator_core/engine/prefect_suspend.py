"""An input step in served mode: the flow run is suspended in Prefect, with the step's form as its
run-input schema, so that the Prefect UI shows the form and can resume the run.

Our database stays the system of record. When Prefect resumes the run, the runner runs the flow
again from the top; the flow finds the process still suspended, reads the submitted input and hands
it to the service layer, which authorizes it, validates it with the step's form and commits the
input step exactly as `resume_process` does. Prefect has no user identity: the step's resume
authorization decides for an anonymous caller, as for our API without a token. Input that is not
authorized or that our form refuses changes nothing: the run is suspended again under a fresh
pause key (Prefect refuses to re-fire a key) with the reason in its logs.

A form of several pages is shown a page at a time: a submitted page that our form accepts but that
does not complete it suspends the run again with the next page, and the pages so far are kept with
the flow run (its run input `pages-<step index>-<attempt>`) until the last page commits them all.
A refused page is asked again, the pages before it kept.

Pause keys are `input-<step index>-<attempt>`; Prefect keeps every fired key on the flow run
(`empirical_policy.pause_keys`), which tells the re-run which suspension its input answers.
Runs without a deployment (embedded mode) cannot be suspended; they keep today's behaviour.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from orchestrator_core.db import ProcessTable, transaction
from orchestrator_core.engine import flow_run_warnings, step_log
from orchestrator_core.engine.prefect_access import prefect_actor
from orchestrator_core.errors import ForbiddenError, OrchestratorError
from orchestrator_core.forms.validation import FormIncompleteError, first_page, page_after
from orchestrator_core.types import ProcessStatus, State
from orchestrator_core.workflow import Step, get_workflow

InputCommitter = Callable[[uuid.UUID, list[dict[str, Any]], str], None]
_input_committer: InputCommitter | None = None
SUBMITTER = prefect_actor(os.environ.get("PREFECT_API_AUTH_STRING"))
"""Who acted through Prefect's UI or API, which know no user: recorded as `created_by` of a step whose
input was submitted there (the UI's resume form), of the steps a Retry there ran, and of a process
started there (the Run button). `prefect-ui`, or `prefect-ui (user)` with the user of the basic auth
that this process (the worker) shares with Prefect's server, from its environment."""


def set_input_committer(committer: InputCommitter) -> None:
    """The service layer's validate-and-commit of a suspended step's input (see services.processes)."""
    global _input_committer
    _input_committer = committer


@dataclass(frozen=True)
class PendingInput:
    index: int
    step: Step
    state: State


def pending_input(process_id: uuid.UUID) -> PendingInput | None:
    """The input step a suspended process waits at, from our step log; None if it is not suspended."""
    with transaction() as session:
        process = session.get(ProcessTable, process_id)
        if process is None or process.last_status != str(ProcessStatus.SUSPENDED):
            return None
        workflow = get_workflow(process.workflow.name)
        point = step_log.resume_point(session, process_id)
    if workflow is None or point.next_index >= len(workflow.steps):
        return None
    step = workflow.steps[point.next_index]
    return PendingInput(point.next_index, step, point.state) if step.kind == "inputstep" else None


class FlowRunSuspension:
    """Suspend and resume one deployment flow run at our input steps."""

    def __init__(self, flow_run: Any) -> None:
        self.flow_run_id: uuid.UUID = flow_run.id
        self.carried: list[dict[str, Any]] = []
        """Pages of a multi-page form accepted so far; the next suspension shows the page after them."""

    @staticmethod
    def for_current_run() -> FlowRunSuspension | None:
        from prefect.context import FlowRunContext

        context = FlowRunContext.get()
        flow_run = context.flow_run if context else None
        if flow_run is None or flow_run.deployment_id is None:
            return None
        return FlowRunSuspension(flow_run)

    def _fired_attempts(self, index: int) -> int:
        """How often this run was already suspended at step `index` (fresh from the server)."""
        from prefect.client.orchestration import get_client

        with get_client(sync_client=True) as client:
            keys = client.read_flow_run(self.flow_run_id).empirical_policy.pause_keys or set()
        prefix = f"input-{index}-"
        return max((int(k[len(prefix):]) for k in keys if k.startswith(prefix) and k[len(prefix):].isdigit()),
                   default=0)

    def _submitted(self, index: int) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
        """The pages accepted before the last suspension at step `index`, and the page submitted to it."""
        from prefect.input.actions import read_flow_run_input

        attempt = self._fired_attempts(index)
        if attempt == 0:
            return [], None
        earlier = read_flow_run_input(key=f"pages-{index}-{attempt}", flow_run_id=self.flow_run_id)
        value = read_flow_run_input(key=f"suspended-input-{index}-{attempt}-response", flow_run_id=self.flow_run_id)
        return (earlier if isinstance(earlier, list) else []), (value if isinstance(value, dict) else None)

    def accept_submitted_input(self, process_id: uuid.UUID, pending: PendingInput) -> bool:
        """Commit the input Prefect resumed us with; False (nothing written) if none, refused, or only a
        page of a form that has more (`carried` then holds the pages so far)."""
        if _input_committer is None:
            raise RuntimeError("Resuming an input step from Prefect needs the service layer loaded")
        earlier, submitted = self._submitted(pending.index)
        if submitted is None and first_page(pending.step.form, pending.state) is None:
            submitted = {}  # a form-less input step: resuming is the whole answer
        if submitted is None:
            self.carried = earlier
            flow_run_warnings.warn(f"No input was submitted for {pending.step.name!r}; waiting for it again")
            return False
        pages = [*earlier, submitted]
        try:
            _input_committer(process_id, pages, SUBMITTER)
        except ForbiddenError as refusal:  # the step's resume authorization refuses an anonymous caller
            flow_run_warnings.warn(refusal.message)
            return False
        except FormIncompleteError:
            self.carried = pages
            flow_run_warnings.warn(f"Page {len(pages)} of the form of {pending.step.name!r} accepted; waiting for the "
                                   "next page")
            return False
        except OrchestratorError as refusal:
            self.carried = earlier  # the same page again
            flow_run_warnings.warn(f"Input for {pending.step.name!r} refused, the process stays suspended: {refusal}")
            return False
        return True

    def suspend(self, pending: PendingInput) -> None:
        """Suspend this flow run for the step's form, at the page after the `carried` ones; raises
        Prefect's Pause, which ends the run. Pages so far are kept with the run for its next resume."""
        from prefect.flow_runs import suspend_flow_run
        from prefect.input.actions import create_flow_run_input

        page = page_after(pending.step.form, pending.state, self.carried)
        attempt = self._fired_attempts(pending.index) + 1
        if self.carried:
            create_flow_run_input(key=f"pages-{pending.index}-{attempt}", value=self.carried,
                                  flow_run_id=self.flow_run_id)
        suspend_flow_run(wait_for_input=page, key=f"input-{pending.index}-{attempt}")
        raise RuntimeError(f"Flow run {self.flow_run_id} was not suspended at {pending.step.name!r}")

