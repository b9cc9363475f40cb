"""The process of a kept local Prefect server (engine/kept_prefect_server.py): Prefect's API under uvicorn,
on loopback, that ends itself once no command has used it for a while.

Run as a script, not imported: `python kept_server_main.py PORT KEEP_SECONDS STATE_FILE APP`. Its
credential comes in the environment (PREFECT_SERVER_API_AUTH_STRING), never on the command line, where
other local users could read it. "Unused" means no HTTP request or WebSocket open (a command's event
stream holds one for as long as the command runs) for KEEP_SECONDS; a server that the state file no
longer names (another replaced it) leaves as soon as it is unused.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
import threading
import time
from typing import Any

CHECK_SECONDS = 2.0
REPLACED_GRACE_SECONDS = 5.0


class Activity:
    """ASGI middleware: how many requests and WebSockets are open, and when the last one ended."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.open = 0
        self.last = time.monotonic()
        self.lock = threading.Lock()

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        with self.lock:
            self.open += 1
        try:
            await self.app(scope, receive, send)
        finally:
            with self.lock:
                self.open -= 1
                self.last = time.monotonic()

    def touch(self) -> None:
        with self.lock:
            self.last = time.monotonic()

    def idle_for(self) -> float:
        with self.lock:
            return 0.0 if self.open else time.monotonic() - self.last


def named_by(state_file: str) -> bool:
    try:
        with open(state_file) as f:
            return int(json.load(f).get("pid", 0)) == os.getpid()
    except (OSError, ValueError, AttributeError):
        return False


def main(port: int, keep_seconds: float, state_file: str, app_path: str) -> None:
    here = os.path.dirname(os.path.abspath(__file__))  # run as a script: its directory's modules shadow none
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != here]
    import uvicorn

    module, _, factory = app_path.partition(":")
    activity = Activity(getattr(importlib.import_module(module), factory)())
    server = uvicorn.Server(uvicorn.Config(activity, host="127.0.0.1", port=port, log_level="error",
                                           lifespan="on", log_config=None))

    def end_when_unused() -> None:
        while not server.started and not server.should_exit:  # start-up (migrations) is not idleness
            time.sleep(0.1)
        activity.touch()
        while not server.should_exit:
            time.sleep(CHECK_SECONDS)
            idle = activity.idle_for()
            if idle >= keep_seconds or (idle >= REPLACED_GRACE_SECONDS and not named_by(state_file)):
                server.should_exit = True

    threading.Thread(target=end_when_unused, name="end-when-unused", daemon=True).start()
    server.run()


if __name__ == "__main__":
    main(int(sys.argv[1]), float(sys.argv[2]), sys.argv[3], sys.argv[4])
