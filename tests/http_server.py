"""Our FastAPI app served for real by uvicorn in a background thread, for tests that talk HTTP.

The thread enters the given Prefect API URL itself: Prefect's settings are context variables,
so a `temporary_settings` of the test thread would not reach the server's request handlers.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

import uvicorn
from fastapi import FastAPI

from orchestrator_core.devtools import free_port
from tests.waiting import wait_until


@contextlib.contextmanager
def serving(app: FastAPI, prefect_api_url: str | None = None) -> Iterator[str]:
    """Serve `app` on a free loopback port; yield its base URL; stop it on exit."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"))

    def run() -> None:
        if prefect_api_url is None:
            server.run()
            return
        from prefect.settings import PREFECT_API_URL, temporary_settings

        with temporary_settings({PREFECT_API_URL: prefect_api_url}):
            server.run()

    thread = threading.Thread(target=run, name=f"api-under-test-{port}", daemon=True)
    thread.start()
    wait_until(lambda: server.started or not thread.is_alive(), "uvicorn started or its thread ended", 15,
               interval=0.02)
    if not server.started:
        raise RuntimeError("uvicorn did not start")
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
