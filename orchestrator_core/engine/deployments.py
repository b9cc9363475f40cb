"""Served mode: one Prefect deployment per workflow, and the calls our services make to Prefect.

A start creates a flow run of the workflow's deployment; a resume puts the same flow run back
to AwaitingRetry (exactly what the Prefect UI's Retry button does), so that a run has one
history in the UI whichever door the retry came through. Prefect being unreachable is a
typed 503, raised before our transaction commits, so nothing is written.
"""

from __future__ import annotations

import logging
import time
import uuid
from dataclasses import dataclass
from typing import Any

from orchestrator_core.errors import ExecutorRefusedError, ExecutorUnavailableError
from orchestrator_core.settings import app_settings
from orchestrator_core.targets import Target
from orchestrator_core.workflow import WORKFLOWS, Workflow

logger = logging.getLogger(__name__)
_deployment_ids: dict[str, uuid.UUID] = {}

FLOW_PARAMETER_SCHEMA: dict[str, Any] = {
    "title": "Parameters",
    "type": "object",
    "properties": {
        "process_id": {"title": "process_id", "type": "string", "description": "Set by our API; leave empty"},
        "user_inputs": {"title": "user_inputs", "type": "array", "items": {"type": "object"},
                        "description": "Form pages, as POST /api/processes/{workflow} takes them"},
    },
}


@dataclass(frozen=True)
class DeploymentSpec:
    workflow: str
    description: str
    cron: str | None

    @property
    def entrypoint(self) -> str:
        return f"orchestrator_core/entrypoints.py:{self.workflow}"


def scheduled_by_us(workflow: Workflow) -> bool:
    """A SYSTEM task of ORCHESTRATOR_SCHEDULED_TASKS: its deployment gets our cron schedule."""
    return workflow.name in app_settings.ORCHESTRATOR_SCHEDULED_TASKS and workflow.target == Target.SYSTEM


def deployment_specs(workflows: dict[str, Workflow] | None = None) -> list[DeploymentSpec]:
    """Every registered workflow; validate tasks get the nightly schedule. prefect.yaml mirrors this."""
    cron = app_settings.ORCHESTRATOR_VALIDATE_CRON
    return [DeploymentSpec(name, wf.description, cron if scheduled_by_us(wf) else None)
            for name, wf in sorted((WORKFLOWS if workflows is None else workflows).items())]


def _unavailable(exc: Exception) -> ExecutorUnavailableError:
    return ExecutorUnavailableError(
        f"Prefect at {_api_url()} is unreachable ({type(exc).__name__}); nothing was started, try again later",
        prefect_api_url=_api_url(),
    )


def _api_url() -> str:
    from prefect.settings import PREFECT_API_URL

    return str(PREFECT_API_URL.value() or "(ephemeral)")


def _client() -> Any:
    """A client for the configured PREFECT_API_URL. get_client() would hand back a client this
    thread holds open (prefect_runtime.executing) even when it talks to another server, e.g. the
    ephemeral one after the settings changed; such a stale client is bypassed here."""
    from prefect.client.orchestration import get_client
    from prefect.context import SyncClientContext
    from prefect.settings import PREFECT_API_URL

    held = SyncClientContext.get()
    configured = str(PREFECT_API_URL.value() or "").rstrip("/")
    if held is None or not configured or str(held.client.api_url).rstrip("/") == configured:
        return get_client(sync_client=True)
    # prefect types __var__ as ContextVar[Self], yet get() treats None as no context, as here
    token = SyncClientContext.__var__.set(None)  # type: ignore[arg-type]
    try:
        return get_client(sync_client=True)
    finally:
        SyncClientContext.__var__.reset(token)


def prefect_client() -> Any:
    """A sync Prefect client for the configured API (see `_client`), for our services' own calls."""
    return _client()


def ensure_deployments(workflows: dict[str, Workflow] | None = None) -> dict[str, uuid.UUID]:
    """Create or update the deployment of every workflow; return their ids by workflow name."""
    from prefect.client.schemas.actions import DeploymentScheduleCreate
    from prefect.client.schemas.schedules import CronSchedule

    names = set(workflows or WORKFLOWS)
    with _client() as client:
        for spec in deployment_specs():
            if spec.workflow not in names:
                continue
            flow_id = client.create_flow_from_name(spec.workflow)
            schedules = [DeploymentScheduleCreate(schedule=CronSchedule(cron=spec.cron), active=True)] \
                if spec.cron else None
            _deployment_ids[spec.workflow] = client.create_deployment(
                flow_id=flow_id, name=spec.workflow, description=spec.description, entrypoint=spec.entrypoint,
                parameter_openapi_schema=FLOW_PARAMETER_SCHEMA, schedules=schedules, paused=False,
                enforce_parameter_schema=False,
            )
    return dict(_deployment_ids)


