"""Links into the Prefect UI, so that an operator can jump from our process to its flow run."""

from __future__ import annotations

import os
import uuid

from orchestrator_core.settings import app_settings


def _prefect_api_setting() -> str:
    """Prefect's own setting, which also covers a profile or a `temporary_settings` in force."""
    from prefect.settings import PREFECT_API_URL

    return str(PREFECT_API_URL.value() or "")


def prefect_ui_base() -> str | None:
    """ORCHESTRATOR_PREFECT_UI_URL, else PREFECT_UI_URL, else PREFECT_API_URL without its /api suffix."""
    explicit = app_settings.ORCHESTRATOR_PREFECT_UI_URL or os.environ.get("PREFECT_UI_URL", "")
    if explicit:
        return explicit.rstrip("/")
    api = (os.environ.get("PREFECT_API_URL") or _prefect_api_setting()).rstrip("/")
    if not api:
        return None
    return api[: -len("/api")] if api.endswith("/api") else api


def flow_run_url(flow_run_id: uuid.UUID | None) -> str | None:
    base = prefect_ui_base()
    if flow_run_id is None or base is None:
        return None
    return f"{base}/runs/flow-run/{flow_run_id}"
