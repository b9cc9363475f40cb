"""Engine settings at the reference's paths, for orchestrator-ui: its header badge and settings page, and the
check it makes before every start, retry and abort (`global_status` must be `RUNNING`)."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from orchestrator_core.api.auth import writer
from orchestrator_core.services import engine_status

router = APIRouter(prefix="/api/settings", tags=["settings"])


class EngineSettings(BaseModel):
    global_lock: bool = Field(description="Always false: there is no global pause here")
    global_status: str = Field(description="RUNNING")
    running_processes: int = Field(description="Processes running now")


class GlobalLock(BaseModel):
    global_lock: bool


def _answer(status: engine_status.EngineStatus) -> EngineSettings:
    return EngineSettings(global_lock=status.global_lock, global_status=status.global_status,
                          running_processes=status.running_processes)


@router.get("/status", response_model=EngineSettings)
def get_status() -> EngineSettings:
    """The engine's state: always RUNNING (no global pause), with the number of running processes."""
    return _answer(engine_status.engine_status())


@router.put(
    "/status",
    response_model=EngineSettings,
    responses={409: {"description": "A global pause was asked for; there is none here"}},
    dependencies=[Depends(writer)],
)
def set_status(body: GlobalLock) -> EngineSettings:
    """`global_lock: false` answers the status (the engine runs); `true`, a global pause, is refused (409)."""
    return _answer(engine_status.set_global_lock(body.global_lock))


@router.get("/cache-names", response_model=dict[str, str])
def cache_names() -> dict[str, str]:
    """The caches the settings page may flush: none, this orchestrator keeps no cache."""
    return {}