def _deployment_id(client: Any, workflow_name: str) -> uuid.UUID:
    if workflow_name not in _deployment_ids:
        from prefect.exceptions import ObjectNotFound

        try:
            deployment = client.read_deployment_by_name(f"{workflow_name}/{workflow_name}")
        except ObjectNotFound as exc:
            raise ExecutorUnavailableError(
                f"Prefect has no deployment for {workflow_name!r}; start `orchestrator worker` to register it",
                workflow=workflow_name,
            ) from exc
        _deployment_ids[workflow_name] = deployment.id
    return _deployment_ids[workflow_name]


def create_flow_run(workflow_name: str, process_id: uuid.UUID) -> uuid.UUID:
    import httpx

    try:
        with _client() as client:
            flow_run = client.create_flow_run_from_deployment(
                _deployment_id(client, workflow_name), parameters={"process_id": str(process_id)},
                idempotency_key=str(process_id),
            )
            return flow_run.id
    except (httpx.HTTPError, OSError, RuntimeError) as exc:
        raise _unavailable(exc) from exc


def _accepted(result: Any, flow_run_id: uuid.UUID) -> None:
    """Prefect answers a refused state change with HTTP 2xx: make its REJECT/ABORT a real refusal,
    raised inside the caller's transaction so that nothing is written."""
    status = str(getattr(result.status, "value", result.status)).upper()
    if status != "ACCEPT":
        reason = getattr(result.details, "reason", None) or status
        raise ExecutorRefusedError(f"Prefect refused to resume flow run {flow_run_id}: {reason}",
                                   flow_run_id=str(flow_run_id), prefect_status=status)


def retry_flow_run(workflow_name: str, process_id: uuid.UUID, flow_run_id: uuid.UUID | None) -> uuid.UUID:
    """AwaitingRetry on the process's flow run; a new flow run if Prefect no longer knows it."""
    import httpx
    from prefect.exceptions import ObjectNotFound
    from prefect.states import AwaitingRetry

    try:
        with _client() as client:
            if flow_run_id is not None:
                try:
                    _wait_until_run_ended(client, flow_run_id)
                    result = client.set_flow_run_state(
                        flow_run_id, AwaitingRetry(message="Resumed through the orchestrator"), force=True)
                    _accepted(result, flow_run_id)
                    return flow_run_id
                except ObjectNotFound:
                    logger.warning("Flow run %s is gone from Prefect; creating a new one", flow_run_id)
            flow_run = client.create_flow_run_from_deployment(
                _deployment_id(client, workflow_name), parameters={"process_id": str(process_id)})
            return flow_run.id
    except (httpx.HTTPError, OSError, RuntimeError) as exc:
        raise _unavailable(exc) from exc


RUN_END_WAIT_SECONDS = 5.0
"""How long a resume waits for a flow run whose process already failed to end in Prefect too."""


def _wait_until_run_ended(client: Any, flow_run_id: uuid.UUID) -> None:
    """A process fails in our tables a moment before its flow run reports Failed to Prefect. A retry put
    in between would be overwritten by that report, and the run would never be handed to a worker: so
    wait (bounded) until Prefect has the run's end."""
    deadline = time.monotonic() + RUN_END_WAIT_SECONDS
    while time.monotonic() < deadline:
        state = client.read_flow_run(flow_run_id).state
        if state is None or not (state.is_running() or state.is_pending()):
            return
        time.sleep(0.05)


def cancel_flow_run(flow_run_id: uuid.UUID) -> None:
    """Best effort: the process is already aborted in our tables, which is what counts."""
    from prefect.states import Cancelled

    try:
        with _client() as client:
            client.set_flow_run_state(flow_run_id, Cancelled(message="Aborted through the orchestrator"), force=True)
    except Exception:
        logger.warning("Could not cancel flow run %s in Prefect", flow_run_id, exc_info=True)


def ui_url(flow_run_id: uuid.UUID | None) -> str | None:
    if flow_run_id is None:
        return None
    base = app_settings.ORCHESTRATOR_PREFECT_UI_URL
    if not base:
        api = _api_url()
        if not api.startswith("http"):
            return None
        base = api.removesuffix("/").removesuffix("/api")
    return f"{base.rstrip('/')}/runs/flow-run/{flow_run_id}"
