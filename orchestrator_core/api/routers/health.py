"""Health: 200 when our database (and Prefect, in served mode) answer, 503 with which one failed."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from orchestrator_core.services import health as health_service

router = APIRouter(prefix="/api/health", tags=["health"])


class Health(BaseModel):
    ok: bool
    mode: str
    checks: dict[str, dict[str, Any]]


@router.get("", response_model=Health, responses={503: {"model": Health, "description": "A dependency is down"}})
def health() -> Any:
    result = health_service.check()
    return JSONResponse(Health(**result).model_dump(), status_code=200 if result["ok"] else 503)
