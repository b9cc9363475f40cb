"""A stand-in for LSO (the provisioning proxy the application's `services/lso_client.py` posts
playbook requests to): a local HTTP server that records each request and answers 201, so that the
application's own client code runs unchanged. The driver answers the callback itself."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@contextmanager
def recording_lso() -> Iterator[list[dict[str, Any]]]:
    """Serve on a free local port for the block, with LSO_PLAYBOOK_URL and ORCHESTRATOR_URL set;
    yields the list the request bodies are appended to."""
    seen: list[dict[str, Any]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's name)
            seen.append(json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}"))
            self.send_response(201)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    saved = {k: os.environ.get(k) for k in ("LSO_PLAYBOOK_URL", "ORCHESTRATOR_URL")}
    os.environ["LSO_PLAYBOOK_URL"] = f"http://127.0.0.1:{server.server_port}/api/playbook"
    os.environ["ORCHESTRATOR_URL"] = "http://orchestrator.invalid"
    try:
        yield seen
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
