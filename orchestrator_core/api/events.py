"""Live process updates as server-sent events, by polling our database (the system of record).

Polling keeps it mode-independent: embedded threads, a worker on another machine or a retry
from the Prefect UI all write the same tables. Events: `status` (status, last step, failed
reason) whenever it changes, `step` for every new step row, and `end` once the process is no
longer created/running, after which the stream closes (the client must not reconnect).

Streams are bounded so that followers cannot starve the API: at most ORCHESTRATOR_SSE_MAX_STREAMS
at once and ORCHESTRATOR_SSE_MAX_STREAMS_PER_CLIENT per client (a 429 beyond), each lives at most
ORCHESTRATOR_SSE_MAX_SECONDS (then `expired`: the client reconnects), and their database polls run
on a few threads of their own, never on the pool that serves the other routes.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from typing import Any

import anyio
import anyio.to_thread
from fastapi import Depends, Request
from fastapi.responses import StreamingResponse
from starlette.types import Receive, Scope, Send

from orchestrator_core.api.auth import AuthUser, current_user
from orchestrator_core.api.errors import ApiError
from orchestrator_core.errors import ProcessNotFoundError
from orchestrator_core.services.process_search import Progress, progress_since
from orchestrator_core.settings import app_settings

MOVING = {"created", "running"}
KEEPALIVE_SECONDS = 15.0
POLL_THREADS = 4
"""Threads the streams' database polls share (per API process)."""


class StreamSlots:
    """Counts open streams, in total and per client; `take` refuses one over either limit."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._open: Counter[str] = Counter()

    @property
    def total(self) -> int:
        return sum(self._open.values())

    def take(self, client: str) -> None:
        with self._lock:
            per_client = app_settings.ORCHESTRATOR_SSE_MAX_STREAMS_PER_CLIENT
            total = app_settings.ORCHESTRATOR_SSE_MAX_STREAMS
            if self._open[client] >= per_client:
                raise ApiError(
                    429,
                    "events.too_many_streams",
                    f"This client already has {per_client} event stream(s) open, the most it may at once",
                    reason="per_client",
                    limit=per_client,
                )
            if self.total >= total:
                raise ApiError(
                    429,
                    "events.too_many_streams",
                    f"The API already serves {total} event streams, the most it serves at once",
                    reason="total",
                    limit=total,
                )
            self._open[client] += 1

    def give_back(self, client: str) -> None:
        with self._lock:
            self._open[client] -= 1
            if self._open[client] <= 0:
                del self._open[client]


slots = StreamSlots()
_poll_limiter: anyio.CapacityLimiter | None = None


def poll_limiter() -> anyio.CapacityLimiter:
    global _poll_limiter
    if _poll_limiter is None:
        _poll_limiter = anyio.CapacityLimiter(POLL_THREADS)
    return _poll_limiter


async def _poll(process_id: uuid.UUID, after_step_id: int) -> Progress | None:
    return await anyio.to_thread.run_sync(progress_since, process_id, after_step_id, limiter=poll_limiter())


def stream_client(request: Request, user: AuthUser | None = Depends(current_user)) -> str:
    """Who a stream counts against: the token's subject, else the client's address."""
    if user is not None:
        return f"user:{user.sub}"
    return f"address:{request.client.host if request.client else 'unknown'}"


def _event(name: str, data: dict[str, Any]) -> str:
    return f"event: {name}\ndata: {json.dumps(data, default=str)}\n\n"


async def _stream(process_id: uuid.UUID, first: Progress) -> AsyncIterator[str]:
    last_step_id = 0
    last_head: tuple[Any, ...] | None = None
    last_sent = started = time.monotonic()
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
        if time.monotonic() - started >= app_settings.ORCHESTRATOR_SSE_MAX_SECONDS:
            yield _event("expired", {"process_id": str(process_id), "after_seconds": round(time.monotonic() - started)})
            return
        if time.monotonic() - last_sent > KEEPALIVE_SECONDS:
            yield ": keepalive\n\n"
            last_sent = time.monotonic()
        await asyncio.sleep(app_settings.ORCHESTRATOR_SSE_POLL_SECONDS)
        progress = await _poll(process_id, last_step_id)
    yield _event("end", {"process_id": str(process_id), "status": "deleted"})


class _SlotStream(StreamingResponse):
    """A stream that gives its slot back however it ends: done, expired, client gone, never started."""

    def __init__(self, content: AsyncIterator[str], client: str, **kwargs: Any) -> None:
        super().__init__(content, **kwargs)
        self.client = client

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            slots.give_back(self.client)


async def process_event_stream(process_id: uuid.UUID, client: str = "anonymous") -> StreamingResponse:
    slots.take(client)
    try:
        first = await _poll(process_id, 0)
        if first is None:
            raise ProcessNotFoundError(f"Process {process_id} does not exist", process_id=str(process_id))
    except BaseException:
        slots.give_back(client)
        raise
    return _SlotStream(
        _stream(process_id, first),
        client,
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )
