"""orchestrator-ui's event WebSocket (`/api/ws/events`): cache invalidations instead of polling.

The UI opens it on every page, sends `__ping__` every 30 s (answered `__pong__`), and on each message
`{"name": "invalidateCache", "value": {"type": ..., "id"?: ...}}` refetches what carries that tag. One
reader per API process (`EventHub`) looks at the changes of processes (`services.change_feed`, the same
tables the process event stream reads) every ORCHESTRATOR_SSE_POLL_SECONDS and tells every connection, for
each changed process: `processes` `LIST` and its id, `processStatusCounts`, and `subscriptions` `LIST` and
the id of each subscription it ran on.

As every route: the request guard's Host and Origin rules (a page of a foreign origin cannot open it) and,
with auth on, a bearer token, which the UI sends as the subprotocols `["base64.bearer.token", <token>]`
(browsers cannot set headers on a WebSocket). Without a valid one the handshake is refused (HTTP 403),
before anything is sent. Bounded like the SSE streams and counted with them (ORCHESTRATOR_SSE_MAX_STREAMS,
..._PER_CLIENT; beyond, refused), each lives at most ORCHESTRATOR_SSE_MAX_SECONDS and never past its token's
expiry, then is closed (1001); the UI reconnects when its tab is shown again or its badge is clicked.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
import uuid

import anyio
import anyio.to_thread
from fastapi import APIRouter, WebSocket
from starlette.websockets import WebSocketDisconnect, WebSocketState

from orchestrator_core.api.auth import AuthUser, reader, verify_token
from orchestrator_core.api.events import poll_limiter, slots
from orchestrator_core.errors import OrchestratorError
from orchestrator_core.services.change_feed import ChangeFeed, subscriptions_of
from orchestrator_core.settings import app_settings

logger = logging.getLogger(__name__)
router = APIRouter(tags=["events"])

AUTH_SUBPROTOCOL = "base64.bearer.token"
QUEUE_SIZE = 1000
CLOSE_GOING_AWAY = 1001
CLOSE_POLICY = 1008

Tag = dict[str, str]


def invalidations(processes: set[uuid.UUID], subscriptions: set[uuid.UUID]) -> list[Tag]:
    """The cache tags the UI refetches when these processes (and the subscriptions they ran on) changed."""
    if not processes:
        return []
    tags: list[Tag] = [{"type": "processes", "id": "LIST"}, {"type": "processStatusCounts"}]
    tags += [{"type": "processes", "id": str(p)} for p in sorted(processes, key=str)]
    if subscriptions:
        tags.append({"type": "subscriptions", "id": "LIST"})
        tags += [{"type": "subscriptions", "id": str(s)} for s in sorted(subscriptions, key=str)]
    return tags


def _look(feed: ChangeFeed) -> list[Tag]:
    changed = feed.changed()
    return invalidations(changed, subscriptions_of(changed))


class EventHub:
    """One change reader for all connections of an app; it runs while any connection is open."""

    def __init__(self) -> None:
        self._queues: set[asyncio.Queue[Tag]] = set()
        self._task: asyncio.Task[None] | None = None

    async def subscribe(self) -> asyncio.Queue[Tag]:
        queue: asyncio.Queue[Tag] = asyncio.Queue(QUEUE_SIZE)
        self._queues.add(queue)
        if self._task is None or self._task.done():
            feed = ChangeFeed()
            await anyio.to_thread.run_sync(feed.changed, limiter=poll_limiter())  # the position, before any change
            self._task = asyncio.get_running_loop().create_task(self._run(feed))
        return queue

    def unsubscribe(self, queue: asyncio.Queue[Tag]) -> None:
        self._queues.discard(queue)
        if not self._queues and self._task is not None:
            self._task.cancel()
            self._task = None

    async def _run(self, feed: ChangeFeed) -> None:
        while True:
            await asyncio.sleep(app_settings.ORCHESTRATOR_SSE_POLL_SECONDS)
            try:
                tags = await anyio.to_thread.run_sync(_look, feed, limiter=poll_limiter())
            except Exception:  # the database is away for a moment: the next look catches up
                logger.warning("Event WebSocket: reading changes failed", exc_info=True)
                continue
            for queue in list(self._queues):
                for tag in tags:
                    if queue.full():  # a connection that does not read: its UI refetches on reconnect
                        break
                    queue.put_nowait(tag)


def _hub(websocket: WebSocket) -> EventHub:
    state = websocket.app.state
    if not hasattr(state, "event_hub"):
        state.event_hub = EventHub()
    hub: EventHub = state.event_hub
    return hub


def _credentials(websocket: WebSocket) -> tuple[str | None, str | None]:
    """(subprotocol to accept, token) from `Sec-WebSocket-Protocol: base64.bearer.token, <token>`."""
    offered: list[str] = websocket.scope.get("subprotocols") or []
    if len(offered) == 2 and offered[0] == AUTH_SUBPROTOCOL:
        return AUTH_SUBPROTOCOL, offered[1]
    return None, None


def _caller(websocket: WebSocket) -> tuple[AuthUser | None, str | None]:
    """The verified caller and the subprotocol to accept; OrchestratorError when it may not connect."""
    subprotocol, token = _credentials(websocket)
    if websocket.scope.get("subprotocols") and subprotocol is None:
        raise OrchestratorError(f"Subprotocols must be [{AUTH_SUBPROTOCOL!r}, <bearer token>]")
    user = verify_token(token) if token else None
    return reader(user), subprotocol


def _client(websocket: WebSocket, user: AuthUser | None) -> str:
    if user is not None:
        return f"user:{user.sub}"
    return f"address:{websocket.client.host if websocket.client else 'unknown'}"


def _lifetime(user: AuthUser | None) -> float:
    seconds = app_settings.ORCHESTRATOR_SSE_MAX_SECONDS
    expires = user.claims.get("exp") if user is not None else None
    if isinstance(expires, int | float):
        seconds = min(seconds, max(0.0, expires - time.time()))
    return seconds


@router.websocket("/api/ws/events")
async def events(websocket: WebSocket) -> None:
    try:
        user, subprotocol = _caller(websocket)
    except OrchestratorError as exc:
        logger.info("Event WebSocket refused: %s", exc.message)
        await websocket.close(code=CLOSE_POLICY)  # before the handshake: answered 403
        return
    client = _client(websocket, user)
    try:
        slots.take(client)
    except OrchestratorError as exc:
        logger.info("Event WebSocket refused: %s", exc.message)
        await websocket.close(code=CLOSE_POLICY)
        return
    hub = _hub(websocket)
    queue: asyncio.Queue[Tag] | None = None
    try:
        await websocket.accept(subprotocol=subprotocol)
        queue = await hub.subscribe()
        await _serve(websocket, queue, _lifetime(user))
    finally:
        if queue is not None:
            hub.unsubscribe(queue)
        slots.give_back(client)


async def _serve(websocket: WebSocket, queue: asyncio.Queue[Tag], lifetime: float) -> None:
    sending = asyncio.Lock()

    async def send(text: str) -> None:
        async with sending:
            await websocket.send_text(text)

    async def answer_pings(scope: anyio.CancelScope) -> None:
        while True:
            message = await websocket.receive()
            if message["type"] == "websocket.disconnect":
                scope.cancel()
                return
            if message.get("text") == "__ping__":
                await send("__pong__")

    async def forward(scope: anyio.CancelScope) -> None:
        while True:
            tag = await queue.get()
            try:
                await send(json.dumps({"name": "invalidateCache", "value": tag}))
            except (WebSocketDisconnect, RuntimeError):  # the client left between two messages
                scope.cancel()
                return

    with anyio.move_on_after(lifetime) as timer:
        async with anyio.create_task_group() as tasks:
            tasks.start_soon(answer_pings, tasks.cancel_scope)
            tasks.start_soon(forward, tasks.cancel_scope)
    if timer.cancelled_caught and websocket.application_state == WebSocketState.CONNECTED:
        await websocket.close(code=CLOSE_GOING_AWAY)
