"""Is the orchestrator able to work: our database reachable, and Prefect too when it executes runs."""

from __future__ import annotations

import os
import time
from typing import Any

import httpx
import sqlalchemy as sa

from orchestrator_core.db import transaction
from orchestrator_core.settings import app_settings


def _timed(check: Any) -> dict[str, Any]:
    started = time.perf_counter()
    try:
        detail = check()
        return {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 1), **(detail or {})}
    except Exception as exc:  # a health check reports every failure rather than raising it
        return {"ok": False, "ms": round((time.perf_counter() - started) * 1000, 1), "error": str(exc)}


def _database() -> dict[str, Any]:
    with transaction() as session:
        session.execute(sa.text("SELECT 1"))
    return {}


def prefect_api_url() -> str:
    url = os.environ.get("PREFECT_API_URL", "")
    if not url:
        from prefect.settings import get_current_settings

        url = str(get_current_settings().api.url or "")
    return url.rstrip("/")


def _prefect() -> dict[str, Any]:
    url = prefect_api_url()
    if not url:
        raise RuntimeError("PREFECT_API_URL is not set")
    answer = httpx.get(f"{url}/health", timeout=2.0)
    answer.raise_for_status()
    return {"url": url}


def check() -> dict[str, Any]:
    """`{"ok": bool, "mode": ..., "checks": {"database": {...}, "prefect": {...}}}`."""
    served = app_settings.ORCHESTRATOR_EXECUTION_MODE == "served"
    checks = {"database": _timed(_database)}
    checks["prefect"] = _timed(_prefect) if served else {"ok": True, "skipped": "embedded mode"}
    return {
        "ok": all(c["ok"] for c in checks.values()),
        "mode": app_settings.ORCHESTRATOR_EXECUTION_MODE,
        "checks": checks,
    }
