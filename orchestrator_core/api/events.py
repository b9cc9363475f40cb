"""Live process updates as server-sent events, by polling our database (the system of record).

Polling keeps it mode-independent: embedded threads, a worker on another machine or a retry
from the Prefect UI all write the same tables. Events: `status` (status, last step, failed
reason) whenever it changes, `step` for every new step row, and `end` once the process is no
longer created/running, after which the stream closes (the client must not reconnect).
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any

from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from orchestrator_core.errors import ProcessNotFoundError
from orchestrator_core.services.process_search import Progress, progress_since
from orchestrator_core.settings import app_settings

MOVING = {"created", "running"}
KEEPALIVE_SECONDS = 15.0


def _event(name: str, data: dict[str, Any]) -> str:
    return f"event: {name}\ndata: {json.dumps(data, default=str)}\n\n"


async def _stream(process_id: uuid.UUID, first: Progress) -> AsyncIterator[str]:
    last_step_id = 0
    last_head: tuple[Any, ...] | None = None
    last_sent = time.monotonic()
    progress: Progress | None = first
    yield "retry: 2000\n\n"
    while progress is not None:
        for step in progress.new_steps:
            last_step_id = step["step_id"]
            yield _event("step", step)
            last_sent = time.monotonic()
        head = (progress.status, progress.last_step, progress.failed_reason)
        if head != last_head:
            last_head = head
            yield _event(
                "status",
                {
                    "process_id": str(process_id),
                    "status": progress.status,
                    "last_step": progress.last_step,
                    "failed_reason": progress.failed_reason,
                },
            )
            last_sent = time.monotonic()
        if progress.status not in MOVING:
            yield _event("end", {"process_id": str(process_id), "status": progress.status})
            return
        if time.monotonic() - last_sent > KEEPALIVE_SECONDS:
            yield ": keepalive\n\n"
            last_sent = time.monotonic()
        await asyncio.sleep(app_settings.ORCHESTRATOR_SSE_POLL_SECONDS)
        progress = await run_in_threadpool(progress_since, process_id, last_step_id)
    yield _event("end", {"process_id": str(process_id), "status": "deleted"})


async def process_event_stream(process_id: uuid.UUID) -> StreamingResponse:
    first = await run_in_threadpool(progress_since, process_id, 0)
    if first is None:
        raise ProcessNotFoundError(f"Process {process_id} does not exist", process_id=str(process_id))
    return StreamingResponse(
        _stream(process_id, first),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )
